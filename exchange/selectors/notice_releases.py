"""Procurement Act 2023 notices in the form Find a Tender publishes them: each an OCDS 1.1 release with
the metrics, performance failures and UK extensions (exchange/selectors/notice_schema.py validates them).

One builder, `notice_release`, makes every notice: the procurement (its ocid: Find a Tender's when the
contract records it), the force as buyer (its PPON, settings), the supplier, the award and the contract
(whose identifier is the finance system's (Agresso) reference), and the notice document that says which
notice it is. Each kind adds its part of the contract:

- UK9 contract performance notice: `implementation.metrics`, each KPI's rating for the period as an
  observation whose `measureClassification` is the Act's rating (RATING_CLASSIFICATION), and
  `implementation.performanceFailures` from `performance_failures` (the one place they are found);
- UK10 contract change notice: the variation as an `amendment`, with the contract's value and period
  after it;
- UK11 contract termination notice: the contract terminated, with the rationale for its end.

The UK8 payments compliance notice (exchange/selectors/payments_notices.py) calls `notice_release` about
the force rather than a contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from contracts.models import Contract, ContractEnding, Variation
from exchange.selectors.notices import PerformanceNoticeData
from exchange.selectors.ocds_export import (
    buyer_party,
    contract_ocid,
    money,
    ocds_datetime,
    ocds_prefix,
    supplier_party,
)
from exchange.selectors.performance_failures import PENALTY_TYPE, WITH_PENALTY_DATE, Section72Notice, section72_notices
from performance.models import Breach, BreachOutcome, ImprovementPlan
from performance.ratings import Rating

# The Act's five ratings as the UK extension's measureClassification ids (its README: met, slightlyBelow,
# below, significantlyBelow, other for Good, Approaching target, Requires improvement, Inadequate, Other).
RATING_CLASSIFICATION: dict[str, str] = {
    Rating.GOOD: "met",
    Rating.APPROACHING: "slightlyBelow",
    Rating.REQUIRES_IMPROVEMENT: "below",
    Rating.INADEQUATE: "significantlyBelow",
    Rating.OTHER: "other",
}
MEASURE_SCHEME = "UK_KPI_RATING"


class NoticeType:
    """Find a Tender's notice types the register builds, with their OCDS release tag and document type.

    UK8, the payments compliance notice, is about the force rather than a contract, and the shared copies
    of Find a Tender's data and extensions hold no example of it: its tag and document type are the
    register's choice (docs/guide.md, "Payments compliance notices")."""

    PAYMENTS_COMPLIANCE = "UK8"
    PERFORMANCE = "UK9"
    CHANGE = "UK10"
    TERMINATION = "UK11"

    TAG = {
        PAYMENTS_COMPLIANCE: "paymentsCompliance",
        PERFORMANCE: "implementation",
        CHANGE: "contractAmendment",
        TERMINATION: "contractTermination",
    }
    DOCUMENT_TYPE = {
        PAYMENTS_COMPLIANCE: "paymentsComplianceNotice",
        PERFORMANCE: "implementationNotice",
        CHANGE: "contractAmendmentNotice",
        TERMINATION: "contractTerminationNotice",
    }
    TITLE = {
        PAYMENTS_COMPLIANCE: "Payments compliance notice",
        PERFORMANCE: "Contract performance notice",
        CHANGE: "Contract change notice",
        TERMINATION: "Contract termination notice",
    }
    # The identifier of what a notice that is not about a contract reports on (it stands for the contract's).
    SUBJECT = {PAYMENTS_COMPLIANCE: "payments-compliance"}


def contract_identifier(contract: Contract) -> str:
    """The identifier of the contract on its notices: the finance system (Agresso) reference, else the register's."""
    return contract.finance_reference or contract.reference


def _text(value: str) -> str | None:
    """OCDS strings have at least one character: an empty field is left out."""
    value = (value or "").strip()
    return value or None


