from datetime import date

import pytest

from redline.errors import InputError
from redline.extract.dates import resolve_date
from redline.ingest.published import parse_published

MONDAY = date(2021, 12, 6)


@pytest.mark.parametrize(
    ("text", "future", "value", "precision"),
    [
        ("Tuesday", True, "2021-12-07", "day"),
        ("on Friday", False, "2021-12-03", "day"),
        ("Monday", False, "2021-12-06", "day"),
        ("last Monday", False, "2021-11-29", "day"),
        ("yesterday", False, "2021-12-05", "day"),
        ("tomorrow", True, "2021-12-07", "day"),
        ("last week", False, "2021-11-29", "week"),
        ("next week", True, "2021-12-13", "week"),
        ("in June", False, "2021-06", "month"),
        ("in June", True, "2022-06", "month"),
        ("in November", False, "2021-11", "month"),
        ("last month", False, "2021-11", "month"),
        ("early next year", True, "2022", "year"),
        ("in 2014", False, "2014", "year"),
        ("Dec. 7", False, "2021-12-07", "day"),
        ("7 December 2021", False, "2021-12-07", "day"),
        ("February 24, 2022", False, "2022-02-24", "day"),
        ("two weeks ago", False, "2021-11-22", "week"),
        ("three days ago", False, "2021-12-03", "day"),
    ],
)
def test_dates_resolve_against_publication(text, future, value, precision):
    resolved = resolve_date(text, MONDAY, future)
    assert resolved is not None
    assert (resolved.value, resolved.precision) == (value, precision)


@pytest.mark.parametrize("text", ["recent months", "the past", ""])
def test_dates_unresolvable_give_none(text):
    assert resolve_date(text, MONDAY) is None


def test_dates_published_accepts_iso_dates_and_datetimes():
    assert parse_published("2021-12-06", "x") == MONDAY
    assert parse_published("2021-10-24T11:00:00Z", "x") == date(2021, 10, 24)
    assert parse_published(None, "x") is None


def test_dates_published_rejects_unknown_strings_naming_the_input():
    with pytest.raises(InputError) as info:
        parse_published("sometime soon", "feed.jsonl", 7)
    assert "feed.jsonl:7" in str(info.value)
    assert "sometime soon" in str(info.value)


@pytest.mark.parametrize("text", ["5000 years ago", "3000000 days ago", "June 0000"])
def test_dates_beyond_the_calendar_give_none(text):
    assert resolve_date(text, MONDAY) is None


def test_dates_published_takes_the_day_of_a_datetime():
    from datetime import datetime

    assert parse_published(datetime(2021, 12, 6, 10, 30), "x") == MONDAY
