"""Two people editing one contract: the second save is refused with who and when, never silently
overwriting the first (optimistic concurrency on Contract.version)."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts import services
from contracts.models import Contract, Variation
from exchange.services import imports
from exchange.tasks import run_import_job
from tests import factories
from tests.exchange.test_imports import _csv, _row

# Europe/London is on GMT in early March.
EDIT_AT = "2027-03-10 14:02 +00:00"
REFUSED_AT = "2027-03-10 14:09 +00:00"


@pytest.fixture(autouse=True)
def _morning():
    """Everything here happens on 10 Mar 2027, the fixtures first."""
    with time_machine.travel("2027-03-10 13:50 +00:00"):
        yield


@pytest.fixture
def pat(db):
    """A second Procurement Unit officer."""
    return factories.procurement_officer(username="pat", first_name="Pat", last_name="Quinn")


def _edit_page(client, user, contract):
    client.force_login(user)
    response = client.get(reverse("contracts:edit", args=[contract.pk]))
    assert response.status_code == 200
    return response


def _form_data(response, **changes) -> dict:
    """What the browser would send back: every field of the page's form as it was, then the changes."""
    form = response.context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    return {**data, **changes}


def _version_on_page(response) -> int:
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', response.content.decode())
    assert match, "the edit form carries the contract's version"
    return int(match.group(1))


def test_the_second_of_two_editors_is_refused_and_keeps_their_input(client, priya, pat, contract):
    first, second = client, type(client)()
    pats_page, priyas_page = _edit_page(first, pat, contract), _edit_page(second, priya, contract)
    loaded = _version_on_page(priyas_page)
    assert _version_on_page(pats_page) == loaded

    with time_machine.travel(EDIT_AT, tick=False):
        response = first.post(contract.get_absolute_url() + "edit/", _form_data(pats_page, title="Body-worn video v2"))
    assert response.status_code == 302

    with time_machine.travel(REFUSED_AT, tick=False):
        response = second.post(
            reverse("contracts:edit", args=[contract.pk]),
            _form_data(priyas_page, title="Body-worn cameras", total_value="450000.00"),
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Pat Quinn saved this contract at 14:02 while you were editing it. "
        "Your changes are not saved yet: check their changes below and save again."
    ) in page
    contract.refresh_from_db()
    assert (contract.title, contract.total_value) == ("Body-worn video v2", Decimal("300000.00"))
    assert contract.version == loaded + 1
    # Priya's input is kept, the differences are shown, and the form now carries the current version.
    assert 'value="Body-worn cameras"' in page
    differences = {c.label: (c.old, c.new) for c in response.context["differences"]}
    assert differences == {
        "Title": ("Body-worn video v2", "Body-worn cameras"),
        "Total value (£)": ("£300,000", "£450,000"),
    }
    assert _version_on_page(response) == loaded + 1

    # Saving again, having seen Pat's change, is a deliberate choice: it saves.
    with time_machine.travel("2027-03-10 14:12 +00:00", tick=False):
        response = second.post(reverse("contracts:edit", args=[contract.pk]), _form_data(response))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.title, contract.total_value) == ("Body-worn cameras", Decimal("450000.00"))
    assert contract.version == loaded + 2
    assert [h.history_user.username for h in contract.history.order_by("-history_date")[:2]] == ["priya", "pat"]


def test_the_ocos_operational_form_is_checked_too(client, alice, priya, contract):
    alices_page = _edit_page(client, alice, contract)
    assert (
        "operational_notes" in alices_page.context["form"].fields and "title" not in alices_page.context["form"].fields
    )
    other = type(client)()
    priyas_page = _edit_page(other, priya, contract)
    with time_machine.travel(EDIT_AT, tick=False):
        other.post(reverse("contracts:edit", args=[contract.pk]), _form_data(priyas_page, operational_notes="Priya's"))
    with time_machine.travel(REFUSED_AT, tick=False):
        response = client.post(
            reverse("contracts:edit", args=[contract.pk]), _form_data(alices_page, operational_notes="Alice's")
        )
    assert response.status_code == 200
    assert "Priya Patel saved this contract at 14:02 while you were editing it." in response.content.decode()
    contract.refresh_from_db()
    assert contract.operational_notes == "Priya's"


def test_the_same_person_in_two_tabs_is_told_so(client, priya, contract):
    with time_machine.travel("2027-03-10 23:40 +00:00", tick=False):
        tab_one = _edit_page(client, priya, contract)
        tab_two = client.get(reverse("contracts:edit", args=[contract.pk]))
    with time_machine.travel("2027-03-10 23:50 +00:00", tick=False):
        assert client.post(reverse("contracts:edit", args=[contract.pk]), _form_data(tab_one)).status_code == 302
    with time_machine.travel("2027-03-11 00:10 +00:00", tick=False):
        response = client.post(reverse("contracts:edit", args=[contract.pk]), _form_data(tab_two, title="Other"))
    assert "You saved this contract at 23:50 on 10 Mar 2027 in another tab or window" in response.content.decode()
    assert Contract.objects.get(pk=contract.pk).title == "Body-worn video"


def _import_update(contract, by):
    row = _row(1, reference=contract.reference, title="Renamed by the import", oco=contract.oco.email)
    job = imports.import_job_create(upload=SimpleUploadedFile("update.csv", _csv([row])), by=by)
    run_import_job.apply(args=[job.pk], kwargs={"dry_run": True})
    imports.import_job_confirm(job=job)
    run_import_job.apply(args=[job.pk], kwargs={"dry_run": False})


def _variation(contract, by):
    variation = Variation(
        contract=contract,
        agreed_on=date(2026, 5, 1),
        description="Extra sites",
        reason="New custody suite",
        value_change=Decimal("10000"),
        approved_by=by,
    )
    variation = services.variation_record(variation=variation, by=by)  # proposed: the contract is unchanged
    services.variation_agree(variation=variation, on=date(2026, 5, 1), by=by)


def _handover(contract, by):
    services.handover(from_user=contract.oco, to_user=factories.oco(username="olu"), role="oco", reason="Moved", by=by)


@pytest.mark.parametrize("save", [_import_update, _variation, _handover], ids=["import", "variation", "handover"])
def test_every_other_way_of_saving_a_contract_moves_its_version_on(client, priya, pat, contract, save):
    """A spreadsheet import, a variation or a handover while Priya edits: her save is refused too."""
    page = _edit_page(client, priya, contract)
    loaded = _version_on_page(page)
    with time_machine.travel(EDIT_AT, tick=False):
        save(Contract.objects.get(pk=contract.pk), pat)
    assert Contract.objects.get(pk=contract.pk).version == loaded + 1
    response = client.post(reverse("contracts:edit", args=[contract.pk]), _form_data(page, cost_centre="CC-9"))
    assert response.status_code == 200
    assert "Pat Quinn saved this contract at 14:02" in response.content.decode()
    assert Contract.objects.get(pk=contract.pk).cost_centre != "CC-9"


def test_two_saves_of_stale_copies_add_two(contract, priya):
    one, two = Contract.objects.get(pk=contract.pk), Contract.objects.get(pk=contract.pk)
    start = one.version
    one.cost_centre = "A"
    services.contract_save(contract=one, by=priya)
    two.operational_notes = "B"
    services.contract_save(contract=two, by=priya)
    assert Contract.objects.get(pk=contract.pk).version == start + 2
    assert two.version == start + 2  # read back from the database once asked for
