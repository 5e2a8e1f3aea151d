"""Whether a contract change needs a contract change notice (Procurement Act 2023, section 75).

Not needed when the change, taken together with earlier changes that could reasonably
have been made together with it, raises or lowers the value by no more than 10% (goods
and services) or 15% (works), and extends or shortens the term by no more than 10% of the
maximum term provided for on award: the initial term with every extension option (section
74(3)(b)). Pure arithmetic, no database."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

VALUE_LIMIT = {"goods": Decimal("0.10"), "services": Decimal("0.10"), "works": Decimal("0.15")}
TERM_LIMIT = Decimal("0.10")


@dataclass(frozen=True)
class Change:
    value_change: Decimal
    term_change_days: int


@dataclass(frozen=True)
class Assessment:
    required: bool
    value_change_share: Decimal
    term_change_share: Decimal
    reason: str


def assess(
    *, nature: str, original_value: Decimal, start: date, maximum_end: date, changes: list[Change]
) -> Assessment:
    """`changes`: this change and the earlier ones made together with it; `maximum_end`: the last day
    of the maximum term provided for on award (the initial term and every extension option)."""
    value_change = sum((c.value_change for c in changes), Decimal("0"))
    term_days = sum(c.term_change_days for c in changes)
    maximum_term_days = (maximum_end - start).days + 1
    value_share = abs(value_change) / original_value if original_value else Decimal("0")
    term_share = Decimal(abs(term_days)) / Decimal(maximum_term_days)
    value_limit = VALUE_LIMIT[nature]
    reasons = []
    if value_share > value_limit:
        direction = "raises" if value_change > 0 else "lowers"
        reasons.append(f"it {direction} the value by {value_share:.1%}, more than {value_limit:.0%}")
    if term_share > TERM_LIMIT:
        direction = "extends" if term_days > 0 else "shortens"
        reasons.append(f"it {direction} the term by {term_share:.1%} of the maximum term, more than {TERM_LIMIT:.0%}")
    if reasons:
        reason = "A contract change notice is required: " + " and ".join(reasons) + "."
    else:
        reason = (
            f"No contract change notice is required: value {value_share:.1%} (limit {value_limit:.0%}), "
            f"term {term_share:.1%} (limit {TERM_LIMIT:.0%})."
        )
    return Assessment(bool(reasons), value_share, term_share, reason)
