"""Contract lifecycle: variations and change notices, renewals and expiry alerts, ending, savings,
training, handover."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import TrainingRecord
from contracts import services
from contracts.change_notices import Change, assess
from contracts.models import Contract, ContractAssignment, ContractEnding, ExtensionOption, Saving, Variation
from contracts.selectors.lifecycle import deactivated_owners, ocos_needing_training, savings_totals
from notifications.models import Kind, Notification
from tests import factories

D = Decimal
START, END = date(2025, 4, 1), date(2028, 3, 31)  # a three-year term: 1,096 days


# --- The change notice rule --------------------------------------------------------------


@pytest.mark.parametrize(
    ("nature", "changes", "required"),
    [
        ("services", [Change(D("100000"), 0)], False),  # exactly 10% of £1m: no more than 10%
        ("services", [Change(D("100000.01"), 0)], True),
        ("goods", [Change(D("-100000"), 0)], False),  # a decrease counts the same way
        ("goods", [Change(D("-120000"), 0)], True),
        ("works", [Change(D("150000"), 0)], False),  # works: 15%
        ("works", [Change(D("150001"), 0)], True),
        ("works", [Change(D("-160000"), 0)], True),
        ("services", [Change(D("0"), 109)], False),  # 109 days of 1,096 is 9.9%
        ("services", [Change(D("0"), 110)], True),  # 10.04%
        ("services", [Change(D("0"), -110)], True),  # shortening counts too
        ("works", [Change(D("0"), 110)], True),  # the term limit is 10% for works too
        # Earlier changes that could have been made together are added up.
        ("services", [Change(D("60000"), 0), Change(D("50000"), 0)], True),
        ("services", [Change(D("60000"), 0), Change(D("-50000"), 0)], False),
        ("services", [Change(D("0"), 60), Change(D("0"), 60)], True),
    ],
)
def test_change_notice_rule(nature, changes, required):
    result = assess(nature=nature, original_value=D("1000000"), start=START, maximum_end=END, changes=changes)
    assert result.required is required
    assert result.reason.startswith("A contract change notice is required" if required else "No contract change")


def test_the_term_share_of_con_2024_014_is_6_2_percent_of_its_maximum_term():
    """The issue's example: 36 months with a 12-month option, extended by three months (91 days)."""
    start, initial_end = date(2024, 11, 1), date(2027, 10, 31)
    maximum_end = date(2028, 10, 31)
    result = assess(
        nature="goods", original_value=D("1250000"), start=start, maximum_end=maximum_end, changes=[Change(D("0"), 91)]
    )
    assert f"{result.term_change_share:.1%}" == "6.2%" and not result.required
    on_the_initial_term = assess(
        nature="goods", original_value=D("1250000"), start=start, maximum_end=initial_end, changes=[Change(D("0"), 91)]
    )
    assert f"{on_the_initial_term.term_change_share:.1%}" == "8.3%"  # what the register used to show


@pytest.fixture
def big_contract(alice, priya):
    contract = factories.ContractFactory(
        reference="CON-VAR",
        oco=alice,
        start_date=START,
        end_date=END,
        extended_end_date=date(2030, 3, 31),
        total_value=D("1000000"),
        annual_value=D("333333"),
        notice_period_days=90,
    )
    return services.contract_save(contract=contract, by=priya)


def vary(contract, by, value="0", new_end=None, made_with=(), agreed=date(2026, 5, 1)):
    variation = Variation(
        contract=contract,
        agreed_on=agreed,
        description="Extra sites",
        reason="New custody suite",
        value_change=D(value),
        new_end_date=new_end,
        approved_by=by,
    )
    variation.full_clean(exclude=["number", "recorded_by"])
    variation = services.variation_record(variation=variation, by=by, made_with=made_with)
    if variation.change_notice_required:  # the notice first, then the agreement
        services.variation_notice_published(variation=variation, on=agreed, by=by)
    return services.variation_agree(variation=variation, on=agreed, by=by)


