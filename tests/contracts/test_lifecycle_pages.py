"""The contract lifecycle pages: who may see and do what, bad input refused next to its field,
the change notice on the page. (The renewals list's queries, endings, savings, training and handover:
test_lifecycle_lists.py.)"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import Contract, ContractEnding, ExtensionOption, Saving, Variation
from tests.contracts.lifecycle_helpers import TODAY, D, field_error, variation_data, vary

# Every test runs on the same day: the variation and notice dates below are relative to it.
pytestmark = pytest.mark.usefixtures("_pinned_clock")


# --- Who may see and do what (the whole matrix of pages and personas: test_lifecycle_permissions.py) ------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("alice", 403), ("bob", 404), ("sam", 403), ("priya", 302)],
    indirect=["persona"],
)
def test_only_the_procurement_unit_validates_a_saving(client, persona, status, objects, priya):
    saving = objects["saving"]
    if persona is not None:
        client.force_login(persona)
    response = client.post(reverse("lifecycle:saving_validate", args=[saving.pk]))
    assert response.status_code == status
    saving.refresh_from_db()
    assert (saving.validated_by, saving.validated_on) == ((priya, TODAY) if persona == priya else (None, None))


@pytest.mark.parametrize("persona", ["alice", "sam"], indirect=True)
def test_the_oco_and_sro_read_the_lifecycle_tab_without_the_procurement_buttons(client, persona, objects):
    client.force_login(persona)
    page = client.get(reverse("lifecycle:contract", args=[objects["contract"].pk])).content.decode()
    assert "Variation" in page and "Two more sites" in page
    for button in ("Record a variation", "Add an extension option", "Terminate or let expire"):
        assert button not in page
    assert ("Record a saving" in page) is (persona.username == "alice")
    # The OCO owns the renewal decision: they record it.
    assert ("Record a decision" in page) is (persona.username == "alice")


def test_posting_a_write_as_the_oco_changes_nothing(client, alice, objects):
    client.force_login(alice)
    contract = objects["contract"]
    data = {"agreed_on": "2026-06-01", "description": "x", "reason": "y", "value_change": "1", "approved_by": alice.pk}
    assert client.post(reverse("lifecycle:variation_create", args=[contract.pk]), data).status_code == 403
    assert contract.variations.count() == 1


# --- Variations ----------------------------------------------------------------------------------


def test_a_variation_needing_a_change_notice_is_agreed_only_after_the_notice(client, priya, sam, contract):
    assert contract.nature == Contract.Nature.SERVICES and contract.total_value == D("300000")
    client.force_login(priya)
    url = reverse("lifecycle:variation_create", args=[contract.pk])
    response = client.post(url, variation_data(sam), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("lifecycle:contract", args=[contract.pk]) + "#variations"
    assert "Variation 1 to CON-ALICE proposed. A contract change notice is required" in page
    assert "A contract change notice is required: it raises the value by 12.0%, more than 10%." in page
    assert "Change notice required" in page and "Not yet published" in page and "Proposed</span>" in page
    contract.refresh_from_db()
    assert contract.total_value == D("300000")  # proposed: the contract is not changed yet
    variation = contract.variations.get()
    assert variation.status == Variation.Status.PROPOSED and variation.agreed_on is None
    assert variation.change_notice_required and variation.recorded_by == priya and variation.approved_by == sam

    # Agreeing it before the notice is refused, next to the field that would answer it.
    agree_url = reverse("lifecycle:variation_agree", args=[variation.pk])
    response = client.post(agree_url, {"agreed_on": "2026-10-21"})
    field_error(response, "change_notice_exemption", "record the notice as published first")
    variation.refresh_from_db()
    assert variation.status == Variation.Status.PROPOSED

    # The notice is published: its date is recorded, never in the future.
    notice_url = reverse("lifecycle:variation_notice", args=[variation.pk])
    response = client.post(notice_url, {"published_on": "2026-11-26"})
    assert "the date is in the future" in response.content.decode()
    response = client.post(notice_url, {"published_on": "2026-10-20"}, follow=True)
    page = response.content.decode()
    variation.refresh_from_db()
    assert variation.change_notice_published_on == date(2026, 10, 20)
    assert "Published</span> 20 Oct 2026" in page
    assert "Voluntary standstill (8 working days) to 30 Oct 2026" in page

    # Agreed before the notice was published: refused; after it: agreed, and the contract changes.
    response = client.post(agree_url, {"agreed_on": "2026-10-19"})
    field_error(response, "agreed_on", "after its change notice is published (20 Oct 2026)")
    response = client.post(agree_url, {"agreed_on": "2026-11-02"}, follow=True)
    assert "Variation 1 to CON-ALICE agreed on 2 Nov 2026." in response.content.decode()
    variation.refresh_from_db()
    contract.refresh_from_db()
    assert (variation.status, variation.agreed_on) == (Variation.Status.AGREED, date(2026, 11, 2))
    assert (contract.original_total_value, contract.total_value) == (D("300000"), D("336000"))


def test_a_variation_exempt_from_the_notice_is_agreed_with_its_reason(client, priya, sam, contract):
    client.force_login(priya)
    client.post(reverse("lifecycle:variation_create", args=[contract.pk]), variation_data(sam))
    variation = contract.variations.get()
    agree_url = reverse("lifecycle:variation_agree", args=[variation.pk])
    client.post(agree_url, {"agreed_on": "2026-11-02", "change_notice_exemption": "  "})
    variation.refresh_from_db()
    assert variation.status == Variation.Status.PROPOSED  # blank is no reason
    reason = "Urgent: made to protect life after the flood (section 75 exemption recorded by Legal)."
    client.post(agree_url, {"agreed_on": "2026-11-02", "change_notice_exemption": reason})
    variation.refresh_from_db()
    assert variation.status == Variation.Status.AGREED and variation.change_notice_exemption == reason
    page = client.get(reverse("lifecycle:contract", args=[contract.pk])).content.decode()
    assert f"No change notice, because: {reason}" in page


def test_a_small_variation_needs_no_notice_and_counts_the_earlier_ones_ticked(client, priya, sam, contract):
    client.force_login(priya)
    url = reverse("lifecycle:variation_create", args=[contract.pk])
    client.post(url, variation_data(sam, value_change="15000"))
    first = contract.variations.get()
    assert not first.change_notice_required
    page = client.get(reverse("lifecycle:contract", args=[contract.pk])).content.decode()
    assert "No contract change notice is required: value 5.0% (limit 10%)" in page
    assert "No change notice needed" in page

    # 15,000 more that could reasonably have been made with the first: 10% together is still allowed ...
    client.post(url, variation_data(sam, value_change="15000", made_with=[first.pk]))
    # ... and 1,000 more with both goes over.
    second = contract.variations.get(number=2)
    assert not second.change_notice_required
    client.post(url, variation_data(sam, value_change="1000", made_with=[first.pk, second.pk]))
    third = contract.variations.get(number=3)
    assert third.change_notice_required and set(third.made_with.all()) == {first, second}


def test_the_variation_form_lists_the_contracts_documents_and_earlier_variations(client, priya, sam, contract):
    document = services.document_upload(
        contract=contract,
        kind="variation",
        upload=_pdf("Variation 1.pdf"),
        by=priya,
    )
    vary(contract, priya, "1000")
    client.force_login(priya)
    url = reverse("lifecycle:variation_create", args=[contract.pk])
    page = client.get(url).content.decode()
    assert "Variation v1: Variation 1.pdf" in page and "Variation 1 (agreed 1 May 2026)" in page
    client.post(url, variation_data(sam, value_change="2000", documents=[document.pk]))
    assert list(contract.variations.get(number=2).documents.all()) == [document]
    page = client.get(reverse("lifecycle:contract", args=[contract.pk])).content.decode()
    assert document.get_download_url() in page


def _pdf(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import pdf_bytes

    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def test_the_contract_page_shows_original_and_current_value(client, priya, contract):
    vary(contract, priya, "30000", new_end=date(2028, 6, 30))
    client.force_login(priya)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Varied: now £330,000 to 30 Jun 2028; at award £300,000 to 31 Mar 2028." in page
    assert reverse("lifecycle:contract", args=[contract.pk]) in page


# --- Bad input: refused next to the field, nothing saved ---------------------------------------


def test_a_variation_agreed_before_the_contract_starts_is_refused(client, priya, sam, contract):
    variation = vary(contract, priya, "1000", agreed=None)
    client.force_login(priya)
    response = client.post(reverse("lifecycle:variation_agree", args=[variation.pk]), {"agreed_on": "2025-03-01"})
    field_error(response, "agreed_on", "A variation cannot be agreed before the contract starts.")
    variation.refresh_from_db()
    contract.refresh_from_db()
    assert variation.status == Variation.Status.PROPOSED and contract.total_value == D("300000")


def test_a_new_end_date_beyond_the_latest_allowed_is_refused(client, priya, sam, extendable):
    client.force_login(priya)
    url = reverse("lifecycle:variation_create", args=[extendable.pk])
    response = client.post(url, variation_data(sam, new_end_date="2030-04-30"))
    field_error(response, "new_end_date", "after the latest date the contract allows (31 Mar 2030)")
    assert not Variation.objects.exists()


@pytest.mark.parametrize("amount", ["-50", "0"])
def test_a_saving_of_zero_or_less_is_refused(client, alice, contract, amount):
    client.force_login(alice)
    data = {"kind": "cash_releasing", "amount": amount, "achieved_on": "2026-06-01", "description": "Rate cut"}
    response = client.post(reverse("lifecycle:saving_create", args=[contract.pk]), data)
    field_error(response, "amount", "A saving is a positive amount.")
    assert not Saving.objects.exists()


def test_an_extension_beyond_the_latest_allowed_date_is_refused(client, priya, extendable):
    client.force_login(priya)
    url = reverse("lifecycle:extension_create", args=[extendable.pk])
    data = {"length_months": "25", "decide_by": "2027-12-31", "decision": "pending", "notes": ""}
    response = client.post(url, data)
    field_error(response, "length_months", "beyond the latest date it allows (31 Mar 2030)")
    assert not ExtensionOption.objects.exists()
    # Within the limit it is saved.
    response = client.post(url, data | {"length_months": "24"})
    assert response.status_code == 302
    assert extendable.extension_options.get().length_months == 24


def test_an_extension_on_a_contract_without_a_latest_end_date_asks_for_one(client, priya, contract):
    client.force_login(priya)
    data = {"length_months": "12", "decide_by": "2027-12-31", "decision": "pending"}
    response = client.post(reverse("lifecycle:extension_create", args=[contract.pk]), data)
    field_error(response, "length_months", "Set the contract's latest end date with all extensions first.")


def test_a_termination_for_breach_without_details_is_refused(client, priya, contract):
    client.force_login(priya)
    data = {
        "kind": "terminated",
        "ended_on": "2026-11-20",
        "reason": "Repeated failures",
        "ended_early_for_breach": "on",
        "breach_details": "",
        "damages_or_settlement": "",
    }
    url = reverse("lifecycle:contract_end", args=[contract.pk])
    response = client.post(url, data)
    field_error(response, "breach_details", "Describe the breach.")
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE and not ContractEnding.objects.exists()

    response = client.post(url, data | {"breach_details": "Response times missed for six months"}, follow=True)
    page = response.content.decode()
    assert "Publish the contract termination notice by 20 Dec 2026" in page
    assert "Ended early for breach" in page and "Response times missed for six months" in page
    contract.refresh_from_db()
    assert contract.status == Contract.Status.TERMINATED
    # Its contract page says how it ended.
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Terminated</strong> on 20 Nov 2026" in page


def test_today_is_pinned():
    assert timezone.localdate() == TODAY
