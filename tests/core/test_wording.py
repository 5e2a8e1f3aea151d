"""Counted things read as English at one and at many; the History tab reads as the pages do."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from contracts.models import Saving
from contracts.services import lifecycle
from core.formatting import compact_pounds
from notifications.models import Kind
from notifications.services import notify
from tests import factories

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_procurement_dashboard_counts_one_active_contract_in_the_singular(client, priya, contract):
    client.force_login(priya)
    page = _text(client.get(reverse("dashboard:procurement")))
    assert '<span class="headline-label">active contract</span>' in page
    assert "active contract without an OCO" in page or "active contracts without an OCO" in page


def test_the_procurement_dashboard_counts_several_in_the_plural(client, priya, contract, other_contract):
    client.force_login(priya)
    page = _text(client.get(reverse("dashboard:procurement")))
    assert '<span class="headline-label">active contracts</span>' in page
    assert "0 open escalations" not in page  # the figure and its label are apart: the label is plural at 0
    assert '<span class="headline-label">open escalations</span>' in page


def test_my_work_says_one_contract_missing_its_document(client, alice, contract):
    client.force_login(alice)
    page = _text(client.get(reverse("dashboard:my_work")))
    assert "contract missing its document" in page
    assert "contracts missing their document" not in page
    assert "results due" in page  # none due: zero takes the plural


def test_marking_one_notification_read_says_notification(client, alice):
    notify(recipient=alice, kind=Kind.MEETING_ARRANGE_FLAG, title="Something happened")
    client.force_login(alice)
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "1 notification marked as read." in _text(response)


def test_history_shows_pounds_financial_years_and_long_dates(client, priya, contract):
    saving = Saving(
        contract=contract,
        kind=Saving.Kind.CASH_RELEASING,
        amount=Decimal("65000.00"),
        achieved_on=date(2026, 2, 10),
        financial_year=2025,
        description="Renegotiated the support tier",
    )
    lifecycle.saving_record(saving=saving, by=priya)
    client.force_login(priya)
    response = client.get(reverse("contracts:history", args=[contract.pk]))
    entry = next(e for e in response.context["entries"] if e.subject == "Saving")
    values = {c.label: c.new for c in entry.changes}
    assert values["Amount (£)"] == "£65,000"
    assert values["Financial year"] == "2025-26"
    assert values["Date achieved"] == "10 Feb 2026"
    assert values["Kind"] == "Cash-releasing"
    page = _text(response)
    assert "65000.00" not in page and "10/02/2026" not in page


def test_objects_named_in_history_carry_their_sums_in_the_sites_form(contract):
    saving = Saving(contract=contract, kind=Saving.Kind.COST_AVOIDANCE, amount=Decimal("1250.50"))
    assert str(saving) == f"Cost avoidance saving of £1,250.50 on {contract.reference}"


@pytest.mark.parametrize(
    ("value", "compact"),
    [(75_334_000, "£75.3m"), (850_000, "£850k"), (1_234_567_890, "£1.2bn"), (9_999, "£9,999"), (999_600, "£1m")],
)
def test_headline_sums_are_compact(value, compact):
    assert compact_pounds(Decimal(value)) == compact


def test_the_dashboard_headline_shows_the_compact_sum_with_the_exact_one_for_screen_readers(client, priya):
    factories.ContractFactory(total_value=Decimal("75334000"), annual_value=Decimal("18833500"))
    client.force_login(priya)
    page = _text(client.get(reverse("dashboard:procurement")))
    assert (
        '<span aria-hidden="true" title="£75,334,000">£75.3m</span><span class="visually-hidden">£75,334,000</span>'
        in page
    )
    assert "£18.8m" in page


def test_a_name_filter_that_matches_no_one_says_so_and_suggests_close_names(client, priya, contract):
    factories.oco(username="jsmith", first_name="James", last_name="Smith")
    client.force_login(priya)
    page = _text(client.get(reverse("dashboard:procurement"), {"oco": "Jmaes"}))
    assert "OCO: No one matches “Jmaes”. Did you mean James Smith?" in page
    assert "Nothing to show: no active contract with a value matches these filters." in page
    page = _text(client.get(reverse("contracts:list"), {"sro": "Sma Sngh"}))
    assert "SRO: No one matches “Sma Sngh”. Did you mean Sam Singh?" in page
    assert "No one matches" not in _text(client.get(reverse("contracts:list"), {"oco": "Alice"}))


def test_the_kraljic_matrix_and_the_register_count_one_in_the_singular_and_two_in_the_plural(
    client, priya, contract, kraljic_reference_data
):
    client.force_login(priya)
    page = _text(client.get(reverse("contracts:kraljic_matrix")))
    assert "1 active contract not yet assessed." in page
    assert "Kraljic matrix of 0 contracts;" in page
    assert "<strong>1</strong> contract ·" in _text(client.get(reverse("contracts:list")))
    factories.ContractFactory(reference="CON-TWO", oco=contract.oco)
    page = _text(client.get(reverse("contracts:kraljic_matrix")))
    assert "2 active contracts not yet assessed." in page
    assert "<strong>2</strong> contracts ·" in _text(client.get(reverse("contracts:list")))


def test_no_template_counts_with_pluralize():
    """English plurals go through {% blocktranslate count %} (ngettext), which other languages' rules follow;
    Django's |pluralize only adds an "s"."""
    templates = Path(settings.BASE_DIR) / "templates"
    found = [str(path.relative_to(templates)) for path in templates.rglob("*.html") if "|pluralize" in path.read_text()]
    assert not found, f"|pluralize in {found}: use {{% blocktranslate count %}}"
