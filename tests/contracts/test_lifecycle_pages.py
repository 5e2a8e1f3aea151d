"""The contract lifecycle pages: who may see and do what, bad input refused next to its field,
the change notice on the page, the renewals list's queries, handover, training."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import TrainingRecord
from contracts import services
from contracts.models import Contract, ContractEnding, ExtensionOption, RenewalDecision, Saving, Variation
from tests import factories

D = Decimal
PERSONAS = ["anonymous", "alice", "bob", "sam", "priya", "admin_user"]
TODAY = date(2026, 11, 25)
# Every test runs on the same day: the variation and notice dates below are relative to it.
pytestmark = pytest.mark.usefixtures("_pinned_clock")


@pytest.fixture
def _pinned_clock():
    with time_machine.travel("2026-11-25 10:00 +00:00", tick=False):
        yield


def vary(contract, by, value="1000", new_end=None, agreed=date(2026, 5, 1)) -> Variation:
    variation = Variation(
        contract=contract,
        agreed_on=agreed,
        description="Two more sites",
        reason="New custody suite",
        value_change=D(value),
        new_end_date=new_end,
        approved_by=by,
    )
    variation.full_clean(exclude=["number", "recorded_by"])
    return services.variation_record(variation=variation, by=by)


def end(contract, by, *, ended_on, kind="expired") -> ContractEnding:
    ending = ContractEnding(contract=contract, kind=kind, ended_on=ended_on, reason="No longer needed")
    ending.full_clean(exclude=["recorded_by"])
    return services.contract_end(ending=ending, by=by)


def save_saving(contract, by, amount="2500", achieved_on=date(2026, 6, 1), **fields) -> Saving:
    saving = Saving(
        contract=contract,
        kind=fields.pop("kind", Saving.Kind.CASH_RELEASING),
        amount=D(amount),
        achieved_on=achieved_on,
        description=fields.pop("description", "Rate reduction at renewal"),
        **fields,
    )
    return services.saving_record(saving=saving, by=by)


@pytest.fixture
def extendable(contract, priya):
    """Alice's contract (ends 31 Mar 2028) may run to 31 Mar 2030 with its extensions."""
    contract.extended_end_date = date(2030, 3, 31)
    return services.contract_save(contract=contract, by=priya)


@pytest.fixture
def objects(extendable, alice, sam, priya):
    contract = extendable
    option = ExtensionOption(contract=contract, length_months=12, decide_by=date(2027, 12, 31))
    option.full_clean()
    services.extension_option_save(option=option, by=priya)
    ended = services.contract_save(
        contract=factories.ContractFactory(reference="CON-ENDED", oco=alice, sro=sam), by=priya
    )
    return {
        "contract": contract,
        "variation": vary(contract, priya, "40000"),
        "option": option,
        "saving": save_saving(contract, alice),
        "ending": end(ended, priya, ended_on=date(2026, 11, 1)),
    }


# --- Who may see and do what -------------------------------------------------------------------

READ, WRITE, SAVING, PROCUREMENT, OWN = "read", "write", "saving", "procurement", "own"
EXPECTED = {
    # alice is the contract's OCO, bob another OCO, sam its SRO, priya the Procurement Unit.
    READ: {"alice": 200, "bob": 404, "sam": 200, "priya": 200, "admin_user": 200},
    WRITE: {"alice": 403, "bob": 404, "sam": 403, "priya": 200, "admin_user": 200},
    SAVING: {"alice": 200, "bob": 404, "sam": 403, "priya": 200, "admin_user": 200},
    PROCUREMENT: {"alice": 403, "bob": 403, "sam": 403, "priya": 200, "admin_user": 200},
    OWN: {"alice": 200, "bob": 200, "sam": 200, "priya": 200, "admin_user": 200},
}
URLS = [
    ("lifecycle:contract", "contract", READ),
    ("lifecycle:variation_create", "contract", WRITE),
    ("lifecycle:variation_notice", "variation", WRITE),
    ("lifecycle:extension_create", "contract", WRITE),
    ("lifecycle:extension_edit", "option", WRITE),
    ("lifecycle:renewal_decide", "contract", WRITE),
    ("lifecycle:contract_end", "contract", WRITE),
    ("lifecycle:termination_notice", "ending", WRITE),
    ("lifecycle:saving_create", "contract", SAVING),
    ("lifecycle:renewals", None, PROCUREMENT),
    ("lifecycle:savings", None, PROCUREMENT),
    ("lifecycle:training", None, PROCUREMENT),
    ("lifecycle:training_add", None, PROCUREMENT),
    ("lifecycle:handover", None, PROCUREMENT),
    ("lifecycle:training_mine", None, OWN),
]


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
@pytest.mark.parametrize(("name", "target", "kind"), URLS)
def test_permission_matrix(client, persona, objects, name, target, kind):
    url = reverse(name, args=[objects[target].pk] if target else [])
    if persona is not None:
        client.force_login(persona)
    response = client.get(url)
    if persona is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        return
    assert response.status_code == EXPECTED[kind][persona.username if persona.username != "root" else "admin_user"]


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
    for button in ("Record a variation", "Add an extension option", "Record a decision", "Terminate or let expire"):
        assert button not in page
    assert ("Record a saving" in page) is (persona.username == "alice")


