"""Projects, tasks and calendar events: the records of doing the work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .base import Field, Model, Money
from .parsers import parse_date, parse_datetime, strict_bool, strict_list

__all__ = ["Event", "Project", "Task"]


class Project(Model):
    """A project of the new projects module (``projects-v2/projects.info`` / ``.list``).

    ``status`` is ``open`` or ``closed``. Money fields are ``None`` where the user may
    not see costs.
    """

    __slots__ = ()

    title: Field[str | None] = Field()
    description: Field[str | None] = Field()
    status: Field[str | None] = Field()
    project_key: Field[int | None] = Field(parse=int)
    billing_method: Field[str | None] = Field()
    start_date: Field[dt.date | None] = Field(parse=parse_date)
    end_date: Field[dt.date | None] = Field(parse=parse_date)
    purchase_order_number: Field[str | None] = Field()
    price: Field[Money | None] = Field(parse=Money.parse)
    cost: Field[Money | None] = Field(parse=Money.parse)
    margin: Field[Money | None] = Field(parse=Money.parse)
    margin_percentage: Field[float | None] = Field(parse=float)
    amount_billed: Field[Money | None] = Field(parse=Money.parse)
    amount_paid: Field[Money | None] = Field(parse=Money.parse)
    external_budget: Field[Money | None] = Field(parse=Money.parse)
    internal_budget: Field[Money | None] = Field(parse=Money.parse)
    customers: Field[list[Any]] = Field(parse=strict_list, default=list)

    @property
    def is_open(self) -> bool:
        return self._raw.get("status") == "open"

    @property
    def is_closed(self) -> bool:
        return self._raw.get("status") == "closed"


class Task(Model):
    """A task (``tasks.info`` / ``tasks.list``); ``priority`` is ``A`` to ``D``."""

    __slots__ = ()

    title: Field[str | None] = Field()
    description: Field[str | None] = Field()
    completed: Field[bool] = Field(parse=strict_bool, default=lambda: False)
    completed_at: Field[dt.datetime | None] = Field(parse=parse_datetime)
    due_on: Field[dt.date | None] = Field(parse=parse_date)
    priority: Field[str | None] = Field()

    @property
    def estimated_minutes(self) -> float | None:
        """``estimated_duration`` in minutes (Teamleader states it as ``{"unit": "min", "value"}``)."""
        duration = self._raw.get("estimated_duration")
        if not isinstance(duration, dict) or duration.get("unit") not in (None, "min"):
            return None
        value = duration.get("value")
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


class Event(Model):
    """A calendar event (``events.info`` / ``events.list``)."""

    __slots__ = ()

    title: Field[str | None] = Field()
    description: Field[str | None] = Field()
    location: Field[str | None] = Field()
    starts_at: Field[dt.datetime | None] = Field(parse=parse_datetime)
    ends_at: Field[dt.datetime | None] = Field(parse=parse_datetime)
    attendees: Field[list[Any]] = Field(parse=strict_list, default=list)

    @property
    def duration(self) -> dt.timedelta | None:
        """``ends_at - starts_at``, when both are known."""
        starts_at, ends_at = self.starts_at, self.ends_at
        if starts_at is None or ends_at is None:
            return None
        try:
            return ends_at - starts_at
        except TypeError:  # one naive, one aware
            return None
