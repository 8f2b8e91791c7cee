"""Date expressions in news text, resolved to ranges against the publication date.

``find_dates(text, published=...)`` finds absolute ("January 2020", "Jan. 9, 2022",
"between 2003 and 2011", "July 1 thru September 30") and relative ("Thursday", "last week",
"last summer", "in November", "two days ago") expressions and returns each as a
``DateMention`` with the character span and a ``DateRange`` (first day, last day, ACLED
``time_precision``). Relative expressions, and absolute ones that lack a year, are resolved
against the publication date: the most recent matching period not after it. Without a
publication date they stay unresolved (``range is None``) and ``reason`` says why; they are
never guessed. Nothing here raises on any input.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["DateMention", "DateRange", "find_dates", "resolve"]

NO_PUBLISHED = "relative date and no publication date (pass --published)"


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of days; ``time_precision`` is ACLED's (1 day, 2 week, 3 month, else None)."""

    start: dt.date
    end: dt.date
    granularity: str  # day | days | week | month | season | year | years | range

    @property
    def time_precision(self) -> int | None:
        days = (self.end - self.start).days + 1
        if days <= 1:
            return 1
        if days <= 7:
            return 2
        if days <= 31 and self.start.month == self.end.month:
            return 3
        return None

    def overlaps(self, other: DateRange) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass(frozen=True)
class DateMention:
    """A date expression at ``[start, end)`` of the text, resolved or not (then ``reason``)."""

    start: int
    end: int
    text: str
    range: DateRange | None
    relative: bool
    reason: str = ""

    @property
    def offset_days(self) -> int | None:
        """For "two days after" / "a week before": days from the anchor event to this one
        (for a vague offset such as "days after", the nearest end of its window)."""
        window = self.offset_window
        if window is None:
            return None
        lo, hi = window
        return hi if hi < 0 else lo

    @property
    def offset_window(self) -> tuple[int, int] | None:
        """Days from the anchor event to this one, as an inclusive window: (-2, -2) for "two
        days after", (-6, -1) for "less than a week after", (-7, -1) for "days after"."""
        if self.reason != "offset":
            return None
        m = _OFFSET.match(self.text)
        if m is not None:
            n = _num(m["n"]) * (7 if m["unit"].lower().startswith("week") else 1)
            lo = hi = n
            direction = m["dir"]
        else:
            v = _VAGUE_OFFSET.match(self.text)
            if v is None:
                return None
            if v["within"]:
                n = _num(v["n"] or "one") * (7 if v["unit"].lower().startswith("week") else 1)
                lo, hi = 1, max(1, n - 1)
            else:
                lo, hi = 1, (7 if v["unit"].lower().startswith("day") else 42)
            direction = v["dir"]
        return (-hi, -lo) if direction.lower() in ("after", "later") else (lo, hi)

    def anchored(self, anchor: DateRange) -> DateRange:
        """This offset applied to ``anchor``: the range of the event it dates."""
        window = self.offset_window or (0, 0)
        lo, hi = (dt.timedelta(days=d) for d in window)
        granularity = anchor.granularity if window[0] == window[1] else "days"
        return DateRange(anchor.start + lo, anchor.end + hi, granularity)


# --- vocabulary ---------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2)}
_NUMBERS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

