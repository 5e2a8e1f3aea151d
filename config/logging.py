"""Logs: plain text for `make run`, one JSON object a line in production (LOG_FORMAT=json).

Every line logged while a request is handled carries that request's id (nginx's X-Request-ID when it
sends one, else a new one), method, path and, once known, the user's id; the request log (one line
per request, logger "config.requests") adds the status and the time taken. journald, Loki or any
log shipper can then filter by field instead of parsing text.

A path that holds a secret (the calendar feed's token) is never written: `redact` replaces the
secret in the request's path and in any message, here and in gunicorn's access log
(config/gunicorn_logging.py); nginx's log format does the same (deploy/nginx)."""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.utils.functional import empty

FORMATS = ("plain", "json")
PLAIN_FORMAT = "%(levelname)s %(name)s %(message)s"

# The calendar feed's address is its key (meetings/urls.py: calendar/<token>.ics).
SECRET_IN_PATH = re.compile(r"(/meetings/calendar/)[^/?#\s\"']+(\.ics)")


def redact(text: str) -> str:
    """The text with every secret in a path replaced by a placeholder."""
    return SECRET_IN_PATH.sub(r"\1[token]\2", text)


_current_request: ContextVar = ContextVar("current_request", default=None)

# The attributes every LogRecord has; anything else was passed in `extra` and goes into the JSON.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# Context added by RequestContextFilter, or by Django itself on its request and server logs.
_REQUEST_FIELDS = ("request_id", "method", "path", "user_id", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time (UTC, ISO 8601), level, logger, message, the request's
    fields when there is one, any `extra` values, and the exception's traceback as a string."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _REQUEST_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        status_code = getattr(record, "status_code", None)
        if "status" not in entry and isinstance(status_code, int):
            entry["status"] = status_code  # django.request and django.server say status_code
        for name, value in vars(record).items():
            if name not in _RECORD_ATTRIBUTES and name not in entry and name not in ("request", "status_code"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def _user_id(request) -> int | None:
    # Only a user already loaded: loading one here would query the database inside logging.
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


class RequestContextFilter(logging.Filter):
    """Adds the current request's id, method, path and user id to each record logged while it is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _current_request.get() or getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            for name, value in (
                ("request_id", getattr(request, "request_id", None)),
                ("method", request.method),
                ("path", redact(request.path)),
                ("user_id", _user_id(request)),
            ):
                if getattr(record, name, None) is None:
                    setattr(record, name, value)
        # Django's "Not Found: <path>" and runserver's request lines name the path too.
        message = record.getMessage()
        if SECRET_IN_PATH.search(message):
            record.msg, record.args = redact(message), None
        path = getattr(record, "path", None)
        if isinstance(path, str):
            record.path = redact(path)
        return True


def _request_id(request) -> str:
    # nginx's $request_id (32 hex digits) when the proxy sends one; anything odd is replaced.
    given = request.headers.get("X-Request-ID", "")
    if given and len(given) <= 64 and all(c.isalnum() or c in "-_" for c in given):
        return given
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """First in MIDDLEWARE: gives the request an id (also sent back as X-Request-ID), makes it the
    context of every log line while it is handled, and logs one line for it when it is done."""

    logger = logging.getLogger("config.requests")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = _request_id(request)
        token = _current_request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            self.logger.info(
                "%s %s %s",
                request.method,
                redact(request.path),
                response.status_code,
                extra={"status": response.status_code, "duration_ms": round((time.perf_counter() - started) * 1000)},
            )
            return response
        finally:
            _current_request.reset(token)


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING setting: everything to stderr, as plain text or as JSON lines. The request log is
    on in JSON (it replaces gunicorn's access log there) and quiet in plain text, where runserver or
    gunicorn already print one line a request."""
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}.")
    formatter = {"()": "config.logging.JsonFormatter"} if log_format == "json" else {"format": PLAIN_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "config.logging.RequestContextFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "default", "filters": ["request_context"]}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "config.requests": {"level": "INFO" if log_format == "json" else "WARNING"},
            # Django's own loggers lose their handlers (a DEBUG-only console, mail to no ADMINS) and
            # propagate to the one handler above, so that each line is written once, in one format.
            "django": {"level": "INFO", "propagate": True},
            # runserver's access lines: the request log says the same in JSON.
            "django.server": {"level": "WARNING" if log_format == "json" else "INFO", "propagate": True},
        },
    }
