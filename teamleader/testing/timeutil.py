"""Clocks and Teamleader's time formats (ISO 8601 with an explicit ``+00:00``)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any, Callable

__all__ = ["Clock", "as_epoch", "iso_date", "iso_datetime", "parse_datetime"]

UTC = dt.timezone.utc


def as_epoch(value: Any) -> float:
    """Seconds since the epoch from a float or an aware ``datetime`` (naive = UTC)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return float(value.timestamp())
    return float(value)


def iso_datetime(epoch: float) -> str:
    """``2016-02-04T16:44:33+00:00``, the shape of every Teamleader timestamp."""
    return dt.datetime.fromtimestamp(int(epoch), UTC).isoformat()


def iso_date(epoch: float) -> str:
    return dt.datetime.fromtimestamp(int(epoch), UTC).date().isoformat()


def parse_datetime(value: str) -> float:
    """Read an ISO 8601 timestamp or date (``Z`` allowed, naive = UTC) as epoch seconds.

    Raises ``ValueError`` for anything else.
    """
    text = value.strip().replace("Z", "+00:00")
    if len(text) == 10:
        text += "T00:00:00+00:00"
    return as_epoch(dt.datetime.fromisoformat(text))


class Clock:
    """The sandbox's notion of now: an injectable source plus an offset tests can advance."""

    def __init__(self, source: Callable[[], Any] = time.time) -> None:
        self._source = source
        self.offset = 0.0

    def __call__(self) -> float:
        return as_epoch(self._source()) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += float(seconds)

    def datetime(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self(), UTC)
