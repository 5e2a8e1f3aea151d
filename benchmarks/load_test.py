"""Load test: gunicorn with PostgreSQL (and Redis), many people signed in at once.

Given the DATABASE_URL of a database that is already seeded (`manage.py seed_scale` for the 10,000
contracts; `manage.py seed_demo` for a small try), it starts gunicorn (`config.wsgi`, 4 workers) on a
free port of 127.0.0.1 with production-like settings (DEBUG off; no HTTPS redirect and cookies not
marked secure, since it speaks plain HTTP), waits for /healthz, runs the locust scenario of
benchmarks/locustfile.py headless, stops gunicorn and prints the totals: requests, failures (error
rate), median and 95th percentile response times, overall and per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/contract_register_scale \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \\
    .venv/bin/python benchmarks/load_test.py [--users 50] [--spawn-rate 10] [--run-time 2m] [--workers 4]

With the demo data instead of the scale data set:

    .venv/bin/python benchmarks/load_test.py --users 10 --run-time 20s \\
        --ocos oco1..oco3 --procurement-users procurement --password demo-pass-2026

`make load-test` runs it with the defaults. It is a measurement, not a test: it exits non-zero only
when gunicorn does not come up, locust fails to run, or more than --max-error-rate per cent of the
requests failed. Only 127.0.0.1 is ever contacted, and the run stops by itself after --run-time.
"""

import argparse
import csv
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(args) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": args.database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on the loopback: no redirect to HTTPS, cookies that a plain-HTTP client sends back.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        # No collectstatic for a measurement of pages: the plain static storage (locust fetches no assets).
        "DJANGO_STATIC_MANIFEST": "false",
        "DJANGO_ALLOW_DEMO_DATA": "false",
        "EMAIL_URL": "dummymail://",  # e-mails the pages send are dropped
        "LOG_LEVEL": "WARNING",
    }
    env["CELERY_BROKER_URL"] = args.broker_url
    return env


def wait_until_healthy(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}) before it answered.")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:  # noqa: S310 - our own loopback URL
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            last = f"HTTP {error.code}: {error.read().decode(errors='replace')}"
        except OSError as error:
            last = str(error)
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not become healthy within {timeout:.0f} s ({last}).")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def report(stats_csv: Path) -> tuple[int, int]:
    """Print the totals and the per-page lines of locust's CSV; return (requests, failures)."""
    with stats_csv.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    pages = sorted((row for row in rows if row["Name"] != "Aggregated"), key=lambda r: -int(r["Request Count"]))
    width = max([len(f"{row['Type']} {row['Name']}") for row in pages] + [10])

    def line(label: str, row: dict) -> str:
        count, failed = int(row["Request Count"]), int(row["Failure Count"])
        rate = 100 * failed / count if count else 0.0
        return (
            f"{label:<{width}}  {count:>8}  {failed:>8}  {rate:>6.2f}%  "
            f"{_number(row['50%']):>8.0f}  {_number(row['95%']):>8.0f}  {_number(row['Requests/s']):>7.1f}"
        )

    header = (
        f"{'page':<{width}}  {'requests':>8}  {'failures':>8}  {'errors':>7}  {'median':>8}  {'95th':>8}  {'req/s':>7}"
    )
    print()
    print(header)
    print(f"{'':<{width}}  {'':>8}  {'':>8}  {'':>7}  {'ms':>8}  {'ms':>8}")
    print("-" * len(header))
    for row in pages:
        print(line(f"{row['Type']} {row['Name']}", row))
    print("-" * len(header))
    print(line("all pages", total))
    return int(total["Request Count"]), int(total["Failure Count"])


def print_failures(failures_csv: Path) -> None:
    if not failures_csv.exists():
        return
    with failures_csv.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows:
        print("\nFailures:")
        for row in sorted(rows, key=lambda r: -int(r["Occurrences"]))[:15]:
            print(f"  {int(row['Occurrences']):>6} x {row['Method']} {row['Name']}: {row['Error']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="of a seeded database")
    parser.add_argument(
        "--broker-url",
        default=os.environ.get("CELERY_BROKER_URL", "memory://"),
        help="Celery broker for tasks the pages queue (default CELERY_BROKER_URL, else in memory)",
    )
    parser.add_argument("--users", type=int, default=50, help="simulated people at once")
    parser.add_argument("--spawn-rate", type=float, default=10, help="people starting each second")
    parser.add_argument("--run-time", default="2m", help="how long, as locust takes it: 20s, 2m, 1h")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--ocos", default="oco00001..oco00040", help="OCO usernames: a,b or a..b")
    parser.add_argument("--procurement-users", default="procurement1..procurement5", help="Procurement usernames")
    parser.add_argument("--password", default="scale-password-123", help="every load-test user's password")
    parser.add_argument("--max-error-rate", type=float, default=1.0, help="per cent of requests; above it exit 1")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url or DATABASE_URL (a seeded PostgreSQL database)")

    work = Path(tempfile.mkdtemp(prefix="load-test-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server_log = work / "gunicorn.log"
    print(f"gunicorn: {args.workers} workers at {url}, log {server_log}")
    with server_log.open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "60",
            ],
            cwd=PROJECT_ROOT,
            env=server_environment(args),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(url, server)
            print(
                f"locust: {args.users} users, {args.spawn_rate:g} a second, for {args.run_time} "
                f"(OCOs {args.ocos}; Procurement {args.procurement_users})"
            )
            locust = subprocess.run(  # noqa: S603 - our own locust, fixed arguments
                [
                    str(BIN / "locust"),
                    "-f",
                    str(PROJECT_ROOT / "benchmarks" / "locustfile.py"),
                    "--headless",
                    "--host",
                    url,
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    args.run_time,
                    "--stop-timeout",
                    "10",
                    "--csv",
                    str(work / "locust"),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--ocos",
                    args.ocos,
                    "--procurement-users",
                    args.procurement_users,
                    "--password",
                    args.password,
                ],
                cwd=PROJECT_ROOT,
                stdout=(work / "locust.log").open("w"),
                stderr=subprocess.STDOUT,
                check=False,
            )
        finally:
            stop(server)

    stats = work / "locust_stats.csv"
    if not stats.exists():
        print((work / "locust.log").read_text()[-3000:])
        print(f"locust produced no statistics (exit {locust.returncode}).")
        return 1
    requests, failures = report(stats)
    print_failures(work / "locust_failures.csv")
    rate = 100 * failures / requests if requests else 100.0
    print(f"\n{requests} requests, {failures} failures ({rate:.2f}% errors). Logs and CSV files: {work}")
    return 1 if rate > args.max_error_rate else 0


if __name__ == "__main__":
    sys.exit(main())
