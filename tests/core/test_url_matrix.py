"""The permission matrix, generated from the URL configuration (issue 9).

Every named URL of the site (the Django admin apart, see ADMIN below) has a row in TABLE: the HTTP
method to use, the object it is tried on, and the answer each persona must get. A URL that takes an
object id is tried on two objects:

    A  an object of alice's contract CON-A, a strategic contract whose SRO is sam;
    B  the same object of bob's contract CON-B, on which neither alice nor sam is named.

so each cell reads "answer on A / answer on B". The policy (ARCHITECTURE.md, "Least privilege"):
an OCO or SRO sees the contracts on which they are named, the Procurement Unit and administrators
see everything; an object someone may not see answers 404 (never 200, 403 or 500); someone who may
see it but not change it gets 403 on the change URL; a page for the Procurement Unit alone answers 403
to anyone else whatever the object (refused before any lookup, so it tells nothing about the object);
anyone not signed in is sent to the login page.

Objects that do not belong to a contract:
    notification  A is alice's, B is bob's (a notification is its recipient's alone, even for an administrator)
    import_job    A was started by priya, B by another Procurement officer (only its starter and administrators)
    invoice       A is an unmatched invoice of CON-A's supplier, B of CON-B's (the Procurement Unit's alone)
    review_round  A is the open Kraljic review round, B a closed one; review_item: A is CON-A's item, B CON-B's
    feed          A is alice's calendar feed token, B a revoked one (the token is the key: no sign-in; 404 once revoked)
    contact       A is CON-A's supplier's contact who is supplier1, B CON-B's, who is supplier2; submission: their MI
                  submissions (supplier1 and supplier2 see their own supplier's contracts on the portal, nothing else)

Methods: GET; HTMX (a GET sent as htmx sends it); POST (an empty form), for a URL only ever posted to, or
whose POST answers differently from its GET; FORM, a page with a form: its GET answers as the row says, and
an empty POST from anyone the GET refuses (sign in, 403, 404) is refused the same way. The whole module runs
inside one transaction, rolled back at its end, and each case in a savepoint of it: a POST that is allowed
changes nothing the next case sees.

Adding a URL: add its row to TABLE in url_matrix_rows.py (and, for a page whose route takes a parameter that
is not an object id, such as a slug, its arguments to PAGE_KWARGS there; for a new kind of object, a field on
`Side` and `_side()` in url_matrix_world.py, and a line in OBJECTS below if the route has several
parameters)."""

import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from contracts.models import Quadrant
from meetings.models import CalendarFeed
from tests.core.url_matrix_rows import PAGE_KWARGS, PERSONAS, ROWS, Row
from tests.core.url_matrix_world import Side, build_world

# The Django admin is Django's own permission system (staff status and model permissions), tested by
# Django: only its front door is in the table (admin:index), to show that nobody but an administrator
# gets in. Its hundred-odd change/delete/history URLs are left out of the completeness checks.
ADMIN = "admin"

# A route parameter names an object when it is one of these, ends in one of them, or is converted by
# an int or uuid converter (a slug or a file format is not an object id).
OBJECT_PARAMETER = re.compile(r"^(pk|id|uuid|token)$|_(pk|id|uuid|token)$")


def _cells(row: Row):
    for persona in PERSONAS:
        sides = ("-",) if row.object == "-" else ("A", "B")
        for side, status in zip(sides, row.expected[persona], strict=True):
            yield persona, side, status


def _case_id(row: Row, persona: str, side: str, method: str) -> str:
    return f"{row.name}-{method}-{persona}" + ("" if side == "-" else f"-{side}")


def _cases():
    for row in ROWS:
        for persona, side, status in _cells(row):
            yield pytest.param(row, persona, side, status, id=_case_id(row, persona, side, row.method))


def _refused_posts():
    """The FORM rows' cells where the GET is refused: the POST is tried there too."""
    for row in ROWS:
        if row.method == "FORM":
            for persona, side, status in _cells(row):
                if persona == "anonymous" or status in (403, 404):
                    yield pytest.param(row, persona, side, status, id=_case_id(row, persona, side, "POST"))


# --- The URL configuration, walked -----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    parameters: dict  # name -> its converter's class name ("IntConverter", ...), or "regex"

    @property
    def takes_an_object(self) -> bool:
        if self.name in PAGE_KWARGS:  # its parameters are given there: none is an object's id
            return False
        return any(
            OBJECT_PARAMETER.search(name) or converter in ("IntConverter", "UUIDConverter")
            for name, converter in self.parameters.items()
        )


def _parameters(pattern) -> dict:
    if isinstance(pattern.pattern, RoutePattern):
        return {name: type(converter).__name__ for name, converter in pattern.pattern.converters.items()}
    return dict.fromkeys(pattern.pattern.regex.groupindex, "regex")  # a regex route (DRF's router)


def _walk(resolver, prefix="", namespace=None, parameters=None):
    for pattern in resolver.url_patterns:
        found = {**(parameters or {}), **_parameters(pattern)}
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern, route, inner or namespace, found)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield Route(name, route, found)


