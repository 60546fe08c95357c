"""Date expressions ("Tuesday", "last week", "in June", "early next year",
"in 2014", "Dec. 7") resolved against an article's publication date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3, "few": 3}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_FIRST = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:,?\s+(?P<year>\d{4}))?\b"
)
_MONTH_FIRST = re.compile(
    r"\b" + _MONTH + r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?)?(?:,?\s+(?P<year>\d{4}))?\b"
)
_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d{2})\b")
_AGO = re.compile(
    r"\b(?P<n>\d+|" + "|".join(NUMBER_WORDS) + r")\s+(?P<unit>day|week|month|year)s?\s+ago\b"
)
_RELATIVE = re.compile(
    r"\b(?P<which>last|past|this|next|coming|previous)\s+(?P<unit>week|month|year)\b"
)
_WEEKDAY = re.compile(
    r"\b(?:(?P<which>last|this|next|on)\s+)?(?P<weekday>" + "|".join(WEEKDAYS) + r")\b"
)


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A resolved date: ``value`` is YYYY-MM-DD, YYYY-MM or YYYY by precision."""

    value: str
    precision: str  # day | week | month | year
    start: date
    text: str


def _day(d: date, text: str) -> ResolvedDate:
    return ResolvedDate(d.isoformat(), "day", d, text)


def _week(d: date, text: str) -> ResolvedDate:
    monday = d - timedelta(days=d.weekday())
    return ResolvedDate(monday.isoformat(), "week", monday, text)


def _month(year: int, month: int, text: str) -> ResolvedDate:
    return ResolvedDate(f"{year:04d}-{month:02d}", "month", date(year, month, 1), text)


def _year(year: int, text: str) -> ResolvedDate:
    return ResolvedDate(f"{year:04d}", "year", date(year, 1, 1), text)


def _shift_month(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def resolve_date(text: str, published: date, future: bool = False) -> ResolvedDate | None:
    """Resolve a date expression; ``future`` says the event lies ahead of publication
    (so a bare "Tuesday" or "June" is the next one, not the last). None when it
    names no date, or none a calendar has ("5000 years ago")."""
    try:
        return _resolve(text, published, future)
    except (ValueError, OverflowError):
        return None


def _resolve(text: str, published: date, future: bool) -> ResolvedDate | None:
    low = text.lower().strip()
    if not low:
        return None
    if re.search(r"\b(today|tonight|this (morning|afternoon|evening))\b", low):
        return _day(published, text)
    if re.search(r"\b(yesterday|last night)\b", low):
        return _day(published - timedelta(days=1), text)
    if re.search(r"\btomorrow\b", low):
        return _day(published + timedelta(days=1), text)
    if m := _AGO.search(low):
        n = int(m["n"]) if m["n"].isdigit() else NUMBER_WORDS[m["n"]]
        unit = m["unit"]
        if unit == "day":
            return _day(published - timedelta(days=n), text)
        if unit == "week":
            return _week(published - timedelta(weeks=n), text)
        if unit == "month":
            return _month(*_shift_month(published, -n), text)
        return _year(published.year - n, text)
    if m := _RELATIVE.search(low):
        # "the past year" is the twelve months up to now: this year, not last
        step = {"last": -1, "past": 0, "previous": -1, "this": 0, "next": 1, "coming": 1}
        delta = step[m["which"]]
        if m["unit"] == "week":
            return _week(published + timedelta(weeks=delta), text)
        if m["unit"] == "month":
            return _month(*_shift_month(published, delta), text)
        return _year(published.year + delta, text)
    for pattern in (_DAY_FIRST, _MONTH_FIRST):
        if m := pattern.search(low):
            return _month_date(m, published, future, text)
    if m := _YEAR.search(low):
        return _year(int(m["year"]), text)
    if m := _WEEKDAY.search(low):
        return _day(_weekday(published, WEEKDAYS[m["weekday"]], m["which"], future), text)
    return None


def _month_date(m: re.Match, published: date, future: bool, text: str) -> ResolvedDate | None:
    month = MONTHS[m["month"]]
    if m["year"]:
        year = int(m["year"])
    elif future:
        year = published.year + (month < published.month)
    else:
        year = published.year - (month > published.month)
    if m["day"]:
        try:
            return _day(date(year, month, int(m["day"])), text)
        except ValueError:
            return None
    return _month(year, month, text)


def _weekday(published: date, weekday: int, which: str | None, future: bool) -> date:
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if which == "last":
        return published - timedelta(days=back or 7)
    if which == "next" or future:
        return published + timedelta(days=ahead or (7 if which == "next" else 0))
    return published - timedelta(days=back)
