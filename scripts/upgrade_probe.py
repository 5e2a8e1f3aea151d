"""What a tree of the code sees in a database: run by scripts/upgrade_check.py inside the old tree and the new.

    python upgrade_probe.py TREE discover OUT.json          the pages to try, found from TREE's URLconf
    python upgrade_probe.py TREE pages OUT.json PATHS.json  the status of each page as each persona
    python upgrade_probe.py TREE content-types OUT.json     content types whose model TREE no longer has, and
                                                            the rows that still point at them

Results go to OUT.json, not stdout, which the project's logging may share.

It only uses Django's public API, so the same file works against any revision of the project. Every request
runs in a savepoint that is rolled back, so trying a page (opening a notification marks it read) changes nothing
the next request or the next tree sees, and nothing queued "on commit" is ever sent."""

import json
import os
import re
import sys
from collections import deque
from contextlib import suppress
from pathlib import Path

TREE = Path(sys.argv[1]).resolve()
sys.path.insert(0, str(TREE))
os.chdir(TREE)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse  # noqa: E402
from django.urls.exceptions import NoReverseMatch, Resolver404  # noqa: E402

# How many example pages to keep for each route that takes an object: enough to meet an object one persona
# may see and one it may not, few enough to stay at a few hundred requests.
EXAMPLES_PER_ROUTE = 2
# How many pages beyond those to open only for their links, looking for URLs no example has reached yet.
EXPLORE = 150
ANONYMOUS = "(anonymous)"
# Links in pages (href, htmx, form actions) and in the API's JSON (absolute URLs on the test server).
LINK = re.compile(r"""(?:href|hx-get|action)="(/[^"#?]*)|"http://testserver(/[^"#?]*)""")
JSON_ID = re.compile(r'"id":\s*(\d+)')


def _routes(patterns, prefix="", namespace=None):
    """(name, route) of every URL pattern, namespaces and includes flattened."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), joined)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), prefix + str(pattern.pattern)


def _name_of(path: str) -> str | None:
    """The URL name (with its namespace) that answers path, or None when nothing does."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.route


def _personas() -> list:
    """One active user for each role of the demo (its groups, staff and superuser flags), most-seeing first:
    the crawl meets the most links that way, and two users of one role answer alike."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .prefetch_related("groups")
        .order_by("-is_superuser", "-is_staff", "username")
    )
    personas, roles = [], set()
    for user in users:
        role = (user.is_superuser, user.is_staff, tuple(sorted(group.name for group in user.groups.all())))
        if role not in roles:
            roles.add(role)
            personas.append(user)
    return personas


def _get(client: Client, path: str):
    """One GET in a savepoint that is always rolled back; a view's database error cannot spoil the next."""
    with transaction.atomic():
        response = client.get(path)
        transaction.set_rollback(True)
    return response


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _wanted(name: str | None, link: str, examples: dict[str, list[str]]) -> bool:
    """A page of a URL that takes an object, while that URL has fewer than EXAMPLES_PER_ROUTE of them.
    The admin's object pages are left out: its lists already read every table, and its object pages are many."""
    if name is None or name.startswith("admin:") or link in examples.get(name, ()):
        return False
    return len(examples.get(name, ())) < EXAMPLES_PER_ROUTE


def _links(path: str, response) -> list[str]:
    """The site's paths a page links to; for a JSON list, the paths of its items too (path/<id>/)."""
    text = response.content.decode(errors="replace")
    links = [match.group(1) or match.group(2) for match in LINK.finditer(text)]
    if response.get("Content-Type", "").startswith("application/json"):
        links += [f"{path.rstrip('/')}/{pk}/" for pk in JSON_ID.findall(text)]
    return links


