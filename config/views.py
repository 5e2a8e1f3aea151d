import logging
import os
from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

# Seconds to wait for the broker before calling it unreachable; the database's connect timeout is
# DATABASE_CONNECT_TIMEOUT in settings (2 s by default). A load balancer asks every few seconds.
HEALTH_CHECK_TIMEOUT = 2


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("Health check: the database is unreachable.", exc_info=True)
        return "unreachable"
    return "ok"


def _filesystem_broker_status(options: dict) -> str:
    """The file-system broker of `make run` has no server: it is there when its folders are writable."""
    names = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
    folders = [Path(options[name]) for name in names if options.get(name)]
    unwritable = [str(folder) for folder in folders if not (folder.is_dir() and os.access(folder, os.W_OK))]
    if not folders or unwritable:
        logger.warning("Health check: the broker's folders are not writable: %s", ", ".join(unwritable) or "none set")
        return "unwritable"
    return "ok"


def _broker_status() -> str:
    # Imported here: config.celery imports the settings, and this module is imported by the URLconf.
    from config.celery import app

    broker = app.connection_for_write(
        connect_timeout=HEALTH_CHECK_TIMEOUT, transport_options={"socket_timeout": HEALTH_CHECK_TIMEOUT}
    )
    try:
        if broker.transport.driver_type == "filesystem":
            return _filesystem_broker_status(broker.transport_options)
        # No retries: one attempt, bounded by the timeouts above.
        broker.ensure_connection(max_retries=0)
    except Exception:  # Any failure of the broker's client library means the broker cannot take tasks.
        logger.warning("Health check: the Celery broker is unreachable.", exc_info=True)
        return "unreachable"
    finally:
        broker.release()
    return "ok"


@login_not_required
@never_cache
def healthz(request):
    """For the load balancer and monitoring: 200 when the database and the Celery broker answer,
    503 naming what failed otherwise. No login, no details beyond the word for each part."""
    checks = {"database": _database_status(), "broker": _broker_status()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)


def server_error(request):
    # A plain page: no template context that could itself fail, no stack trace.
    return render(request, "500.html", status=500)
