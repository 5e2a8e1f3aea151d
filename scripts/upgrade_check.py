"""The upgrade check: a database made and filled by an old revision, migrated by this tree, loses nothing.

    python scripts/upgrade_check.py [--base REV] [--database-url URL] [--keep]
                                    [--allow-new-table NAME ...] [--renamed-path OLD=NEW ...]

1. The old code: `git archive REV` (default 3018f54, main before the apps were rearranged) into a temporary
   folder; with it, in a fresh PostgreSQL database (dropped and created here), `migrate` and `seed_demo`. Then
   the row count of every table, and the status of every page (every parameterless GET URL of the old URLconf
   and a few pages of each URL that takes an object, found by following links) as each persona of the demo.
2. This tree: `migrate` on the same database, then the same counts and the same pages as the same personas.
3. Any difference is printed and the exit status is 1. A table only this tree has is allowed when it is empty
   or named with --allow-new-table; Django's own bookkeeping (applied migrations, content types, permissions)
   may grow, but no row may be left pointing at a content type whose model this tree no longer has.

The database and the temporary folder are removed at the end, unless --keep. Run by `make upgrade-check`
and by tests/system/test_upgrade.py."""

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

REPOSITORY = Path(__file__).resolve().parent.parent
PROBE = Path(__file__).resolve().parent / "upgrade_probe.py"
DEFAULT_BASE = "3018f54"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cr_upgrade"
# Django's bookkeeping: a new migration adds a row to django_migrations, a new model its content type and
# permissions. These may grow; the rows that point at them are checked through the content types instead.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}


class CheckFailed(Exception):
    """A step could not run: the message says which and why."""


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=os.environ.get("UPGRADE_BASE", DEFAULT_BASE), help="the old revision")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("UPGRADE_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="the PostgreSQL database to drop, create and use (it must be a throw-away name)",
    )
    parser.add_argument("--keep", action="store_true", help="leave the database and the old tree in place")
    parser.add_argument(
        "--allow-new-table", action="append", default=[], metavar="NAME", help="a new table that may hold rows"
    )
    parser.add_argument(
        "--renamed-path",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="a path prefix that this tree serves under a new name (the admin of a model moved to another app)",
    )
    return parser.parse_args(argv)


def _run(command: list[str], *, cwd: Path, env: dict[str, str], what: str) -> str:
    """Run one step; on failure raise with its output, which is otherwise kept quiet."""
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CheckFailed(f"{what} failed (exit {result.returncode}):\n{result.stdout[-4000:]}{result.stderr[-8000:]}")
    return result.stdout


def _old_tree(base: str, into: Path) -> str:
    """Unpack the old revision into `into`; returns its full commit id. No worktree is registered, so nothing
    is left in the repository's .git whatever happens."""
    resolved = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )
    if resolved.returncode != 0:
        shallow = (REPOSITORY / ".git" / "shallow").exists() or _is_shallow()
        hint = " This clone is shallow: `git fetch --unshallow` first." if shallow else ""
        raise CheckFailed(f"The base revision {base!r} is not in this repository's history.{hint}")
    commit = resolved.stdout.strip()
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=REPOSITORY, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return commit


