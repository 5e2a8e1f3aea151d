"""Kraljic segmentation: quadrant rules, assessments, review rounds, SRO rules."""

import datetime as dt
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contracts import services, tasks
from contracts.models import Contract, KraljicCriterion, KraljicSettings, ReviewItem, ReviewRound
from contracts.services.kraljic import weighted_score
from notifications.models import Kind, Notification
from tests import factories


def criteria(axis: str) -> list[KraljicCriterion]:
    return list(KraljicCriterion.objects.filter(axis=axis, is_active=True))


def scores_for(profit: int, risk: int) -> dict[int, int]:
    """The same score on every criterion of each axis."""
    return {
        c.pk: (profit if c.axis == "profit_impact" else risk) for c in KraljicCriterion.objects.filter(is_active=True)
    }


# --- Quadrant rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(Decimal("1"), 3)], Decimal("3.00")),
        ([(Decimal("0.35"), 5), (Decimal("0.25"), 1), (Decimal("0.40"), 3)], Decimal("3.20")),
        ([(Decimal("2"), 4), (Decimal("1"), 1)], Decimal("3.00")),
        ([(Decimal("1"), 2), (Decimal("1"), 3)], Decimal("2.50")),
        ([(Decimal("1"), 1), (Decimal("2"), 2)], Decimal("1.67")),  # 5/3 rounds half up
    ],
)
def test_weighted_score(pairs, expected):
    assert weighted_score(pairs) == expected


@pytest.mark.parametrize(
    ("profit_impact", "supply_risk", "quadrant"),
    [
        ("3.00", "3.00", "strategic"),  # the threshold itself counts as high
        ("2.99", "3.00", "bottleneck"),
        ("3.00", "2.99", "leverage"),
        ("2.99", "2.99", "non_critical"),
        ("5.00", "5.00", "strategic"),
        ("1.00", "1.00", "non_critical"),
        ("4.10", "1.50", "leverage"),
        ("1.50", "4.10", "bottleneck"),
    ],
)
def test_quadrant_from_the_two_scores(db, profit_impact, supply_risk, quadrant):
    thresholds = KraljicSettings.current()
    assert thresholds.quadrant(profit_impact=Decimal(profit_impact), supply_risk=Decimal(supply_risk)) == quadrant


def test_reference_data_from_the_migration(db):
    names = {c.name for c in KraljicCriterion.objects.all()}
    assert {"Annual value", "Share of category spend", "Impact on operational policing and service quality"} <= names
    assert {"Number of alternative suppliers", "Switching difficulty and time", "Market stability"} <= names
    assert "Criticality to public safety" in names
    thresholds = KraljicSettings.current()
    assert (thresholds.profit_impact_threshold, thresholds.supply_risk_threshold) == (Decimal("3.00"), Decimal("3.00"))


def test_an_assessment_keeps_its_scores_and_sets_the_quadrant(contract, priya):
    impact = {c.name: c for c in criteria("profit_impact")}
    scores = scores_for(profit=2, risk=4)
    scores[impact["Impact on operational policing and service quality"].pk] = 5  # 0.35*2 + 0.25*2 + 0.40*5 = 3.20
    assessment = services.assessment_record(contract=contract, scores=scores, rationale="Frontline", by=priya)
    contract.refresh_from_db()
    assert (assessment.profit_impact, assessment.supply_risk) == (Decimal("3.20"), Decimal("4.00"))
    assert assessment.quadrant == contract.kraljic_quadrant == "strategic"
    assert contract.kraljic_assessment == assessment
    assert assessment.scores.count() == KraljicCriterion.objects.filter(is_active=True).count()
    assert {s.weight for s in assessment.scores.filter(criterion__axis="profit_impact")} == {
        Decimal("0.35"),
        Decimal("0.25"),
        Decimal("0.40"),
    }


