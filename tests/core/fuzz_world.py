"""What the form fuzz tests (test_fuzz.py) work on: the world of objects the forms need, a form's case
(who posts it where, from what baseline) and a signed-in client."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from contracts import services
from contracts.models import ContractEnding, Escalation, ExtensionOption, Variation
from performance import services as performance_services
from tests import factories, meeting_factories, performance_factories
from tests.conftest import pdf_bytes

NOW = "2026-11-10 09:00 +00:00"
TODAY = date(2026, 11, 10)


class World:
    """What the forms work on: alice's contract, with each part built when a form first asks for it
    (before the examples run: an object first built inside a rolled-back example would vanish)."""

    def __init__(self, *, contract, alice, sam, priya, other_contract):
        self.contract, self.alice, self.sam, self.priya, self.other_contract = (
            contract,
            alice,
            sam,
            priya,
            other_contract,
        )

    @cached_property
    def contact(self):
        return factories.SupplierContactFactory(supplier=self.contract.supplier, name="Jo Supplier")

    @cached_property
    def kpi(self):
        return performance_factories.KpiFactory(contract=self.contract, name="Calls answered")

    @cached_property
    def result(self):
        return performance_services.kpi_result_record(
            kpi=self.kpi, period_start=date(2026, 1, 1), actual=Decimal("97"), by=self.alice
        )

    @cached_property
    def meeting(self):
        return meeting_factories.MeetingFactory(contract=self.contract, created_by=self.alice, attendees=[self.alice])

    @cached_property
    def escalation(self):
        escalation = Escalation(contract=self.contract, source=Escalation.Source.DISPUTE, title="Late invoices")
        return services.escalation_raise(escalation=escalation, by=self.alice)

    @cached_property
    def variation(self):
        variation = Variation(
            contract=self.contract,
            agreed_on=date(2026, 5, 1),
            description="Two more sites",
            reason="New custody suite",
            value_change=Decimal("1000"),
            approved_by=self.sam,
        )
        return services.variation_record(variation=variation, by=self.priya)

    @cached_property
    def option(self):
        option = ExtensionOption(contract=self.contract, length_months=12, decide_by=date(2027, 12, 31))
        return services.extension_option_save(option=option, by=self.priya)

    @cached_property
    def ended(self):
        """bob's contract, ended last month: its termination notice is due."""
        ending = ContractEnding(
            contract=self.other_contract, kind="expired", ended_on=date(2026, 10, 1), reason="Ran out"
        )
        services.contract_end(ending=ending, by=self.priya)
        return self.other_contract

    @cached_property
    def carol(self):
        return factories.oco(username="carol", first_name="Carol", last_name="Clark")


def contract_pages(w: World) -> list[str]:
    """The pages that work out dates from a contract, besides its own page (where the form lands)."""
    pk = w.contract.pk
    return [
        reverse("lifecycle:contract", args=[pk]),
        reverse("performance:contract", args=[pk]),
        reverse("meetings:contract", args=[pk]),
    ]


@dataclass
class Case:
    """A form: who posts it where, a valid baseline (it saves), and the pages that show what it saved."""

    persona: str
    url: object  # World -> str
    form: object  # World -> an unbound form, for its fields
    baseline: object  # World -> dict
    shows: object = lambda w: []  # World -> list of URLs
    files: object = None  # World -> dict of uploads
    extra_kinds: dict = field(default_factory=dict)


def hostile_pdf() -> SimpleUploadedFile:
    """A real PDF under a name with markup in it (no slash: the upload keeps only the last part of a path)."""
    return SimpleUploadedFile("<img src=x onerror=alert(1)>.pdf", pdf_bytes(), "application/pdf")


def client_as(persona: str, w: World) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(w, persona))
    return client
