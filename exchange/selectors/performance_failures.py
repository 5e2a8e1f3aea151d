"""Section 72 contract performance notices (Procurement Act 2023): for breaches that resulted in
termination, partial termination, damages or a settlement, and for failures to improve, on
contracts under the Act (the rules: performance/models/remedies.py, `needing_performance_notices`).
Each is due 30 days after its outcome was decided, until recorded as published.

`performance_failures(contract)` gives what a UK9 contract performance notice's
`contracts/implementation/performanceFailures` array holds (the performance failures extension with
the UK extension's fields: requirement, description, decisionDate, penaltyDate, penaltyType,
penaltyValue, partialTermination, suppliers), for the notice builder."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from contracts.models import Contract, ContractQuerySet
from exchange.selectors.ocds_export import _money, ocds_datetime
from performance.models import Breach, BreachOutcome, ImprovementNotice
from suppliers.models import Supplier

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


def supplier_party_id(supplier: Supplier) -> str:
    """The supplier's party id, as the register's OCDS releases write it."""
    return f"GB-COH-{supplier.companies_house_number}" if supplier.companies_house_number else f"supplier-{supplier.pk}"


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

    def performance_failure(self, *, party_id: Callable[[Supplier], str] = supplier_party_id) -> dict:
        """The notice's entry in `contracts/implementation/performanceFailures` (OCDS, UK extension)."""
        supplier = self.contract.supplier
        failure: dict = {"suppliers": [{"id": party_id(supplier), "name": supplier.name}]}
        remedy = self.remedy
        if isinstance(remedy, Breach):
            failure |= {
                "id": f"breach-{remedy.pk}",
                "requirement": remedy.requirement,
                "description": remedy.description,
                "penaltyType": PENALTY_TYPE[BreachOutcome(remedy.outcome)],
            }
            if remedy.outcome in WITH_PENALTY_DATE:
                failure["penaltyDate"] = ocds_datetime(self.event_on)
            if remedy.value is not None:
                failure["penaltyValue"] = _money(remedy.value)
            if remedy.outcome == BreachOutcome.PARTIAL_TERMINATION:
                failure["partialTermination"] = remedy.outcome_notes or remedy.description
        else:
            failure |= {
                "id": f"failure-to-improve-{remedy.pk}",
                "requirement": remedy.required_action,
                "description": remedy.failure,
                "decisionDate": ocds_datetime(self.event_on),
            }
        return {"id": failure.pop("id"), **failure}

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


def performance_failures(
    contract: Contract,
    *,
    published: bool | None = None,
    party_id: Callable[[Supplier], str] = supplier_party_id,
) -> list[dict]:
    """The contract's `performanceFailures` (OCDS): every breach and failure to improve section 72 asks
    a notice for (only those recorded as published, or not yet, when `published` says so)."""
    notices = section72_notices(Contract.objects.filter(pk=contract.pk), due_only=False)
    if published is not None:
        notices = [n for n in notices if (n.remedy.notice_published_on is not None) is published]
    return [n.performance_failure(party_id=party_id) for n in notices]
