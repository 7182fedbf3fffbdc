"""Contacts, companies, deals and users: the records most sites work with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .base import Field, Model, Money
from .parsers import parse_date, parse_datetime, primary_phone, primary_value, strict_list

__all__ = ["Contact", "Company", "Deal", "User"]


def _full_name(raw: dict[str, Any]) -> str:
    parts = (raw.get("first_name"), raw.get("last_name"))
    return " ".join(str(p).strip() for p in parts if p and str(p).strip())


class Contact(Model):
    """A person in the CRM (``contacts.info`` / ``contacts.list``)."""

    __slots__ = ()

    first_name: Field[str | None] = Field()
    last_name: Field[str | None] = Field()
    emails: Field[list[Any]] = Field(parse=strict_list, default=list)
    telephones: Field[list[Any]] = Field(parse=strict_list, default=list)
    tags: Field[list[str]] = Field(parse=strict_list, default=list)
    added_at: Field[dt.datetime | None] = Field(parse=parse_datetime)
    updated_at: Field[dt.datetime | None] = Field(parse=parse_datetime)

    @property
    def full_name(self) -> str:
        """First and last name; just the last name when the first name is missing."""
        return _full_name(self._raw)

    @property
    def primary_email(self) -> str | None:
        """The email typed ``primary``; if none is, the first email; ``None`` without emails."""
        return primary_value(self._raw.get("emails"), "email")

    @property
    def primary_phone(self) -> str | None:
        """The first ``phone`` number, else the first ``mobile``, else any but a fax; or ``None``."""
        return primary_phone(self._raw.get("telephones"))

    def _label(self) -> str | None:
        return self.full_name or None


class Company(Model):
    """An organisation in the CRM (``companies.info`` / ``companies.list``)."""

    __slots__ = ()

    name: Field[str | None] = Field()
    vat_number: Field[str | None] = Field()
    emails: Field[list[Any]] = Field(parse=strict_list, default=list)
    telephones: Field[list[Any]] = Field(parse=strict_list, default=list)
    website: Field[str | None] = Field()
    tags: Field[list[str]] = Field(parse=strict_list, default=list)
    added_at: Field[dt.datetime | None] = Field(parse=parse_datetime)
    updated_at: Field[dt.datetime | None] = Field(parse=parse_datetime)

    @property
    def primary_email(self) -> str | None:
        """The email typed ``primary``; if none is, the first email; ``None`` without emails."""
        return primary_value(self._raw.get("emails"), "email")

    @property
    def primary_phone(self) -> str | None:
        """The first ``phone`` number, else any number but a fax; or ``None``."""
        return primary_phone(self._raw.get("telephones"))


class Deal(Model):
    """A sales opportunity (``deals.info`` / ``deals.list``).

    ``status`` is ``new``, ``open``, ``won`` or ``lost``; ``is_open`` is true for the
    first two.
    """

    __slots__ = ()

    title: Field[str | None] = Field()
    summary: Field[str | None] = Field()
    reference: Field[str | None] = Field()
    status: Field[str | None] = Field()
    estimated_value: Field[Money | None] = Field(parse=Money.parse)
    estimated_probability: Field[float | None] = Field(parse=float)
    estimated_closing_date: Field[dt.date | None] = Field(parse=parse_date)
    closed_at: Field[dt.datetime | None] = Field(parse=parse_datetime)
    created_at: Field[dt.datetime | None] = Field(parse=parse_datetime)
    updated_at: Field[dt.datetime | None] = Field(parse=parse_datetime)

    @property
    def is_won(self) -> bool:
        return self._raw.get("status") == "won"

    @property
    def is_lost(self) -> bool:
        return self._raw.get("status") == "lost"

    @property
    def is_open(self) -> bool:
        return self._raw.get("status") in ("new", "open")

    @property
    def customer(self) -> Model | None:
        """``lead.customer``: ``{"type": "contact"|"company", "id": …}``."""
        lead = self._raw.get("lead")
        customer = lead.get("customer") if isinstance(lead, dict) else None
        return Model(customer) if isinstance(customer, dict) else None


class User(Model):
    """A Teamleader user (``users.me``, ``users.info``, ``users.list``)."""

    __slots__ = ()

    first_name: Field[str | None] = Field()
    last_name: Field[str | None] = Field()
    email: Field[str | None] = Field()
    language: Field[str | None] = Field()
    function: Field[str | None] = Field()
    time_zone: Field[str | None] = Field()
    status: Field[str | None] = Field()

    @property
    def full_name(self) -> str:
        return _full_name(self._raw)

    @property
    def account_id(self) -> str | None:
        account = self._raw.get("account")
        return account.get("id") if isinstance(account, dict) else None

    def _label(self) -> str | None:
        return self.full_name or None
