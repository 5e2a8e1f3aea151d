"""gunicorn's settings in production: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`, run by
deploy/systemd/contract-register-web.service behind nginx (deploy/nginx/contract-register.conf).

Override any of them without editing this file through GUNICORN_CMD_ARGS, e.g.
GUNICORN_CMD_ARGS="--bind 127.0.0.1:8001 --timeout 60"; WEB_CONCURRENCY sets the number of workers."""

import multiprocessing
import os
import sys
from pathlib import Path

# The project's root, so that the JSON log formatter (config.logging) can be imported by gunicorn itself.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Only nginx, on the same machine, talks to gunicorn.
bind = "127.0.0.1:8000"
# Synchronous workers: each handles one request at a time; (2 x cores) + 1 is gunicorn's advice.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# A request taking longer than this is stuck: its worker is killed and replaced (nginx answers 502).
timeout = 30
graceful_timeout = 30
keepalive = 5
# Replace each worker after about a thousand requests, against slow memory growth.
max_requests = 1000
max_requests_jitter = 100
# nginx sets X-Forwarded-Proto; gunicorn believes it from nginx only (the default, 127.0.0.1).
# The access log without the calendar feed's token (config/gunicorn_logging.py).
logger_class = "config.gunicorn_logging.RedactingLogger"

if os.environ.get("LOG_FORMAT", "plain") == "json":
    # gunicorn's own lines as JSON too. Django logs one line a request ("config.requests"), so
    # gunicorn's access log stays off.
    logconfig_dict = {
        "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        },
    }
else:
    accesslog = "-"
    errorlog = "-"
