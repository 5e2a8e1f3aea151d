"""The whole demo register seeded once for a module whose tests only read it: in one transaction,
rolled back at the end, each test in a savepoint of it."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction
from django.test import override_settings


@contextmanager
def demo_transaction(django_db_blocker, media_root: Path) -> Iterator[None]:
    """The demo's settings and a transaction rolled back when the module is done."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            DEMO_DATA_ALLOWED=True,
            MEDIA_ROOT=media_root,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@contextmanager
def in_savepoint() -> Iterator[None]:
    """One test's writes, rolled back after it."""
    savepoint = transaction.savepoint()
    yield
    transaction.savepoint_rollback(savepoint)