def test_changed_weights_and_thresholds_change_the_quadrant(contract, priya):
    impact = {c.name: c for c in criteria("profit_impact")}
    scores = scores_for(profit=2, risk=4)
    scores[impact["Annual value"].pk] = 5  # 0.35*5 + 0.25*2 + 0.40*2 = 3.05
    assert services.assessment_record(contract=contract, scores=scores, rationale="", by=priya).quadrant == "strategic"
    KraljicCriterion.objects.filter(pk=impact["Annual value"].pk).update(weight=Decimal("0.10"))  # -> 2.40
    assert services.assessment_record(contract=contract, scores=scores, rationale="", by=priya).quadrant == "bottleneck"
    KraljicSettings.objects.update(profit_impact_threshold=Decimal("2.40"))
    assert services.assessment_record(contract=contract, scores=scores, rationale="", by=priya).quadrant == "strategic"
    KraljicCriterion.objects.filter(pk=impact["Share of category spend"].pk).update(is_active=False)
    del scores[impact["Share of category spend"].pk]  # an inactive criterion is not scored
    assessment = services.assessment_record(contract=contract, scores=scores, rationale="", by=priya)
    assert assessment.scores.count() == KraljicCriterion.objects.filter(is_active=True).count()


def test_every_active_criterion_must_be_scored_1_to_5(contract, priya):
    scores = scores_for(profit=3, risk=3)
    scores.popitem()
    with pytest.raises(ValidationError, match="not scored"):
        services.assessment_record(contract=contract, scores=scores, rationale="", by=priya)
    with pytest.raises(ValidationError, match="from 1 to 5"):
        services.assessment_record(contract=contract, scores=scores_for(profit=6, risk=3), rationale="", by=priya)
    assert not contract.kraljic_assessments.exists()


# --- SRO rules ------------------------------------------------------------------------


def test_becoming_strategic_without_an_sro_notifies_the_procurement_unit(priya, alice):
    contract = factories.ContractFactory(oco=alice)
    services.assessment_record(contract=contract, scores=scores_for(profit=4, risk=4), rationale="", by=priya)
    (notification,) = Notification.objects.filter(recipient=priya, kind=Kind.STRATEGIC_WITHOUT_SRO)
    assert contract.reference in notification.title and "no SRO" in notification.title
    # Staying strategic does not notify again.
    services.assessment_record(contract=contract, scores=scores_for(profit=5, risk=4), rationale="", by=priya)
    assert Notification.objects.filter(kind=Kind.STRATEGIC_WITHOUT_SRO).count() == 1


def test_sro_rules_are_listed_and_flagged(client, priya, alice, sam):
    no_sro = factories.ContractFactory(reference="CON-NOSRO", oco=alice)
    not_budget_holder = factories.sro(username="nbh", is_budget_holder=False)
    weak_sro = factories.ContractFactory(reference="CON-WEAKSRO", oco=alice, sro=not_budget_holder)
    fine = factories.ContractFactory(reference="CON-FINE", oco=alice, sro=sam)
    for c in (no_sro, weak_sro, fine):
        services.assessment_record(contract=c, scores=scores_for(profit=4, risk=4), rationale="", by=priya)
    assert list(Contract.objects.breaking_sro_rules().order_by("reference")) == [no_sro, weak_sro]
    client.force_login(priya)
    page = client.get(reverse("contracts:sro_rules")).content.decode()
    assert "CON-NOSRO" in page and "CON-WEAKSRO" in page and "CON-FINE" not in page
    assert "is not a budget holder" in page
    detail = client.get(no_sro.get_absolute_url()).content.decode()
    assert "This strategic contract has no SRO." in detail


# --- Review rounds ------------------------------------------------------------------------


def at(moment: str):
    return time_machine.travel(dt.datetime.fromisoformat(moment), tick=False)


def test_the_beat_schedule_opens_the_review_at_7_on_1_january_and_1_july():
    entry = settings.CELERY_BEAT_SCHEDULE["kraljic-review-open"]
    assert entry["task"] == "contracts.tasks.open_kraljic_review_round"
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.hour == {7} and schedule.minute == {0}
    assert schedule.day_of_month == {1} and schedule.month_of_year == {1, 7}
    daily = settings.CELERY_BEAT_SCHEDULE["kraljic-review-daily"]["schedule"]
    assert daily.day_of_month == set(range(1, 32)) and daily.hour == {7}
    assert settings.CELERY_TIMEZONE == "Europe/London"


