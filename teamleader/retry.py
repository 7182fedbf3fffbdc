"""When a failed call may be sent again, and how long to wait before it is."""

from __future__ import annotations

import random
from dataclasses import dataclass

from ._checks import Arguments, seconds, whole_number

__all__ = ["RetryPolicy", "is_read"]

# Actions of Teamleader's API that only read. Everything else (add, create, update,
# delete, win, book, send, …) changes data and is not idempotent on Teamleader's
# side, so it is never resent after a 5xx or a dropped connection.
_READ_ACTIONS = frozenset(
    {
        "info",
        "me",
        "download",
        "current",
        "total",
        "daily",
        "url",
        "exchangeRates",
        "id",
        "taxRate",
        "activityType",
        "projects-v2-status",
    }
)


def is_read(endpoint: str) -> bool:
    """Whether ``endpoint`` (e.g. ``"contacts.list"``) only reads, so resending it is safe."""
    action = endpoint.rpartition(".")[2]
    return action in _READ_ACTIONS or action.startswith(("list", "get"))


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long the client retries.

    ``max_retries`` bounds the retries of one call (429s and, for reads, 5xx and
    connection errors). Backoff is exponential with full jitter, capped at
    ``backoff_max``; a 429 waits what Teamleader asks, capped at ``max_rate_limit_wait``.
    """

    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_rate_limit_wait: float = 90.0

    def __post_init__(self) -> None:
        arguments = Arguments()
        arguments.check("max_retries", whole_number, self.max_retries)
        for name in ("backoff_base", "backoff_max", "max_rate_limit_wait"):
            arguments.check(name, seconds, getattr(self, name))
        arguments.raise_if_any()

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based), with full jitter."""
        ceiling = min(self.backoff_max, self.backoff_base * (2 ** (attempt - 1)))
        return random.uniform(0, ceiling)

    def rate_limit_wait(self, asked: float | None, attempt: int) -> float:
        """Seconds to wait after a 429: what Teamleader asked, else the backoff; capped.

        A reset time in the past (clock skew) counts as not asked, so the retries do not
        go out at once and use up the limit they are waiting for.
        """
        if asked is None or asked <= 0:  # nothing usable (or a reset already past): back off
            asked = self.backoff_base * (2 ** (attempt - 1))
        return min(asked, self.max_rate_limit_wait)