def _is_shallow() -> bool:
    answer = subprocess.run(
        ["git", "rev-parse", "--is-shallow-repository"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )
    return answer.stdout.strip() == "true"


def _server_url(database_url: str, name: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _database_name(database_url: str) -> str:
    name = urlsplit(database_url).path.lstrip("/")
    # The database is dropped: refuse anything but a plain name that says what it is for.
    if not re.fullmatch(r"[a-z0-9_]*upgrade[a-z0-9_]*", name):
        raise CheckFailed(f"Refusing to drop the database {name!r}: its name must contain 'upgrade'.")
    return name


def _recreate(database_url: str, *, drop_only: bool = False) -> None:
    name = _database_name(database_url)
    with psycopg.connect(_server_url(database_url, "postgres"), autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not drop_only:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _row_counts(database_url: str) -> dict[str, int]:
    """The exact row count of every table in the public schema."""
    with psycopg.connect(database_url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]
        counts = {}
        for table in tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            counts[table] = connection.execute(query).fetchone()[0]
    return counts


def _environment(database_url: str, media: Path) -> dict[str, str]:
    """Settings for both trees: DEBUG off as in production, but plain HTTP on the test server, no second
    factor to pass, dashboards computed on every visit, tasks run in-process and e-mail kept in memory (so
    nothing is left queued in a broker)."""
    keep = {name: value for name, value in os.environ.items() if name in {"PATH", "HOME", "LANG", "LC_ALL", "TZ"}}
    return keep | {
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "upgrade-check-only-not-a-secret-0123456789abcdefghijklmnop",
        "DJANGO_ALLOW_DEMO_DATA": "true",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_STATIC_MANIFEST": "false",
        "DJANGO_ADMIN_REQUIRE_2FA": "false",
        "DASHBOARD_CACHE_SECONDS": "0",
        "CACHE_URL": "locmemcache://",
        "CELERY_BROKER_URL": "memory://",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_URL": "memorymail://",
        "DJANGO_MEDIA_ROOT": str(media),
        "LOG_LEVEL": "ERROR",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _probe(tree: Path, command: str, *extra: Path, env: dict[str, str], work: Path) -> dict:
    out = work / f"{tree.name}-{command}.json"
    _run([sys.executable, str(PROBE), str(tree), command, str(out), *map(str, extra)], cwd=tree, env=env, what=command)
    return json.loads(out.read_text())


@contextmanager
def _step(label: str):
    started = time.monotonic()
    print(f"  {label} ...", end="", flush=True)
    yield
    print(f" {time.monotonic() - started:.0f} s", flush=True)


def _compare_tables(old: dict[str, int], new: dict[str, int], allowed_new: set[str]) -> list[str]:
    problems = []
    for table, count in sorted(old.items()):
        if table not in new:
            problems.append(f"table {table}: gone (it held {count} rows)")
        elif table in BOOKKEEPING or table in GROWN_ON_PURPOSE:
            if new[table] < count:
                problems.append(f"table {table}: {count} rows before, {new[table]} after")
        elif new[table] != count:
            problems.append(f"table {table}: {count} rows before, {new[table]} after")
    for table in sorted(set(new) - set(old)):
        if new[table] and table not in allowed_new:
            problems.append(f"table {table}: new, with {new[table]} rows (allow it with --allow-new-table {table})")
    return problems


# Tables that may gain rows on purpose when migrating (none may lose one), and why.
GROWN_ON_PURPOSE = {
    "auth_group": "accounts 0004 adds the role group of the supplier portal's people (Supplier)",
    "meetings_contractmeetingplan": "meetings 0005 stores each contract's last held face-to-face meeting on its "
    "meeting plan, making one for a contract that had a held meeting and no plan",
}


# New tables that migrating fills on purpose, and why.
FILLED_ON_PURPOSE = {
    "performance_ratingmonth": "performance 0007 counts the results already recorded by month and rating, "
    "so the Procurement dashboard's trend shows the register's history from the first page",
    "performance_kpiratings": "performance 0013 counts each contract's active KPIs by their latest rating, "
    "so the dashboards' rating totals and heat map are right from the first page",
}


# Pages that moved on purpose since 3018f54, each answering at its new address as it did at the old:
# the admin of ImportJob (the model moved from contracts to exchange), and the termination notices due,
# one list now (exchange's), to which the old lifecycle address redirects.
MOVED_SINCE_3018F54 = {
    "/admin/contracts/importjob/": "/admin/exchange/importjob/",
    "/admin/meetings/activity/": "/admin/contracts/activity/",
    "/lifecycle/termination-notices/": "/performance/notices/terminations/",
}


# Pages whose answer changes on purpose since 3018f54: (path prefix, answer before, answer after, why).
CHANGED_ON_PURPOSE_SINCE_3018F54 = [
    (
        "/performance/notices/contract/",
        200,
        404,
        "a contract procured before the Procurement Act 2023 (its regime follows from its dates) needs no "
        "KPI assessment notice, so the notice page of one is not found: it was a false alarm",
    ),
    (
        "/escalations/supplier/",
        200,
        403,
        "an SRO reads the register only: recording supplier information (which escalates contracts) is refused",
    ),
]


def _changed_on_purpose(path: str, answer, now) -> bool:
    return any(
        path.startswith(prefix) and answer is not None and now is not None and answer[0] == before and now[0] == after
        for prefix, before, after, _ in CHANGED_ON_PURPOSE_SINCE_3018F54
    )


def _compare_pages(old: dict, new: dict, renamed: dict[str, str]) -> list[str]:
    problems = []
    for persona, answers in sorted(old.items()):
        for path, answer in sorted(answers.items()):
            path_now = _renamed(path, renamed)
            now = new.get(persona, {}).get(path_now)
            if _changed_on_purpose(path, answer, now):
                continue
            if path_now != path and answer is not None and answer[1]:
                # A redirect that names the page (a sign-in's ?next=) names it at its new address now.
                answer = (answer[0], answer[1].replace(path, path_now).replace(quote(path), quote(path_now)))
            if (tuple(now) if now is not None else None) != (tuple(answer) if answer is not None else None):
                shown = path if path_now == path else f"{path} (now {path_now})"
                problems.append(f"{persona:<13} GET {shown}: {_answer(answer)} before, {_answer(now)} after")
    return problems


def _answer(answer) -> str:
    if answer is None:
        return "not tried"
    status, location = answer
    return f"{status} -> {location}" if location else str(status)


def _renamed(path: str, renamed: dict[str, str]) -> str:
    for old, new in renamed.items():
        if path.startswith(old):
            return new + path[len(old) :]
    return path


def _compare_content_types(old: dict, new: dict) -> list[str]:
    before = set(old["referencing"])
    return [
        f"{rows} rows of {column} point at a content type whose model the new code does not have "
        f"({', '.join(new['stale'])})"
        for column, rows in sorted(new["referencing"].items())
        if column not in before
    ]


def check(arguments: argparse.Namespace) -> int:
    database_url = arguments.database_url
    renamed = dict(MOVED_SINCE_3018F54) | dict(pair.split("=", 1) for pair in arguments.renamed_path)
    work = Path(tempfile.mkdtemp(prefix="upgrade-check-"))
    old_tree, media = work / "old", work / "media"
    env = _environment(database_url, media)
    python = sys.executable
    try:
        commit = _old_tree(arguments.base, old_tree)
        print(f"Old code: {arguments.base} ({commit[:12]}); new code: {REPOSITORY}")
        print(f"Database: {_database_name(database_url)} (dropped and created)")
        _recreate(database_url)
        print("With the old code:")
        with _step("migrate"):
            _run([python, "manage.py", "migrate", "--noinput"], cwd=old_tree, env=env, what="old migrate")
        with _step("seed_demo"):
            _run([python, "manage.py", "seed_demo"], cwd=old_tree, env=env, what="old seed_demo")
        with _step("count rows"):
            old_counts = _row_counts(database_url)
        with _step("find pages from the URLconf"):
            found = _probe(old_tree, "discover", env=env, work=work)
        paths_file = work / "paths.json"
        paths_file.write_text(json.dumps({"paths": found["paths"], "personas": found["personas"]}))
        with _step(f"try {len(found['paths'])} pages as {len(found['personas'])} personas"):
            old_pages = _probe(old_tree, "pages", paths_file, env=env, work=work)
        old_types = _probe(old_tree, "content-types", env=env, work=work)

        print("With the new code:")
        with _step("migrate"):
            _run([python, "manage.py", "migrate", "--noinput"], cwd=REPOSITORY, env=env, what="new migrate")
        with _step("count rows"):
            new_counts = _row_counts(database_url)
        new_paths = {"paths": [_renamed(path, renamed) for path in found["paths"]], "personas": found["personas"]}
        paths_file.write_text(json.dumps(new_paths))
        with _step("try the same pages"):
            new_pages = _probe(REPOSITORY, "pages", paths_file, env=env, work=work)
        new_types = _probe(REPOSITORY, "content-types", env=env, work=work)
    except CheckFailed as error:
        print(f"\nUPGRADE CHECK COULD NOT RUN: {error}", file=sys.stderr)
        return 2
    finally:
        if arguments.keep:
            print(f"Kept: the database ({database_url}) and the old tree ({old_tree}).")
        else:
            _recreate(database_url, drop_only=True)
            shutil.rmtree(work, ignore_errors=True)

    problems = (
        _compare_tables(old_counts, new_counts, set(arguments.allow_new_table) | set(FILLED_ON_PURPOSE))
        + _compare_content_types(old_types, new_types)
        + _compare_pages(old_pages, new_pages, renamed)
    )
    _summary(old_counts, new_counts, found, old_pages)
    if problems:
        print(f"\nUPGRADE CHECK FAILED: {len(problems)} differences", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("\nUpgrade check passed: every table holds the same rows and every page answers as before, but for")
    for prefix, before, after, why in CHANGED_ON_PURPOSE_SINCE_3018F54:
        print(f"  {prefix}... {before} -> {after} on purpose: {why}")
    return 0


def _summary(old_counts: dict[str, int], new_counts: dict[str, int], found: dict, old_pages: dict) -> None:
    requests = sum(len(answers) for answers in old_pages.values())
    print(f"\nTables: {len(old_counts)} before, {len(new_counts)} after; rows: {sum(old_counts.values())} before,")
    kept_before = sum(old_counts.get(table, 0) for table in BOOKKEEPING)
    kept_after = sum(new_counts.get(table, 0) for table in BOOKKEEPING)
    print(f"  {sum(new_counts.values())} after (of which Django's bookkeeping, {', '.join(sorted(BOOKKEEPING))}:")
    print(f"  {kept_before} before, {kept_after} after).")
    for table in sorted(set(new_counts) - set(old_counts)):
        print(f"  New table {table}: {new_counts[table]} rows.")
    print(f"Pages: {len(found['paths'])} paths as {len(old_pages)} personas ({', '.join(sorted(old_pages))}):")
    print(f"  {requests} requests each side.")
    unreached = found["urls_without_example"]
    if unreached:
        print(f"  URLs with an object that no link reached (the URL matrix tests them): {len(unreached)}")
        print(f"    {', '.join(unreached)}")


if __name__ == "__main__":
    sys.exit(check(_arguments(None)))
