"""seed_scale: a register at national scale whose data obey the app's own rules."""

import io
import re
from contextlib import contextmanager
from datetime import date

import psycopg
import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.db.models import Count, Max, Min
from django.http import HttpRequest
from django.urls import reverse

from accounts import roles
from accounts.models import User
from contracts.models import Activity, Contract, Escalation, KraljicAssessment, KraljicSettings, Saving
from contracts.models.kraljic import Axis
from contracts.services.kraljic import weighted_score
from core.dates import add_months
from meetings.models import Action, Meeting
from performance.models import Kpi, KpiRatings, KpiResult, MiReport
from performance.ratings import POOR, Rating
from performance.services import persistent_poor_performance_check
from performance.services.kpi_ratings import kpi_ratings_counted

PASSWORD = "scale-password-123"
TODAY = date(2026, 11, 25)
LAST_MONTH = date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel("2026-11-25 12:00 +00:00", tick=False):
        yield


@pytest.fixture
def demo_allowed(settings):
    settings.DEMO_DATA_ALLOWED = True


def seed(contracts: int) -> str:
    out = io.StringIO()
    call_command("seed_scale", contracts=contracts, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db, demo_allowed):
    return seed(20)


def test_every_contract_has_eight_kpis_with_36_monthly_results_up_to_last_month(seeded):
    assert Contract.objects.count() == 20
    kpis_per_contract = Contract.objects.annotate(kpi_count=Count("kpis")).values_list("kpi_count", flat=True)
    assert set(kpis_per_contract) == {8}
    per_kpi = Kpi.objects.annotate(
        result_count=Count("results"), first=Min("results__period_start"), last=Max("results__period_start")
    ).values_list("result_count", "first", "last")
    assert set(per_kpi) == {(36, add_months(LAST_MONTH, -35), LAST_MONTH)}
    assert KpiResult.objects.count() == 20 * 8 * 36
    assert "KPI results" in seeded and "5,760" in seeded


def test_results_are_rated_as_the_kpi_rates_them_and_each_kpi_holds_its_latest(seeded):
    results = list(KpiResult.objects.select_related("kpi"))
    assert all(result.rating == result.kpi.rate(result.actual) for result in results)
    ratings = {rating: sum(1 for r in results if r.rating == rating) for rating in Rating.values}
    assert 0.7 < ratings[Rating.GOOD] / len(results) < 0.97  # mostly Good ...
    assert ratings[Rating.REQUIRES_IMPROVEMENT] and ratings[Rating.INADEQUATE]  # ... not all

    latest = {r.kpi_id: r for r in results if r.period_start == LAST_MONTH}
    for kpi in Kpi.objects.all():
        assert kpi.latest_period_start == LAST_MONTH
        assert kpi.latest_rating == latest[kpi.pk].effective_rating
    held = list(Kpi.objects.order_by("pk").values_list("latest_period_start", "latest_rating"))
    Kpi.objects.refresh_latest()  # the app's own way of keeping them
    assert list(Kpi.objects.order_by("pk").values_list("latest_period_start", "latest_rating")) == held
    # ... and each contract's KPIs by latest rating, which the Procurement dashboard reads.
    stored = {row.contract_id: row.counts for row in KpiRatings.objects.all()}
    assert stored == kpi_ratings_counted()
    assert len(stored) == Contract.objects.count()


def test_every_persistent_run_of_poor_results_is_escalated_once(seeded):
    officer = User.objects.get(username="procurement1")
    escalations = Escalation.objects.count()
    poor_now = Kpi.objects.filter(latest_rating__in=POOR)
    assert poor_now.exists()  # the first contract's supplier performs persistently poorly
    for kpi in Kpi.objects.all():  # what the app does after each result: nothing new to escalate
        persistent_poor_performance_check(kpi=kpi, by=officer)
    assert Escalation.objects.count() == escalations

    runs = Escalation.objects.filter(source=Escalation.Source.PERSISTENT_POOR_PERFORMANCE)
    assert runs.exists()
    for escalation in runs.select_related("poor_performance_run__kpi"):
        run = escalation.poor_performance_run
        assert run.kpi.contract_id == escalation.contract_id
        first = run.kpi.results.get(period_start=run.first_period_start)
        assert first.rating in POOR
    assert runs.filter(status__in=[Escalation.Status.OPEN, Escalation.Status.IN_PROGRESS]).exists()