# Month names must be capitalised ("may" and "march" are also verbs); abbreviations may
# carry a dot.
_MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
        r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)")
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[0-9]{2}|20[0-9]{2})"
_NUM = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an)"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_SEASON = r"(?:spring|summer|fall|autumn|winter)"
_PART = r"(?:early|mid|late|the\s+middle\s+of|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of)"
_RANGE_SEP = r"\s*(?:-|–|—|thru|through|to|until|till|and)\s*"
_END = r"(?![\w])"
_START = r"(?<![\w$.,])"


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _num(text: str) -> int:
    text = text.lower()
    return int(text) if text.isdigit() else _NUMBERS[text]


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _part_of(first: dt.date, last: dt.date, part: str) -> tuple[dt.date, dt.date]:
    """The early / mid / late third of a range (or its first/last day for start/end)."""
    span = (last - first).days + 1
    third = max(span // 3, 1)
    part = " ".join(part.lower().split())
    if part in ("early", "the beginning of", "the start of"):
        return first, first + dt.timedelta(days=third - 1)
    if part == "late":
        return last - dt.timedelta(days=third - 1), last
    if part == "the end of":
        return last - dt.timedelta(days=min(third, 10) - 1), last
    if span < 3:  # "mid-January" published on January 1st or 2nd: no middle third to take
        return first, last
    return first + dt.timedelta(days=third), last - dt.timedelta(days=third)


def _latest_month(month: int, published: dt.date) -> int:
    """Year of the most recent ``month`` not after ``published``."""
    return published.year if month <= published.month else published.year - 1


def _season(name: str, year: int) -> tuple[dt.date, dt.date]:
    first_month, last_month = _SEASONS[name.lower()]
    if first_month > last_month:  # winter: December of ``year`` to February of the next
        return dt.date(year, 12, 1), _month_range(year + 1, last_month)[1]
    return dt.date(year, first_month, 1), _month_range(year, last_month)[1]


_OFFSET = re.compile(r"(?P<n>\w+)\s+(?P<unit>days?|weeks?)\s+(?P<dir>after|before|earlier|later)", re.IGNORECASE)
_VAGUE_OFFSET = re.compile(
    r"(?:(?P<within>(?:less|fewer)\s+than|under|within)\s+(?:(?:a|an|one)\s+|(?P<n>\w+)\s+)?"
    r"|(?:a\s+few|several|some|a\s+couple\s+of)\s+)?"
    r"(?P<unit>days?|weeks?)\s+(?P<dir>after|before|earlier|later)", re.IGNORECASE)

# --- handlers: each returns (range or None, relative?, reason) ----------------------------

Handler = Callable[[re.Match[str], "dt.date | None"], "tuple[DateRange | None, bool, str]"]
_RULES: list[tuple[re.Pattern[str], Handler, re.Pattern[str]]] = []

# cheap tests a text must pass before a rule's full pattern runs on it
_HAS_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_HAS_MONTH = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
_HAS_WEEKDAY = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
_HAS_SEASON = re.compile(r"spring|summer|fall|autumn|winter", re.IGNORECASE)


def _rule(pattern: str, flags: int = 0, *, needs: re.Pattern[str]) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _RULES.append((re.compile(_START + pattern + _END, flags), handler, needs))
        return handler
    return register


def _abs(first: dt.date, last: dt.date, granularity: str) -> tuple[DateRange, bool, str]:
    return DateRange(first, last, granularity), False, ""


def _rel(first: dt.date, last: dt.date, granularity: str) -> tuple[DateRange, bool, str]:
    return DateRange(first, last, granularity), True, ""


def _unresolved() -> tuple[None, bool, str]:
    return None, True, NO_PUBLISHED


@_rule(rf"(?:between|from)\s+(?P<y1>{_YEAR})\s+(?:and|to|until|through)\s+(?P<y2>{_YEAR})", needs=_HAS_YEAR)
def _years_between(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    y1, y2 = sorted((int(m["y1"]), int(m["y2"])))
    return _abs(dt.date(y1, 1, 1), dt.date(y2, 12, 31), "years")


@_rule(rf"(?P<m1>{_MON})\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>{_YEAR}))?{_RANGE_SEP}"
       rf"(?:(?P<m2>{_MON})\s+)?(?P<d2>{_DAY})(?:,?\s+(?P<y2>{_YEAR}))?", needs=_HAS_MONTH)
def _day_range(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    m1 = _month(m["m1"])
    m2 = _month(m["m2"]) if m["m2"] else m1
    year2 = int(m["y2"]) if m["y2"] else (int(m["y1"]) if m["y1"] else None)
    if year2 is None:
        if published is None:
            return _unresolved()
        year2 = _latest_month(m2, published)
    year1 = int(m["y1"]) if m["y1"] else (year2 if m1 <= m2 else year2 - 1)
    first, last = dt.date(year1, m1, _day(m["d1"])), dt.date(year2, m2, _day(m["d2"]))
    first, last = min(first, last), max(first, last)
    relative = not (m["y1"] or m["y2"])
    return DateRange(first, last, "range"), relative, ""


@_rule(rf"the\s+(?P<which>first|last)\s+(?P<n>{_NUM})\s+(?P<unit>days?|weeks?|months?)\s+of\s+"
       rf"(?:(?P<mon>{_MON})\s+)?(?P<year>{_YEAR})", re.IGNORECASE, needs=_HAS_YEAR)
def _first_n_of(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    year = int(m["year"])
    if m["mon"]:
        first, last = _month_range(year, _month(m["mon"]))
    else:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    n, unit = _num(m["n"]), m["unit"].lower().rstrip("s")
    if unit == "month":
        if m["which"].lower() == "first":
            return _abs(first, _month_range(year, min(n, 12))[1], "range")
        return _abs(dt.date(year, max(13 - n, 1), 1), last, "range")
    days = n * (7 if unit == "week" else 1)
    if m["which"].lower() == "first":
        return _abs(first, min(first + dt.timedelta(days=days - 1), last), "range")
    return _abs(max(last - dt.timedelta(days=days - 1), first), last, "range")


@_rule(rf"(?:(?P<wd>{_WD}),?\s+)?(?P<mon>{_MON})\s+(?P<day>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?", needs=_HAS_MONTH)
def _month_day(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    month, day = _month(m["mon"]), _day(m["day"])
    if m["year"]:
        date = dt.date(int(m["year"]), month, day)
        return _abs(date, date, "day")
    if published is None:
        return _unresolved()
    year = published.year
    if (month, day) > (published.month, published.day):
        year -= 1
    date = dt.date(year, month, day)
    return _rel(date, date, "day")


@_rule(rf"(?P<day>{_DAY})\s+(?P<mon>{_MON})(?:,?\s+(?P<year>{_YEAR}))?", needs=_HAS_MONTH)
def _day_month(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    return _month_day(m, published)


@_rule(r"(?P<y>(?:19|20)[0-9]{2})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12][0-9]|3[01])", needs=_HAS_YEAR)
def _iso(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    date = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    return _abs(date, date, "day")


@_rule(rf"(?:(?P<part>{_PART})[\s-]*)?(?P<mon>{_MON})(?:\s+of)?,?\s+(?P<year>{_YEAR})", re.IGNORECASE, needs=_HAS_MONTH)
def _month_year(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    if not m["mon"][0].isupper():
        return None, False, "lower-case month name"
    first, last = _month_range(int(m["year"]), _month(m["mon"]))
    if m["part"]:
        return _abs(*_part_of(first, last, m["part"]), "days")
    return _abs(first, last, "month")


@_rule(rf"(?:(?P<prep>in|during|since|by|of|until|early|late|mid|the\s+end\s+of)[\s-]+)?"
       rf"(?:(?P<part>{_PART})[\s-]*)?(?P<year>{_YEAR})(?!\s*(?:%|percent))", re.IGNORECASE, needs=_HAS_YEAR)
def _year(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    year = int(m["year"])
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    part = m["part"] or (m["prep"] if m["prep"] and m["prep"].lower() in ("early", "late", "mid") else None)
    if part:
        if part.lower() in ("mid", "the middle of"):
            return _abs(dt.date(year, 5, 1), dt.date(year, 8, 31), "season")
        return _abs(*_part_of(first, last, part), "season")
    return _abs(first, last, "year")


@_rule(rf"(?:(?P<part>{_PART})[\s-]*)?(?:the\s+)?(?P<season>{_SEASON})(?:\s+of)?\s+(?P<year>{_YEAR})",
       re.IGNORECASE, needs=_HAS_YEAR)
def _season_year(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    first, last = _season(m["season"], int(m["year"]))
    if m["part"]:
        first, last = _part_of(first, last, m["part"])
    return _abs(first, last, "season")


@_rule(rf"(?P<which>last|this\s+past|this|next)\s+(?P<season>{_SEASON})", re.IGNORECASE, needs=_HAS_SEASON)
def _rel_season(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    if published is None:
        return _unresolved()
    which = m["which"].lower().split()[0]
    for year in (published.year, published.year - 1, published.year - 2):
        first, last = _season(m["season"], year)
        if which == "this" and first <= published:
            return _rel(first, min(last, published), "season")
        if which in ("last", "this") and last < published:
            return _rel(first, last, "season")
    return None, True, "season not resolvable"


@_rule(rf"(?:(?P<which>last|this\s+past|this|on|early|late)\s+)?(?P<wd>{_WD})"
       r"(?:\s+(?P<tod>morning|afternoon|evening|night))?", re.IGNORECASE, needs=_HAS_WEEKDAY)
def _weekday(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    if not m["wd"][0].isupper():
        return None, True, "lower-case weekday"
    if published is None:
        return _unresolved()
    back = (published.weekday() - _WEEKDAYS[m["wd"].lower()]) % 7
    if m["which"] and m["which"].lower() in ("last", "this past") and back == 0:
        back = 7
    date = published - dt.timedelta(days=back)
    return _rel(date, date, "day")


@_rule(r"(?P<which>last|this\s+past|past|this|earlier\s+this|previous)\s+(?P<unit>week|weekend|month|year)",
       re.IGNORECASE, needs=re.compile(r"week|month|year", re.IGNORECASE))
def _rel_period(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    if published is None:
        return _unresolved()
    this = m["which"].lower().split()[-1] == "this"
    unit = m["unit"].lower()
    if unit in ("week", "weekend"):
        monday = published - dt.timedelta(days=published.weekday())
        if not this:
            monday -= dt.timedelta(days=7)
        if unit == "weekend":
            return _rel(monday + dt.timedelta(days=5), monday + dt.timedelta(days=6), "days")
        return _rel(monday, min(monday + dt.timedelta(days=6), published), "week")
    if unit == "month":
        if this:
            return _rel(published.replace(day=1), published, "month")
        year, month = (published.year, published.month - 1) if published.month > 1 else (published.year - 1, 12)
        return _rel(*_month_range(year, month), "month")
    if this:
        return _rel(dt.date(published.year, 1, 1), published, "year")
    return _rel(dt.date(published.year - 1, 1, 1), dt.date(published.year - 1, 12, 31), "year")


@_rule(r"(?P<which>over|during|on|at|this\s+past|last|this|the\s+past)\s+(?:the\s+)?weekend", re.IGNORECASE, needs=re.compile(r"weekend", re.IGNORECASE))
def _weekend(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    if published is None:
        return _unresolved()
    back = (published.weekday() - 5) % 7  # days since the last Saturday (0 on a Saturday)
    if m["which"].lower() == "last" and back < 2:
        back += 7
    saturday = published - dt.timedelta(days=back)
    return _rel(saturday, min(saturday + dt.timedelta(days=1), published), "days")


@_rule(rf"(?P<n>{_NUM})\s+(?P<unit>days?|weeks?)\s+(?P<dir>after|before|earlier|later)", re.IGNORECASE, needs=re.compile(r"after|before|earlier|later", re.IGNORECASE))
def _offset(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    """"two days after": resolved by the caller against another date of the sentence."""
    return None, True, "offset"


@_rule(r"(?:(?:less|fewer)\s+than|under|within)\s+(?:a|an|one|two|three|four|five|six)\s+(?:days?|weeks?)\s+(?:after|before)"
       r"|(?:(?:a\s+few|several|some|a\s+couple\s+of)\s+)?(?:days|weeks)\s+(?:after|before|earlier|later)",
       re.IGNORECASE, needs=re.compile(r"after|before|earlier|later", re.IGNORECASE))
def _vague_offset(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    """"days after", "less than a week after": a window before or after another date."""
    return None, True, "offset"


@_rule(r"(?P<which>yesterday|today|tonight|last\s+night|this\s+morning|this\s+afternoon|this\s+evening)",
       re.IGNORECASE, needs=re.compile(r"yesterday|today|tonight|night|morning|afternoon|evening", re.IGNORECASE))
def _deictic(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    if published is None:
        return _unresolved()
    which = m["which"].lower()
    date = published - dt.timedelta(days=1 if which in ("yesterday", "last night") else 0)
    return _rel(date, date, "day")


@_rule(rf"(?P<n>{_NUM})\s+(?P<unit>days?|weeks?|months?|years?)\s+ago", re.IGNORECASE, needs=re.compile(r"\bago\b", re.IGNORECASE))
def _ago(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    if published is None:
        return _unresolved()
    n, unit = _num(m["n"]), m["unit"].lower().rstrip("s")
    if unit == "day":
        date = published - dt.timedelta(days=n)
        return _rel(date, date, "day")
    if unit == "week":
        date = published - dt.timedelta(days=7 * n)
        return _rel(date - dt.timedelta(days=3), min(date + dt.timedelta(days=3), published), "week")
    if unit == "month":
        total = published.year * 12 + published.month - 1 - n
        return _rel(*_month_range(total // 12, total % 12 + 1), "month")
    return _rel(dt.date(published.year - n, 1, 1), dt.date(published.year - n, 12, 31), "year")


@_rule(rf"(?:(?P<prep>in|during|since|by|until|of|last|this|earlier\s+in|early|late|mid)[\s-]+)?"
       rf"(?:(?P<part>{_PART})[\s-]*)?(?P<mon>{_MON})(?!\s*\d)", re.IGNORECASE, needs=_HAS_MONTH)
def _bare_month(m: re.Match[str], published: dt.date | None) -> tuple[DateRange | None, bool, str]:
    mon = m["mon"]
    if not mon[0].isupper():
        return None, True, "lower-case month name"
    if mon.rstrip(".") in ("May", "March") and not (m["prep"] or m["part"]):
        return None, True, f"bare {mon!r} is ambiguous (also a verb)"
    if published is None:
        return _unresolved()
    month = _month(mon)
    year = _latest_month(month, published)
    if m["prep"] and m["prep"].lower() == "last" and month == published.month:
        year -= 1
    first, last = _month_range(year, month)
    if year == published.year and month == published.month:
        last = published
    part = m["part"] or (m["prep"] if m["prep"] and m["prep"].lower() in ("early", "late", "mid") else None)
    if part:
        first, last = _part_of(first, last, part)
        return _rel(first, last, "days")
    return _rel(first, last, "month")


# --- search -------------------------------------------------------------------------------


_DATEISH = re.compile(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|"
                      r"yesterday|today|tonight|days?\s|week|month|year|spring|summer|fall|autumn|winter|last|this|ago)",
                      re.IGNORECASE)


def find_dates(text: str, *, published: dt.date | None = None, offset: int = 0) -> list[DateMention]:
    """Every date expression in ``text``, longest first where they overlap, in text order.

    ``offset`` is added to the spans (for a sentence cut out of a longer document).
    """
    if not isinstance(text, str) or not text or not _DATEISH.search(text):
        return []
    found: list[DateMention] = []
    for pattern, handler, needs in _RULES:
        if not needs.search(text):
            continue
        for m in pattern.finditer(text):
            try:
                rng, relative, reason = handler(m, published)
            except (ValueError, KeyError, OverflowError) as exc:  # e.g. "February 30"
                rng, relative, reason = None, False, f"not a valid date: {exc}"
            if (rng is None and reason in ("lower-case month name", "lower-case weekday")) or (
                    rng is None and reason.startswith("bare ")):
                continue
            found.append(DateMention(m.start() + offset, m.end() + offset, m.group(0), rng, relative, reason))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[DateMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def resolve(expression: str, *, published: dt.date | None = None) -> DateRange | None:
    """The range of one expression ("last summer", "Jan. 9"), or None when it cannot be resolved."""
    mentions = find_dates(expression, published=published)
    return mentions[0].range if mentions else None
