"""Feedback: the "Was this page helpful?" form and what happens to its answers."""
