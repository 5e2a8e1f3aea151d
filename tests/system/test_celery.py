"""A real Celery worker consumes a task from the real broker (Redis in CI) and writes to the real database."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import transaction

from config.celery import app
from notifications.models import Heartbeat
from notifications.tasks import heartbeat

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def _wait_for(source: str, timeout: float = 20.0) -> Heartbeat | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = Heartbeat.objects.filter(source=source).first()
        if found is not None:
            return found
        time.sleep(0.1)
    return None


def test_worker_consumes_from_the_broker_and_writes_to_the_database():
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert not app.conf.task_always_eager
    source = f"test-{uuid.uuid4().hex[:8]}"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        heartbeat.delay(source)
        assert _wait_for(source) is not None


def test_a_task_queued_on_commit_is_not_sent_when_the_transaction_rolls_back():
    kept, dropped = f"kept-{uuid.uuid4().hex[:8]}", f"dropped-{uuid.uuid4().hex[:8]}"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        try:
            with transaction.atomic():
                heartbeat.delay_on_commit(dropped)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        with transaction.atomic():
            heartbeat.delay_on_commit(kept)
        assert _wait_for(kept) is not None
    assert not Heartbeat.objects.filter(source=dropped).exists()
