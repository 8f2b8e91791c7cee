"""Exceptions of incident-mapper.

One root, ``MapperError``; every class also subclasses the builtin a caller would expect
(``ValueError`` for bad values, ``OSError`` for unreadable files), as geopy and shapely do.
The CLI turns ``InputError`` into exit code 2 with a one-line message and anything else
derived from ``MapperError`` into exit code 1.
"""

from __future__ import annotations


class MapperError(Exception):
    """Root of every error raised on purpose by incident-mapper."""


class InputError(MapperError, ValueError):
    """A user-supplied input (file, option, column) is missing, unreadable or malformed.

    Messages name the file (and line or field where known) and the problem.
    """


class UnreadableDocumentError(InputError, OSError):
    """A document file cannot be read or decoded."""


class SchemaError(MapperError, ValueError):
    """A frame or record does not have the documented columns or types."""


class OfflineAssetError(MapperError, RuntimeError):
    """The map HTML references an external URL that the offline inliner does not know."""
