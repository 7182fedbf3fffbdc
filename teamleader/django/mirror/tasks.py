"""Celery tasks of the mirror (needs ``pip install "teamleader-sdk[celery]"``).

With ``TEAMLEADER["MIRROR"]["PROCESSING"] = "celery"`` every stored webhook delivery queues
:func:`process_webhook_events` after its transaction commits. Events that fail are
retried by the task with a growing delay (30 s, 1 min, 2 min, … at most 5 times); add
:func:`process_failed_webhook_events` to Celery beat to retry what is left, and
:func:`sync` for a nightly ``--full`` run, e.g.::

    CELERY_BEAT_SCHEDULE = {
        "teamleader-failed-events": {"task": "teamleader_mirror.process_failed_webhook_events", "schedule": 900},
        "teamleader-sync": {"task": "teamleader_mirror.sync", "schedule": 3600},
        "teamleader-full-sync": {"task": "teamleader_mirror.sync", "schedule": crontab(hour=3, minute=0),
                                 "kwargs": {"full": True}},
    }
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

__all__ = ["process_failed_webhook_events", "process_webhook_events", "sync"]

MAX_RETRIES = 5


@shared_task(
    bind=True, name="teamleader_mirror.process_webhook_events", max_retries=MAX_RETRIES, ignore_result=True
)
def process_webhook_events(self: Any, failed: bool = False) -> dict[str, int]:
    """Process the pending events (with ``failed``, the failed ones too); retry on failures."""
    from .events import process_failed, process_pending

    outcome = process_failed() if failed else process_pending()
    if outcome.failed and self.request.retries < self.max_retries:
        raise self.retry(kwargs={"failed": True}, countdown=min(3600, 30 * 2**self.request.retries))
    return {"done": outcome.done, "failed": outcome.failed, "calls": outcome.calls}


@shared_task(name="teamleader_mirror.process_failed_webhook_events", ignore_result=True)
def process_failed_webhook_events() -> dict[str, int]:
    """Process the failed events again (for Celery beat)."""
    from .events import process_failed

    outcome = process_failed()
    return {"done": outcome.done, "failed": outcome.failed, "calls": outcome.calls}


@shared_task(name="teamleader_mirror.sync", ignore_result=True)
def sync(resources: list[str] | None = None, full: bool = False) -> list[str]:
    """``manage.py teamleader_sync``, as a task: the summary line of each resource."""
    from .sync import sync as run

    return [result.summary() for result in run(resources, full=full)]
