"""Demo contract lifecycle: variations (one, on the contract procured under the Procurement Act
2023, needing a change notice not yet published, so still proposed; the others, agreed, are on
contracts under the Public Contracts Regulations 2015, which need none), extension options and
renewal decisions on contracts ending soon, how some ended contracts ended (under the 2015
Regulations no termination notice is due; the one under the Act ended early and its contract termination
notice is due), savings over two financial years, OCOs' training records.

Safe to run twice: nothing is done when any variation exists. Dates are relative to the day of the
run and to each contract's own dates, so the renewals and notices pages always have something due."""

from datetime import date, timedelta
from decimal import Decimal

from accounts.models import TrainingRecord, User
from contracts import services
from contracts.models import Contract, ContractEnding, ExtensionOption, RenewalDecision, Saving, Variation
from core.audit import history_user_set
from core.dates import add_months

# fmt: off
# reference, agreed (days ago), value change (£), new end date (months after the end), description, reason,
#     made together with the contract's variation number, notice published (days ago)
VARIATIONS = (
    ("CON-2023-001", 200, 350_000, 0, "Six more pool cars for the new northern hub",
        "The northern hub opened a year early; the framework allows fleet additions.", None, None),
    ("CON-2023-001", 40, 600_000, 0, "Fourteen more response vehicles for the roads policing unit",
        "Uplift of roads policing officers; could reasonably have been ordered with the pool cars.", 1, None),
    ("CON-2022-004", 25, 820_000, 0, "Service desk hours extended to 24/7 for the control room",
        "The control room moved to round-the-clock self-service password resets and device support.", None, None),
    ("CON-2023-009", 90, -180_000, 0, "Two closed police stations removed from planned maintenance",
        "Estates strategy: Ashby and Marsh Lane stations closed and sold.", None, None),
    ("CON-2024-014", 15, 40_000, 3, "Term extended by three months and 40 more handsets",
        "Keeps devices supported until the national mobile contract starts.", None, None),
    ("CON-2025-004", 30, 650_000, 0, "Out-of-hours incident response retainer added",
        "Ransomware attacks on two neighbouring forces: the board asked for round-the-clock response.", None, None),
)

# reference, length (months), decide by (days before the end), decision, notes
EXTENSION_OPTIONS = (
    ("CON-2024-003", 12, 30, "pending", ""),
    ("CON-2023-012", 12, 60, "declined", "Declined: performance problems (see the escalation); re-procuring."),
    ("CON-2022-007", 12, 14, "pending", ""),
    ("CON-2022-001", 12, 30, "taken", "Taken up at the custody board; a variation follows."),
    ("CON-2022-001", 12, 5, "pending", ""),
    ("CON-2024-004", 12, 30, "pending", ""),
    ("CON-2023-003", 6, 60, "pending", ""),
    ("CON-2023-003", 6, 20, "pending", ""),
    ("CON-2024-008", 12, 45, "pending", ""),
)

# reference, decision, notes
RENEWAL_DECISIONS = (
    ("CON-2023-012", "reprocure", "Re-procure through the regional facilities framework; tender out next month."),
    ("CON-2022-001", "extend", "Extend by the first 12-month option: no credible alternative provider in time."),
    ("CON-2025-001", "let_expire", "Short-term hire is now covered by the leasing contract."),
)

# reference, kind, reason, ended early for breach (details), damages or settlement, notice published (days after)
ENDINGS = (
    ("CON-2022-003", "terminated", "Terminated for repeated failure to attend priority call-outs.",
        "Missed the 4-hour attendance time on 14 priority fire alarm faults in six months.",
        "£18,500 settlement agreed in full and final settlement.", 21),
    ("CON-2021-001", "terminated", "Replaced by the national crime recording system; ended by agreement.", "", "", 10),
    ("CON-2022-006", "terminated", "Service transferred to NHS England commissioning.", "", "", 14),
    ("CON-2023-011", "expired", "Collision investigation moved to the regional collaboration.", "", "", None),
    ("CON-2023-007", "expired", "Footwear now bought through the national uniform framework.", "", "", None),
    ("CON-2025-009", "terminated", "Ended early by agreement: Marsh Lane custody suite closed with the station, "
        "and the other suites' cleaning moved to the hard facilities management contract.", "", "", None),
)

# reference, kind, amount (£), achieved (days ago), description, evidence, recorded by, validated
SAVINGS = (
    ("CON-2023-001", "cash_releasing", 42_000, 230, "Lease rates renegotiated at the mid-term review",
        "Revised rate card, signed by the supplier", "procurement", True),
    ("CON-2024-009", "cash_releasing", 8_400, 100, "Remoulded tyres for pool cars",
        "Invoices for April to June against the old prices", "oco1", False),
    ("CON-2022-004", "cost_avoidance", 120_000, 400, "Prices fixed for two years instead of the 6% uplift",
        "Contract change letter", "procurement", True),
    ("CON-2023-009", "cash_releasing", 65_000, 60, "Closed stations removed from planned maintenance",
        "Variation 1", "procurement", True),
    ("CON-2024-012", "cost_avoidance", 38_000, 20, "Volume discount tier reached three months early",
        "Supplier's volume statement", "oco3", False),
    ("CON-2022-001", "cash_releasing", 95_000, 500, "Nurse staffing model changed at two custody suites",
        "Monthly invoices before and after", "procurement", True),
)

