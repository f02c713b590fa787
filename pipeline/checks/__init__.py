"""Examination checks: glossary, style and plan."""
