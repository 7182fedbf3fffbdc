"""``companies.list``, ``.info``, ``.add``, ``.update`` and ``.delete``."""

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
    ref,
    tags_in,
    touch,
)

__all__ = ["ENDPOINTS"]

Record = dict[str, Any]

LIST_FIELDS = (
    "id",
    "name",
    "status",
    "business_type",
    "vat_number",
    "national_identification_number",
    "emails",
    "telephones",
    "website",
    "primary_address",
    "iban",
    "bic",
    "language",
    "preferred_currency",
    "payment_term",
    "invoicing_preferences",
    "responsible_user",
    "added_at",
    "updated_at",
    "web_url",
    "tags",
    "marketing_mails_consent",
)
INFO_FIELDS = (
    "id",
    "name",
    "status",
    "business_type",
    "vat_number",
    "national_identification_number",
    "emails",
    "telephones",
    "website",
    "addresses",
    "iban",
    "bic",
    "language",
    "preferred_currency",
    "payment_term",
    "invoicing_preferences",
    "responsible_user",
    "remarks",
    "added_at",
    "updated_at",
    "web_url",
    "tags",
    "custom_fields",
    "marketing_mails_consent",
)
CURRENCIES = (
    "BAM",
    "CAD",
    "CHF",
    "CLP",
    "CNY",
    "COP",
    "CZK",
    "DKK",
    "EUR",
    "GBP",
    "INR",
    "ISK",
    "JPY",
    "MAD",
    "MXN",
    "NOK",
    "PEN",
    "PLN",
    "RON",
    "SEK",
    "TRY",
    "USD",
    "ZAR",
)
_COMMON = {
    "emails": "array",
    "telephones": "array",
    "website": "string",
    "addresses": "array",
    "tags": "array",
    "custom_fields": "array",
    "marketing_mails_consent": "boolean",
}
ADD = {
    "name": "string!",
    "business_type_id": "string",
    "vat_number": "string",
    "national_identification_number": "string",
    "iban": "string",
    "bic": "string",
    "language": "string",
    "responsible_user_id": "string",
    "remarks": "string",
    "preferred_currency": "string",
    **_COMMON,
}
UPDATE = {
    "id": "string!",
    "name": "string",
    "business_type_id": "string?",
    "vat_number": "string?",
    "national_identification_number": "string?",
    "iban": "string?",
    "bic": "string?",
    "language": "string?",
    "responsible_user_id": "string?",
    "remarks": "string?",
    "preferred_currency": "string?",
    **_COMMON,
}
_PLAIN = (
    "name",
    "vat_number",
    "national_identification_number",
    "website",
    "iban",
    "bic",
    "language",
    "remarks",
    "preferred_currency",
    "marketing_mails_consent",
)


def companies_list(state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
    check_fields(body, {"filter": "object", "page": "object", "sort": "array", "includes": "string"})
    filters = get_object(body, "filter")
    check_fields(
        filters,
        {
            "ids": "array",
            "email": "object",
            "term": "string",
            "updated_since": "string",
            "tags": "array",
            "vat_number": "string",
            "national_identification_number": "string",
            "status": "string",
            "marketing_mails_consent": "boolean",
        },
        "filter.",
    )
    records = filter_parties(
        list(state.companies.values()),
        filters,
        lambda r: [
            r["name"],
            r["vat_number"],
            *(e["email"] for e in r["emails"]),
            *(t["number"] for t in r["telephones"]),
        ],
    )
    for exact in ("vat_number", "national_identification_number"):
        if exact in filters:
            records = [r for r in records if r[exact] == filters[exact]]
    records = sort_records(
        records,
        body,
        {
            "name": lambda r: r["name"].lower(),
            "added_at": lambda r: r["added_at"],
            "updated_at": lambda r: r["updated_at"],
        },
    )
    wanted = includes(body)
    return list_answer(records, body, ctx, lambda r: party_list_shape(r, wanted, LIST_FIELDS))


def companies_info(state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
    check_fields(body, {"id": "string!", "includes": "string"})
    record = require_id(body, state.companies, "Company")
    shaped = pick(record, INFO_FIELDS)
    wanted = includes(body)
    if "related_companies" in wanted:
        shaped["related_companies"] = []
    if "related_contacts" in wanted:
        shaped["related_contacts"] = [
            {
                "type": "contact",
                "id": contact["id"],
                "position": link["position"],
                "secondary_position": link["secondary_position"],
                "division": link["division"],
                "is_decision_maker": link["decision_maker"],
            }
            for contact in state.contacts.values()
            for link in contact["companies"]
            if link["company"]["id"] == record["id"]
        ]
    return {"data": shaped}


def _apply(state: State, record: Record, body: dict[str, Any]) -> None:
    if body.get("preferred_currency") is not None:
        check_enum(body["preferred_currency"], CURRENCIES, "preferred_currency")
    if body.get("responsible_user_id") is not None:
        require_id(body, state.users, "User", field="responsible_user_id")
    apply_address_book(record, body, ("primary", "invoicing"), ("phone", "fax"))
    for name in _PLAIN:
        if name in body:
            record[name] = body[name]
    if "responsible_user_id" in body:
        record["responsible_user"] = ref("user", body["responsible_user_id"])
    if "business_type_id" in body:
        record["business_type"] = ref("businessType", body["business_type_id"])
    if "tags" in body:
        record["tags"] = sorted(set(tags_in(body["tags"])))
    if "custom_fields" in body:
        record["custom_fields"] = custom_fields_in(body["custom_fields"])


def companies_add(state: State, body: dict[str, Any], ctx: Context) -> Created:
    check_fields(body, ADD)
    company_id, now = ctx.new_id(), iso_datetime(ctx.now())
    record: Record = {
        "id": company_id,
        "name": "",
        "status": "active",
        "business_type": None,
        "vat_number": None,
        "national_identification_number": None,
        "emails": [],
        "telephones": [],
        "website": None,
        "addresses": [],
        "iban": None,
        "bic": None,
        "language": "en",
        "preferred_currency": "EUR",
        "payment_term": {"type": "cash"},
        "invoicing_preferences": {"electronic_invoicing_address": None},
        "responsible_user": ref("user", ctx.user_id),
        "remarks": None,
        "added_at": now,
        "updated_at": now,
        "web_url": f"https://focus.teamleader.eu/company_detail.php?id={company_id}",
        "tags": [],
        "custom_fields": [],
        "marketing_mails_consent": False,
        "price_list": None,
    }
    _apply(state, record, body)
    state.companies[company_id] = record
    ctx.emit("company.added", "company", company_id)
    return Created("company", company_id)


def companies_update(state: State, body: dict[str, Any], ctx: Context) -> None:
    check_fields(body, UPDATE)
    record = require_id(body, state.companies, "Company")
    if "name" in body and not body["name"].strip():
        raise ApiError(400, "name must not be empty")
    _apply(state, record, body)
    touch(record, ctx.now())
    ctx.emit("company.updated", "company", record["id"])


def companies_delete(state: State, body: dict[str, Any], ctx: Context) -> None:
    record = require_id(body, state.companies, "Company")
    del state.companies[record["id"]]
    state.record_deletion("companies", record["id"], iso_datetime(ctx.now()))
    for contact in state.contacts.values():
        contact["companies"] = [c for c in contact["companies"] if c["company"]["id"] != record["id"]]
    ctx.emit("company.deleted", "company", record["id"])


ENDPOINTS = {
    "companies.list": companies_list,
    "companies.info": companies_info,
    "companies.add": companies_add,
    "companies.update": companies_update,
    "companies.delete": companies_delete,
}
