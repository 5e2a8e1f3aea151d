"""Migration tests take the database back to an earlier migration, fill it as the old code would,
and migrate forwards again.

Each way back and forth renders the models' state for scores of migrations (tens of seconds), so the
migration tests share one round trip, made once for the test run (tests/snapshots.py): `round_trip`
goes back to every test's old migration at once, fills the database as each test's old code would,
goes forward (by way of the variations' old migration) to the latest, and notes what each test
checks on the way. Each test then reads a copy of the result (the `round_trip` fixture: the notes).
The result is kept from run to run, as the migrated template is, until the migrations, this module
or the factories change (`_fingerprint`)."""

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from reporting import schema
from tests import factories, snapshots, template_db

# ImportJob moved from contracts to exchange (tests/exchange/test_exchange_migration.py).
BEFORE_THE_MOVE = ("contracts", "0008_import_job_waiting_since")
# Variations became proposed, then agreed (tests/contracts/test_variation_migration.py).
BEFORE_PROPOSED_VARIATIONS = ("contracts", "0019_key_suppliers")
# Reminders became tasks (tests/notifications/test_tasks_migration.py).
BEFORE_TASKS = ("notifications", "0006_meeting_arranged_late_kind")


def migrate(targets=None) -> MigrationExecutor:
    """Migrate to `targets` (the latest migrations when None); a fresh executor reads the history anew.
    As `manage.py migrate` does, the reporting views are dropped first and made again at the latest
    migrations (reporting/apps.py)."""
    schema.views_drop(connection)
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    if targets is None:
        schema.views_create(connection)
    return MigrationExecutor(connection)


def _import_jobs_now() -> dict:
    """A user, and a group holding the import job's permissions, as today's code makes them."""
    content_type = ContentType.objects.get(app_label="exchange", model="importjob")
    permissions = sorted(Permission.objects.filter(content_type=content_type).values_list("pk", "codename"))
    group = Group.objects.create(name="Import auditors")
    group.permissions.set([pk for pk, _ in permissions])
    return {"user": factories.UserFactory().pk, "content_type": content_type.pk, "permissions": permissions}


def _import_jobs_before_the_move(executor: MigrationExecutor, notes: dict) -> None:
    """The database as the code before the move left it: the model in contracts, its content type so
    labelled; an import job made by that code."""
    notes["exchange_migrations_before"] = MigrationRecorder(connection).migration_qs.filter(app="exchange").exists()
    notes["label_before"] = ContentType.objects.get(pk=notes["content_type"]).app_label
    old_import_job = executor.loader.project_state(BEFORE_THE_MOVE).apps.get_model("contracts", "ImportJob")
    notes["job"] = old_import_job.objects.create(
        original_name="register.csv",
        format="csv",
        status="done",
        created_by_id=notes["user"],
        new_count=7,
        rows=[{"a": 1}],
    ).pk


def _reminders_before_tasks(executor: MigrationExecutor) -> dict:
    """Reminders sent by the code before notifications became tasks, with and without a ledger row."""
    user = factories.UserFactory()
    subject = factories.SupplierFactory()  # any saved row will do as the subject
    subject_type = ContentType.objects.get_for_model(subject)
    apps = executor.loader.project_state(BEFORE_TASKS).apps
    old_notification = apps.get_model("notifications", "Notification")
    old_ledger = apps.get_model("notifications", "ReminderLedger")

    def sent(kind, due, *, ledger=True):
        notification = old_notification.objects.create(recipient_id=user.pk, kind=kind, title=f"{kind} {due}")
        if ledger:
            old_ledger.objects.create(
                recipient_id=user.pk,
                kind=kind,
                subject_type_id=subject_type.pk,
                subject_id=subject.pk,
                due_date=due,
                notification=notification,
            )
        return notification.pk

    notes = {
        "user": user.pk,
        "subject": subject.pk,
        "week1": sent("meeting_arrange_overdue", date(2026, 11, 1)),
        "week2": sent("meeting_arrange_overdue", date(2026, 11, 8)),
        "january": sent("kpi_result_overdue", date(2026, 1, 1)),
        "february": sent("kpi_result_overdue", date(2026, 2, 1)),
        "orphan": sent("strategic_without_sro", None, ledger=False),
        "information": sent("escalation", None, ledger=False),
    }
    notes["rows"] = old_notification.objects.count()
    return notes


def _variation_before_proposals(executor: MigrationExecutor, contract_pk: int) -> dict:
    """A variation recorded by the code before variations were proposed."""
    user = factories.UserFactory()
    old_variation = executor.loader.project_state(BEFORE_PROPOSED_VARIATIONS).apps.get_model("contracts", "Variation")
    old = old_variation.objects.create(
        contract_id=contract_pk,
        number=1,
        agreed_on=date(2026, 5, 1),
        description="Two more sites",
        reason="New custody suite",
        value_change=Decimal("1000"),
        approved_by_id=user.pk,
        recorded_by_id=user.pk,
    )
    return {"variation": old.pk}


def _round_trip(media_root) -> None:
    """Back to every test's old migration, fill, forward to the latest; the notes in a table of their own."""
    import_jobs = _import_jobs_now()
    contract = factories.ContractFactory()
    executor = migrate([BEFORE_THE_MOVE, BEFORE_TASKS])
    _import_jobs_before_the_move(executor, import_jobs)
    reminders = _reminders_before_tasks(executor)
    executor = migrate([BEFORE_PROPOSED_VARIATIONS])
    variations = _variation_before_proposals(executor, contract.pk)
    executor = migrate()
    notes = {
        "import_jobs": import_jobs,
        "reminders": reminders,
        "variations": variations,
        "unapplied_after": [str(step) for step, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())],
    }
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE tests_round_trip_notes (notes jsonb)")
        cursor.execute("INSERT INTO tests_round_trip_notes VALUES (%s::jsonb)", [json.dumps(notes)])


def _fingerprint() -> str:
    """What the round trip is made of: the migrations (and what migrating runs beside them), this module
    and the factories. The round trip is kept from run to run while they stay the same."""
    digest = hashlib.sha256(template_db.migrations_fingerprint().encode())
    for module in (__file__, factories.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:12]


@pytest.fixture
def round_trip(request, django_db_setup, django_db_blocker, tmp_path) -> Iterator[dict]:
    """A copy of the database after the run's round trip, and the notes taken on the way."""
    with (
        django_db_blocker.unblock(),
        snapshots.copy_of("migrated", _round_trip, request.config, tmp_path, version=_fingerprint()),
    ):
        with connection.cursor() as cursor:
            cursor.execute("SELECT notes FROM tests_round_trip_notes")
            (notes,) = cursor.fetchone()
        yield json.loads(notes)
