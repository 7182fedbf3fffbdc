"""What the mirror copies: for each resource its list endpoint, request shape and columns.

Request bodies follow Teamleader's OpenAPI description: ``contacts.list`` and
``companies.list`` sort on ``updated_at``; ``deals.list`` offers only ``created_at`` and
``weighted_value``; ``users.list``, ``dealPhases.list`` and ``dealPipelines.list`` take no
``updated_since`` (they are small and read whole on every run).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from teamleader import models as tl

__all__ = [
    "BY_NAME",
    "BY_SUBJECT",
    "MIRROR_EVENT_TYPES",
    "PAGE_SIZE",
    "RESOURCES",
    "Resource",
    "normal_id",
    "resolve",
]

#: Records per list call (the largest page Teamleader serves).
PAGE_SIZE = 100

Record = dict[str, Any]


def _text(value: Any, length: int) -> str:
    return "" if value is None else str(value)[:length]


def _when(value: dt.datetime | None) -> dt.datetime | None:
    """A datetime as this site's database expects it (naive local time when ``USE_TZ = False``)."""
    if value is None or settings.USE_TZ or timezone.is_naive(value):
        return value
    return timezone.make_naive(value)


def normal_id(value: Any) -> str | None:
    """A Teamleader id as the mirror keys it (a lower-case UUID string), else ``None``."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def _ref_id(record: Record, key: str) -> str | None:
    value = record.get(key)
    return normal_id(value.get("id")) if isinstance(value, dict) else None


def _user(r: Record) -> Record:
    u = tl.User(r)
    return {"first_name": _text(u.first_name, 255), "last_name": _text(u.last_name, 255),
            "email": _text(u.email, 254), "status": _text(u.status, 20)}  # fmt: skip


def _pipeline(r: Record) -> Record:
    return {"name": _text(r.get("name"), 255)}


def _phase(r: Record) -> Record:
    probability = r.get("probability")
    numeric = isinstance(probability, (int, float)) and not isinstance(probability, bool)
    return {"name": _text(r.get("name"), 255), "probability": Decimal(str(probability)) if numeric else None}


def _company(r: Record) -> Record:
    c = tl.Company(r)
    return {"name": _text(c.name, 255), "email": _text(c.primary_email, 254), "vat_number": _text(c.vat_number, 64),
            "status": _text(r.get("status"), 20), "added_at": _when(c.added_at), "updated_at": _when(c.updated_at)}  # fmt: skip


def _contact(r: Record) -> Record:
    c = tl.Contact(r)
    return {"first_name": _text(c.first_name, 255), "last_name": _text(c.last_name, 255),
            "email": _text(c.primary_email, 254), "status": _text(r.get("status"), 20),
            "added_at": _when(c.added_at), "updated_at": _when(c.updated_at)}  # fmt: skip


def _deal(r: Record) -> Record:
    d = tl.Deal(r)
    value, customer = d.estimated_value, d.customer
    amount = value.amount if value is not None and abs(value.amount) < Decimal("1e16") else None
    return {
        "title": _text(d.title, 255),
        "reference": _text(d.reference, 64),
        "status": _text(d.status, 20),
        "phase_id": _ref_id(r, "current_phase"),
        "pipeline_id": _ref_id(r, "pipeline"),
        "responsible_user_id": _ref_id(r, "responsible_user"),
        "customer_type": _text(customer.get("type") if customer else None, 20),
        "customer_id": normal_id(customer.get("id")) if customer else None,
        "amount": amount.quantize(Decimal("0.01")) if amount is not None else None,
        "currency": _text(value.currency if value else None, 3),
        "estimated_closing_date": d.estimated_closing_date,
        "closed_at": _when(d.closed_at),
        "created_at": _when(d.created_at),
        "updated_at": _when(d.updated_at),
    }


@dataclass(frozen=True)
class Resource:
    """One mirrored resource: ``contacts``, ``deals``, …"""

    name: str
    model_name: str
    endpoint: str
    columns: Callable[[Record], Record]
    #: ``subject.type`` of its webhooks, and the event types the mirror listens to.
    subject_type: str | None = None
    events: tuple[str, ...] = ()
    #: Whether the list takes ``filter.updated_since`` (else every run reads it whole).
    incremental: bool = False
    sort: tuple[tuple[str, str], ...] = ()
    includes: str = ""
    #: Filters sent with every request (e.g. users of every status).
    base_filter: Record = field(default_factory=dict)
    #: Whether ``position`` holds the record's place in the list (deal phases).
    keeps_order: bool = False

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model("teamleader_mirror", self.model_name)

    def body(self, *, since: str | None = None, page: int = 1, ids: list[str] | None = None) -> Record:
        """A spec-valid ``*.list`` body for one page (of the ``ids``, or updated ``since``)."""
        flt = dict(self.base_filter)
        if ids is not None:
            flt["ids"] = list(ids)
        if since is not None:
            flt["updated_since"] = since
        body: Record = {"page": {"size": PAGE_SIZE, "number": page}}
        if flt:
            body["filter"] = flt
        if self.sort:
            body["sort"] = [{"field": f, "order": o} for f, o in self.sort]
        # "pagination" asks for meta.matches; lists that do not document it ignore it.
        includes = ",".join(filter(None, (self.includes, "pagination")))
        if self.includes or self.incremental:
            body["includes"] = includes
        return body


RESOURCES: tuple[Resource, ...] = (
    Resource("users", "User", "users.list", _user, base_filter={"status": ["active", "deactivated"]}),
    Resource("deal_pipelines", "DealPipeline", "dealPipelines.list", _pipeline),
    Resource("deal_phases", "DealPhase", "dealPhases.list", _phase, keeps_order=True),
    Resource(
        "companies",
        "Company",
        "companies.list",
        _company,
        "company",
        ("company.added", "company.updated", "company.deleted"),
        incremental=True,
        sort=(("updated_at", "desc"),),
        includes="custom_fields",
    ),  # fmt: skip
    Resource(
        "contacts",
        "Contact",
        "contacts.list",
        _contact,
        "contact",
        (
            "contact.added",
            "contact.updated",
            "contact.deleted",
            "contact.linkedToCompany",
            "contact.unlinkedFromCompany",
            "contact.updatedLinkToCompany",
        ),
        incremental=True,
        sort=(("updated_at", "desc"),),
        includes="custom_fields",
    ),  # fmt: skip
    Resource(
        "deals",
        "Deal",
        "deals.list",
        _deal,
        "deal",
        ("deal.created", "deal.updated", "deal.moved", "deal.won", "deal.lost", "deal.deleted"),
        incremental=True,
        sort=(("created_at", "desc"),),
        includes="custom_fields",
    ),  # fmt: skip
)
BY_NAME = {r.name: r for r in RESOURCES}
BY_SUBJECT = {r.subject_type: r for r in RESOURCES if r.subject_type}
#: Every event type the mirror acts on (``teamleader_webhooks register --mirror``).
MIRROR_EVENT_TYPES: tuple[str, ...] = tuple(t for r in RESOURCES for t in r.events)


def resolve(names: list[str] | None) -> list[Resource]:
    """The resources named (in sync order), all of them for none; ``ValueError`` for unknown names."""
    if not names:
        return list(RESOURCES)
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise ValueError(
            gettext("Unknown resource %(names)s; choose from %(choices)s.")
            % {"names": ", ".join(map(repr, unknown)), "choices": ", ".join(BY_NAME)}
        )
    return [r for r in RESOURCES if r.name in names]
