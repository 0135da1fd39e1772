"""Moved to widget/phone.py (the partner registry formats numbers too); kept for old imports."""

from widget.phone import dial_href, display_number

__all__ = ["dial_href", "display_number"]
