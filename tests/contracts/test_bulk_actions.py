"""The register's bulk actions: hand over the ticked contracts, export them, confirm ticked review items.
Each is refused to those who may not do it, and each leaves the history a single action would."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from contracts import services
from contracts.models import Activity, Contract, KraljicCriterion
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol(db):
    return factories.oco(username="carol", first_name="Carol", last_name="Clarke")


def _handover(client, contracts, **data):
    form = {"step": "1", "contracts": [c.pk for c in contracts], "role": "oco", "reason": "Fleet team restructure"}
    return client.post(reverse("lifecycle:handover_selected"), {**form, **data})


def test_the_procurement_unit_hands_over_ticked_contracts_of_several_owners_to_one(
    client, priya, carol, contract, other_contract
):
    ended = factories.ContractFactory(oco=contract.oco, status="expired", title="Ended")
    client.force_login(priya)
    # From the register: only the ticked contracts are posted; the page lists them.
    ticked = [contract.pk, other_contract.pk, ended.pk]
    page = client.post(reverse("lifecycle:handover_selected"), {"contracts": ticked})
    assert [c.reference for c in page.context["chosen"]] == ["CON-ALICE", "CON-BOB"]  # ended ones are not moved
    confirm = _handover(client, [contract, other_contract], to_user=carol.pk)
    assert confirm.context["confirm"] is True
    text = " ".join(confirm.content.decode().split())
    assert "2 contracts will move" in text and "from Alice Adams" in text and "from Bob Brown" in text
    assert Contract.objects.filter(oco=carol).count() == 0  # nothing moves before the confirmation

    response = _handover(client, [contract, other_contract], to_user=carol.pk, confirm="1")
    assert response.status_code == 302
    assert set(Contract.objects.filter(oco=carol)) == {contract, other_contract}
    assert Contract.objects.get(pk=ended.pk).oco == contract.oco
    reasons = {c.reference: c.history.latest().history_change_reason for c in (contract, other_contract)}
    assert reasons == {
        "CON-ALICE": "Handover from Alice Adams to Carol Clarke: Fleet team restructure",
        "CON-BOB": "Handover from Bob Brown to Carol Clarke: Fleet team restructure",
    }
    entry = Activity.objects.get(contract=contract, kind=Activity.Kind.HANDOVER)
    assert entry.summary == "Handed over as OCO from Alice Adams to Carol Clarke" and entry.recorded_by == priya


def test_an_oco_may_not_hand_over_contracts(client, alice, carol, contract):
    client.force_login(alice)
    assert _handover(client, [contract], to_user=carol.pk, confirm="1").status_code == 403
    contract.refresh_from_db()
    assert contract.oco == alice


def test_a_contract_outside_ones_scope_cannot_be_chosen(client, priya, carol, contract):
    client.force_login(priya)
    response = _handover(client, [contract, type("Missing", (), {"pk": 2_147_483_647})], to_user=carol.pk)
    assert "contracts" in response.context["form"].errors
    assert not Contract.objects.filter(oco=carol).exists()


def test_the_handover_reasons_length_is_checked_at_the_first_step(client, priya, carol, contract, alice, bob):
    client.force_login(priya)
    response = _handover(client, [contract], to_user=carol.pk, reason="x" * 90)
    assert response.context["confirm"] is False
    assert "Shorten the reason by" in response.context["form"].errors["reason"][0]
    page = client.get(reverse("lifecycle:handover"))
    assert "at most 100 characters" in page.content.decode()  # the limit is said before anyone types
    response = client.post(
        reverse("lifecycle:handover"),
        {"from_user": alice.pk, "to_user": bob.pk, "role": "oco", "reason": "y" * 90},
    )
    assert "Shorten the reason by" in response.context["form"].errors["reason"][0]  # before the confirm step


def test_export_of_ticked_contracts_holds_only_those_one_may_see(client, alice, contract, other_contract):
    client.force_login(alice)
    response = client.post(reverse("contracts:export_selected"), {"contracts": [contract.pk, other_contract.pk]})
    assert response.status_code == 200
    sheet = load_workbook(
        BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).active
    references = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert references == ["CON-ALICE"]


def test_ticked_review_items_are_confirmed_together_with_their_history(
    client, priya, alice, contract, other_contract, kraljic_reference_data
):
    scores = {c.pk: 4 for c in KraljicCriterion.objects.filter(is_active=True)}
    for each in (contract, other_contract):
        services.assessment_record(contract=each, scores=scores, rationale="", by=priya)
    review_round, _ = services.review_round_open(today=timezone.localdate())
    items = list(review_round.items.order_by("contract__reference"))
    url = reverse("contracts:review_confirm_selected", args=[review_round.pk])

    client.force_login(alice)
    assert client.post(url, {"items": [i.pk for i in items]}).status_code == 403
    assert not review_round.items.filter(reviewed_at__isnull=False).exists()

    client.force_login(priya)
    response = client.post(url, {"items": [i.pk for i in items]}, follow=True)
    assert "2 contracts confirmed unchanged: CON-ALICE, CON-BOB." in response.content.decode()
    for item in items:
        item.refresh_from_db()
        assert item.assessment.confirms == item.previous and item.assessment.assessed_by == priya
    history = client.get(reverse("contracts:history", args=[contract.pk]))
    assert any(e.subject == "Kraljic assessment" and e.who == "Priya Patel" for e in history.context["entries"])
