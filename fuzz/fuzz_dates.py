"""atheris fuzz target for the date resolver (``mapper.dates.find_dates``).

Run: ``.venv/bin/python fuzz/fuzz_dates.py [libFuzzer flags]``. A crash is any exception, a
range whose start is after its end, or a span that does not slice back to its text.
"""

from __future__ import annotations

import datetime as dt
import sys

import atheris

with atheris.instrument_imports(include=["mapper"]):
    from mapper.dates import find_dates

_FIRST = dt.date(1, 1, 1).toordinal()
_LAST = dt.date(9999, 12, 31).toordinal()


def check(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    published = (dt.date.fromordinal(fdp.ConsumeIntInRange(_FIRST, _LAST))
                 if fdp.ConsumeBool() else None)
    text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    for m in find_dates(text, published=published):
        assert text[m.start:m.end] == m.text, (m.start, m.end, m.text)
        assert m.range is None or m.range.start <= m.range.end, m.range


def main() -> None:
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
