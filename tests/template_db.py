"""Each test database is a copy of one migrated once for the current migrations.

Migrating a new database is most of a quick run's start: the 80-odd migrations render the models'
state hundreds of times, in every pytest-xdist worker. Instead the first run after a migration
changes migrates a template database, `test_<name>_tpl_<fingerprint of the migrations>`, and every
worker of this run and the next copies it with CREATE DATABASE ... TEMPLATE, a file copy that takes
a fraction of a second. The copy has what migrating gives: the schema, the data migrations' rows, the
content types and permissions.

The template is built under another name and renamed once complete, so a run stopped half-way never
leaves one that lacks something; an advisory lock lets one process at a time build or copy (workers
of one run, or runs side by side); a template of older migrations is dropped when a new one is made.
"""

import hashlib
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

ADVISORY_LOCK = 7_254_301


def migrations_fingerprint() -> str:
    """Changes whenever a migration of any installed app (or Django itself) does, or what `migrate`
    runs beside them: an app's signal receivers (apps.py, models.py) and SQL (reporting/sql/)."""
    digest = hashlib.sha256(django.get_version().encode())
    for app in sorted(apps.get_app_configs(), key=lambda config: config.label):
        folder = Path(app.path)
        beside = [folder / name for name in ("apps.py", "models.py") if (folder / name).is_file()]
        for path in sorted([*(folder / "migrations").glob("*.py"), *(folder / "sql").glob("*.sql"), *beside]):
            digest.update(f"{app.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _point_at(name: str) -> None:
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def _build(cursor, *, template: str, prefix: str) -> None:
    quote = connection.ops.quote_name
    building = f"{template}_new"
    original = connection.settings_dict["NAME"]
    cursor.execute(f"DROP DATABASE IF EXISTS {quote(building)}")
    cursor.execute(f"CREATE DATABASE {quote(building)}")
    _point_at(building)
    try:
        call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
    finally:
        _point_at(original)
    cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix.replace("_", r"\_") + "%"])
    for (older,) in cursor.fetchall():
        if older != building:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(older)}")
    cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}")


def create_test_database() -> str:
    """Create this process's test database as a copy of the template (building the template first
    when the migrations changed), point the connection at it, and return the name it had."""
    original = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    prefix = f"test_{original}_tpl_"[:46]
    template = prefix + migrations_fingerprint()
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK])
        try:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if cursor.fetchone() is None:
                _build(cursor, template=template, prefix=prefix)
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
            cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
            # A test database need not survive a crash of the server: a commit does not wait for the
            # disk (the transactional tests, the live server and the workers commit thousands of
            # times). Nor do its small queries gain from JIT compilation.
            cursor.execute(f"ALTER DATABASE {quote(test_name)} SET synchronous_commit = off")
            cursor.execute(f"ALTER DATABASE {quote(test_name)} SET jit = off")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK])
    _point_at(test_name)
    return original


def destroy_test_database(original: str) -> None:
    """Drop this process's test database, even if a session of a test's server or worker thread is still
    connected to it (WITH (FORCE) ends it), and point the connection back at the original name."""
    test_name = connection.settings_dict["NAME"]
    _point_at(original)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(test_name)} WITH (FORCE)")
