"""Section 72 contract performance notices (Procurement Act 2023): for breaches that resulted in
termination, partial termination, damages or a settlement, and for failures to improve, on
contracts under the Act (the rules: performance/models/remedies.py, `needing_performance_notices`).
Each is due 30 days after its outcome was decided, until recorded as published.

The UK9 notice builder (`notice_releases.performance_failures`) discloses each of them, in the
period its outcome was decided, as a `performanceFailures` entry: PENALTY_TYPE and WITH_PENALTY_DATE
say how a breach's outcome reads there."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from contracts.models import Contract, ContractQuerySet
from performance.models import Breach, BreachOutcome, ImprovementNotice

Remedy = ImprovementNotice | Breach

# The UK penaltyType codelist: how the penalty was decided.
PENALTY_TYPE = {
    BreachOutcome.TERMINATION: "contracted",
    BreachOutcome.PARTIAL_TERMINATION: "contracted",
    BreachOutcome.DAMAGES: "imposed",  # by a court or tribunal
    BreachOutcome.SETTLEMENT: "negotiated",
}
# penaltyDate is the date of any partial termination, award of damages or settlement (the UK extension).
WITH_PENALTY_DATE = (BreachOutcome.PARTIAL_TERMINATION, BreachOutcome.DAMAGES, BreachOutcome.SETTLEMENT)


@dataclass(frozen=True)
class Section72Notice:
    """One contract performance notice section 72 asks for."""

    remedy: Remedy

    @property
    def contract(self) -> Contract:
        return self.remedy.contract

    @property
    def kind(self) -> str:
        return "breach" if isinstance(self.remedy, Breach) else "failure_to_improve"

    @property
    def kind_label(self) -> str:
        if isinstance(self.remedy, Breach):
            return f"Breach: {self.remedy.get_outcome_display().lower()}"
        return "Failure to improve"

    @property
    def event_on(self) -> date:
        assert self.remedy.outcome_on is not None  # needing_performance_notices: an outcome is decided
        return self.remedy.outcome_on

    @property
    def due_by(self) -> date:
        due = self.remedy.notice_due_by
        assert due is not None
        return due

    def is_overdue(self, today: date) -> bool:
        return self.remedy.notice_overdue(today)

    def as_dict(self) -> dict:
        """The register's own row, for the list's CSV and JSON."""
        contract, remedy = self.contract, self.remedy
        share = remedy.share_of_contract_value if isinstance(remedy, Breach) else None
        return {
            "notice_type": "Contract performance notice (section 72)",
            "kind": self.kind,
            "kind_label": self.kind_label,
            "contract_reference": contract.reference,
            "contract_title": contract.title,
            "procurement_identifier": contract.finance_reference or contract.reference,
            "supplier_name": contract.supplier.name,
            "event_on": self.event_on.isoformat(),
            "due_by": self.due_by.isoformat(),
            "published_on": remedy.notice_published_on.isoformat() if remedy.notice_published_on else None,
            "value": str(remedy.value) if isinstance(remedy, Breach) and remedy.value is not None else "",
            "share_of_contract_value": f"{share:.4f}" if share is not None else "",
        }


def _notices(remedies: Iterable[Remedy]) -> list[Section72Notice]:
    notices = [Section72Notice(r) for r in remedies]
    notices.sort(key=lambda n: (n.due_by, n.contract.reference, n.kind, n.remedy.pk))
    return notices


def section72_notices(contracts: ContractQuerySet, *, due_only: bool = True) -> list[Section72Notice]:
    """The section 72 notices of `contracts` (only those not yet recorded as published, by default),
    soonest due first, in two queries."""
    found: list[Remedy] = []
    for model in (ImprovementNotice, Breach):
        remedies = model.objects.needing_performance_notices().filter(contract__in=contracts)
        if due_only:
            remedies = remedies.notice_unpublished()
        found.extend(remedies.select_related("contract__supplier"))
    return _notices(found)
