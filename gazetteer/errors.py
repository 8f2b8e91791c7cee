"""Exceptions of the gazetteer package (root: ``GazetteerError``; also builtin subclasses)."""

from __future__ import annotations


class GazetteerError(Exception):
    """Root of every error raised on purpose by the gazetteer package."""


class GazetteerQueryError(GazetteerError, ValueError):
    """A query or filter value is invalid (the message shows the value and the allowed ones)."""


class GazetteerDataError(GazetteerError, OSError):
    """Gazetteer data is missing, corrupt, or an import file is malformed (file and line named)."""
