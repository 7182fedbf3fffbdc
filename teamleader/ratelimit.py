"""Teamleader's rate-limit headers, and how long a 429 asks us to wait."""

from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import dataclass
from typing import Mapping

__all__ = ["RateLimit", "retry_delay"]


@dataclass(frozen=True)
class RateLimit:
    """The last rate-limit state Teamleader reported (``X-RateLimit-*`` headers).

    Teamleader allows 200 calls per sliding minute per integration and account;
    ``reset`` is when the window frees up again (timezone-aware), ``None`` if unknown.
    """

    limit: int | None = None
    remaining: int | None = None
    reset: dt.datetime | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimit | None:
        """The state carried by an answer's headers, or ``None`` when it has none."""
        limit = headers.get("X-RateLimit-Limit")
        remaining = headers.get("X-RateLimit-Remaining")
        reset = headers.get("X-RateLimit-Reset")
        if limit is None and remaining is None and reset is None:
            return None
        return cls(limit=_int(limit), remaining=_int(remaining), reset=_timestamp(reset))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _timestamp(value: str | None) -> dt.datetime | None:
    """``X-RateLimit-Reset`` is an ISO-8601 timestamp (not epoch seconds)."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def retry_delay(headers: Mapping[str, str], *, now: dt.datetime | None = None) -> float | None:
    """Seconds a 429 answer asks us to wait: ``Retry-After`` first, else ``X-RateLimit-Reset``.

    ``None`` when the answer says nothing usable.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    retry_after = headers.get("Retry-After")
    if retry_after:
        retry_after = retry_after.strip()
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(retry_after)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=dt.timezone.utc)
                return max(0.0, (when - now).total_seconds())
    reset = _timestamp(headers.get("X-RateLimit-Reset"))
    if reset is not None:
        return max(0.0, (reset - now).total_seconds())
    return None
