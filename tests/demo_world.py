"""Worlds seeded once for a module whose tests only read them (the whole demo register, or a few
contracts): in one transaction, rolled back at the end, each test in a savepoint of it."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from tests import factories


@contextmanager
def shared_transaction(django_db_blocker, media_root: Path, **settings) -> Iterator[None]:
    """Database access for the module, its own media folder and the fast hasher (and any other
    `settings`), and a transaction rolled back when the module is done."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media_root,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            **settings,
        ),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@contextmanager
def demo_transaction(django_db_blocker, media_root: Path) -> Iterator[None]:
    """The demo's settings and a transaction rolled back when the module is done."""
    with shared_transaction(django_db_blocker, media_root, DEMO_DATA_ALLOWED=True):
        yield


@contextmanager
def in_savepoint() -> Iterator[None]:
    """One test's writes, rolled back after it."""
    savepoint = transaction.savepoint()
    yield
    transaction.savepoint_rollback(savepoint)


PERSONAS = ("alice", "bob", "sam", "priya", "admin_user")  # tests/conftest.py's, built by tests/factories.py


def read_only_world(build: Callable[[dict], dict], *, clock: str | None = None):
    """The fixtures `world`, `db` and `persona` of a module whose tests only read one world, each test in a
    savepoint of it (whatever it writes, a sign-in's session say, is rolled back after it). `build(people)`
    makes the world's objects from the personas (by name) and returns them by name; `world` is then
    {"people": ..., "objects": ...}, built once per module on the `clock` (time-machine, not ticking) when
    given. `persona` resolves a persona parametrised by name (indirect), "anonymous" to None; `_test_settings`
    keeps the world's media folder (conftest's gives each test its own). Assign them at the top of the
    module: `world, db, persona, _test_settings = read_only_world(build)`."""

    @pytest.fixture(scope="module", name="world")
    def world_fixture(django_db_setup, django_db_blocker, tmp_path_factory):
        with (
            shared_transaction(django_db_blocker, tmp_path_factory.mktemp("media-world")),
            time_machine.travel(clock, tick=False) if clock else nullcontext(),
        ):
            people = {name: getattr(factories, name)() for name in PERSONAS}
            yield {"people": people, "objects": build(people)}

    @pytest.fixture(name="db")
    def db_fixture(world):
        """pytest-django's `db`, replaced in the module: each test in a savepoint of the world's transaction."""
        with in_savepoint():
            yield

    @pytest.fixture(name="persona")
    def persona_fixture(request, world, db):
        return world["people"].get(request.param)

    @pytest.fixture(name="_test_settings")
    def settings_fixture():
        """Replaces conftest's per-test media folder: the world's files are in the world's."""

    return world_fixture, db_fixture, persona_fixture, settings_fixture
