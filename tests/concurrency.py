"""Running a job in several threads released at the same moment, as several Celery workers would."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def at_once(*jobs: Callable[[], Any]) -> list[Any]:
    """Run each job in its own thread (with its own database connection), all released together;
    return their results in order, and fail with the first error any of them met."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [], errors
    assert not any(thread.is_alive() for thread in threads), "a worker did not finish within a minute"
    return results


def four_at_once(job: Callable[[], Any]) -> list[Any]:
    """The same job run by four workers at once."""
    return at_once(*[job] * 4)
