"""Reads of the market dataset for the register's pages: a contract's comparable awards with their
quartiles (the contract page), and which contracts cost more a year than three quarters of their
comparable awards (the Kraljic review round). Each is a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, TypeVar

from market.models import MarketAward, similar_durations

# Fewer comparable awards than this and quartiles say little: the panel says so instead.
MIN_COMPARABLE = 4
SHOWN = 10


def quartiles(values: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """Lower quartile, median and upper quartile, by linear interpolation between the sorted values
    (PostgreSQL's percentile_cont, Excel's QUARTILE.INC): the value at position p * (n - 1)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")

    def at(p: Decimal) -> Decimal:
        position = p * (len(ordered) - 1)
        below = int(position)
        above = min(below + 1, len(ordered) - 1)
        return ordered[below] + (ordered[above] - ordered[below]) * (position - below)

    return at(Decimal("0.25")), at(Decimal("0.5")), at(Decimal("0.75"))


class Comparable(Protocol):
    """What a comparison needs of a contract (contracts.Contract has it)."""

    @property
    def cpv_group(self) -> str: ...

    @property
    def annual_value(self) -> Decimal: ...

    @property
    def duration_days(self) -> int: ...


@dataclass
class Comparison:
    cpv_group: str
    duration_days: int
    count: int = 0
    lower: Decimal | None = None
    median: Decimal | None = None
    upper: Decimal | None = None
    awards: list[MarketAward] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return self.count >= MIN_COMPARABLE

    def position(self, annual_value: Decimal) -> str:
        """Where an annual value sits: "above" the upper quartile, "below" the lower, else "within"."""
        if not self.enough or self.upper is None or self.lower is None:
            return ""
        if annual_value > self.upper:
            return "above"
        return "below" if annual_value < self.lower else "within"


def _comparison(cpv_group: str, duration_days: int, values: list[Decimal]) -> Comparison:
    comparison = Comparison(cpv_group=cpv_group, duration_days=duration_days, count=len(values))
    if comparison.enough:
        penny = Decimal("0.01")
        comparison.lower, comparison.median, comparison.upper = (q.quantize(penny) for q in quartiles(values))
    return comparison


def comparison(contract: Comparable) -> Comparison | None:
    """The contract's comparable awards (same CPV group, similar duration) and their quartiles; the
    awards shown are those closest in annual value. None when the contract has no CPV code. Two queries."""
    if not contract.cpv_group:
        return None
    awards = MarketAward.objects.comparable(cpv_group=contract.cpv_group, duration_days=contract.duration_days)
    values = list(awards.values_list("annual_value", flat=True))
    result = _comparison(contract.cpv_group, contract.duration_days, values)
    if values:
        shown = sorted(awards.only(*SHOWN_FIELDS), key=lambda a: abs(a.annual_value - contract.annual_value))
        result.awards = sorted(shown[:SHOWN], key=lambda a: a.annual_value)
    return result


SHOWN_FIELDS = ("title", "buyer", "suppliers", "cpv_code", "value", "start_date", "end_date", "annual_value", "url")


_C = TypeVar("_C", bound=Comparable)


def above_upper_quartile(contracts: list[_C]) -> list[tuple[_C, Comparison]]:
    """The contracts whose annual value is above the upper quartile of their comparable awards, each with
    its comparison, dearest first by how far above. One query, however many contracts."""
    with_group = [c for c in contracts if c.cpv_group]
    if not with_group:
        return []
    rows = MarketAward.objects.filter(cpv_group__in={c.cpv_group for c in with_group}).values_list(
        "cpv_group", "duration_days", "annual_value"
    )
    by_group: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    for group, days, value in rows:
        by_group[group].append((days, value))
    found = []
    for contract in with_group:
        low, high = similar_durations(contract.duration_days)
        values = [v for days, v in by_group[contract.cpv_group] if low <= days <= high]
        result = _comparison(contract.cpv_group, contract.duration_days, values)
        if result.position(contract.annual_value) == "above":
            found.append((contract, result))
    found.sort(key=lambda pair: pair[0].annual_value / (pair[1].upper or 1), reverse=True)
    return found


@dataclass
class GroupSummary:
    cpv_group: str
    count: int
    lower: Decimal | None
    median: Decimal | None
    upper: Decimal | None


def group_summaries() -> list[GroupSummary]:
    """Each CPV group of the dataset with its awards' annual-value quartiles (every duration). One query."""
    by_group: dict[str, list[Decimal]] = defaultdict(list)
    for group, value in MarketAward.objects.order_by().values_list("cpv_group", "annual_value"):
        by_group[group].append(value)
    summaries = []
    for group, values in sorted(by_group.items()):
        result = _comparison(group, 0, values)
        summaries.append(GroupSummary(group, len(values), result.lower, result.median, result.upper))
    return summaries