def _clean(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def notice_release(
    *,
    contract: Contract | None,
    notice_type: str,
    key: str,
    on: date,
    description: str,
    contract_part: dict[str, Any] | None = None,
    title: str = "",
) -> dict:
    """One notice as an OCDS release. `key` tells this notice from the contract's others (a period, a
    variation's number); `on` is the notice's date; `contract_part` adds to (or replaces) the release's
    contract object: its implementation, amendments, status or period.

    A notice about the force rather than a contract (`contract` None: the payments compliance notice) is
    a release of its own procurement identifier with the force as its only party and the notice document
    in `planning`; `title` names what it reports on."""
    buyer = buyer_party()
    identifier = contract_identifier(contract) if contract else NoticeType.SUBJECT[notice_type]
    document = _clean(
        {
            "id": f"{identifier}-{notice_type}-{key}",
            "documentType": NoticeType.DOCUMENT_TYPE[notice_type],
            "noticeType": notice_type,
            "title": f"{NoticeType.TITLE[notice_type]}: {contract.title if contract else title}",
            "description": _text(description),
            "datePublished": ocds_datetime(on),
        }
    )
    release: dict[str, Any] = {
        "ocid": contract_ocid(contract) if contract else f"{ocds_prefix()}-{identifier}-{key}",
        "id": f"{identifier}-{notice_type}-{key}",
        "date": ocds_datetime(on),
        "tag": [NoticeType.TAG[notice_type]],
        "initiationType": "tender",
        "language": "en",
        "parties": [buyer],
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
    }
    if contract is None:
        return {**release, "planning": {"documents": [document]}}
    supplier = supplier_party(contract.supplier)
    award_id = f"{identifier}-award"
    ocds_contract: dict[str, Any] = {
        "id": identifier,
        "awardID": award_id,
        "title": contract.title,
        "status": "active",
        "value": money(contract.total_value),
        "period": {"startDate": ocds_datetime(contract.start_date), "endDate": ocds_datetime(contract.end_date)},
        "documents": [document],
        **(contract_part or {}),
    }
    if text := _text(contract.description):
        ocds_contract.setdefault("description", text)
    return {
        **release,
        "parties": [buyer, supplier],
        "awards": [
            {
                "id": award_id,
                "status": "active",
                "suppliers": [{"id": supplier["id"], "name": supplier["name"]}],
            }
        ],
        "contracts": [ocds_contract],
    }


# --- UK9 contract performance notice ----------------------------------------------------------------


@dataclass(frozen=True)
class PerformanceFailure:
    """A failure a contract performance notice discloses (section 72): a breach, or a failure to improve."""

    id: str
    category: str
    description: str
    requirement: str = ""
    decision_date: date | None = None
    penalty_type: str = ""  # contracted / imposed / negotiated (the UK extension's penaltyType codes)
    penalty_value: Decimal | None = None
    partial_termination: str = ""
    penalty_date: date | None = None


def performance_failures(*, contract: Contract, period_start: date, period_end: date) -> list[PerformanceFailure]:
    """The failures the notice for the period discloses: an improvement plan (the supplier's proper
    opportunity to improve) whose improve-by date fell in the period and that is recorded as not
    improved, and the section 72 breaches and failures to improve (exchange.selectors.performance_failures)
    whose outcome was decided in the period."""
    remedies = [
        _section72_failure(notice)
        for notice in section72_notices(Contract.objects.filter(pk=contract.pk), due_only=False)
        if period_start <= notice.event_on <= period_end
    ]
    plans = ImprovementPlan.objects.filter(
        contract=contract,
        status=ImprovementPlan.Status.NOT_IMPROVED,
        improve_by__range=(period_start, period_end),
    ).select_related("kpi")
    return [
        PerformanceFailure(
            id=f"improvement-plan-{plan.pk}",
            category="Failure to improve",
            requirement=plan.kpi.name if plan.kpi else "",
            description=f"Given until {plan.improve_by:%-d %b %Y} to improve: {plan.must_improve}. Not improved.",
            decision_date=plan.improve_by,
        )
        for plan in plans.order_by("improve_by", "pk")
    ] + remedies


def _section72_failure(notice: Section72Notice) -> PerformanceFailure:
    remedy = notice.remedy
    if isinstance(remedy, Breach):
        outcome = BreachOutcome(remedy.outcome)
        return PerformanceFailure(
            id=f"breach-{remedy.pk}",
            category=f"Breach: {outcome.label.lower()}",
            requirement=remedy.requirement,
            description=remedy.description,
            penalty_type=PENALTY_TYPE[outcome],
            penalty_value=remedy.value,
            penalty_date=notice.event_on if outcome in WITH_PENALTY_DATE else None,
            partial_termination=(remedy.outcome_notes or remedy.description)
            if outcome == BreachOutcome.PARTIAL_TERMINATION
            else "",
        )
    return PerformanceFailure(
        id=f"failure-to-improve-{remedy.pk}",
        category="Failure to improve",
        requirement=remedy.required_action,
        description=remedy.failure,
        decision_date=notice.event_on,
    )


def _failure(failure: PerformanceFailure, *, period: dict, supplier: dict) -> dict:
    return _clean(
        {
            "id": failure.id,
            "period": period,
            "category": failure.category,
            "requirement": _text(failure.requirement),
            "description": _text(failure.description),
            "decisionDate": ocds_datetime(failure.decision_date) if failure.decision_date else None,
            "penaltyDate": ocds_datetime(failure.penalty_date) if failure.penalty_date else None,
            "penaltyType": failure.penalty_type or None,
            "penaltyValue": money(failure.penalty_value) if failure.penalty_value is not None else None,
            "partialTermination": _text(failure.partial_termination),
            "suppliers": [{"id": supplier["id"], "name": supplier["name"]}],
        }
    )


def performance_notice_release(
    notice: PerformanceNoticeData, *, on: date, failures: list[PerformanceFailure] | None = None
) -> dict:
    """The UK9 notice of `notice` (exchange.selectors.notices). `failures` default to `performance_failures`."""
    contract = notice.contract
    period = {"startDate": ocds_datetime(notice.period_start), "endDate": ocds_datetime(notice.period_end)}
    if failures is None:
        failures = performance_failures(
            contract=contract, period_start=notice.period_start, period_end=notice.period_end
        )
    metrics = [
        _clean(
            {
                "id": str(assessment.kpi.pk),
                "title": _text(assessment.kpi.name),
                "description": _text(assessment.kpi.description),
                "observations": [
                    {
                        "id": f"{assessment.kpi.pk}-{notice.period_start:%Y-%m-%d}",
                        "period": period,
                        "measure": assessment.rating_label,
                        "measureClassification": {
                            "scheme": MEASURE_SCHEME,
                            "id": RATING_CLASSIFICATION[assessment.rating],
                            "description": assessment.rating_label,
                        },
                    }
                ],
            }
        )
        for assessment in notice.assessments
    ]
    supplier = supplier_party(contract.supplier)
    implementation: dict[str, Any] = {}
    if metrics:
        implementation["metrics"] = metrics
    if failures:
        implementation["performanceFailures"] = [_failure(f, period=period, supplier=supplier) for f in failures]
    part: dict[str, Any] = {"implementation": implementation} if implementation else {}
    if not metrics and (reason := _text(contract.kpis_not_appropriate_reason)):
        part["noAgreedMetricsRationale"] = reason
    if notice.kind == "termination":
        part["status"] = "terminated"
    return notice_release(
        contract=contract,
        notice_type=NoticeType.PERFORMANCE,
        key=f"{notice.period_start:%Y-%m-%d}",
        on=on,
        description=(
            f"{notice.kind_label}, {notice.period_start:%-d %b %Y} to {notice.period_end:%-d %b %Y}: "
            f"{len(metrics)} KPI{'s' if len(metrics) != 1 else ''} assessed."
        ),
        contract_part=part,
    )


# --- UK10 contract change notice ----------------------------------------------------------------------


def change_notice_release(variation: Variation, *, on: date) -> dict:
    """The UK10 notice of a variation: the amendment, with the contract's value and end date after it
    (the variations after it taken off the contract's current ones)."""
    contract = variation.contract
    # The notice comes before the change is agreed: the value after it is the value on award with every
    # agreed variation up to it, and this one.
    applied = [v for v in _in_force_with(contract, variation) if v.number <= variation.number]
    base = contract.original_total_value if contract.original_total_value is not None else contract.total_value
    value_after = base + sum((v.value_change for v in applied), Decimal("0"))
    end_after = _end_date_after(contract, variation)
    amendment = _clean(
        {
            "id": str(variation.number),
            "date": ocds_datetime(variation.agreed_on or variation.recorded_at),
            "description": _text(variation.description),
            "rationale": _text(variation.reason),
            "value": money(value_after),
            "period": {"startDate": ocds_datetime(contract.start_date), "endDate": ocds_datetime(end_after)},
        }
    )
    return notice_release(
        contract=contract,
        notice_type=NoticeType.CHANGE,
        key=str(variation.number),
        on=on,
        description=variation.change_notice_reason or f"Variation {variation.number}: {variation.description}",
        contract_part={
            "value": money(value_after),
            "period": {"startDate": ocds_datetime(contract.start_date), "endDate": ocds_datetime(end_after)},
            "amendments": [amendment],
        },
    )


def _in_force_with(contract: Contract, variation: Variation) -> list[Variation]:
    """The contract's agreed variations, and `variation` (agreed or proposed), in order."""
    return [v for v in contract.variations.all() if v.is_agreed or v.pk == variation.pk]


def _end_date_after(contract: Contract, variation: Variation) -> date:
    """The end date in force after `variation`: that of the newest variation up to it that moved the
    end date, else the end date on award."""
    moved = [
        v.new_end_date for v in _in_force_with(contract, variation) if v.number <= variation.number and v.new_end_date
    ]
    if moved:
        return moved[-1]
    return contract.original_end_date or contract.end_date


# --- UK11 contract termination notice -----------------------------------------------------------------


def termination_notice_release(ending: ContractEnding, *, on: date) -> dict:
    """The UK11 notice: the contract ended on `ending.ended_on`, why, and any breach, damages or settlement."""
    contract = ending.contract
    why = [ending.reason.strip()]
    if ending.ended_early_for_breach:
        why.append(f"Ended early for breach: {ending.breach_details.strip()}")
    if ending.damages_or_settlement.strip():
        why.append(f"Damages or settlement: {ending.damages_or_settlement.strip()}")
    rationale = " ".join(part for part in why if part)
    return notice_release(
        contract=contract,
        notice_type=NoticeType.TERMINATION,
        key=f"{ending.ended_on:%Y-%m-%d}",
        on=on,
        description=rationale,
        contract_part={
            "status": "terminated",
            "period": {"startDate": ocds_datetime(contract.start_date), "endDate": ocds_datetime(ending.ended_on)},
            "terminationRationaleClassifications": [
                _clean(
                    {
                        "scheme": "contractEnding",
                        "id": "breach" if ending.ended_early_for_breach else ending.kind,
                        "description": _text(rationale),
                    }
                )
            ],
        },
    )