@pytest.fixture
def active_contracts(db):
    contracts = factories.ContractFactory.create_batch(3)
    factories.ContractFactory(status="expired")
    return contracts


@pytest.mark.parametrize(
    "runs",
    [
        ["open 2027-01-01T07:00"],  # beat fires once
        ["open 2027-01-01T07:00", "open 2027-01-01T07:00"],  # twice
        ["open 2027-01-03T09:30"],  # late
        ["daily 2027-01-01T07:20", "daily 2027-01-02T07:20"],  # not at all: the daily check opens it
        ["daily 2026-12-31T07:20", "open 2027-01-01T07:00", "daily 2027-01-01T07:20"],  # year-end restart
    ],
    ids=["once", "twice", "late", "missed", "year-end"],
)
def test_a_round_opens_exactly_once_per_half_year(active_contracts, priya, runs):
    with at("2026-07-01T07:00+01:00"):
        tasks.open_kraljic_review_round()
    for run in runs:
        job, moment = run.split()
        with at(moment + "+00:00"):
            (tasks.open_kraljic_review_round if job == "open" else tasks.kraljic_review_daily)()
    assert list(ReviewRound.objects.order_by("year", "half").values_list("year", "half")) == [(2026, 2), (2027, 1)]
    january = ReviewRound.objects.get(year=2027, half=1)
    assert january.due_date == date(2027, 2, 28)
    assert set(january.items.values_list("contract", flat=True)) == {c.pk for c in active_contracts}
    opened = Notification.objects.filter(recipient=priya, kind=Kind.REVIEW_ROUND_OPENED)
    assert opened.count() == 2  # one per round


def test_a_round_lists_the_previous_assessment_and_confirm_keeps_the_scores(priya, contract):
    with at("2026-06-01T10:00+01:00"):
        first = services.assessment_record(contract=contract, scores=scores_for(4, 2), rationale="", by=priya)
    with at("2026-07-01T07:00+01:00"):
        review_round, created = services.review_round_open(today=timezone.localdate())
    item = review_round.items.get(contract=contract)
    assert created and item.previous == first
    with at("2026-07-10T10:00+01:00"):
        confirmed = services.assessment_confirm(item=item, by=priya)
    item.refresh_from_db()
    assert item.assessment == confirmed and item.reviewed_at is not None
    assert (confirmed.profit_impact, confirmed.supply_risk, confirmed.quadrant) == (
        first.profit_impact,
        first.supply_risk,
        "leverage",
    )
    assert confirmed.confirms == first and confirmed.review_round == review_round


def test_closing_a_round_records_who_and_the_quadrants_that_changed(priya, alice):
    a = factories.ContractFactory(reference="CON-A", oco=alice)
    b = factories.ContractFactory(reference="CON-B", oco=alice)
    c = factories.ContractFactory(reference="CON-C", oco=alice)
    for contract in (a, b):
        services.assessment_record(contract=contract, scores=scores_for(2, 2), rationale="", by=priya)
    review_round, _ = services.review_round_open(today=date(2027, 1, 1))
    services.assessment_confirm(item=review_round.items.get(contract=a), by=priya)
    services.assessment_record(contract=b, scores=scores_for(4, 4), rationale="", by=priya, review_round=review_round)
    closed = services.review_round_close(review_round=review_round, by=priya)
    assert closed.closed_by == priya and closed.closed_at is not None
    assert "1 contract(s) changed quadrant." in closed.summary
    assert "CON-B: Non-critical → Strategic" in closed.summary
    assert "CON-A" not in closed.summary
    assert "1 contract(s) were not reviewed." in closed.summary  # CON-C
    with pytest.raises(ValidationError):
        services.review_round_close(review_round=review_round, by=priya)
    assert c.review_items.get().assessment is None


