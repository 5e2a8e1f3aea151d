"""Every template's `|date` (core.templatetags.dates, a builtin) writes what Django's own filter writes."""

import datetime

import pytest
from django.template import Context, Template, defaultfilters
from django.utils import timezone, translation

FORMATS = ["j M Y", "l j F Y", "M Y", "d/m/Y", None]
DAYS = [datetime.date(2026, 1, 1), datetime.date(2026, 3, 29), datetime.date(2024, 2, 29), datetime.date(2027, 12, 31)]


def _rendered(value, arg) -> str:
    source = "{{ value|date }}" if arg is None else "{{ value|date:'" + arg + "' }}"
    return Template(source).render(Context({"value": value}))


@pytest.mark.parametrize("arg", FORMATS)
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_a_day_reads_as_djangos_filter_writes_it_each_time(day, arg):
    expected = defaultfilters.date(day, arg)
    assert _rendered(day, arg) == _rendered(day, arg) == expected
    assert str(day.year) in expected


def test_a_moment_is_written_in_local_time_each_time():
    # 23:30 UTC on 30 June 2026 is 00:30 on 1 July in London (summer time), 23:30 on 30 June in winter.
    summer = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    winter = datetime.datetime(2026, 12, 30, 23, 30, tzinfo=datetime.UTC)
    with timezone.override("Europe/London"):
        assert [_rendered(moment, "j M Y H:i") for moment in (summer, winter, summer)] == [
            "1 Jul 2026 00:30",
            "30 Dec 2026 23:30",
            "1 Jul 2026 00:30",
        ]


def test_a_day_is_written_in_the_language_of_the_page():
    day = datetime.date(2026, 5, 1)
    with translation.override("en-gb"):
        english = _rendered(day, "j F Y")
    with translation.override("de"):
        german = _rendered(day, "j F Y")
    assert english == "1 May 2026" and german == "1 Mai 2026"


def test_nothing_is_written_for_no_date():
    assert _rendered(None, "j M Y") == _rendered("", "j M Y") == ""
