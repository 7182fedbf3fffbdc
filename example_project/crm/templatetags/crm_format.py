"""Filters for Teamleader values in templates.

Django templates look ``record["field"]`` up before ``record.field``, so on a
``teamleader`` model they see the raw JSON (an ISO string, an amount dict) rather
than the parsed ``datetime`` or ``Money``. These filters accept either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from teamleader.models import Money

register = template.Library()


@register.filter
def money(value: Any) -> str:
    """``4,250.00 EUR`` from a ``Money`` or ``{"amount": 4250, "currency": "EUR"}``."""
    if isinstance(value, Mapping):
        try:
            value = Money.parse(value)
        except (KeyError, TypeError, ValueError, InvalidOperation):
            return ""
    if not isinstance(value, Money):
        return ""
    return f"{Decimal(value.amount):,.2f} {value.currency}"


@register.filter
def isodate(value: Any) -> dt.date | dt.datetime | None:
    """A ``date``/``datetime`` from Teamleader's ISO 8601 text (or the value itself)."""
    if isinstance(value, (dt.date, dt.datetime)) or not value:
        return value or None
    text = str(value).replace("Z", "+00:00")
    try:
        return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


@register.filter
def percent(value: Any) -> str:
    """``40 %`` from Teamleader's probability ``0.4``."""
    try:
        return f"{round(float(value) * 100)} %"
    except (TypeError, ValueError):
        return ""
