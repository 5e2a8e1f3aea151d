"""Walking a KPI's periods from a horizon gives the same periods as walking from its start."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from performance.periods import Frequency, periods_between

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2032, 12, 31))


@given(start=days, frequency=st.sampled_from(list(Frequency)), since=days, length=st.integers(0, 3000))
def test_periods_since_a_day_are_those_of_the_full_walk_ending_on_or_after_it(start, frequency, since, length):
    until = since + timedelta(days=length)
    walked = periods_between(start=start, frequency=frequency, until=until)
    assert periods_between(start=start, frequency=frequency, until=until, since=since) == [
        period for period in walked if period.end >= since
    ]


def test_a_list_of_periods_is_the_callers_own_to_change():
    """The walks are remembered (the same KPIs on every page): changing one answer changes no later one."""
    first = periods_between(start=date(2026, 1, 1), frequency=Frequency.MONTHLY, until=date(2026, 6, 30))
    first.clear()
    again = periods_between(start=date(2026, 1, 1), frequency=Frequency.MONTHLY, until=date(2026, 6, 30))
    assert [period.start for period in again] == [date(2026, month, 1) for month in range(1, 7)]
