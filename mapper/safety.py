"""Neutralise untrusted text for the places it is written to.

CSV: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by spreadsheet programs (OWASP "CSV injection"); such cells get a leading ``'``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe_cell(value: object) -> object:
    """``value`` with a leading ``'`` when it is text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_safe_values(values: np.ndarray) -> np.ndarray:
    """``values`` (an object array) with ``csv_safe_cell`` applied and missing values as None.

    Each distinct value is checked once: a million-row column of a few thousand place names
    costs a hash pass, not a million Python calls. Returns ``values`` itself when nothing
    changes.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    safe = [csv_safe_cell(value) for value in uniques]
    if (codes >= 0).all() and all(a is b for a, b in zip(safe, uniques, strict=True)):
        return values
    return np.array([*safe, None], dtype=object)[codes]  # code -1 (missing) -> the last: None