@time_machine.travel("2026-06-01 10:00 +01:00", tick=False)
def test_current_value_and_end_date_follow_from_the_variations(big_contract, priya):
    first = vary(big_contract, priya, "60000")
    second = vary(big_contract, priya, "-15000", new_end=date(2028, 6, 30))  # 91 days: 8.3%
    third = vary(big_contract, priya, "50000", made_with=[first])
    big_contract.refresh_from_db()
    assert [v.number for v in (first, second, third)] == [1, 2, 3]
    assert (big_contract.original_total_value, big_contract.total_value) == (D("1000000"), D("1095000"))
    assert (big_contract.original_end_date, big_contract.end_date) == (END, date(2028, 6, 30))
    # Notice date after the extension: 90 days before the new end date.
    assert big_contract.notice_date == date(2028, 4, 1)
    assert not first.change_notice_required and not second.change_notice_required
    assert third.change_notice_required  # 60,000 + 50,000 together: 11%
    assert "raises the value by 11.0%" in third.change_notice_reason
    history = big_contract.history.order_by("history_id").values_list("history_change_reason", flat=True)
    assert list(history)[-3:] == ["Variation 1", "Variation 2", "Variation 3"]


@time_machine.travel("2026-06-01 10:00 +01:00", tick=False)
def test_a_term_extension_over_10_percent_of_the_maximum_term_needs_a_notice(big_contract, priya):
    # The maximum term on award runs to 31 Mar 2030 (1,826 days): 214 days is 11.7%.
    variation = vary(big_contract, priya, new_end=date(2028, 10, 31))
    assert variation.change_notice_required
    assert "extends the term by 11.7% of the maximum term" in variation.change_notice_reason


@time_machine.travel("2026-06-01 10:00 +01:00", tick=False)
def test_the_term_share_is_measured_against_the_maximum_term_not_the_initial_one(big_contract, priya):
    # 122 days is 11.1% of the initial three years, but 6.7% of the five years provided for on award.
    variation = vary(big_contract, priya, new_end=date(2028, 7, 31))
    assert not variation.change_notice_required
    assert "term 6.7% (limit 10%)" in variation.change_notice_reason


@time_machine.travel("2026-06-01 10:00 +01:00", tick=False)
@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"agreed": date(2025, 3, 1)}, "agreed_on", "before the contract starts"),
        ({"agreed": date(2026, 7, 1)}, "agreed_on", "in the future"),
        ({"new_end": date(2031, 1, 1)}, "new_end_date", "after the latest date the contract allows"),
    ],
)
def test_bad_variations_are_refused_and_nothing_changes(big_contract, priya, kwargs, field, message):
    with pytest.raises(ValidationError) as error:
        vary(big_contract, priya, "1000", **kwargs)
    assert message in " ".join(error.value.message_dict[field])
    big_contract.refresh_from_db()
    assert not big_contract.variations.exists() and big_contract.total_value == D("1000000")


def test_an_extension_option_beyond_the_latest_allowed_date_is_refused(big_contract, priya):
    ok = ExtensionOption(contract=big_contract, length_months=12, decide_by=date(2027, 9, 30))
    ok.full_clean()
    services.extension_option_save(option=ok, by=priya)
    too_far = ExtensionOption(contract=big_contract, length_months=13, decide_by=date(2027, 12, 31))
    with pytest.raises(ValidationError, match="beyond the latest date"):
        too_far.full_clean()
    assert big_contract.extension_options.count() == 1


# --- Expiry alerts -------------------------------------------------------------------------


@pytest.fixture
def expiring(alice, sam, priya):
    """Ends 31 Dec 2026 with 90 days' notice: notice date 2 Oct 2026."""
    contract = factories.ContractFactory(
        reference="CON-EXP", oco=alice, sro=sam, end_date=date(2026, 12, 31), notice_period_days=90
    )
    return services.contract_save(contract=contract, by=priya)


