"""Redact personal data from feedback comments: the public entry point.

The work is done in :mod:`widget.feedback.redaction`; this module keeps the
import path that the store and the request log use.
"""

from __future__ import annotations

from widget.feedback.redaction import Redaction, redact

__all__ = ["Redaction", "redact"]
