"""Worlds seeded once for a module whose tests only read them (the whole demo register, or a few
contracts): in one transaction, rolled back at the end, each test in a savepoint of it. `seeded_demo` gives
the module a copy of a demo seeded once for the whole run (tests/snapshots.py) rather than seeding it again."""

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from tests import factories, snapshots

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def shared_transaction(django_db_blocker, media_root: Path, **settings) -> Iterator[None]:
    """Database access for the module, its own media folder and the fast hasher (and any other
    `settings`), and a transaction rolled back when the module is done."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media_root,
            PASSWORD_HASHERS=FAST_HASHERS,
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
