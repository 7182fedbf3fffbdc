"""Webhook deliveries: the sandbox POSTs each event to the URLs registered for its type.

Deliveries leave from one background thread, in the order the events happened, never
while the sandbox's lock is held: the handler that changed a record only queues them.
The default transport is ``requests``; in the ``responses`` face that means the active
mock sees them too (register the site's URL there), or set :attr:`WebhookDelivery.transport`
to hand payloads straight to your code (e.g. Django's test client).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from typing import Any, Callable
from urllib.parse import urlsplit

__all__ = ["Transport", "WebhookDelivery"]

logger = logging.getLogger("teamleader.testing")

#: ``transport(url, payload) -> HTTP status``; raising counts as a failed delivery.
Transport = Callable[[str, "dict[str, Any]"], int]


def post_with_requests(url: str, payload: dict[str, Any], timeout: float = 10.0) -> int:
    import requests

    return requests.post(url, json=payload, timeout=timeout).status_code


class WebhookDelivery:
    """A queue of ``(url, payload)`` and the thread that sends them, one at a time.

    Every attempt is kept in :attr:`deliveries` as ``{"url", "payload", "status", "error"}``.
    A delivery is tried once (Teamleader's retry policy is undocumented).
    """

    def __init__(self, transport: Transport | None = None, *, idle_exit: float = 1.0) -> None:
        self.transport: Transport = transport or post_with_requests
        #: When false, events are still recorded by the sandbox but nothing is sent.
        self.enabled = True
        self.deliveries: list[dict[str, Any]] = []
        self._queue: deque[tuple[str, dict[str, Any]]] = deque()
        self._busy = 0  # queued + in flight
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._idle_exit = idle_exit

    def enqueue(self, url: str, payload: dict[str, Any]) -> None:
        """Queue one delivery; returns at once (safe under the sandbox's lock)."""
        if not self.enabled:
            return
        with self._cond:
            self._queue.append((url, dict(payload)))
            self._busy += 1
            self._cond.notify_all()
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="teamleader-sandbox-webhooks", daemon=True
                )
                self._thread.start()

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until every queued delivery was attempted; ``False`` on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._busy == 0, timeout=timeout)

    @property
    def pending(self) -> int:
        """Deliveries queued or in flight."""
        with self._cond:
            return self._busy

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._cond.wait_for(lambda: bool(self._queue), timeout=self._idle_exit):
                    self._thread = None  # a later enqueue starts a new thread
                    return
                url, payload = self._queue.popleft()
            outcome: dict[str, Any] = {"url": url, "payload": payload, "status": None, "error": None}
            try:
                outcome["status"] = int(self.transport(url, payload))
            except Exception as err:  # the receiving site is down, refused, ...: record it
                outcome["error"] = f"{type(err).__name__}: {err}"
                # The host only: the path of a webhook URL holds the site's secret.
                host = urlsplit(url).netloc
                logger.info(
                    "Sandbox webhook %s to %s failed: %s", payload.get("type"), host, type(err).__name__
                )
            with self._cond:
                self.deliveries.append(outcome)
                self._busy -= 1
                self._cond.notify_all()