def _crawl(client: Client, start: list[str], examples: dict[str, list[str]], *, explore: int) -> None:
    """Follow links from start, keeping in examples the pages of URLs that still want one. Once that runs dry,
    open up to `explore` more pages of URLs that have their examples already, only for the links they show
    (a contract with documents, a meeting with minutes, further down the lists)."""
    queue, spare, seen = deque(start), deque(), set()
    while queue or (spare and explore > 0):
        path = queue.popleft() if queue else spare.popleft()
        if path in seen:
            continue
        if path not in start and not any(path in paths for paths in examples.values()):
            explore -= 1
        seen.add(path)
        response = _get(client, path)
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith(("text/html", "application/json")):
            continue
        for link in _links(path, response):
            name = _name_of(link)
            if _wanted(name, link, examples):
                examples.setdefault(name, []).append(link)
                queue.append(link)
            elif name and not name.startswith("admin:") and link not in seen:
                spare.append(link)


def discover() -> dict:
    """Every parameterless GET URL of the URLconf, plus up to EXAMPLES_PER_ROUTE real pages of each URL that
    takes an object, found by following the links each persona is shown from the parameterless pages."""
    names = [name for name, _route in _routes(get_resolver().url_patterns)]
    seeds = []
    for name in names:
        with suppress(NoReverseMatch):
            seeds.append(reverse(name))
    examples: dict[str, list[str]] = {}
    for path in seeds:
        examples.setdefault(_name_of(path) or path, []).append(path)
    personas = _personas()
    with transaction.atomic():
        for index, user in enumerate(personas):
            # The admin's own pages are crawled once, by the most-seeing persona; the others only meet its login.
            start = seeds if index == 0 else [path for path in seeds if not path.startswith("/admin/")]
            _crawl(_client(user), start, examples, explore=EXPLORE if index == 0 else 0)
        transaction.set_rollback(True)
    without_example = sorted({name for name in names if name not in examples and not name.startswith("admin:")})
    return {
        "paths": sorted({path for paths in examples.values() for path in paths}),
        "personas": [ANONYMOUS, *(user.get_username() for user in personas)],
        "urls_without_example": without_example,
    }


def pages(paths: list[str], personas: list[str]) -> dict:
    """{persona: {path: [status, where a redirect sends]}} for every path as every persona."""
    users = {user.get_username(): user for user in get_user_model().objects.filter(username__in=personas)}
    answers: dict[str, dict[str, list]] = {}
    with transaction.atomic():
        for persona in personas:
            client = _client(None if persona == ANONYMOUS else users[persona])
            answers[persona] = {}
            for path in paths:
                response = _get(client, path)
                location = response.get("Location", "") if 300 <= response.status_code < 400 else ""
                answers[persona][path] = [response.status_code, location]
        transaction.set_rollback(True)
    return answers


def content_types() -> dict:
    """Content types without a model in this tree, and how many rows of each table still point at one:
    a model moved to another app without carrying its content type leaves such rows behind."""
    stale = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all() if ct.model_class() is None}
    referencing: dict[str, int] = {}
    if stale:
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                for column, (_target_column, target_table) in connection.introspection.get_relations(
                    cursor, table
                ).items():
                    if target_table != ContentType._meta.db_table:
                        continue
                    cursor.execute(
                        f'SELECT count(*) FROM "{table}" WHERE "{column}" = ANY(%s)',  # noqa: S608 - names from the catalogue
                        [list(stale)],
                    )
                    count = cursor.fetchone()[0]
                    if count:
                        referencing[f"{table}.{column}"] = count
    return {"stale": sorted(stale.values()), "referencing": referencing}


if __name__ == "__main__":
    command, out = sys.argv[2], Path(sys.argv[3])
    if command == "discover":
        result = discover()
    elif command == "pages":
        wanted = json.loads(Path(sys.argv[4]).read_text())
        result = pages(wanted["paths"], wanted["personas"])
    elif command == "content-types":
        result = content_types()
    else:
        raise SystemExit(f"unknown command {command!r}")
    out.write_text(json.dumps(result, indent=1, sort_keys=True))
