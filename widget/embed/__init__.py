"""Embedding kit: widget addresses, snippets, oEmbed and the static export."""
