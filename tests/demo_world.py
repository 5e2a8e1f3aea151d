"""The whole demo register seeded once for a module whose tests only read it: in one transaction,
rolled back at the end, each test in a savepoint of it. `seeded_demo` gives the module a copy of a
demo seeded once for the whole run (tests/snapshots.py) rather than seeding it again."""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from tests import snapshots

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def demo_transaction(django_db_blocker, media_root: Path) -> Iterator[None]:
    """The demo's settings and a transaction rolled back when the module is done."""
    with (
        django_db_blocker.unblock(),
        override_settings(DEMO_DATA_ALLOWED=True, MEDIA_ROOT=media_root, PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


def seed(media_root: Path) -> None:
    """seed_demo, committed; what it left to do on commit is dropped, as in the rolled-back transaction
    of demo_transaction, where the tests seeded it before."""
    with (
        override_settings(DEMO_DATA_ALLOWED=True, MEDIA_ROOT=media_root, PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        connection.run_on_commit.clear()


@contextmanager
def seeded_demo(config, django_db_blocker, media_root: Path, *, key: str = "demo") -> Iterator[None]:
    """A copy of the demo seeded once for the run (by the first module to ask, at its clock: a module
    that seeds at a pinned time names that time in `key`), in demo_transaction."""
    with (
        django_db_blocker.unblock(),
        snapshots.copy_of(key, seed, config, media_root),
        demo_transaction(django_db_blocker, media_root),
    ):
        yield


@contextmanager
def in_savepoint() -> Iterator[None]:
    """One test's writes, rolled back after it."""
    savepoint = transaction.savepoint()
    yield
    transaction.savepoint_rollback(savepoint)
