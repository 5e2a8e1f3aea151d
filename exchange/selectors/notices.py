"""The data of the Procurement Act 2023 notices the force publishes about its contracts.

- Contract performance notices (KPI assessment notices, section 71, regulation 39): for each contract
  that section 71 reaches (Contract.objects.needing_kpi_assessment_notices: under the Act, worth more
  than £5m, not a framework, concession or light-touch, KPIs not recorded as inappropriate), one for
  each 12-month period from the contract's start date (period 1 runs from the start date to the
  day before its first anniversary, and so on; the last period stops at the contract's end date)
  and one for the part-period up to the day a contract is terminated. A notice is due once its
  period has ended, by NOTICE_DUE_DAYS days after it, and overdue after that, until a
  PerformanceNotice records it as published. Periods that ended before section 71 came into force
  for the contract (Contract.kpi_notices_from: 1 January 2026 in England, 1 April 2026 in Wales) have
  no notice.
- Contract change notices (from variations that need one, section 75) and contract termination notices
  (from ended contracts, section 80) not yet published, of contracts under the Act: their rows and data.

Each KPI's rating for a period follows one rule (`period_rating`): the WORST effective rating
(override, else the calculated rating) among the KPI's results whose reporting period ends within
the notice period; results rated Other count only when there is nothing else; "Other" when there
is no result. The worst, not the latest, because a notice must not hide a poor period behind a
good last month.

Every reader works in a fixed number of queries, whatever the number of contracts."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from contracts.models import Contract, ContractEnding, ContractQuerySet, Variation
from core.dates import add_months
from performance.models import Kpi, KpiResult, PerformanceNotice
from performance.ratings import Rating
from suppliers.models import SupplierContact

# A performance notice is published within this many days after its period ends (the force's
# own deadline: the Act asks for a notice at least every 12 months and on termination).
NOTICE_DUE_DAYS = 30
# Procurement identifier on a notice: the finance system (Agresso) reference, else the register reference.
PROCUREMENT_IDENTIFIER_RULE = "the finance system (Agresso) reference, or the register reference when there is none"

# Worst first: the period rating is the first of these found among the period's results.
RATING_ORDER = [Rating.INADEQUATE, Rating.REQUIRES_IMPROVEMENT, Rating.APPROACHING, Rating.GOOD, Rating.OTHER]
RATING_RULE = (
    "the worst rating of the KPI's results whose reporting period ends within the notice period "
    "(Other only when there is no other result, and when there is no result at all)"
)


def period_rating(ratings: Iterable[str]) -> str:
    """The worst of the ratings (see RATING_ORDER); Other when there are none."""
    found = set(ratings)
    return next((rating for rating in RATING_ORDER if rating in found), Rating.OTHER)


@dataclass(frozen=True)
class KpiAssessment:
    kpi: Kpi
    rating: str
    results: int

    @property
    def rating_label(self) -> str:
        return Rating(self.rating).label


@dataclass
class PerformanceNoticeData:
    """One contract performance notice: what regulation 39 asks for, and whether it is due."""

    contract: Contract
    kind: str
    period_start: date
    period_end: date
    number: int  # 1 for the first 12 months
    contact_email: str
    assessments: list[KpiAssessment] = field(default_factory=list)
    published: PerformanceNotice | None = None

    @property
    def due_by(self) -> date:
        return self.period_end + timedelta(days=NOTICE_DUE_DAYS)

    def is_overdue(self, today: date) -> bool:
        return self.published is None and self.due_by < today

    @property
    def kind_label(self) -> str:
        return PerformanceNotice.Kind(self.kind).label

    @property
    def procurement_identifier(self) -> str:
        return self.contract.finance_reference or self.contract.reference

    @property
    def key(self) -> str:
        return f"{self.contract.pk}-{self.period_start:%Y-%m-%d}-{self.kind}"

    def as_dict(self) -> dict:
        contract, supplier = self.contract, self.contract.supplier
        return {
            "notice_type": "Contract performance notice",
            "kind": self.kind,
            "kind_label": self.kind_label,
            "period_number": self.number,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "due_by": self.due_by.isoformat(),
            "published_on": self.published.published_on.isoformat() if self.published else None,
            "contract_reference": contract.reference,
            "contract_title": contract.title,
            "procurement_identifier": self.procurement_identifier,
            "contract_value": str(contract.total_value),
            "buyer": settings.OCDS_BUYER_NAME,
            "supplier_name": supplier.name,
            "supplier_address": supplier.address,
            "supplier_email": self.contact_email,
            "supplier_identifier": supplier.companies_house_number,
            "supplier_identifier_scheme": "GB-COH" if supplier.companies_house_number else "",
            "kpis": [
                {
                    "name": a.kpi.name,
                    "description": a.kpi.description,
                    "rating": a.rating,
                    "rating_label": a.rating_label,
                }
                for a in self.assessments
            ],
        }


def notice_periods(
    contract: Contract, *, ending: ContractEnding | None, today: date
) -> list[tuple[str, int, date, date]]:
    """(kind, number, start, end) of each notice period that has ended before `today` (and not
    before section 71 came into force for the contract: none when it never reaches the contract).

    12-month periods from the start date, the last one cut at the contract's end date; when the
    contract was terminated, the periods stop at the day it ended and the last is a termination notice."""
    terminated = ending is not None and ending.kind == ContractEnding.Kind.TERMINATED
    last_day = ending.ended_on if ending is not None else contract.end_date
    in_force = contract.kpi_notices_from
    if in_force is None:
        return []
    periods: list[tuple[str, int, date, date]] = []
    number = 1
    while True:
        start = add_months(contract.start_date, 12 * (number - 1))
        if start > last_day:
            break
        end = min(add_months(contract.start_date, 12 * number) - timedelta(days=1), last_day)
        kind = PerformanceNotice.Kind.TERMINATION if terminated and end == last_day else PerformanceNotice.Kind.ANNUAL
        if end >= today:
            break
        if end >= in_force:
            periods.append((kind, number, start, end))
        number += 1
    return periods


def contracts_needing_performance_notices(contracts: ContractQuerySet, *, today: date) -> ContractQuerySet:
    """The contracts section 71 reaches on `today` (Contract.objects.needing_kpi_assessment_notices)."""
    return contracts.needing_kpi_assessment_notices(on=today)


def performance_notices(contracts: ContractQuerySet, *, today: date) -> list[PerformanceNoticeData]:
    """Every performance notice whose period has ended, published or not, in six queries.

    Oldest due date first."""
    scope = (
        contracts_needing_performance_notices(contracts, today=today)
        .select_related("supplier", "ending")
        .prefetch_related(
            Prefetch(
                "supplier__contacts",
                queryset=SupplierContact.objects.exclude(email="").order_by("name", "pk"),
                to_attr="emailable_contacts",
            ),
            Prefetch(
                "kpis",
                queryset=Kpi.objects.active().published().order_by("name", "pk"),
                to_attr="published_kpis",
            ),
            Prefetch(
                "performance_notices",
                queryset=PerformanceNotice.objects.select_related("published_by"),
                to_attr="published_notices",
            ),
        )
        .order_by("reference")
    )
    # The results of every published KPI in one query; the contracts as a subquery, not a list of ids.
    results: dict[int, list[KpiResult]] = {}
    for result in KpiResult.objects.filter(
        kpi__is_active=True,
        kpi__is_published=True,
        kpi__contract__in=contracts_needing_performance_notices(contracts, today=today),
    ).only("kpi_id", "period_start", "period_end", "rating", "rating_override"):
        results.setdefault(result.kpi_id, []).append(result)

    notices = []
    for contract in scope:
        # A missing reverse one-to-one raises a subclass of AttributeError: getattr's default answers.
        ending = getattr(contract, "ending", None)
        published = {(n.period_start, n.kind): n for n in contract.published_notices}  # type: ignore[attr-defined]  # to_attr
        contacts = contract.supplier.emailable_contacts  # type: ignore[attr-defined]  # the Prefetch's to_attr list
        for kind, number, start, end in notice_periods(contract, ending=ending, today=today):
            assessments = []
            for kpi in contract.published_kpis:  # type: ignore[attr-defined]  # to_attr
                in_period = [r for r in results.get(kpi.pk, []) if start <= r.period_end <= end]
                assessments.append(
                    KpiAssessment(
                        kpi=kpi, rating=period_rating(r.effective_rating for r in in_period), results=len(in_period)
                    )
                )
            notices.append(
                PerformanceNoticeData(
                    contract=contract,
                    kind=kind,
                    period_start=start,
                    period_end=end,
                    number=number,
                    contact_email=contacts[0].email if contacts else "",
                    assessments=assessments,
                    published=published.get((start, kind)),
                )
            )
    notices.sort(key=lambda n: (n.due_by, n.contract.reference))
    return notices


def notices_due(contracts: ContractQuerySet, *, today: date) -> list[PerformanceNoticeData]:
    """Performance notices not recorded as published, whose period has ended: due, or overdue."""
    return [notice for notice in performance_notices(contracts, today=today) if notice.published is None]


def find_notice(contract: Contract, *, period_start: date, kind: str, today: date) -> PerformanceNoticeData | None:
    notices = performance_notices(Contract.objects.filter(pk=contract.pk), today=today)
    return next((n for n in notices if n.period_start == period_start and n.kind == kind), None)


# --- Contract change notices and contract termination notices -----------------------------------


def change_notices_due(contracts: ContractQuerySet) -> QuerySet[Variation]:
    """Variations of contracts that section 75 reaches that need a contract change notice and have
    none recorded as published."""
    return (
        Variation.objects.filter(
            contract__in=contracts.needing_change_notices(),
            change_notice_required=True,
            change_notice_published_on__isnull=True,
        )
        .select_related("contract__supplier")
        .order_by("recorded_at", "contract__reference", "number")
    )


def _contract_parties(contract: Contract) -> dict:
    """What every notice says of its contract: which it is, the buyer and the supplier."""
    return {
        "contract_reference": contract.reference,
        "contract_title": contract.title,
        "procurement_identifier": contract.finance_reference or contract.reference,
        "buyer": settings.OCDS_BUYER_NAME,
        "supplier_name": contract.supplier.name,
        "supplier_identifier": contract.supplier.companies_house_number,
    }


def change_notice_data(variation: Variation) -> dict:
    return {
        "notice_type": "Contract change notice",
        **_contract_parties(variation.contract),
        "variation_number": variation.number,
        "status": variation.status,
        "agreed_on": variation.agreed_on.isoformat() if variation.agreed_on else None,
        "description": variation.description,
        "value_change": str(variation.value_change),
        "new_end_date": variation.new_end_date.isoformat() if variation.new_end_date else None,
        "reason": variation.reason,
        "change_notice_reason": variation.change_notice_reason,
    }


def termination_notices_due(contracts: QuerySet[Contract]) -> QuerySet[ContractEnding]:
    """Ended contracts with no contract termination notice recorded as published."""
    return ContractEnding.objects.termination_notice_due(contracts=contracts).select_related("contract__supplier")


def termination_notice_data(ending: ContractEnding) -> dict:
    return {
        "notice_type": "Contract termination notice",
        **_contract_parties(ending.contract),
        "ended_on": ending.ended_on.isoformat(),
        "kind": ending.kind,
        "kind_label": ending.get_kind_display(),
        "reason": ending.reason,
        "ended_early_for_breach": ending.ended_early_for_breach,
        "breach_details": ending.breach_details,
        "damages_or_settlement": ending.damages_or_settlement,
        "notice_due_by": ending.notice_due_by.isoformat(),
    }