@pytest.mark.parametrize(
    ("today", "kind"),
    [
        (date(2027, 2, 13), None),
        (date(2027, 2, 14), Kind.REVIEW_ROUND_DUE),  # 14 days before 28 Feb
        (date(2027, 2, 27), Kind.REVIEW_ROUND_DUE),  # 1 day before
        (date(2027, 3, 1), Kind.REVIEW_ROUND_OVERDUE),
    ],
)
def test_review_round_reminders(priya, active_contracts, today, kind):
    services.review_round_open(today=date(2027, 1, 1))
    Notification.objects.all().delete()
    for _ in range(2):  # run twice: still once
        services.review_round_reminders_send(today=today)
    assert list(Notification.objects.values_list("kind", flat=True)) == ([kind] if kind else [])


def test_a_finished_round_sends_no_reminders(priya, contract):
    review_round, _ = services.review_round_open(today=date(2027, 1, 1))
    services.assessment_record(
        contract=contract, scores=scores_for(3, 3), rationale="", by=priya, review_round=review_round
    )
    Notification.objects.all().delete()
    services.review_round_reminders_send(today=date(2027, 3, 5))
    assert not Notification.objects.exists()


def test_opening_a_round_costs_the_same_queries_for_3_or_60_contracts(db, priya, django_assert_max_num_queries):
    factories.ContractFactory.create_batch(3)
    with django_assert_max_num_queries(30) as few:
        services.review_round_open(today=date(2027, 1, 1))
    factories.ContractFactory.create_batch(57)
    with django_assert_max_num_queries(len(few)):
        services.review_round_open(today=date(2027, 7, 1))
    assert ReviewItem.objects.filter(review_round__half=2).count() == 60


# --- Pages and permissions ----------------------------------------------------------------


def test_procurement_rescores_from_the_review_page(client, priya, contract):
    review_round, _ = services.review_round_open(today=timezone.localdate())
    client.force_login(priya)
    page = client.get(review_round.get_absolute_url())
    assert "0 of 1" in page.content.decode()
    data = {f"score_{pk}": str(score) for pk, score in scores_for(4, 4).items()}
    data.update({"rationale": "Sole supplier of body-worn video", "round": review_round.pk})
    response = client.post(reverse("contracts:kraljic_assess", args=[contract.pk]), data)
    assert response.status_code == 302 and response["Location"] == review_round.get_absolute_url()
    assert "1 of 1" in client.get(review_round.get_absolute_url() + "?show=all").content.decode()


def test_an_unscored_criterion_is_refused_next_to_it(client, priya, contract):
    client.force_login(priya)
    data = {f"score_{pk}": "3" for pk in scores_for(3, 3)}
    first = next(iter(data))
    data[first] = ""
    data["rationale"] = "x"
    response = client.post(reverse("contracts:kraljic_assess", args=[contract.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[first] == ["This field is required."]
    assert not contract.kraljic_assessments.exists()


# Who may assess and run review rounds, every page as every persona: test_kraljic_permissions.py.


def test_an_oco_cannot_confirm_or_close(client, alice, contract, priya):
    services.assessment_record(contract=contract, scores=scores_for(3, 3), rationale="", by=priya)
    review_round, _ = services.review_round_open(today=timezone.localdate())
    client.force_login(alice)
    item = review_round.items.get()
    assert client.post(reverse("contracts:review_confirm", args=[item.pk])).status_code == 403
    assert client.post(reverse("contracts:review_close", args=[review_round.pk])).status_code == 403
    item.refresh_from_db()
    review_round.refresh_from_db()
    assert item.assessment is None and review_round.closed_at is None


def test_the_matrix_plots_only_what_the_user_may_see(client, alice, bob, priya, contract, other_contract):
    for c in (contract, other_contract):
        services.assessment_record(contract=c, scores=scores_for(4, 2), rationale="", by=priya)
    client.force_login(alice)
    response = client.get(reverse("contracts:kraljic_matrix"))
    assert [p["contract"] for p in response.context["points"]] == [contract]
    client.force_login(priya)
    response = client.get(reverse("contracts:kraljic_matrix"), {"oco": bob.pk})
    assert [p["contract"] for p in response.context["points"]] == [other_contract]
    assert f'href="/contracts/{other_contract.pk}/"' in response.content.decode()