# username, course, course name, level, completed (days ago), expires (days from today, or None)
TRAINING = (
    ("oco1", "commercial_awareness", "", "practitioner", 400, 330),
    ("oco2", "commercial_awareness", "", "foundation", 700, 40),  # expires within 60 days
    ("oco3", "other", "Contract law essentials", "foundation", 200, None),  # no commercial awareness
    ("procurement", "commercial_awareness", "", "expert", 300, 430),
)
# fmt: on


def counts() -> dict[str, int]:
    return {
        "variations": Variation.objects.count(),
        "extension options": ExtensionOption.objects.count(),
        "renewal decisions": RenewalDecision.objects.count(),
        "contract endings": ContractEnding.objects.count(),
        "savings": Saving.objects.count(),
        "training records": TrainingRecord.objects.count(),
    }


def _seed_variations(contracts: dict[str, Contract], *, today: date, by: User) -> None:
    for reference, days_ago, value, months, description, reason, made_with, published in VARIATIONS:
        contract = Contract.objects.get(pk=contracts[reference].pk)  # its end date moves with each variation
        agreed_on = max(today - timedelta(days=days_ago), contract.start_date)
        variation = Variation(
            contract=contract,
            description=description,
            reason=reason,
            value_change=Decimal(value),
            new_end_date=add_months(contract.end_date, months) if months else None,
            approved_by=contract.sro or by,
        )
        variation.full_clean(exclude=["number", "recorded_by"])
        together = list(contract.variations.filter(number=made_with)) if made_with else []
        documents = list(contract.documents.filter(is_current=True))[:1]
        variation = services.variation_record(variation=variation, by=by, made_with=together, documents=documents)
        if published is not None:
            services.variation_notice_published(variation=variation, on=today - timedelta(days=published), by=by)
        if variation.notice_answered:
            services.variation_agree(variation=variation, on=agreed_on, by=by)
        # Else it stays proposed: its change notice comes before the agreement.


def _seed_extension_options(contracts: dict[str, Contract], *, by: User) -> None:
    for reference, months, days_before, decision, notes in EXTENSION_OPTIONS:
        contract = contracts[reference]
        option = ExtensionOption(
            contract=contract,
            length_months=months,
            decide_by=contract.end_date - timedelta(days=days_before),
            decision=decision,
            notes=notes,
        )
        option.full_clean()
        services.extension_option_save(option=option, by=by)


def _seed_endings(contracts: dict[str, Contract], *, by: User) -> None:
    for reference, kind, reason, breach, settlement, published_after in ENDINGS:
        contract = contracts[reference]
        ending = ContractEnding(
            contract=contract,
            kind=kind,
            ended_on=contract.end_date,
            reason=reason,
            ended_early_for_breach=bool(breach),
            breach_details=breach,
            damages_or_settlement=settlement,
        )
        ending.full_clean(exclude=["recorded_by"])
        services.contract_end(ending=ending, by=by)
        if published_after is not None:
            ending.notice_published_on = ending.ended_on + timedelta(days=published_after)
            history_user_set(ending, by)
            ending.save(update_fields=["notice_published_on"])


def _seed_savings(contracts: dict[str, Contract], *, today: date, users: dict[str, User]) -> None:
    procurement = users["procurement"]
    for reference, kind, amount, days_ago, description, evidence, recorder, validated in SAVINGS:
        saving = Saving(
            contract=contracts[reference],
            kind=kind,
            amount=Decimal(amount),
            achieved_on=today - timedelta(days=days_ago),
            description=description,
            evidence=evidence,
        )
        saving.full_clean(exclude=["recorded_by", "financial_year"])
        saving = services.saving_record(saving=saving, by=users[recorder])
        if validated:
            services.saving_validate(
                saving=saving, by=procurement, on=min(today, saving.achieved_on + timedelta(days=14))
            )


def _seed_training(*, today: date, users: dict[str, User]) -> None:
    for username, course, course_name, level, completed_ago, expires_in in TRAINING:
        record = TrainingRecord(
            user=users[username],
            course=course,
            course_name=course_name,
            level=level,
            completed_on=today - timedelta(days=completed_ago),
            expires_on=today + timedelta(days=expires_in) if expires_in is not None else None,
        )
        record.full_clean()
        history_user_set(record, users["procurement"])
        record.save()


def seed(*, today: date, users: dict[str, User]) -> None:
    if Variation.objects.exists():
        return
    procurement = users["procurement"]
    references = {
        row[0] for table in (VARIATIONS, EXTENSION_OPTIONS, RENEWAL_DECISIONS, ENDINGS, SAVINGS) for row in table
    }
    contracts = {c.reference: c for c in Contract.objects.filter(reference__in=references).select_related("sro")}
    _seed_variations(contracts, today=today, by=procurement)
    _seed_extension_options(contracts, by=procurement)
    for reference, decision, notes in RENEWAL_DECISIONS:
        services.renewal_decide(contract=contracts[reference], decision=decision, notes=notes, by=procurement)
    _seed_endings(contracts, by=procurement)
    _seed_savings(contracts, today=today, users=users)
    _seed_training(today=today, users=users)