def run_alerts(day: date):
    with time_machine.travel(f"{day.isoformat()} 06:45 +00:00", tick=False):
        services.expiry_alerts_send(today=day)


def alerts(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_expiry_alerts_once_at_each_threshold_over_a_run_of_days(expiring, alice, sam, priya):
    day = date(2026, 1, 1)
    while day <= date(2027, 1, 20):
        sent = Notification.objects.count()
        run_alerts(day)
        if Notification.objects.count() > sent:
            run_alerts(day)  # a second run on a day that alerted alerts no one again
        day += timedelta(days=1)
    for person in (alice, sam, priya):
        assert alerts(person, Kind.CONTRACT_NOTICE_DATE) == 3  # 180, 90 and 30 days before 2 Oct
        assert alerts(person, Kind.CONTRACT_END_DATE) == 3  # 180, 90 and 30 days before 31 Dec
        # No extension taken: the contract has expired, which contracts_expire says (one alarm, not two).
        assert alerts(person, Kind.CONTRACT_PAST_END) == 0
    titles = Notification.objects.filter(recipient=alice, kind=Kind.CONTRACT_END_DATE).values_list("title", flat=True)
    assert sorted(titles) == sorted([f"CON-EXP: end date in {n} days (31 Dec 2026)" for n in (180, 90, 30)])


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 4, 4), 0),  # 181 days before the notice date
        (date(2026, 4, 5), 1),  # 180 days before
        (date(2026, 8, 1), 1),  # a missed run: caught up with the latest threshold only
    ],
)
def test_expiry_alert_thresholds_with_a_pinned_clock(expiring, alice, day, expected):
    run_alerts(day)
    assert alerts(alice, Kind.CONTRACT_NOTICE_DATE) == expected


@time_machine.travel("2027-01-01 10:00 +00:00", tick=False)
def test_an_ended_contract_gets_no_alerts(expiring, alice, priya):
    ending = ContractEnding(contract=expiring, kind="expired", ended_on=date(2026, 12, 31), reason="Not needed")
    ending.full_clean(exclude=["recorded_by"])
    services.contract_end(ending=ending, by=priya)
    run_alerts(date(2027, 1, 5))
    assert not Notification.objects.exists()


# --- Ending -----------------------------------------------------------------------------------


