"""Pieces the contact, company and deal endpoints share: references, addresses, filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from ..listing import parse_since, with_ids
from ..timeutil import iso_datetime, parse_datetime
from ..validation import check_entries, check_enum, check_fields, check_id_list, get_object
from ..wire import ApiError

__all__ = [
    "Created",
    "apply_address_book",
    "custom_fields_in",
    "email_matches",
    "pick",
    "primary_address",
    "ref",
    "tags_in",
    "term_matches",
    "touch",
    "updated_since",
]

Record = dict[str, Any]

ADDRESS_TYPES = ("primary", "invoicing", "delivery", "visiting")
_ADDRESS = {
    "line_1": "string!?",
    "postal_code": "string!?",
    "city": "string!?",
    "country": "string!",
    "area_level_two_id": "string",
    "addressee": "string",
}


@dataclass
class Created:
    """A handler's answer to a create call: 201 with ``{"data": {"type", "id"}}``."""

    type: str
    id: str


def ref(kind: str, record_id: str | None) -> dict[str, str] | None:
    return {"type": kind, "id": record_id} if record_id else None


def pick(record: Mapping[str, Any], fields: Iterable[str]) -> Record:
    """The named fields of a record, in that order (the spec's order)."""
    return {name: record.get(name) for name in fields}


def primary_address(record: Mapping[str, Any]) -> Record | None:
    """The ``primary_address`` of a list answer: the primary entry of ``addresses``."""
    for entry in record.get("addresses") or []:
        if entry.get("type") == "primary":
            return {k: v for k, v in entry["address"].items() if k != "addressee"}
    return None


def custom_fields_in(values: list[Any]) -> list[Record]:
    """Request ``[{"id", "value"}]`` to the answer's ``[{"definition": {...}, "value"}]``."""
    out = []
    for index, item in enumerate(values):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ApiError(400, f"custom_fields[{index}].id is required")
        out.append({"definition": ref("customFieldDefinition", item["id"]), "value": item.get("value")})
    return out


def apply_address_book(
    record: Record, body: Mapping[str, Any], email_types: tuple[str, ...], phone_types: tuple[str, ...]
) -> None:
    """Check and copy ``emails``, ``telephones`` and ``addresses`` from a request body."""
    check_entries(body, "emails", {"type": "string!", "email": "string!"}, email_types)
    check_entries(body, "telephones", {"type": "string!", "number": "string!"}, phone_types)
    check_entries(body, "addresses", {"type": "string!", "address": "object!"}, ADDRESS_TYPES)
    if "emails" in body:
        record["emails"] = [{"type": e["type"], "email": e["email"]} for e in body["emails"]]
    if "telephones" in body:
        record["telephones"] = [{"type": t["type"], "number": t["number"]} for t in body["telephones"] or []]
    if "addresses" in body:
        addresses = []
        for index, entry in enumerate(body["addresses"]):
            address = entry["address"]
            check_fields(address, _ADDRESS, f"addresses[{index}].address.")
            shaped = {k: address.get(k) for k in ("line_1", "postal_code", "city", "country")}
            shaped["area_level_two"] = ref("area_level_two", address.get("area_level_two_id"))
            if address.get("addressee"):
                shaped["addressee"] = address["addressee"]
            addresses.append({"type": entry["type"], "address": shaped})
        record["addresses"] = addresses


def term_matches(term: Any, values: Iterable[Any]) -> bool:
    """Case-insensitive substring search; telephone numbers also match on digits alone."""
    if not isinstance(term, str):
        raise ApiError(400, "filter.term must be of type string")
    needle = term.strip().lower()
    number = needle.replace(" ", "").lstrip("+")
    for value in values:
        text = str(value or "").lower()
        if needle in text:
            return True
        if number.isdigit() and number in "".join(ch for ch in text if ch.isdigit()):
            return True
    return False


def email_matches(record: Mapping[str, Any], email_filter: Any) -> bool:
    wanted = get_object({"email": email_filter}, "email")
    check_fields(wanted, {"type": "string!", "email": "string!"}, "filter.email.")
    return any(
        e.get("type") == wanted["type"] and str(e.get("email", "")).lower() == wanted["email"].lower()
        for e in record.get("emails") or []
    )


def updated_since(records: list[Record], value: Any, field: str = "updated_at") -> list[Record]:
    since = parse_since(value, "filter.updated_since")
    return [r for r in records if parse_datetime(r[field]) >= since]


def tags_in(value: Any) -> list[str]:
    return check_id_list(value, "tags")


def touch(record: Record, now: float, field: str = "updated_at") -> None:
    record[field] = iso_datetime(now)


def party_list_shape(record: Record, wanted: set[str], fields: Iterable[str]) -> Record:
    """A contact or company as ``*.list`` shows it: its list fields, plus requested includes."""
    shaped = pick({**record, "primary_address": primary_address(record)}, fields)
    for extra in ("custom_fields", "price_list"):
        if extra in wanted:
            shaped[extra] = record.get(extra)
    return shaped


def filter_parties(
    records: list[Record], filters: Mapping[str, Any], searchable: Callable[[Record], list[Any]]
) -> list[Record]:
    """The filters ``contacts.list`` and ``companies.list`` share; ``searchable`` feeds ``term``."""
    if "ids" in filters:
        records = with_ids(records, filters["ids"])
    if "email" in filters:
        records = [r for r in records if email_matches(r, filters["email"])]
    if "term" in filters:
        records = [r for r in records if term_matches(filters["term"], searchable(r))]
    if "updated_since" in filters:
        records = updated_since(records, filters["updated_since"])
    if "tags" in filters:
        wanted_tags = set(tags_in(filters["tags"]))
        records = [r for r in records if wanted_tags <= set(r["tags"])]
    if "status" in filters:
        check_enum(filters["status"], ("active", "deactivated"), "filter.status")
        records = [r for r in records if r["status"] == filters["status"]]
    if "marketing_mails_consent" in filters:
        records = [r for r in records if r["marketing_mails_consent"] == filters["marketing_mails_consent"]]
    return records
