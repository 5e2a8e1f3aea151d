"""Settings of the real worker processes started by tests/system/test_faults.py: the project's own, with a
pause after each reminder (so that a job can be killed half-way) and frequent sweeps for tasks
whose worker died (so that the redelivery comes within the test's time)."""

import os

from config.settings import *  # noqa: F403
from config.settings import CELERY_BROKER_TRANSPORT_OPTIONS

REMINDER_TEST_PAUSE_SECONDS = float(os.environ.get("REMINDER_TEST_PAUSE_SECONDS", "0"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