def _routes() -> list[Route]:
    return [r for r in _walk(get_resolver()) if not r.route.startswith(f"{ADMIN}/")]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, inside a transaction that is rolled back when the module ends; each case runs in a
    savepoint of it (`db` below), so a POST that is allowed leaves nothing behind for the next."""
    media_root = tmp_path_factory.mktemp("media-matrix")
    with (
        django_db_blocker.unblock(),
        time_machine.travel("2026-11-25 10:00 +00:00"),
        override_settings(
            MEDIA_ROOT=media_root,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            # Sessions in signed cookies: no session row to read and write on each of these requests.
            SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        ),
        transaction.atomic(),
        _quiet("django.request"),  # a warning with a traceback for each of the hundreds of 403s and 404s
    ):
        world = build_world()
        # One session per persona, reused by every case (signing in again for each costs a write or two).
        world.sessions = {}
        for persona, user in world.users.items():
            client = Client()
            client.force_login(user)
            if user.is_supplier:  # a supplier's person always gives the second factor: theirs is given
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
                session.save()
                client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
            world.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield world
        transaction.set_rollback(True)


@contextmanager
def _quiet(logger_name: str):
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)  # a 500 is still logged
    try:
        yield
    finally:
        logger.setLevel(level)


@pytest.fixture(scope="module")
def _one_client():
    return Client()


@pytest.fixture
def client(_one_client):
    """One test client for the module, its cookies cleared for each case: pytest-django's gives each case a
    new one, whose handler loads every middleware again (a twentieth of a case's time)."""
    _one_client.cookies = SimpleCookie()
    return _one_client


@pytest.fixture
def _test_settings():
    """Replaces conftest's per-test media folder and password hasher: the module's world sets both once."""


@pytest.fixture
def db(world):
    """pytest-django's `db`, replaced in this module: each case runs in a savepoint of the world's
    transaction, rolled back after it (the usual `db` wraps every case in a fresh TestCase, which
    costs more than most of these requests). The name stays `db` so that pytest-django, which sets
    up the test database for the tests that ask for `db`, sets it up for these."""
    savepoint = transaction.savepoint()
    yield
    transaction.savepoint_rollback(savepoint)


# Routes with more than one parameter, or whose parameter is not the object's pk.
OBJECTS = {
    "document": lambda s: {"pk": s.contract.pk, "document_pk": s.document.pk},
    "feed": lambda s: {"token": s.feed},
    "supplier_twin": lambda s: {"pk": s.supplier.pk, "other": s.supplier_twin.pk},
    "notice": lambda s: {"contract_pk": s.contract.pk, "period_start": "2025-04-01", "kind": "annual"},
}


def _url(row: Row, side: str, world, routes: dict) -> str:
    if row.object == "-":
        return reverse(row.name, kwargs=PAGE_KWARGS.get(row.name, {}))
    objects = world.sides[side]
    if row.object in OBJECTS:
        return reverse(row.name, kwargs=OBJECTS[row.object](objects))
    (parameter,) = routes[row.name].parameters  # the one id the route takes
    return reverse(row.name, kwargs={parameter: getattr(objects, row.object).pk})


@pytest.fixture(scope="module")
def routes() -> dict:
    return {r.name: r for r in _routes() if r.name}


# --- The tests -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("row", "persona", "side", "expected"), list(_cases()))
def test_each_persona_gets_the_answer_in_the_table(client, world, db, routes, row, persona, side, expected):
    url = _url(row, side, world, routes)
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    if row.method == "POST":
        response = client.post(url)
    else:
        response = client.get(url, headers={"HX-Request": "true"} if row.method == "HTMX" else {})
    assert response.status_code == expected, f"{row.method} {url} as {persona}"
    _assert_redirect(response, row, persona, url)


@pytest.mark.parametrize(("row", "persona", "side", "expected"), list(_refused_posts()))
def test_a_form_refuses_a_post_from_whoever_its_page_refuses(client, world, db, routes, row, persona, side, expected):
    url = _url(row, side, world, routes)
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    response = client.post(url)
    assert response.status_code == expected, f"POST {url} as {persona}"
    _assert_redirect(response, row, persona, url)


def _assert_redirect(response, row: Row, persona: str, url: str) -> None:
    """Whoever is not signed in is sent to sign in; whoever is, never is."""
    if response.status_code != 302 or row.name == "accounts:logout":  # signing out ends on the login page
        return
    login = reverse("admin:login") if row.name.startswith(f"{ADMIN}:") else reverse("accounts:login")
    if persona == "anonymous":
        assert response["Location"].startswith(login), f"{url} sends an anonymous visitor to {response['Location']}"
    else:
        assert not response["Location"].startswith(reverse("accounts:login")), f"{url} asks {persona} to sign in again"


def test_the_world_is_what_the_table_says(world, db):
    a, b = world.sides["A"], world.sides["B"]
    a.contract.refresh_from_db()
    assert (a.contract.oco, a.contract.sro) == (world.users["alice"], world.users["sam"])
    assert a.contract.kraljic_quadrant == Quadrant.STRATEGIC
    assert (b.contract.oco, b.contract.sro) == (world.users["bob"], None)
    assert a.notification.recipient == world.users["alice"] and b.notification.recipient == world.users["bob"]
    assert a.import_job.created_by == world.users["priya"] and b.import_job.created_by.is_procurement
    assert a.review_round.is_open and not b.review_round.is_open
    assert CalendarFeed.objects.filter(token=a.feed).exists() and not CalendarFeed.objects.filter(token=b.feed).exists()
    assert {b.contract.pk, a.contract.pk} <= set(a.review_round.items.values_list("contract", flat=True))


@pytest.mark.parametrize("row", [r for r in ROWS if r.object != "-"], ids=lambda r: r.label)
def test_an_id_no_object_has_answers_404(client, world, db, routes, row):
    """Even to an administrator (on the supplier portal, to a supplier's person): a missing object looks like
    one the user may not see (never a 500)."""
    url = _url(row, "missing", world, routes)
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[
        "supplier1" if row.name.startswith("portal:") else "admin"
    ]
    response = client.post(url) if row.method == "POST" else client.get(url)
    assert response.status_code == 404, f"{row.method} {url}"


@pytest.mark.parametrize("persona", ["alice", "priya"])
def test_a_document_is_found_only_under_its_own_contract(client, world, db, persona):
    """Two ids in one URL: bob's document asked for under alice's contract is not found, even by
    someone who may see both."""
    a, b = world.sides["A"], world.sides["B"]
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    response = client.get(reverse("contracts:document_download", args=[a.contract.pk, b.document.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("period_start", "kind"), [("2025-04-02", "annual"), ("2025-13-01", "annual"), ("2025-04-01", "x")]
)
def test_a_performance_notice_that_is_not_due_answers_404(client, world, db, period_start, kind):
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions["priya"]
    url = reverse("exchange:notice", args=[world.sides["A"].contract.pk, period_start, kind])
    assert client.get(url).status_code == 404


def test_every_object_url_has_a_row_in_the_table():
    in_table = {row.name for row in ROWS}
    missing = sorted(f"{r.name}  ({r.route})" for r in _routes() if r.takes_an_object and r.name not in in_table)
    assert not missing, (
        "These URLs take an object id but have no row in tests/core/url_matrix_rows.py TABLE:\n  "
        + "\n  ".join(missing)
        + "\nAdd a row for each: its method (GET for a page, FORM for a page with a form, POST for a URL only "
        "posted to), the object it is tried on (a field of Side) and the answer each persona gets on alice's object "
        "/ bob's object (see the module's docstring)."
    )


def test_every_page_has_a_row_in_the_table():
    """Pages without an object are in the table too: a new page states who may open it."""
    in_table = {row.name for row in ROWS}
    missing = sorted(
        f"{r.name}  ({r.route})" for r in _routes() if r.name and not r.takes_an_object and r.name not in in_table
    )
    assert not missing, (
        "These URLs have no row in tests/core/url_matrix_rows.py TABLE:\n  "
        + "\n  ".join(missing)
        + "\nAdd a row with object '-' and one answer per persona (and its arguments to PAGE_KWARGS if the "
        "route takes a parameter that is not an object id, such as a slug)."
    )


def test_every_url_is_named():
    """A URL without a name cannot have a row: name it."""
    unnamed = sorted(r.route for r in _routes() if not r.name)
    assert not unnamed, f"Name these URLs so the permission table can list them: {unnamed}"


def test_every_row_names_a_url_that_exists():
    names = {r.name for r in _walk(get_resolver()) if r.name}
    stale = sorted({row.name for row in ROWS} - names)
    assert not stale, f"TABLE in tests/core/url_matrix_rows.py names URLs that no longer exist: {stale}; remove them."


def test_each_row_uses_an_object_the_world_has_and_the_right_kind_of_cell():
    routes = {r.name: r for r in _routes() if r.name}
    for row in ROWS:
        if row.name not in routes:
            continue  # admin:index, or a stale row (the test above names it)
        takes_an_object = routes[row.name].takes_an_object
        assert (row.object != "-") == takes_an_object, (
            f"{row.name}: {'give the object it is tried on' if takes_an_object else 'a page: use object -'}"
        )
        assert row.object == "-" or row.object in Side.__dataclass_fields__, f"{row.name}: no object {row.object}"


def test_the_table_has_no_duplicate_rows():
    labels = [row.label for row in ROWS]
    assert len(labels) == len(set(labels)), sorted({label for label in labels if labels.count(label) > 1})


# What a GET does to a URL that is only ever POSTed to: refused, so a link or an image cannot act.
GET_ON_POST_ONLY = {"performance:result_record": 302}  # sent back to the KPI on the Performance page


@pytest.mark.parametrize(
    "row",
    [r for r in ROWS if r.method == "POST" and not any(o.name == r.name and o.method != "POST" for o in ROWS)],
    ids=lambda r: r.name,
)
def test_a_url_only_posted_to_refuses_a_get(client, world, db, routes, row):
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions["admin"]
    response = client.get(_url(row, "A", world, routes))
    assert response.status_code == GET_ON_POST_ONLY.get(row.name, 405)
