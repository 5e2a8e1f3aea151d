"""ImportJob moved from contracts to exchange without touching its table: a database migrated by the
code before the move keeps every import job, and the model's content type keeps its row (and so its
permissions and the groups holding them). The round trip through the migrations is the run's shared
one (tests/migrating.py: `_import_jobs_now`, `_import_jobs_before_the_move`)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from accounts.models import User
from exchange.models import ImportJob
from tests.migrating import round_trip  # noqa: F401  (a fixture: the database after the round trip)


@pytest.mark.slow
def test_import_jobs_and_their_content_type_survive_the_move_to_exchange(round_trip):  # noqa: F811
    notes = round_trip["import_jobs"]
    permissions = {(pk, codename) for pk, codename in notes["permissions"]}
    assert {codename for _, codename in permissions} >= {"view_importjob", "change_importjob"}
    # The database as the code before the move left it: the model in contracts, its content type labelled so.
    assert notes["exchange_migrations_before"] is False
    assert notes["label_before"] == "contracts"
    # Forward again: nothing left to apply.
    assert round_trip["unapplied_after"] == []

    job = ImportJob.objects.get(pk=notes["job"])
    assert (job.original_name, job.status, job.created_by, job.new_count, job.rows) == (
        "register.csv",
        ImportJob.Status.DONE,
        User.objects.get(pk=notes["user"]),
        7,
        [{"a": 1}],
    )
    assert ImportJob._meta.db_table == "contracts_importjob"
    # The same row, relabelled: no new content type, the same permissions, still held by the group.
    content_type = notes["content_type"]
    assert ContentType.objects.get(pk=content_type).app_label == "exchange"
    assert ContentType.objects.filter(model="importjob").count() == 1
    assert set(Permission.objects.filter(content_type=content_type).values_list("pk", "codename")) == permissions
    group = Group.objects.get(name="Import auditors")
    assert set(group.permissions.values_list("pk", flat=True)) == {pk for pk, _ in permissions}
