"""``contacts.list``, ``.info``, ``.add``, ``.update`` and ``.delete``."""

from __future__ import annotations

from typing import Any

from ..listing import includes, list_answer, sort_records
from ..store import Context, State
from ..timeutil import iso_datetime
from ..validation import check_enum, check_fields, get_object, require_id
from ..wire import ApiError
from .common import (
    Created,
    apply_address_book,
    custom_fields_in,
    filter_parties,
    party_list_shape,
    pick,
    tags_in,
    touch,
)

__all__ = ["ENDPOINTS"]

Record = dict[str, Any]

LIST_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "status",
    "salutation",
    "emails",
    "telephones",
    "website",
    "primary_address",
    "gender",
    "birthdate",
    "iban",
    "bic",
    "national_identification_number",
    "language",
    "payment_term",
    "invoicing_preferences",
    "tags",
    "marketing_mails_consent",
    "added_at",
    "updated_at",
    "web_url",
)
INFO_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "status",
    "salutation",
    "vat_number",
    "emails",
    "telephones",
    "website",
    "addresses",
    "gender",
    "birthdate",
    "iban",
    "bic",
    "national_identification_number",
    "companies",
    "language",
    "payment_term",
    "invoicing_preferences",
    "remarks",
    "tags",
    "custom_fields",
    "marketing_mails_consent",
    "added_at",
    "updated_at",
    "web_url",
)
GENDERS = ("female", "male", "non_binary", "prefers_not_to_say", "unknown")
_COMMON = {
    "emails": "array",
    "addresses": "array",
    "language": "string",
    "gender": "string",
    "tags": "array",
    "national_identification_number": "string",
    "custom_fields": "array",
    "marketing_mails_consent": "boolean",
}
ADD = {
    "first_name": "string",
    "last_name": "string!",
    "salutation": "string",
    "telephones": "array",
    "website": "string",
    "birthdate": "string",
    "iban": "string",
    "bic": "string",
    "remarks": "string",
    **_COMMON,
}
UPDATE = {
    "id": "string!",
    "first_name": "string?",
    "last_name": "string",
    "salutation": "string?",
    "telephones": "array?",
    "website": "string?",
    "birthdate": "string?",
    "iban": "string?",
    "bic": "string?",
    "remarks": "string?",
    **_COMMON,
}
_PLAIN = (
    "first_name",
    "last_name",
    "salutation",
    "website",
    "language",
    "gender",
    "birthdate",
    "iban",
    "bic",
    "national_identification_number",
    "remarks",
    "marketing_mails_consent",
)


def contacts_list(state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
    check_fields(body, {"filter": "object", "page": "object", "sort": "array", "includes": "string"})
    filters = get_object(body, "filter")
    check_fields(
        filters,
        {
            "ids": "array",
            "email": "object",
            "term": "string",
            "company_id": "string",
            "updated_since": "string",
            "tags": "array",
            "status": "string",
            "marketing_mails_consent": "boolean",
        },
        "filter.",
    )
    records = filter_parties(
        list(state.contacts.values()),
        filters,
        lambda r: [
            r["first_name"],
            r["last_name"],
            *(e["email"] for e in r["emails"]),
            *(t["number"] for t in r["telephones"]),
        ],
    )
    if "company_id" in filters:
        records = [
            r
            for r in records
            if any(link["company"]["id"] == filters["company_id"] for link in r["companies"])
        ]
    records = sort_records(
        records,
        body,
        {
            "name": lambda r: (r["last_name"].lower(), (r["first_name"] or "").lower()),
            "added_at": lambda r: r["added_at"],
            "updated_at": lambda r: r["updated_at"],
        },
    )
    wanted = includes(body)
    return list_answer(records, body, ctx, lambda r: party_list_shape(r, wanted, LIST_FIELDS))


def contacts_info(state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
    return {"data": pick(require_id(body, state.contacts, "Contact"), INFO_FIELDS)}


def _apply(record: Record, body: dict[str, Any]) -> None:
    if body.get("gender") is not None:
        check_enum(body["gender"], GENDERS, "gender")
    apply_address_book(record, body, ("primary",), ("phone", "mobile", "fax"))
    for name in _PLAIN:
        if name in body:
            record[name] = body[name]
    if "tags" in body:
        record["tags"] = sorted(set(tags_in(body["tags"])))
    if "custom_fields" in body:
        record["custom_fields"] = custom_fields_in(body["custom_fields"])


def contacts_add(state: State, body: dict[str, Any], ctx: Context) -> Created:
    check_fields(body, ADD)
    contact_id, now = ctx.new_id(), iso_datetime(ctx.now())
    record: Record = {
        "id": contact_id,
        "first_name": None,
        "last_name": "",
        "status": "active",
        "salutation": None,
        "vat_number": None,
        "emails": [],
        "telephones": [],
        "website": None,
        "addresses": [],
        "gender": "unknown",
        "birthdate": None,
        "iban": None,
        "bic": None,
        "national_identification_number": None,
        "companies": [],
        "language": "en",
        "payment_term": {"type": "cash"},
        "invoicing_preferences": {"electronic_invoicing_address": None},
        "remarks": None,
        "tags": [],
        "custom_fields": [],
        "marketing_mails_consent": False,
        "added_at": now,
        "updated_at": now,
        "web_url": f"https://focus.teamleader.eu/contact_detail.php?id={contact_id}",
        "price_list": None,
    }
    _apply(record, body)
    state.contacts[contact_id] = record
    ctx.emit("contact.added", "contact", contact_id)
    return Created("contact", contact_id)


def contacts_update(state: State, body: dict[str, Any], ctx: Context) -> None:
    check_fields(body, UPDATE)
    record = require_id(body, state.contacts, "Contact")
    if "last_name" in body and not body["last_name"].strip():
        raise ApiError(400, "last_name must not be empty")
    _apply(record, body)
    touch(record, ctx.now())
    ctx.emit("contact.updated", "contact", record["id"])


def contacts_delete(state: State, body: dict[str, Any], ctx: Context) -> None:
    record = require_id(body, state.contacts, "Contact")
    del state.contacts[record["id"]]
    state.record_deletion("contacts", record["id"], iso_datetime(ctx.now()))
    ctx.emit("contact.deleted", "contact", record["id"])


ENDPOINTS = {
    "contacts.list": contacts_list,
    "contacts.info": contacts_info,
    "contacts.add": contacts_add,
    "contacts.update": contacts_update,
    "contacts.delete": contacts_delete,
}
