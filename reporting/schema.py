"""The reporting schema (docs/reporting.md): read-only views over the register for the force's
reporting tool, made from sql/views.sql, and `reporting.labels`, which gives each code in them its
label as the pages show it.

The app's migration makes the schema; its views are made at the end of every `migrate` (apps.py),
once every app's migrations have made the columns they read: they are dropped before migrating, so
that a migration may change or drop any column they read, and made again from sql/views.sql after it,
with their grants. Every column is named in the SQL
with AS, so the columns a report reads stay as they are when a model's field is renamed; a change that
breaks a view's SQL stops `migrate` with PostgreSQL's error rather than changing what reports read.
Only on PostgreSQL: `make run`'s SQLite database has no schemas, and no reporting tool reads it.
"""

import re
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper

from contracts.models import Contract, ContractAssignment, Escalation, KraljicAssessment
from meetings.models import Meeting
from performance.models import Kpi, KpiResult
from suppliers.models import Supplier

SCHEMA = "reporting"
# The group role a reporting login is made a member of (`manage.py reporting_role`): SELECT on every view.
READERS = "reporting_readers"
SQL = Path(__file__).resolve().parent / "sql" / "views.sql"

# (view, column): the model field whose choices its codes are.
LABELLED = {
    ("suppliers", "status"): (Supplier, "status"),
    ("contracts", "status"): (Contract, "status"),
    ("contracts", "nature"): (Contract, "nature"),
    ("contracts", "procurement_route"): (Contract, "procurement_route"),
    ("contracts", "regime"): (Contract, "regime"),
    ("contracts", "kraljic_quadrant"): (Contract, "kraljic_quadrant"),
    ("assignments", "role"): (ContractAssignment, "role"),
    ("kpis", "kind"): (Kpi, "kind"),
    ("kpis", "unit"): (Kpi, "unit"),
    ("kpis", "direction"): (Kpi, "direction"),
    ("kpis", "frequency"): (Kpi, "frequency"),
    ("kpi_results", "rating"): (KpiResult, "rating"),
    ("escalations", "source"): (Escalation, "source"),
    ("escalations", "severity"): (Escalation, "severity"),
    ("escalations", "status"): (Escalation, "status"),
    ("meetings", "kind"): (Meeting, "kind"),
    ("meetings", "status"): (Meeting, "status"),
    ("kraljic_assessments", "quadrant"): (KraljicAssessment, "quadrant"),
}


def view_names() -> list[str]:
    """The views of sql/views.sql, in their order, then `labels`."""
    return [*re.findall(r"CREATE VIEW reporting\.(\w+) AS", SQL.read_text()), "labels"]


def _statements() -> list[str]:
    text = "\n".join(line for line in SQL.read_text().splitlines() if not line.startswith("--"))
    return [statement.strip() for statement in text.split(";") if statement.strip()]


def _labels() -> list[tuple[str, str, str, str]]:
    rows = []
    for (view, column), (model, field_name) in LABELLED.items():
        for code, label in getattr(model._meta.get_field(field_name), "choices", None) or ():
            rows.append((view, column, str(code), str(label)))
    return rows


def views_drop(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name in reversed(view_names()):
            cursor.execute(f"DROP VIEW IF EXISTS {SCHEMA}.{name}")


def views_create(connection: BaseDatabaseWrapper) -> None:
    """(Re)make every view and grant the readers SELECT on them."""
    if connection.vendor != "postgresql":
        return
    views_drop(connection)
    with connection.cursor() as cursor:
        for statement in _statements():
            cursor.execute(statement)
        rows = _labels()
        placeholders = ", ".join(["(%s, %s, %s, %s)"] * len(rows))  # only placeholders: the values are parameters
        cursor.execute(
            f"CREATE VIEW {SCHEMA}.labels AS SELECT * FROM (VALUES {placeholders}) "  # noqa: S608
            "AS labels(view_name, column_name, code, label)",
            [value for row in rows for value in row],
        )
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [READERS])
        if cursor.fetchone():
            readers_grant(cursor)


def readers_grant(cursor) -> None:
    cursor.execute(f"GRANT USAGE ON SCHEMA {SCHEMA} TO {READERS}")
    cursor.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {SCHEMA} TO {READERS}")


def schema_exists(connection: BaseDatabaseWrapper) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [SCHEMA])
        return cursor.fetchone() is not None
