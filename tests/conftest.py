"""Personas, after healthchecks' alice and bob: every object URL is tried by
someone who may see it and by someone who must be refused."""

import importlib
import io
import itertools
import os
import shutil
import warnings
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from hypothesis import settings as hypothesis_settings
from playwright.sync_api import sync_playwright

from tests import examples, factories, template_db
from tests.brokers import celery_broker
from tests.factories import PASSWORD
from tests.find_a_tender import find_a_tender  # noqa: F401  (the stub of Find a Tender's API, a fixture)

SYSTEM = Path(__file__).resolve().parent / "system"

hypothesis_settings.load_profile("fast" if examples.FAST else "full")  # tests/examples.py


def pytest_collection_modifyitems(config, items):
    """tests/system/ (and any test that drives Chromium or a real Celery worker, or is marked `slow`:
    a migration round trip, seeding the whole demo) is the slow tier: marked `system`, so that
    `make test-fast` (-m "not system") leaves it out."""
    for item in items:
        if SYSTEM in item.path.parents or any(item.get_closest_marker(name) for name in ("browser", "celery", "slow")):
            item.add_marker(pytest.mark.system)


def _redis_db_for_worker(url: str, worker: str) -> str:
    """The broker URL with a Redis database of this xdist worker's own (gw0 keeps the configured one):
    workers consuming from one database would take each other's tasks."""
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{db % 16}"))


# Real hashing costs a third of a second a user; the tests create hundreds.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _per_worker_resources(tmp_path_factory):
    """Under pytest-xdist each worker has its own test database (pytest-django names it
    test_<name>_gw0, ...), and here its own media folder and Redis database, so that workers
    running side by side never share a file or a queue. The fast password hasher is set here, once
    for the session, rather than by every test."""
    media = tmp_path_factory.mktemp("media")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS):
            yield
        return
    url = django_settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        url = _redis_db_for_worker(url, worker)
    with (
        override_settings(MEDIA_ROOT=media, CELERY_BROKER_URL=url, PASSWORD_HASHERS=FAST_HASHERS),
        celery_broker(url),
    ):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's, but the test database is a copy of one migrated once for the current
    migrations (tests/template_db.py) rather than migrated anew in every worker."""
    with django_db_blocker.unblock():
        original = template_db.create_test_database()
    yield
    with django_db_blocker.unblock():
        try:
            template_db.destroy_test_database(original)
        except Exception as error:  # noqa: BLE001 - as pytest-django does: a warning, the results stand
            warnings.warn(f"The test database could not be dropped: {error!r}", stacklevel=1)


_media_folders = itertools.count()


@pytest.fixture(autouse=True)
def _test_settings():
    """Each test has a media folder of its own: a new folder under the worker's, one mkdir (pytest's
    tmp_path, which lists its parent folder to number the new one, cost more than many a test)."""
    media = Path(django_settings.MEDIA_ROOT) / f"t{next(_media_folders)}"
    media.mkdir(parents=True)
    with override_settings(MEDIA_ROOT=media):
        yield


@pytest.fixture
def alice(db):
    """An OCO, named on `contract`."""
    return factories.alice()


@pytest.fixture
def bob(db):
    """Another OCO, named on `other_contract` only."""
    return factories.bob()


@pytest.fixture
def sam(db):
    """An SRO, named on `contract`."""
    return factories.sam()


@pytest.fixture
def priya(db):
    """A Procurement Unit officer."""
    return factories.priya()


@pytest.fixture
def emails_each():
    """Those named chose an e-mail for each notification as it happens (the default is a daily digest)."""
    from notifications.services import email_delivery_save

    def choose(*users):
        for user in users:
            email_delivery_save(user=user, delivery="each")

    return choose


@pytest.fixture
def admin_user(db):
    return factories.admin_user()


@pytest.fixture
def contract(alice, sam, priya):
    return factories.alices_contract(alice=alice, sam=sam, priya=priya)


@pytest.fixture
def other_contract(bob, priya):
    return factories.bobs_contract(bob=bob, priya=priya)


@pytest.fixture
def kraljic_reference_data(db):
    """The criteria and thresholds of the data migration. Transactional tests (live server, real
    workers) flush the tables between tests, so they ask for them again through this fixture."""
    from django.apps import apps

    migration = importlib.import_module("contracts.migrations.0003_kraljic_reference_data")
    migration.add_reference_data(apps, None)


@pytest.fixture
def data_migration_rows(kraljic_reference_data):
    """Every row the data migrations make (the role groups, the Kraljic criteria and thresholds), again
    after a transactional test before this one on the worker flushed them."""
    from django.apps import apps

    importlib.import_module("accounts.migrations.0002_role_groups").create_groups(apps, None)
    importlib.import_module("accounts.migrations.0004_supplier_role").create_group(apps, None)


@pytest.fixture
def persona(request):
    """Resolve a persona fixture by name inside parametrised tests."""
    return request.getfixturevalue(request.param) if request.param != "anonymous" else None


def pdf_bytes(text: str = "Contract") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n% " + text.encode()
    )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


# --- Browser tests: Debian's chromium driven by Playwright (its own browser download is not used) ---

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM
    # calls are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--lang=en-GB",
                # Date inputs read dd/mm/yyyy, as the force writes them. Chromium orders a date field by its
                # own interface language, which on Linux comes from the locale files it has: Debian's package
                # ships en-US only (en-GB is in chromium-l10n), so --lang=en-GB alone still gives mm/dd/yyyy.
                # This Blink feature orders the field by the page's <html lang="en-GB"> instead.
                "--enable-blink-features=LangAttributeAwareFormControlUI",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
