"""factory-boy factories for the personas and the register."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import User
from contracts import services as contract_services
from contracts.models import Category, Contract, Escalation
from suppliers.models import Supplier, SupplierContact

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@police.example")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: transactional tests flush the groups the data migration made.
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Supplier {n} Limited")
    companies_house_number = factory.Sequence(lambda n: f"{n + 10000000:08d}")
    status = Supplier.Status.ACTIVE


class SupplierContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierContact

    supplier = factory.SubFactory(SupplierFactory)
    name = factory.Faker("name", locale="en_GB")
    role = "Account manager"
    email = factory.Faker("email")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = "ICT"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"CON-{n:05d}")
    title = factory.Sequence(lambda n: f"Service contract {n}")
    supplier = factory.SubFactory(SupplierFactory)
    category = factory.SubFactory(CategoryFactory)
    status = Contract.Status.ACTIVE
    start_date = datetime.date(2025, 4, 1)
    end_date = datetime.date(2028, 3, 31)
    notice_period_days = 90
    total_value = Decimal("300000.00")
    annual_value = Decimal("100000.00")


def supplier_user(**kwargs) -> User:
    """A supplier's person (the supplier portal's user), with a confirmed authenticator app; link them to a
    contact with SupplierContactFactory(user=...)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory(role=roles.SUPPLIER, job_title="", **kwargs)
    TOTPDevice.objects.get_or_create(user=user, defaults={"name": "Authenticator app", "confirmed": True})
    return user


def oco(**kwargs) -> User:
    return UserFactory(role=roles.OCO, job_title="Fleet Manager", **kwargs)


def sro(**kwargs) -> User:
    return UserFactory(role=roles.SRO, **{"is_budget_holder": True, **kwargs})


def procurement_officer(**kwargs) -> User:
    return UserFactory(role=roles.PROCUREMENT, job_title="Procurement Officer", **kwargs)


# --- The personas of tests/conftest.py, as plain functions for the module-shared worlds too ----------------


def alice() -> User:
    """An OCO, named on `contract`."""
    return oco(username="alice", first_name="Alice", last_name="Adams")


def bob() -> User:
    """Another OCO, named on `other_contract` only."""
    return oco(username="bob", first_name="Bob", last_name="Brown")


def sam() -> User:
    """An SRO, named on `contract`."""
    return sro(username="sam", first_name="Sam", last_name="Singh")


def priya() -> User:
    """A Procurement Unit officer."""
    return procurement_officer(username="priya", first_name="Priya", last_name="Patel")


def admin_user() -> User:
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def alices_contract(*, alice: User, sam: User, priya: User) -> Contract:
    """CON-ALICE: alice its OCO, sam its SRO, saved by priya (which opens the assignments)."""
    contract = ContractFactory(reference="CON-ALICE", title="Body-worn video", oco=alice, sro=sam)
    return contract_services.contract_save(contract=contract, by=priya)


def bobs_contract(*, bob: User, priya: User) -> Contract:
    """CON-BOB: bob its OCO, no SRO."""
    contract = ContractFactory(reference="CON-BOB", title="Custody healthcare", oco=bob)
    return contract_services.contract_save(contract=contract, by=priya)


def escalation_raised(contract: Contract, *, by: User, **fields) -> Escalation:
    """An escalation raised through the service (on the timeline, its people told): a dispute over service
    credits of medium severity unless `fields` say otherwise."""
    escalation = Escalation(
        contract=contract,
        source=fields.pop("source", Escalation.Source.DISPUTE),
        severity=fields.pop("severity", Escalation.Severity.MEDIUM),
        title=fields.pop("title", "Dispute over service credits"),
        details=fields.pop("details", "The supplier disputes the credits for March."),
        **fields,
    )
    return contract_services.escalation_raise(escalation=escalation, by=by)
