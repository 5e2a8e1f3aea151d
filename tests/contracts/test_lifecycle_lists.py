"""The contract lifecycle lists and pages: renewals (and their queries), endings and termination
notices, savings, training, handover."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import TrainingRecord
from contracts import services
from contracts.models import Contract, ContractEnding, ExtensionOption, RenewalDecision, Saving
from tests import factories
from tests.contracts.lifecycle_helpers import TODAY, D, end, field_error, save_saving

# Every test runs on the same day: the dates below are relative to it.
pytestmark = pytest.mark.usefixtures("_pinned_clock")


# --- Renewals -------------------------------------------------------------------------------------


def _renewable(alice, priya, **fields):
    contract = factories.ContractFactory(oco=alice, **fields)
    return services.contract_save(contract=contract, by=priya)


def test_the_renewals_list_shows_what_falls_due_in_the_next_12_months(client, alice, priya):
    soon = _renewable(
        alice,
        priya,
        reference="CON-SOON",
        end_date=TODAY + timedelta(days=100),
        extended_end_date=TODAY + timedelta(days=465),
    )
    option = ExtensionOption(contract=soon, length_months=12, decide_by=TODAY + timedelta(days=30))
    services.extension_option_save(option=option, by=priya)
    services.renewal_decide(contract=soon, decision="reprocure", notes="Market has moved", by=priya)
    _renewable(alice, priya, reference="CON-PAST", end_date=TODAY - timedelta(days=10))
    # The notice date is within 12 months, the end date after them.
    _renewable(alice, priya, reference="CON-NOTICE", end_date=TODAY + timedelta(days=400), notice_period_days=180)
    _renewable(alice, priya, reference="CON-LATER", end_date=TODAY + timedelta(days=500))
    _renewable(alice, priya, reference="CON-GONE", end_date=TODAY + timedelta(days=20), status="expired")

    client.force_login(priya)
    response = client.get(reverse("lifecycle:renewals"))
    page = response.content.decode()
    listed = [row["contract"].reference for row in response.context["rows"]]
    assert listed == ["CON-PAST", "CON-SOON", "CON-NOTICE"]  # soonest notice date first
    assert "Past its end date" in page and "Ended 10 days ago" in page
    assert "12 months, decide by 25 Dec 2026" in page
    assert "Re-procure" in page and "by Priya Patel" in page
    decide = reverse("lifecycle:renewal_decide", args=[soon.pk]) + "?from=renewals"
    assert decide in page

    response = client.post(decide, {"decision": "let_expire", "notes": "No longer needed", "from": "renewals"})
    assert response["Location"] == reverse("lifecycle:renewals")
    latest = RenewalDecision.objects.filter(contract=soon).first()
    assert (latest.decision, latest.decided_by, latest.notes) == ("let_expire", priya, "No longer needed")


def _renewals_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("lifecycle:renewals")).status_code == 200
    return len(queries)


def test_the_renewals_list_query_count_is_the_same_for_1_and_20_contracts(
    client, alice, priya, django_assert_max_num_queries
):
    def add():
        contract = _renewable(
            alice,
            priya,
            supplier=factories.SupplierFactory(),
            end_date=TODAY + timedelta(days=120),
            extended_end_date=TODAY + timedelta(days=900),
        )
        for months in (6, 6):
            services.extension_option_save(
                option=ExtensionOption(contract=contract, length_months=months, decide_by=TODAY + timedelta(days=60)),
                by=priya,
            )
        services.renewal_decide(contract=contract, decision="extend", notes="", by=priya)

    client.force_login(priya)
    add()
    with django_assert_max_num_queries(12):
        one = _renewals_queries(client)
    for _ in range(19):
        add()
    with django_assert_max_num_queries(12):
        twenty = _renewals_queries(client)
    assert one == twenty


def test_an_extension_option_is_edited(client, priya, objects):
    client.force_login(priya)
    option = objects["option"]
    url = reverse("lifecycle:extension_edit", args=[option.pk])
    data = {"length_months": "12", "decide_by": "2027-12-31", "decision": "taken", "notes": "Good performance"}
    assert client.post(url, data).status_code == 302
    option.refresh_from_db()
    assert (option.decision, option.notes) == ("taken", "Good performance")


# --- Endings and termination notices ---------------------------------------------------------------


def test_termination_notices_due_are_listed_with_the_overdue_flagged(client, alice, priya):
    late = _renewable(alice, priya, reference="CON-LATE", end_date=date(2026, 10, 1))
    fresh = _renewable(alice, priya, reference="CON-FRESH")
    done = _renewable(alice, priya, reference="CON-DONE")
    end(late, priya, ended_on=date(2026, 10, 1))  # due by 31 Oct: overdue by 25 days
    fresh_ending = end(fresh, priya, ended_on=date(2026, 11, 20), kind="terminated")  # due by 20 Dec
    done_ending = end(done, priya, ended_on=date(2026, 11, 1))
    done_ending.notice_published_on = date(2026, 11, 5)
    done_ending.save()

    client.force_login(priya)
    # The old address is kept: it leads to the one list of termination notices due (exchange's).
    response = client.get(reverse("lifecycle:termination_notices"), follow=True)
    assert response.redirect_chain == [(reverse("exchange:termination_notices"), 302)]
    page = response.content.decode()
    assert [row["ending"].contract.reference for row in response.context["rows"]] == ["CON-LATE", "CON-FRESH"]
    assert "Overdue</span> by 25 days" in page
    assert "31 Oct 2026" in page and "20 Dec 2026" in page and "CON-DONE" not in page

    url = reverse("lifecycle:termination_notice", args=[fresh_ending.pk])
    response = client.post(url + "?from=list", {"published_on": "2026-12-01", "from": "list"})
    assert response.status_code == 200  # in the future
    assert "the date is in the future" in response.content.decode()
    response = client.post(url, {"published_on": "2026-11-24", "from": "list"})
    assert response["Location"] == reverse("exchange:termination_notices")
    fresh_ending.refresh_from_db()
    assert fresh_ending.notice_published_on == date(2026, 11, 24)
    assert fresh_ending.history.latest().history_user == priya


def test_an_ending_in_the_future_is_refused(client, priya, contract):
    client.force_login(priya)
    data = {"kind": "expired", "ended_on": "2028-03-31", "reason": "Not needed"}
    response = client.post(reverse("lifecycle:contract_end", args=[contract.pk]), data)
    field_error(response, "ended_on", "Record the ending once the contract has ended")
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE


def test_an_ended_contract_cannot_be_ended_twice(client, priya, objects):
    client.force_login(priya)
    ended = objects["ending"].contract
    response = client.post(reverse("lifecycle:contract_end", args=[ended.pk]), {"kind": "terminated"})
    assert response.status_code == 302
    assert ContractEnding.objects.filter(contract=ended).count() == 1


# --- Savings ---------------------------------------------------------------------------------------


def test_the_oco_records_a_saving_and_the_procurement_unit_validates_it(client, alice, priya, contract):
    client.force_login(alice)
    data = {
        "kind": "cost_avoidance",
        "amount": "12500",
        "achieved_on": "2026-04-01",
        "description": "Price freeze",
        "evidence": "",
    }
    response = client.post(reverse("lifecycle:saving_create", args=[contract.pk]), data, follow=True)
    assert "Saving of £12,500.00 recorded for 2026-27" in response.content.decode()
    saving = Saving.objects.get()
    assert (saving.recorded_by, saving.financial_year) == (alice, 2026)

    client.force_login(priya)
    client.post(reverse("lifecycle:saving_validate", args=[saving.pk]), {"from": "savings"})
    saving.refresh_from_db()
    assert saving.validated_by == priya


def test_the_savings_page_totals_by_financial_year_and_category(client, alice, bob, priya, contract, other_contract):
    fleet = factories.ContractFactory(oco=bob, category=factories.CategoryFactory(name="Fleet"))
    save_saving(contract, alice, "1000", date(2026, 3, 31))  # 2025-26
    save_saving(contract, alice, "2500", date(2026, 4, 1))  # 2026-27
    validated = save_saving(fleet, bob, "4000", date(2026, 10, 1))
    services.saving_validate(saving=validated, by=priya, on=TODAY)

    client.force_login(priya)
    response = client.get(reverse("lifecycle:savings"))
    page = response.content.decode()
    assert [(row["label"], row["total"], row["validated"]) for row in response.context["by_year"]] == [
        ("2026-27", D("6500"), D("4000")),
        ("2025-26", D("1000"), D("0")),
    ]
    assert [(r["contract__category__name"], r["total"]) for r in response.context["by_category"]] == [
        ("Fleet", D("4000")),
        ("ICT", D("3500")),
    ]
    assert "£7,500</strong> recorded in all, of which <strong>£4,000</strong> validated" in page
    response = client.get(reverse("lifecycle:savings"), {"year": "2025"})
    assert [s.amount for s in response.context["savings"]] == [D("1000")]
    response = client.get(reverse("lifecycle:savings"), {"status": "unvalidated"})
    assert len(response.context["savings"]) == 2


# --- Training --------------------------------------------------------------------------------------


def test_the_training_page_lists_ocos_missing_or_expiring_and_records_training(client, alice, bob, priya):
    TrainingRecord.objects.create(user=alice, completed_on=date(2025, 1, 1), expires_on=date(2027, 6, 1))
    TrainingRecord.objects.create(user=bob, completed_on=date(2024, 1, 1), expires_on=date(2026, 12, 20))
    carol = factories.oco(username="carol", first_name="Carol", last_name="Cole")

    client.force_login(priya)
    response = client.get(reverse("lifecycle:training"))
    page = response.content.decode()
    assert [row["oco"] for row in response.context["rows"]] == [bob, carol]
    assert "Expires on 20 Dec 2026" in page and "Missing" in page

    data = {
        "user": carol.pk,
        "course": "commercial_awareness",
        "course_name": "",
        "level": "foundation",
        "completed_on": "2026-11-20",
        "expires_on": "2026-11-01",
    }
    response = client.post(reverse("lifecycle:training_add"), data)
    field_error(response, "expires_on", "The training must expire after the day it was completed.")
    response = client.post(reverse("lifecycle:training_add"), data | {"expires_on": "2028-11-20"})
    assert response.status_code == 302
    assert carol.has_current_training(on=TODAY)
    assert [row["oco"] for row in client.get(reverse("lifecycle:training")).context["rows"]] == [bob]

    client.force_login(carol)
    page = client.get(reverse("lifecycle:training_mine")).content.decode()
    assert "Current:" in page and "20 Nov 2028" in page


def test_my_training_says_when_it_is_missing(client, alice):
    client.force_login(alice)
    assert "Missing:" in client.get(reverse("lifecycle:training_mine")).content.decode()


def test_assigning_an_oco_without_training_warns_but_saves(client, priya, alice, bob, contract):
    from tests.contracts.test_register import contract_form_data

    TrainingRecord.objects.create(user=bob, completed_on=date(2026, 1, 1), expires_on=date(2028, 1, 1))
    client.force_login(priya)
    data = contract_form_data(contract.supplier, contract.category, oco=alice.pk)
    response = client.post(reverse("contracts:create"), data, follow=True)
    assert "Contract CON-2026-100 added to the register." in response.content.decode()
    assert "Alice Adams has no current commercial-awareness training" in response.content.decode()
    created = Contract.objects.get(reference="CON-2026-100")
    assert created.oco == alice

    data = contract_form_data(contract.supplier, contract.category, oco=bob.pk)
    response = client.post(reverse("contracts:edit", args=[created.pk]), data, follow=True)
    assert "Changes to CON-2026-100 saved." in response.content.decode()
    assert "no current commercial-awareness training" not in response.content.decode()


# --- Handover --------------------------------------------------------------------------------------


def test_handover_through_the_page_moves_the_contracts_and_keeps_the_reason(client, alice, bob, priya, contract):
    others = [services.contract_save(contract=factories.ContractFactory(oco=alice), by=priya) for _ in range(2)]
    ended = factories.ContractFactory(oco=alice, status="expired")
    client.force_login(priya)
    data = {"from_user": alice.pk, "to_user": bob.pk, "role": "oco", "reason": "Alice moved to Fleet"}

    response = client.post(reverse("lifecycle:handover"), data)
    assert response.status_code == 200 and response.context["confirm"]
    assert "3 contracts will move</strong> from Alice Adams to Bob Brown as OCO" in response.content.decode()
    assert Contract.objects.filter(oco=bob).count() == 0  # nothing moves before the confirmation

    response = client.post(reverse("lifecycle:handover"), data | {"confirm": "1"}, follow=True)
    page = response.content.decode()
    assert "3 contracts handed over from Alice Adams to Bob Brown as OCO." in page
    assert set(Contract.objects.filter(oco=bob)) == {contract, *others}
    assert Contract.objects.get(pk=ended.pk).oco == alice
    reason = "Handover from Alice Adams to Bob Brown: Alice moved to Fleet"
    assert contract.history.latest().history_change_reason == reason
    assert reason in page  # the page's recent handovers, read from the contracts' history
    assert "3 contracts:" in page
    # Bob takes them over without current training: a warning, not a refusal.
    assert "Bob Brown has no current commercial-awareness training" in page


def test_handover_to_someone_who_cannot_hold_the_role_is_refused_next_to_the_field(client, alice, sam, priya, contract):
    client.force_login(priya)
    data = {"from_user": alice.pk, "to_user": sam.pk, "role": "oco", "reason": "x", "confirm": "1"}
    response = client.post(reverse("lifecycle:handover"), data)
    field_error(response, "to_user", "Sam Singh is not an active Operational Contract Owner.")
    contract.refresh_from_db()
    assert contract.oco == alice


def test_the_handover_page_lists_people_who_left_with_their_contracts(client, alice, bob, priya, contract):
    alice.is_active = False
    alice.save()
    client.force_login(priya)
    response = client.get(reverse("lifecycle:handover"))
    (row,) = response.context["deactivated"]
    assert row["user"] == alice and row["contracts"] == [(contract, "OCO")]
    page = response.content.decode()
    assert "CON-ALICE" in page and f"?from_user={alice.pk}&amp;role=oco" in page
    # The link fills in the form.
    response = client.get(reverse("lifecycle:handover"), {"from_user": alice.pk, "role": "oco"})
    assert response.context["form"].initial == {"from_user": str(alice.pk), "role": "oco"}
