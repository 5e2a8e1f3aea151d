"""The reporting schema: a read-only login reads every view and finds the register's rows, and cannot
write or read anything else; the views' columns are the documented ones and stay so when a field is
renamed."""

import io
import os
import re
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from contracts.models import Contract
from performance.ratings import Rating
from reporting import schema
from tests import demo_world, snapshots

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reporting.md"


def view_columns() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'reporting' "
            "ORDER BY table_name, ordinal_position"
        )
        columns: dict[str, list[str]] = {}
        for view, column in cursor.fetchall():
            columns.setdefault(view, []).append(column)
    return columns


def documented_columns() -> dict[str, list[str]]:
    documented: dict[str, list[str]] = {}
    for section in re.split(r"^### reporting\.", DOCS.read_text(), flags=re.MULTILINE)[1:]:
        name, _, body = section.partition("\n")
        rows = re.findall(r"^\| (\w+) \|", body, flags=re.MULTILINE)
        documented[name.strip()] = [row for row in rows if row != "column"]
    return documented


def test_every_view_has_exactly_the_documented_columns(db):
    assert view_columns() == documented_columns()
    assert sorted(view_columns()) == sorted(schema.view_names())


def test_renaming_a_models_column_leaves_the_views_columns_and_data_as_they_were(db, contract):
    before = view_columns()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE contracts_contract RENAME COLUMN title TO name")
        cursor.execute("ALTER TABLE performance_kpiresult RENAME COLUMN rating TO calculated")
        cursor.execute("SELECT title FROM reporting.contracts WHERE contract_id = %s", [contract.pk])
        assert cursor.fetchone() == ("Body-worn video",)
    assert view_columns() == before


def test_codes_have_the_labels_the_pages_show(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, label FROM reporting.labels WHERE view_name = 'kpi_results' AND column_name = 'rating'"
        )
        assert dict(cursor.fetchall()) == {str(code): str(label) for code, label in Rating.choices}
        cursor.execute(
            "SELECT label FROM reporting.labels WHERE view_name = 'contracts' AND column_name = 'status' AND code = %s",
            [Contract.Status.ACTIVE],
        )
        assert cursor.fetchone() == ("Active",)


@pytest.fixture
def seeded_demo(request, django_db_setup, django_db_blocker, tmp_path):
    """A copy of the demo seeded once for the run (tests/snapshots.py), committed, so that another login
    reads it; dropped after the test."""
    with (
        django_db_blocker.unblock(),
        snapshots.copy_of("demo", demo_world.seed, request.config, tmp_path),
        override_settings(DEMO_DATA_ALLOWED=True, MEDIA_ROOT=tmp_path),
    ):
        yield


@pytest.mark.slow
def test_the_reporting_login_reads_every_view_of_the_demo_and_nothing_else(seeded_demo, monkeypatch):
    monkeypatch.setenv("REPORTING_DB_PASSWORD", "a-long-reporting-secret")
    output = io.StringIO()
    call_command("reporting_role", "crystal_reports_test", stdout=output)
    assert "reads the views of the reporting schema only" in output.getvalue()
    assert "a-long-reporting-secret" not in output.getvalue()

    settings = connection.settings_dict
    login = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user="crystal_reports_test",
        password=os.environ["REPORTING_DB_PASSWORD"],
        autocommit=True,
    )
    with login:
        for view in schema.view_names():
            (count,) = login.execute(f"SELECT count(*) FROM reporting.{view}").fetchone()  # noqa: S608
            assert count > 0, f"reporting.{view} shows none of the demo's rows"
        (references,) = login.execute("SELECT count(DISTINCT reference) FROM reporting.contracts").fetchone()
        assert references == Contract.objects.count()
        refused = (
            "SELECT count(*) FROM contracts_contract",
            "UPDATE contracts_contract SET title = 'x'",
            "UPDATE reporting.suppliers SET name = 'x'",
            "DELETE FROM reporting.people",
            "CREATE TABLE reporting.mine (id int)",
        )
        for statement in refused:
            # Refused for want of the privilege, or because its transactions are read-only.
            with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.errors.ReadOnlySqlTransaction)):
                login.execute(statement)
        assert login.execute("SHOW default_transaction_read_only").fetchone() == ("on",)
