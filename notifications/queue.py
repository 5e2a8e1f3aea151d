"""Queueing Celery tasks so that a broker outage never breaks a page.

Every place that queues work goes through here. When the broker (Redis) cannot be
reached, the task is not sent: the failure is logged and the caller is told, and
the work stays recorded as waiting in the database (an import job, a daily job
without a run today) until the catch-up job queues it again once the broker is back."""

import logging
from collections.abc import Callable

from celery import Task, current_app
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# What publishing raises when the broker is down or unreachable (after the short retry policy
# of CELERY_TASK_PUBLISH_RETRY_POLICY): kombu wraps the transport's connection errors.
BROKER_DOWN = (OperationalError, ConnectionError, TimeoutError)


def enqueue(task: Task | str, *args, options: dict | None = None, **kwargs) -> bool:
    """Send a task, or a task named as in the beat schedule (with the entry's `options`), to the
    broker now. True when the broker took it; False, logged, when the broker cannot be reached."""
    name = task if isinstance(task, str) else task.name
    try:
        if isinstance(task, str):
            # Through a signature, so that a task this process knows runs eagerly where
            # task_always_eager is on; one it does not know is sent by name.
            current_app.signature(task, args=args, kwargs=kwargs, options=options or {}).apply_async()
        else:
            task.delay(*args, **kwargs)
    except BROKER_DOWN as error:
        logger.warning(
            "Task %s could not be queued (the broker is unreachable: %s); it waits for the catch-up.", name, error
        )
        return False
    return True


def enqueue_on_commit(task: Task | str, *args, on_queued: Callable[[], object] | None = None, **kwargs) -> None:
    """Queue a task once the current transaction commits (never for a rolled-back one);
    `on_queued` runs when the broker has taken it, to clear the work's "waiting" mark."""

    def send() -> None:
        if enqueue(task, *args, **kwargs) and on_queued is not None:
            on_queued()

    transaction.on_commit(send)