def test_seeded_users_share_one_password_and_sign_in(seeded, client):
    assert User.objects.in_role(roles.OCO).count() == 3
    assert User.objects.in_role(roles.SRO).count() == 3
    assert User.objects.in_role(roles.SRO).filter(is_budget_holder=False).exists()
    assert list(User.objects.in_role(roles.PROCUREMENT).order_by("username").values_list("username", flat=True)) == [
        f"procurement{n}" for n in range(1, 6)
    ]
    assert User.objects.get(username="scaleadmin").is_administrator
    assert User.objects.values("password").distinct().count() == 1  # hashed once
    for username in ("oco00001", "sro0001", "procurement5", "scaleadmin"):
        assert authenticate(HttpRequest(), username=username, password=PASSWORD) is not None

    assert client.login(request=HttpRequest(), username="procurement1", password=PASSWORD)
    response = client.get(reverse("contracts:list"))
    assert response.status_code == 200
    assert response.context["totals"]["count"] == 20


def test_every_renewal_band_and_sro_problem_is_present(seeded):
    active = Contract.objects.active()
    bands = {
        "past its end date, still active": active.filter(end_date__lt=TODAY),
        "0-3 months": active.filter(end_date__gte=TODAY, end_date__lt=add_months(TODAY, 3)),
        "3-6 months": active.filter(end_date__gte=add_months(TODAY, 3), end_date__lt=add_months(TODAY, 6)),
        "6-12 months": active.filter(end_date__gte=add_months(TODAY, 6), end_date__lt=add_months(TODAY, 12)),
    }
    assert {band: contracts.exists() for band, contracts in bands.items()} == dict.fromkeys(bands, True)
    problems = {contract.sro_problem.split(",")[0] for contract in Contract.objects.breaking_sro_rules()}
    assert "This strategic contract has no SRO." in problems
    assert any("not a budget holder" in c.sro_problem for c in Contract.objects.breaking_sro_rules())
    assert set(Contract.objects.values_list("status", flat=True)) == set(Contract.Status.values)


def test_kraljic_quadrants_follow_from_the_scores(seeded):
    thresholds = KraljicSettings.current()
    assessed = Contract.objects.exclude(kraljic_quadrant="").select_related("kraljic_assessment")
    assert assessed.count() >= 15
    for contract in assessed:
        assessment = contract.kraljic_assessment
        assert assessment.contract_id == contract.pk
        scores = list(assessment.scores.select_related("criterion"))
        assert len(scores) == 7
        by_axis = {axis: [(s.weight, s.score) for s in scores if s.criterion.axis == axis] for axis in Axis}
        assert assessment.profit_impact == weighted_score(by_axis[Axis.PROFIT_IMPACT])
        assert assessment.supply_risk == weighted_score(by_axis[Axis.SUPPLY_RISK])
        quadrant = thresholds.quadrant(profit_impact=assessment.profit_impact, supply_risk=assessment.supply_risk)
        assert contract.kraljic_quadrant == assessment.quadrant == quadrant


def test_meetings_are_planned_ahead_held_in_the_past_and_short_notice_explained(seeded):
    face_to_face = Meeting.objects.face_to_face()
    assert face_to_face.held().exists() and face_to_face.planned().exists()
    assert all(m.local_date < TODAY for m in Meeting.objects.held())
    assert all(m.local_date > TODAY for m in Meeting.objects.planned())
    short = [m for m in face_to_face if m.is_short_notice]
    assert short and all(m.short_notice_reason for m in short)
    assert all(m.is_short_notice for m in face_to_face.exclude(short_notice_reason=""))
    assert all(m.arranged_on <= m.local_date and m.arranged_on <= TODAY for m in face_to_face)


