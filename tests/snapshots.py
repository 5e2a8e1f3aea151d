"""Databases built once per test run and copied by each module that only reads them.

Seeding the whole demo, or taking the database back through its migrations and forward again, costs
tens of seconds; under pytest-xdist the tests of one module land on several workers, and each worker
would build the module's world again. Here the first worker of the run to need a world builds it
once, as `test_<name>_<key>_<run>` (a copy of the migrated template of tests/template_db.py, with its
media folder beside it), under an advisory lock of that world's; then every module that needs it, on
any worker, works on a copy of its own (CREATE DATABASE ... TEMPLATE, a file copy) and drops it when
done. The worlds of a run are dropped when the worker that built them ends its session, and those of
an older run when a world of a new one is built.

A world that depends on nothing but the code (not on the day: the migrations' round trip) may be
kept from run to run instead, as tests/template_db.py keeps the migrated template: `version` names it
by a fingerprint of what it is made from, and a new fingerprint builds it anew."""

import os
import re
import shutil
import tempfile
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from tests import template_db

ADVISORY_LOCK = 7_254_302  # tests/template_db.py holds 7_254_301; with a second key, one lock per world
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex  # shared by the workers of a run
_copies = iter(range(1_000_000))


def _base() -> str:
    """The test database's name without the xdist worker's suffix: test_<name>."""
    return re.sub(r"_gw\d+$", "", connection.settings_dict["NAME"])[:36]


def world_name(key: str, version: str | None = None) -> str:
    return f"{_base()}_{key}_{(version or _RUN)[:12]}"


def media_of(name: str) -> Path:
    return Path(tempfile.gettempdir()) / f"{name}-media"


@contextmanager
def _locked(key: str):
    """The world's own lock: workers building two worlds build them side by side."""
    lock = [ADVISORY_LOCK, zlib.crc32(key.encode()) & 0x7FFFFFFF]
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", lock)
        try:
            yield cursor
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", lock)


def _build(cursor, *, name: str, key: str, build: Callable[[Path], None]) -> None:
    quote = connection.ops.quote_name
    base = _base()
    cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{base}_{key}_%".replace("_", r"\_")])
    for (older,) in cursor.fetchall():  # a world of an older run (or a half-built one)
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(older)} WITH (FORCE)")
        shutil.rmtree(media_of(older), ignore_errors=True)
    template = f"{base}_tpl_"[:46] + template_db.migrations_fingerprint()
    building = f"{name}_new"
    cursor.execute(f"CREATE DATABASE {quote(building)} TEMPLATE {quote(template)}")
    cursor.execute(f"ALTER DATABASE {quote(building)} SET synchronous_commit = off")
    media = media_of(name)
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True)
    test_name = connection.settings_dict["NAME"]
    template_db._point_at(building)
    try:
        build(media)
    finally:
        template_db._point_at(test_name)
    cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(name)}")


def _drop(key: str, name: str) -> None:
    try:
        with _locked(key) as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
    except Exception:  # noqa: BLE001, S110 - another worker is copying it: the next run's build drops it
        return
    shutil.rmtree(media_of(name), ignore_errors=True)


@contextmanager
def copy_of(
    key: str, build: Callable[[Path], None], config, media_copy: Path, *, version: str | None = None
) -> Iterator[None]:
    """Point the connection at a new copy of this run's world `key` (built first by `build(media)` if no
    worker of the run has yet: it runs with the connection on the new database and must commit what it
    makes), with the world's media folder copied to `media_copy`; drop the copy afterwards. `config`
    (pytest's) drops the world itself when the session ends, unless it has a `version` to be kept by."""
    name = world_name(key, version)
    copy = f"{connection.settings_dict['NAME']}_{key}{next(_copies)}"
    quote = connection.ops.quote_name
    with _locked(key) as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            _build(cursor, name=name, key=key, build=build)
            if version is None:
                config.add_cleanup(lambda: _drop(key, name))
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(copy)}")
        cursor.execute(f"CREATE DATABASE {quote(copy)} TEMPLATE {quote(name)}")
    shutil.copytree(media_of(name), media_copy, dirs_exist_ok=True)
    test_name = connection.settings_dict["NAME"]
    template_db._point_at(copy)
    ContentType.objects.clear_cache()  # the copy's, which a round trip through the migrations relabels
    try:
        yield
    finally:
        template_db._point_at(test_name)
        ContentType.objects.clear_cache()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(copy)} WITH (FORCE)")
