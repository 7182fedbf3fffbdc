"""The sandbox checked against Teamleader's own OpenAPI description (the committed extract)."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest

from teamleader.testing.api import ENDPOINTS, companies, contacts, deals
from teamleader.webhook_types import WEBHOOK_TYPES

from ..endpoints.spec_values import SPEC_MISSING, extract, load_spec
from .conftest import Caller

#: Which fields come only with an ``includes`` is said in the spec's prose, which the extract leaves out.
needs_prose = pytest.mark.skipif(load_spec() is None, reason=SPEC_MISSING)


def merged(schema: dict[str, Any]) -> dict[str, Any]:
    """Fold ``allOf`` parts into one schema (properties, required, the rest)."""
    if "allOf" not in schema:
        return schema
    out: dict[str, Any] = {"properties": {}, "required": []}
    for part in schema["allOf"]:
        part = merged(part)
        for key, value in part.items():
            if key == "properties":
                out["properties"].update(value)
            elif key == "required":
                out["required"] += value
            else:
                out[key] = value
    return out


def request_schema(endpoint: str) -> dict[str, Any]:
    return merged(extract()[f"/{endpoint}"]["request"]["schema"])


def answer_schema(endpoint: str, status: str = "200") -> dict[str, Any]:
    response = extract()[f"/{endpoint}"]["response"]
    assert response["status"] == int(status)
    return response["schema"]


def lenient(schema: Any) -> Any:
    """OpenAPI 3.0 to JSON Schema, allowing ``null`` everywhere (the spec under-declares it)."""
    if isinstance(schema, list):
        return [lenient(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("nullable", "example", "description", "title"):
            continue
        if key == "properties":
            out[key] = {name: lenient(sub) for name, sub in value.items()}
        elif key == "oneOf":
            out["anyOf"] = lenient(value)
        else:
            out[key] = lenient(value)
    if isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


def record_properties(endpoint: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    data = merged(merged(schema or answer_schema(endpoint))["properties"]["data"])
    return merged(data["items"])["properties"] if data.get("type") == "array" else data["properties"]


def expected_keys(endpoint: str, includes: str) -> set[str]:
    """The spec's fields, minus those it marks "Only included with ``includes=x``" unless asked for."""
    asked = set(includes.split(","))
    keys = set()
    operation = load_spec()["paths"][f"/{endpoint}"]["post"]
    with_prose = operation["responses"]["200"]["content"]["application/json"]["schema"]
    for name, prop in record_properties(endpoint, with_prose).items():
        only = re.search(r"includes=(\w+)", str(merged(prop).get("description", "")))
        if only is None or only.group(1) in asked:
            keys.add(name)
    return keys


def test_every_emulated_endpoint_exists_in_the_spec() -> None:
    assert {f"/{name}" for name in ENDPOINTS} <= set(extract())


def test_webhook_types_are_the_specs_enum() -> None:
    types = merged(request_schema("webhooks.register"))["properties"]["types"]["items"]["enum"]
    assert list(WEBHOOK_TYPES) == types


READS = [
    ("users.me", lambda s: {}, ""),
    ("users.list", lambda s: {}, ""),
    ("users.info", lambda s: {"id": s.state.owner_id, "includes": "external_rate"}, "external_rate"),
    ("contacts.list", lambda s: {"page": {"size": 100}}, ""),
    ("contacts.list", lambda s: {"includes": "custom_fields,price_list"}, "custom_fields,price_list"),
    ("contacts.info", lambda s: {"id": next(iter(s.state.contacts))}, ""),
    ("companies.list", lambda s: {"page": {"size": 100}}, ""),
    ("companies.list", lambda s: {"includes": "custom_fields,price_list"}, "custom_fields,price_list"),
    ("companies.info", lambda s: {"id": next(iter(s.state.companies))}, ""),
    (
        "companies.info",
        lambda s: {"id": next(iter(s.state.companies)), "includes": "related_companies,related_contacts"},
        "related_companies,related_contacts",
    ),
    ("deals.list", lambda s: {"page": {"size": 100}}, ""),
    ("deals.list", lambda s: {"includes": "custom_fields"}, "custom_fields"),
    (
        "deals.info",
        lambda s: {"id": next(d for d in s.state.deals.values() if d["status"] == "lost")["id"]},
        "",
    ),
    ("dealPhases.list", lambda s: {}, ""),
    ("dealPipelines.list", lambda s: {}, ""),
    ("lostReasons.list", lambda s: {}, ""),
]


@needs_prose
@pytest.mark.parametrize(("endpoint", "body", "includes"), READS, ids=[f"{r[0]}-{r[2]}" for r in READS])
def test_read_answers_have_exactly_the_specs_fields_and_types(
    caller: Caller, endpoint, body, includes
) -> None:
    answer = caller.ok(endpoint, body(caller.sandbox))
    jsonschema.validate(answer, lenient(answer_schema(endpoint)))
    records = answer["data"] if isinstance(answer["data"], list) else [answer["data"]]
    assert records
    wanted = expected_keys(endpoint, includes)
    for record in records:
        assert set(record) == wanted, endpoint


def test_webhooks_list_matches_the_spec(caller: Caller) -> None:
    caller.ok("webhooks.register", {"url": "https://app.example.com/hook", "types": ["deal.won"]})
    answer = caller.ok("webhooks.list")
    jsonschema.validate(answer, lenient(answer_schema("webhooks.list")))
    assert set(answer["data"][0]) == set(record_properties("webhooks.list"))


@pytest.mark.parametrize(
    ("endpoint", "declared"),
    [
        ("contacts.add", contacts.ADD),
        ("contacts.update", contacts.UPDATE),
        ("companies.add", companies.ADD),
        ("companies.update", companies.UPDATE),
        ("deals.create", deals.CREATE),
        ("deals.update", deals.UPDATE),
    ],
)
def test_write_bodies_are_checked_as_the_spec_declares_them(endpoint, declared) -> None:
    schema = request_schema(endpoint)
    required = set(schema.get("required", []))
    from_spec = {}
    for name, prop in schema["properties"].items():
        prop = merged(prop)
        kind = prop.get("type") or "any"
        from_spec[name] = kind + ("!" if name in required else "") + ("?" if prop.get("nullable") else "")
    assert declared == from_spec


@pytest.mark.parametrize(
    ("endpoint", "body"),
    [
        ("contacts.add", {"last_name": "Peeters"}),
        ("companies.add", {"name": "Nieuwe Zaak BV"}),
    ],
)
def test_created_answers_match_the_spec_example(caller: Caller, endpoint, body) -> None:
    answer = caller.api(endpoint, body)
    assert answer.status == 201
    assert set(answer.json) == {"data"} and set(answer.json["data"]) == {"type", "id"}
    jsonschema.validate(answer.json, lenient(answer_schema(endpoint, "201")))
