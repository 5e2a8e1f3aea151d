"""The supplier portal's demo: supplier1 and supplier2, the people of two different suppliers with active
contracts that have KPIs, each contract with an MI report due (last month's, due in the middle of this
month). They sign in with the demo password and set up an authenticator app at their first sign-in."""

from datetime import date, timedelta

from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import User
from contracts.models import Contract
from core.audit import history_user_set
from core.dates import add_months
from notifications.services import email_delivery_save
from performance.models import CureOutcome, ImprovementNotice, MiReport
from portal.services.notices import improvement_notice_share
from suppliers.models import SupplierContact

PEOPLE = (("supplier1", "Morgan", "Hale"), ("supplier2", "Jordan", "Reeve"))


def _two_suppliers_contracts() -> list[Contract]:
    """One active contract with KPIs of each of two different suppliers (the first by reference)."""
    chosen: dict[int, Contract] = {}
    for contract in Contract.objects.active().filter(kpis__is_active=True).distinct().order_by("reference"):
        chosen.setdefault(contract.supplier_id, contract)
        if len(chosen) == len(PEOPLE):
            break
    return list(chosen.values())


def _person(username: str, first_name: str, last_name: str, contract: Contract, *, password: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first_name, last_name=last_name)
        user.email = f"{username}@{contract.supplier.name.split()[0].lower()}.example"
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=roles.SUPPLIER))
        email_delivery_save(user=user, delivery="each")  # they never see the in-app list: e-mail at once
        contact = SupplierContact(
            supplier=contract.supplier, name=f"{first_name} {last_name}", role="Account manager", email=user.email
        )
        contact.user = user
        history_user_set(contact, None)
        contact.save()
    return user


def _report_due(contract: Contract, *, today: date) -> None:
    assert contract.oco is not None  # every demo contract has an OCO
    start = add_months(date(today.year, today.month, 1), -1)
    if MiReport.objects.filter(contract=contract, period_start=start).exists():
        return
    end = date(today.year, today.month, 1) - timedelta(days=1)
    MiReport.objects.create(
        contract=contract,
        period_label=f"{start:%B %Y}",
        period_start=start,
        period_end=end,
        expected_by=max(end + timedelta(days=15), today + timedelta(days=5)),
        recorded_by=contract.oco,
    )


def _notices_shared(contract: Contract) -> None:
    """The supplier's improvement notices still in their cure period, shared with them to reply by its end."""
    running = ImprovementNotice.objects.filter(
        contract__supplier=contract.supplier_id, outcome=CureOutcome.PENDING, supplier_respond_by__isnull=True
    ).select_related("contract__oco", "recorded_by")
    for notice in running:
        improvement_notice_share(notice=notice, respond_by=notice.cure_by, by=notice.contract.oco or notice.recorded_by)


def seed(*, today: date, password: str) -> list[tuple[str, Contract]]:
    seeded = []
    for (username, first_name, last_name), contract in zip(PEOPLE, _two_suppliers_contracts(), strict=False):
        _person(username, first_name, last_name, contract, password=password)
        _report_due(contract, today=today)
        _notices_shared(contract)
        seeded.append((username, contract))
    return seeded
