"""The demo's supplier intelligence: what Companies House says of each supplier (through the same
service as the daily check, so a concern is recorded and escalated as it would be), and two key
suppliers designated by the Procurement Unit, each with a relationship plan. Safe to run twice."""

from datetime import date, timedelta

from accounts.models import User
from contracts import services
from contracts.models import KeySupplier
from contracts.services.companies_house import company_observation_apply
from suppliers.companies_house import CompanyObservation
from suppliers.models import CompanyRecord, Supplier

# supplier: (status as the API words it, accounts overdue, confirmation statement overdue)
COMPANIES_HOUSE = {
    "Wessex Vehicle Recovery Ltd": ("active", True, False),
    "Quayside Print and Design Ltd": ("active", False, True),
}

# supplier, lead, reason, objectives, meetings, next meeting in days
KEY_SUPPLIERS = (
    (
        "Pennine Fleet Solutions Ltd",
        "procurement",
        "Maintains the whole response fleet under a strategic contract; a failure would take cars off the road "
        "within days, and it issued a profit warning this year.",
        "Fleet availability at or above 95% every month\nAgree a recovery plan for the profit warning\n"
        "Joint plan for the move to electric response vehicles by 2029",
        KeySupplier.Meetings.QUARTERLY,
        24,
    ),
    (
        "Sentinel Body Worn Systems Ltd",
        "procurement",
        "Body-worn video and its evidence platform: strategic, hard to replace, and holding evidential data.",
        "Platform availability 99.9%\nEvidence export to the CPS within one working day\nExit plan kept current",
        KeySupplier.Meetings.SIX_MONTHLY,
        60,
    ),
)


def seed(*, today: date, users: dict[str, User]) -> None:
    checked = set(CompanyRecord.objects.values_list("supplier_id", flat=True))
    for supplier in Supplier.objects.exclude(companies_house_number="").exclude(pk__in=checked).order_by("pk"):
        status, accounts_overdue, statement_overdue = COMPANIES_HOUSE.get(supplier.name, ("active", False, False))
        company_observation_apply(
            supplier=supplier,
            observation=CompanyObservation(
                company_number=supplier.companies_house_number,
                source="api",
                as_of=today,
                company_name=supplier.name.upper(),
                company_status=status,
                accounts_overdue=accounts_overdue,
                accounts_next_due=today - timedelta(days=40) if accounts_overdue else today + timedelta(days=200),
                confirmation_statement_overdue=statement_overdue,
                confirmation_statement_next_due=today - timedelta(days=12)
                if statement_overdue
                else today + timedelta(days=150),
                has_insolvency_history=False,
            ),
        )
    for name, lead, reason, objectives, meetings, next_in in KEY_SUPPLIERS:
        key = Supplier.objects.filter(name=name).first()
        if key is None or KeySupplier.objects.filter(supplier=key).exists():
            continue
        services.key_supplier_save(
            key_supplier=KeySupplier(
                supplier=key,
                reason=reason,
                lead=users[lead],
                objectives=objectives,
                meeting_frequency=meetings,
                next_meeting_on=today + timedelta(days=next_in),
            ),
            by=users["procurement"],
        )


def counts() -> dict[str, int]:
    return {
        "Companies House records": CompanyRecord.objects.count(),
        "key suppliers": KeySupplier.objects.count(),
    }
