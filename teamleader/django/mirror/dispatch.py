"""Who processes stored webhook events: a thread, a Celery task, or a cron job.

``TEAMLEADER["MIRROR"]["PROCESSING"]`` chooses, and :func:`schedule_processing` runs after the
webhook request's transaction commits (``transaction.on_commit``), so the view never waits
on Teamleader:

- ``"thread"`` (default): a background thread in the web process wakes up, waits a moment
  for the rest of a burst (so one ``*.list`` call serves many events) and processes every
  pending event. Good for sites without a task queue; events whose process dies meanwhile
  are picked up by the next delivery or by ``teamleader_webhooks process``.
- ``"celery"``: queues :func:`teamleader.django.mirror.tasks.process_webhook_events`.
- ``None``: nothing; run ``manage.py teamleader_webhooks process`` from cron.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import connections

from .conf import mirror_settings

__all__ = ["DEBOUNCE", "schedule_processing", "worker"]

logger = logging.getLogger(__name__)

#: Seconds the thread waits after a wake-up for more deliveries of the same burst.
DEBOUNCE = 0.2
#: Seconds without deliveries after which the thread ends (the next delivery starts one).
IDLE_EXIT = 30.0


def schedule_processing() -> None:
    """Have the pending events processed, the way the settings say."""
    mode = mirror_settings().processing
    if mode == "thread":
        worker.wake()
    elif mode == "celery":
        from .tasks import process_webhook_events

        process_webhook_events.delay()


class Worker:
    """One background thread per process that drains the pending events."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._idle = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._busy = False

    def wake(self) -> None:
        """Process the pending events soon (starts the thread if it is not running)."""
        with self._lock:
            self._busy = True
            self._wake.set()
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="teamleader-mirror-events", daemon=True
                )
                self._thread.start()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until everything woken for was processed; ``False`` on timeout (for tests, scripts)."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._busy, timeout=timeout)

    def _run(self) -> None:
        from .events import process_pending

        while True:
            if not self._wake.wait(timeout=IDLE_EXIT):
                with self._lock:
                    if not self._wake.is_set():
                        self._thread = None
                        return
            time.sleep(DEBOUNCE)  # let the rest of a burst arrive
            self._wake.clear()
            try:
                process_pending()
            except Exception:  # keep the thread alive; the events stay pending or failed
                logger.exception("Processing Teamleader webhook events failed.")
            finally:
                connections.close_all()  # this thread's connections only
            with self._lock:
                if not self._wake.is_set():
                    self._busy = False
                    self._idle.notify_all()


#: The process's worker (``worker.wait_idle()`` waits for it).
worker = Worker()
