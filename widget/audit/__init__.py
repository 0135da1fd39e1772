"""Accessibility audit: the checks of the test matrix, as a command QA teams run on their pages.

matrix (what to open), runner (opening it in Chromium), checks and probe.js
(what is checked), findings (what a failure says), report (HTML and JSON),
cli (`flask --app widget audit`).
"""