def test_posting_a_write_as_the_oco_changes_nothing(client, alice, objects):
    client.force_login(alice)
    contract = objects["contract"]
    data = {"agreed_on": "2026-06-01", "description": "x", "reason": "y", "value_change": "1", "approved_by": alice.pk}
    assert client.post(reverse("lifecycle:variation_create", args=[contract.pk]), data).status_code == 403
    assert contract.variations.count() == 1


# --- Variations ----------------------------------------------------------------------------------


def variation_data(approved_by, **overrides) -> dict:
    data = {
        "agreed_on": "2026-10-01",
        "description": "Twelve more body-worn cameras",
        "reason": "New response team",
        "value_change": "36000",
        "new_end_date": "",
        "approved_by": approved_by.pk,
    }
    data.update(overrides)
    return data


def test_a_variation_raising_a_services_contract_by_12_percent_needs_a_change_notice(client, priya, sam, contract):
    assert contract.nature == Contract.Nature.SERVICES and contract.total_value == D("300000")
    client.force_login(priya)
    url = reverse("lifecycle:variation_create", args=[contract.pk])
    response = client.post(url, variation_data(sam), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("lifecycle:contract", args=[contract.pk]) + "#variations"
    assert "Variation 1 to CON-ALICE recorded. A contract change notice is required" in page
    assert "A contract change notice is required: it raises the value by 12.0%, more than 10%." in page
    assert "Change notice required" in page and "Not yet published" in page
    contract.refresh_from_db()
    assert (contract.original_total_value, contract.total_value) == (D("300000"), D("336000"))
    variation = contract.variations.get()
    assert variation.change_notice_required and variation.recorded_by == priya and variation.approved_by == sam

    # The notice is published: its date is recorded, not before the variation was agreed.
    notice_url = reverse("lifecycle:variation_notice", args=[variation.pk])
    response = client.post(notice_url, {"published_on": "2026-09-30"})
    assert response.status_code == 200
    assert "The notice cannot be published before the variation was agreed (1 Oct 2026)." in response.content.decode()
    response = client.post(notice_url, {"published_on": "2026-10-20"}, follow=True)
    variation.refresh_from_db()
    assert variation.change_notice_published_on == date(2026, 10, 20)
    assert "Published</span> 20 Oct 2026" in response.content.decode()


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
    assert "Variation v1: Variation 1.pdf" in page and "Variation 1 (01/05/2026)" in page
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


def _field_error(response, field: str, message: str) -> None:
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert f'id="error_1_id_{field}"' in page  # crispy's invalid-feedback under the field
    assert "Nothing has been saved" in page


def test_a_variation_dated_before_the_contract_starts_is_refused(client, priya, sam, contract):
    client.force_login(priya)
    url = reverse("lifecycle:variation_create", args=[contract.pk])
    response = client.post(url, variation_data(sam, agreed_on="2025-03-01"))
    _field_error(response, "agreed_on", "A variation cannot be agreed before the contract starts.")
    contract.refresh_from_db()
    assert not Variation.objects.exists() and contract.total_value == D("300000")


def test_a_new_end_date_beyond_the_latest_allowed_is_refused(client, priya, sam, extendable):
    client.force_login(priya)
    url = reverse("lifecycle:variation_create", args=[extendable.pk])
    response = client.post(url, variation_data(sam, new_end_date="2030-04-30"))
    _field_error(response, "new_end_date", "after the latest date the contract allows (31/03/2030)")
    assert not Variation.objects.exists()


@pytest.mark.parametrize("amount", ["-50", "0"])
def test_a_saving_of_zero_or_less_is_refused(client, alice, contract, amount):
    client.force_login(alice)
    data = {"kind": "cash_releasing", "amount": amount, "achieved_on": "2026-06-01", "description": "Rate cut"}
    response = client.post(reverse("lifecycle:saving_create", args=[contract.pk]), data)
    _field_error(response, "amount", "A saving is a positive amount.")
    assert not Saving.objects.exists()


def test_an_extension_beyond_the_latest_allowed_date_is_refused(client, priya, extendable):
    client.force_login(priya)
    url = reverse("lifecycle:extension_create", args=[extendable.pk])
    data = {"length_months": "25", "decide_by": "2027-12-31", "decision": "pending", "notes": ""}
    response = client.post(url, data)
    _field_error(response, "length_months", "beyond the latest date it allows (31/03/2030)")
    assert not ExtensionOption.objects.exists()
    # Within the limit it is saved.
    response = client.post(url, data | {"length_months": "24"})
    assert response.status_code == 302
    assert extendable.extension_options.get().length_months == 24


def test_an_extension_on_a_contract_without_a_latest_end_date_asks_for_one(client, priya, contract):
    client.force_login(priya)
    data = {"length_months": "12", "decide_by": "2027-12-31", "decision": "pending"}
    response = client.post(reverse("lifecycle:extension_create", args=[contract.pk]), data)
    _field_error(response, "length_months", "Set the contract's latest end date with all extensions first.")


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
    _field_error(response, "breach_details", "Describe the breach.")
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
    _field_error(response, "ended_on", "Record the ending once the contract has ended")
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
    _field_error(response, "expires_on", "The training must expire after the day it was completed.")
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
    _field_error(response, "to_user", "Sam Singh is not an active Operational Contract Owner.")
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


def test_today_is_pinned():
    assert timezone.localdate() == TODAY
