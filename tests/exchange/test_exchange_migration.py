"""ImportJob moved from contracts to exchange without touching its table: a database migrated by the
code before the move keeps every import job, and the model's content type keeps its row (and so its
permissions and the groups holding them)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from exchange.models import ImportJob
from tests.factories import UserFactory
from tests.migrating import migrate

BEFORE_THE_MOVE = ("contracts", "0008_import_job_waiting_since")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_import_jobs_and_their_content_type_survive_the_move_to_exchange():
    user = UserFactory()
    content_type = ContentType.objects.get(app_label="exchange", model="importjob")
    permissions = set(Permission.objects.filter(content_type=content_type).values_list("pk", "codename"))
    assert {codename for _, codename in permissions} >= {"view_importjob", "change_importjob"}
    group = Group.objects.create(name="Import auditors")
    group.permissions.set([pk for pk, _ in permissions])

    try:
        # The database as today's main left it: the model in contracts, its content type labelled so.
        executor = migrate([BEFORE_THE_MOVE])
        assert not MigrationRecorder(connection).migration_qs.filter(app="exchange").exists()
        assert ContentType.objects.get(pk=content_type.pk).app_label == "contracts"
        old_import_job = executor.loader.project_state(BEFORE_THE_MOVE).apps.get_model("contracts", "ImportJob")
        old = old_import_job.objects.create(
            original_name="register.csv",
            format="csv",
            status="done",
            created_by_id=user.pk,
            new_count=7,
            rows=[{"a": 1}],
        )
    finally:
        # Forward again even when a check above fails, so the tests after this one find the schema.
        executor = migrate()
    assert not executor.migration_plan(executor.loader.graph.leaf_nodes())

    job = ImportJob.objects.get(pk=old.pk)
    assert (job.original_name, job.status, job.created_by, job.new_count, job.rows) == (
        "register.csv",
        ImportJob.Status.DONE,
        user,
        7,
        [{"a": 1}],
    )
    assert ImportJob._meta.db_table == "contracts_importjob"
    # The same row, relabelled: no new content type, the same permissions, still held by the group.
    assert ContentType.objects.get(pk=content_type.pk).app_label == "exchange"
    assert ContentType.objects.filter(model="importjob").count() == 1
    assert set(Permission.objects.filter(content_type=content_type).values_list("pk", "codename")) == permissions
    assert set(group.permissions.values_list("pk", flat=True)) == {pk for pk, _ in permissions}