def test_termination_for_breach_records_what_the_notice_needs(expiring, priya):
    ending = ContractEnding(
        contract=expiring, kind="terminated", ended_on=date(2026, 9, 1), reason="Repeated failures",
        ended_early_for_breach=True, breach_details="", damages_or_settlement="£20,000 settlement",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Describe the breach"):
        ending.full_clean(exclude=["recorded_by"])
    ending.breach_details = "Response times missed for six months"
    ending.full_clean(exclude=["recorded_by"])
    services.contract_end(ending=ending, by=priya)
    expiring.refresh_from_db()
    assert expiring.status == Contract.Status.TERMINATED
    assert ending.notice_due_by == date(2026, 10, 1)


# --- Savings ----------------------------------------------------------------------------------


def test_savings_are_positive_and_totalled_by_year_and_category(expiring, priya):
    bad = Saving(
        contract=expiring, kind="cash_releasing", amount=D("-5"), achieved_on=date(2026, 5, 1), description="x"
    )
    with pytest.raises(ValidationError, match="positive amount"):
        bad.full_clean(exclude=["recorded_by", "financial_year"])
    for amount, day in (("1000", date(2026, 3, 31)), ("2500", date(2026, 4, 1)), ("500", date(2027, 3, 31))):
        saving = Saving(
            contract=expiring, kind="cash_releasing", amount=D(amount), achieved_on=day, description="Rate cut"
        )
        services.saving_record(saving=saving, by=priya)
    totals = savings_totals(Saving.objects.all())
    assert totals["total"] == D("4000")
    assert [(row["financial_year"], row["total"]) for row in totals["by_year"]] == [
        (2026, D("3000")),
        (2025, D("1000")),
    ]
    assert totals["by_category"] == [{"contract__category__name": "ICT", "total": D("4000")}]
    assert Saving.objects.get(amount=D("1000")).financial_year_label == "2025-26"


# --- Training ---------------------------------------------------------------------------------


def test_ocos_without_current_training_are_listed_and_reminded_once(alice, bob):
    TrainingRecord.objects.create(user=alice, completed_on=date(2025, 1, 1), expires_on=date(2027, 1, 1))
    TrainingRecord.objects.create(user=bob, completed_on=date(2024, 1, 1), expires_on=date(2026, 12, 1))
    today = date(2026, 11, 1)
    assert set(ocos_needing_training(today=today)) == {bob}  # expires within 60 days
    assert bob.has_current_training(on=today) and not bob.has_current_training(on=date(2026, 12, 2))
    for _ in range(2):
        services.training_reminders_send(today=today)
    (reminder,) = Notification.objects.filter(kind=Kind.TRAINING_DUE)
    assert reminder.recipient == bob and "expires on 1 Dec 2026" in reminder.title


# --- Handover ---------------------------------------------------------------------------------


def test_handover_moves_every_live_contract_and_keeps_history(alice, bob, priya):
    live = [services.contract_save(contract=factories.ContractFactory(oco=alice), by=priya) for _ in range(3)]
    ended = factories.ContractFactory(oco=alice, status="expired")
    moved = services.handover(from_user=alice, to_user=bob, role="oco", reason="Alice moved to Fleet", by=priya)
    assert moved == 3
    assert set(Contract.objects.filter(oco=bob)) == set(live)
    assert not Contract.objects.filter(oco__isnull=True).exists()  # no contract left without an OCO
    assert Contract.objects.get(pk=ended.pk).oco == alice  # history stays with who held it
    latest = live[0].history.latest()
    assert latest.history_change_reason == "Handover from Alice Adams to Bob Brown: Alice moved to Fleet"
    assert latest.history_user == priya
    holders = ContractAssignment.objects.filter(contract=live[0], role="oco").order_by("started_at")
    assert [(a.user, a.ended_at is None) for a in holders] == [(alice, False), (bob, True)]


@pytest.mark.parametrize("target", ["alice", "sam", "inactive"])
def test_handover_refuses_a_bad_target(alice, sam, priya, target, contract):
    to_user = {"alice": alice, "sam": sam, "inactive": factories.oco(username="gone", is_active=False)}[target]
    with pytest.raises(ValidationError):
        services.handover(from_user=alice, to_user=to_user, role="oco", reason="x", by=priya)
    contract.refresh_from_db()
    assert contract.oco == alice


def test_deactivated_users_still_named_on_active_contracts(alice, bob, contract, other_contract):
    bob.is_active = False
    bob.save()
    assert list(deactivated_owners()) == [bob]


def test_the_history_tab_shows_a_handover_with_its_reason(client, alice, bob, priya, contract):
    services.handover(from_user=alice, to_user=bob, role="oco", reason="Alice moved to Fleet", by=priya)
    client.force_login(priya)
    page = client.get(f"/contracts/{contract.pk}/history/").content.decode()
    assert "Reason: Handover from Alice Adams to Bob Brown: Alice moved to Fleet" in page


@time_machine.travel("2026-06-01 10:00 +01:00", tick=False)
def test_the_history_tab_shows_variations(client, big_contract, priya):
    vary(big_contract, priya, "60000")
    client.force_login(priya)
    entries = client.get(f"/contracts/{big_contract.pk}/history/").context["entries"]
    assert any(e.subject == "Variation 1" and e.action == "Created" for e in entries)
    assert any(e.subject == "Contract" and e.reason == "Variation 1" for e in entries)


def test_an_ending_in_the_future_is_refused(expiring):
    ending = ContractEnding(contract=expiring, kind="expired", ended_on=date(2099, 1, 1), reason="Later")
    with pytest.raises(ValidationError, match="once it has happened"):
        ending.full_clean(exclude=["recorded_by"])
