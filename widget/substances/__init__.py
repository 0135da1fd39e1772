"""Substance summaries: plain-language, sourced articles, one per substance and locale."""
