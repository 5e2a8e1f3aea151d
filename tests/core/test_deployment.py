"""Deployment: the health check, documents sent by nginx (X-Accel-Redirect), JSON logs, and the
systemd units, nginx site and docs/production.md that say how to run it all."""

import configparser
import importlib.util
import io
import json
import logging
import os
import re
import shlex
import socket
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.celery import app as celery_app
from config.logging import JsonFormatter, RequestContextFilter
from performance import services as performance_services
from tests.conftest import pdf_bytes
from tests.performance_factories import KpiFactory

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def closed_port() -> int:
    """A port on this machine that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- /healthz --------------------------------------------------------------------------------------------


def test_health_check_is_ok_when_the_database_and_the_broker_answer(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def broker_on_a_closed_port(monkeypatch):
    """The Celery app sends to a port where no broker listens, as when Redis is down. (Celery reads
    its broker URLs from the environment before its settings.)"""
    monkeypatch.setenv("CELERY_BROKER_WRITE_URL", f"redis://127.0.0.1:{closed_port()}/0")


def test_health_check_answers_503_naming_the_broker_when_it_is_unreachable(client, db, broker_on_a_closed_port):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unreachable"}


def test_the_file_system_broker_counts_as_up_while_its_folders_are_writable(client, db, tmp_path, monkeypatch):
    folders = {name: tmp_path / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir()
    options = {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
    }
    monkeypatch.setenv("CELERY_BROKER_WRITE_URL", "filesystem://")
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", options)
    assert client.get(reverse("healthz")).json()["broker"] == "ok"
    folders["control"].rmdir()  # gone (or not writable): tasks could not be queued
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "unwritable"


def _run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    """A fresh interpreter with the test run's environment plus `env`: for settings read at start-up."""
    return subprocess.run(  # noqa: S603 - this interpreter, the test's own code
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_health_check_answers_503_naming_the_database_when_it_is_unreachable_and_logs_json():
    """A web process whose database is down (a closed port), with JSON logs: 503 quickly, and the
    failure logged as one JSON object a line with the request's id and the exception."""
    run = _run_django(
        "import time\n"
        "from django.test import Client\n"
        "client = Client()\n"
        "client.get('/healthz')  # the first request also imports the project's views\n"
        "started = time.monotonic()\n"
        "response = client.get('/healthz')\n"
        "print(response.status_code, round(time.monotonic() - started, 1), response.content.decode())\n",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/contract_register",
        LOG_FORMAT="json",
    )
    assert run.returncode == 0, run.stderr
    status, seconds, body = run.stdout.split(" ", 2)
    assert status == "503"
    assert json.loads(body) == {"status": "unavailable", "database": "unreachable", "broker": "ok"}
    assert float(seconds) < 2

    lines = [json.loads(line) for line in run.stderr.splitlines()]  # every line is JSON
    failure = next(line for line in lines if line["message"] == "Health check: the database is unreachable.")
    assert failure["level"] == "WARNING" and failure["logger"] == "config.views" and failure["path"] == "/healthz"
    assert "OperationalError" in failure["exception"]
    request_log = next(line for line in lines if line["logger"] == "config.requests")
    assert (request_log["status"], request_log["request_id"]) == (503, failure["request_id"])


# --- Documents through nginx ------------------------------------------------------------------------------


def _upload(client, contract, name="Signed contract.pdf", data=b""):
    client.post(
        reverse("contracts:document_upload", args=[contract.pk]),
        {"kind": "contract", "file": SimpleUploadedFile(name, data or pdf_bytes("signed")), "description": ""},
    )
    return contract.documents.get()


def test_without_a_prefix_django_streams_the_document(client, settings, alice, contract):
    settings.DOCUMENT_X_ACCEL_REDIRECT_PREFIX = ""
    client.force_login(alice)
    document = _upload(client, contract)
    response = client.get(document.get_download_url())
    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == pdf_bytes("signed")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_with_a_prefix_nginx_is_told_which_file_to_send_with_the_same_headers(client, settings, alice, contract):
    settings.DOCUMENT_X_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    client.force_login(alice)
    document = _upload(client, contract)
    response = client.get(document.get_download_url())
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-media/" + document.file.name
    assert (Path(settings.MEDIA_ROOT) / document.file.name).read_bytes() == pdf_bytes("signed")  # what nginx sends
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Signed contract.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_with_a_prefix_someone_who_may_not_see_the_document_gets_404_and_no_header(
    client, settings, alice, bob, contract
):
    settings.DOCUMENT_X_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    client.force_login(alice)
    document = _upload(client, contract)
    client.force_login(bob)
    response = client.get(document.get_download_url())
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
    client.logout()
    response = client.get(document.get_download_url())
    assert response.status_code == 302 and "X-Accel-Redirect" not in response  # to the login page


def test_with_a_prefix_a_missing_file_is_404_not_a_redirect_to_nothing(client, settings, alice, contract):
    settings.DOCUMENT_X_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    client.force_login(alice)
    document = _upload(client, contract)
    document.file.storage.delete(document.file.name)
    response = client.get(document.get_download_url())
    assert response.status_code == 404 and "X-Accel-Redirect" not in response


def test_kpi_evidence_shares_the_same_way_out(client, settings, alice, bob, contract):
    settings.DOCUMENT_X_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    kpi = KpiFactory(contract=contract, start_date=date(2026, 1, 1))
    result = performance_services.kpi_result_record(
        kpi=kpi,
        period_start=date(2026, 1, 1),
        actual=Decimal("97"),
        by=alice,
        evidence=SimpleUploadedFile("January report.pdf", pdf_bytes("january")),
    )
    url = reverse("performance:evidence", args=[result.pk])
    client.force_login(alice)
    response = client.get(url)
    assert response["X-Accel-Redirect"] == "/protected-media/" + result.evidence.name
    assert response["Content-Type"] == "application/pdf"  # guessed from the name, as when Django streams it
    assert response["Content-Disposition"] == 'attachment; filename="January report.pdf"'
    client.force_login(bob)
    response = client.get(url)
    assert response.status_code == 404 and "X-Accel-Redirect" not in response


# --- Structured logs -------------------------------------------------------------------------------------


def test_a_json_log_record_is_one_parseable_object_with_time_level_logger_message_and_exception():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.json_format")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            1 / 0  # noqa: B018
        except ZeroDivisionError:
            logger.exception("Import of %s failed", "contracts.xlsx", extra={"rows": 3})
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    line = stream.getvalue()
    assert line.count("\n") == 1  # the traceback is inside the object, not on lines of its own
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "tests.json_format"
    assert entry["message"] == "Import of contracts.xlsx failed"
    assert entry["rows"] == 3
    assert entry["exception"].startswith("Traceback") and "ZeroDivisionError" in entry["exception"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["time"])


def test_each_request_is_logged_as_json_with_its_id_path_user_and_status(client, alice, contract):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("config.requests")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        client.force_login(alice)
        response = client.get(contract.get_absolute_url(), HTTP_X_REQUEST_ID="req-from-nginx-1")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    entry = json.loads(stream.getvalue())
    assert response["X-Request-ID"] == "req-from-nginx-1"
    assert entry["request_id"] == "req-from-nginx-1"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", contract.get_absolute_url(), 200)
    assert entry["user_id"] == alice.pk
    assert isinstance(entry["duration_ms"], int)


def test_an_unknown_log_format_stops_start_up():
    run = _run_django("", LOG_FORMAT="xml")
    assert run.returncode != 0
    assert "LOG_FORMAT must be one of plain, json" in run.stderr


# --- The deployment files and docs/production.md ------------------------------------------------------------------


def _units() -> dict[str, configparser.ConfigParser]:
    units = {}
    for name in ("web", "worker", "beat"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str  # systemd's keys are case-sensitive
        parser.read(DEPLOY / "systemd" / f"contract-register-{name}.service")
        units[name] = parser
    return units


def test_each_systemd_unit_starts_a_command_and_module_that_exist():
    units = _units()
    for name, unit in units.items():
        service = unit["Service"]
        argv = shlex.split(service["ExecStart"])
        command = Path(argv[0]).name
        # The unit runs the checkout's virtualenv; these are the same commands in this one.
        assert (Path(sys.executable).parent / command).exists(), f"{name}: {command} is not installed"
        assert service["EnvironmentFile"] == "/etc/contract-register/env"
        assert unit["Install"]["WantedBy"] == "multi-user.target"
        if command == "gunicorn":
            config_file = argv[argv.index("-c") + 1]
            assert (ROOT / config_file).exists()
            assert importlib.util.find_spec(argv[-1]) is not None  # config.wsgi
        else:
            assert command == "celery"
            assert importlib.util.find_spec(argv[argv.index("-A") + 1] + ".celery") is not None
    assert "worker" in shlex.split(units["worker"]["Service"]["ExecStart"])
    assert "beat" in shlex.split(units["beat"]["Service"]["ExecStart"])


def test_nginx_sends_documents_from_an_internal_location_at_the_documented_prefix():
    env_example = dict(
        line.split("=", 1) for line in (DEPLOY / "env.example").read_text().splitlines() if line and line[0] != "#"
    )
    prefix = env_example["DJANGO_X_ACCEL_REDIRECT_PREFIX"]
    site = (DEPLOY / "nginx" / "contract-register.conf").read_text()
    location = re.search(r"location " + re.escape(prefix) + r" \{(.*?)\}", site, re.S)
    assert location is not None, f"no location {prefix} in the nginx site"
    assert re.search(r"^\s*internal;", location.group(1), re.M)
    assert f"alias {env_example['DJANGO_MEDIA_ROOT']}/;" in location.group(1)
    # Uploads of DOCUMENT_MAX_UPLOAD_BYTES must get through nginx to Django, which gives the message.
    from django.conf import settings

    allowed_mb = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert allowed_mb * 1024 * 1024 > settings.DOCUMENT_MAX_UPLOAD_BYTES
    assert f"{prefix}" in (ROOT / "docs" / "production.md").read_text()


def test_the_production_guide_describes_every_environment_variable_the_settings_read():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", settings_source))
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "LOG_FORMAT"} <= names
    production = (ROOT / "docs" / "production.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in production)
    assert not missing, f"docs/production.md does not describe {missing}"


def test_sessions_are_read_through_a_shared_cache_and_never_a_per_process_one():
    code = "from django.conf import settings; print(settings.SESSION_ENGINE.rsplit('.', 1)[1])"
    shared = _run_django(code, CACHE_URL="redis://127.0.0.1:6379/9")
    per_process = _run_django(code, CACHE_URL="locmemcache://")
    assert (shared.stdout.strip(), per_process.stdout.strip()) == ("cached_db", "db"), (
        shared.stderr + per_process.stderr
    )
