"""Partners: the registry of sites that embed the widgets, their themes and their own lines."""