def test_the_proportions_of_a_larger_register(db, demo_allowed):
    seed(200)
    contracts = Contract.objects.all()
    share = {
        "active": contracts.filter(status=Contract.Status.ACTIVE).count() / 200,
        "strategic": contracts.filter(kraljic_quadrant="strategic").count() / 200,
        "with an OCO": contracts.filter(oco__isnull=False).count() / 200,
        "with a quadrant": contracts.exclude(kraljic_quadrant="").count() / 200,
        "escalated": Escalation.objects.values("contract").distinct().count() / 200,
        "with savings": Saving.objects.values("contract").distinct().count() / 200,
    }
    assert 0.65 < share["active"] < 0.85
    assert 0.05 < share["strategic"] < 0.16
    assert share["with an OCO"] > 0.93
    assert 0.8 < share["with a quadrant"] < 0.97
    assert 0.02 < share["escalated"] < 0.12
    assert 0.04 < share["with savings"] < 0.18
    assert 10 <= contracts.values("category").distinct().count() <= 15
    ocos = User.objects.in_role(roles.OCO)
    trained = [oco.has_current_training(on=TODAY) for oco in ocos]
    assert any(trained) and not all(trained)
    values = sorted(contracts.values_list("total_value", flat=True))
    assert values[0] >= 10_000 and values[-1] <= 50_000_000
    assert values[100] < 1_000_000  # skewed: most contracts are small


def _schema() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
            "WHERE connamespace = 'public'::regnamespace"
        )
        return indexes | set(cursor.fetchall())


def test_indexes_and_constraints_are_made_again_as_they_were(db, demo_allowed):
    before = _schema()
    assert any(name == "one_result_per_period" for _, name, *_ in before)
    seed(3)
    assert _schema() == before


def test_refuses_a_database_that_holds_contracts(seeded):
    with pytest.raises(CommandError, match="already holds 20 contracts"):
        seed(5)
    assert Contract.objects.count() == 20


def test_refuses_unless_demo_data_is_allowed(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="published password"):
        seed(5)
    assert not User.objects.exists()


@contextmanager
def _field_added_later(model, name: str, field):
    """A field added to the model (and its table) the way a new migration would: Django's schema
    editor leaves no database default behind, so only the model knows the default."""
    field.contribute_to_class(model, name)
    try:
        with connection.schema_editor() as editor:
            editor.add_field(model, field)
        yield
    finally:
        model._meta.local_fields.remove(field)
        model._meta._expire_cache()
        delattr(model, name)


def test_a_field_added_with_a_default_is_seeded_with_it(db, demo_allowed):
    # Contract is written with COPY, Meeting with INSERT ... SELECT: both must follow the model.
    with (
        _field_added_later(Contract, "seed_probe", models.PositiveSmallIntegerField(default=7)),
        _field_added_later(Meeting, "seed_probe", models.CharField(max_length=20, default="added later")),
    ):
        seed(3)
        assert set(Contract.objects.values_list("seed_probe", flat=True)) == {7}
        assert Meeting.objects.exists()
        assert set(Meeting.objects.values_list("seed_probe", flat=True)) == {"added later"}


def test_every_bulk_write_names_every_column_of_its_model(db, demo_allowed, monkeypatch):
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    copy = psycopg.Cursor.copy

    def record_copy(cursor, statement, *args, **kwargs):  # COPY goes past Django's cursor wrapper
        statements.append(str(statement))
        return copy(cursor, statement, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "copy", record_copy)
    with connection.execute_wrapper(record):
        seed(3)
    by_table = {model._meta.db_table: model for model in apps.get_models()}
    written = {}
    for sql in statements:
        match = re.match(r"\s*(?:INSERT INTO|COPY) (\w+) \(([^)]*)\)", sql)
        if match and match[1] in by_table:
            written.setdefault(by_table[match[1]], []).append([c.strip().strip('"') for c in match[2].split(",")])
    copied_or_selected = {Contract, KraljicAssessment, KpiResult, Meeting, Action, Activity, MiReport}
    assert copied_or_selected <= set(written)
    for model in copied_or_selected:
        serial = model._meta.pk.column
        every_column = [field.column for field in model._meta.concrete_fields]
        for columns in written[model]:
            assert [c for c in columns if c != serial] == [c for c in every_column if c != serial], model
