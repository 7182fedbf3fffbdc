"""All 290 operations against the spec: valid calls reach the sandbox and get conforming answers;
invalid variants are refused before anything is sent, and by the sandbox itself.

The oracle is the committed extract read by ``jsonschema`` (``spec_contract.py``), never the
project's own generated rules. Exceptions, where the spec contradicts itself, are listed in
``spec_contract``'s docstring and in :data:`AMBIGUOUS_ANSWERS` below.
"""

from __future__ import annotations

import pytest

from teamleader import (
    TeamleaderBadRequestError,
    TeamleaderValidationError,
)
from teamleader.testing import Sandbox
from teamleader.testing.api.from_spec import held

from ..endpoints.spec_values import (
    argument_name,
    minimal_value,
    operations,
    request_body,
    request_schema,
    resolve,
    response_schema,
    response_status,
)
from .spec_contract import errors, variants

OPERATIONS = operations()
#: Body keys that name a record the stateful sandbox checks: key -> the ``sandbox.state`` dict.
REFERENCES = {
    "company_id": "companies",
    "contact_id": "contacts",
    "contact_person_id": "contacts",
    "deal_id": "deals",
    "phase_id": "phases",
    "reason_id": "lost_reasons",
    "responsible_user_id": "users",
    "user_id": "users",
}
DRAFTS_ONLY = {"/invoices.book", "/invoices.delete"}
KINDS = {"company": "companies", "contact": "contacts", "deal": "deals", "user": "users"}


def point_at_sandbox(state, value):
    """``value`` with the spec's example ids replaced by ids of records the sandbox holds."""
    if isinstance(value, list):
        return [point_at_sandbox(state, item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {key: point_at_sandbox(state, item) for key, item in value.items()}
    for key, store in REFERENCES.items():
        if isinstance(out.get(key), str):
            out[key] = next(iter(getattr(state, store)))
    if out.get("type") in KINDS and isinstance(out.get("id"), str):
        out["id"] = next(iter(getattr(state, KINDS[out["type"]])))
    return out


def valid_body(sandbox: Sandbox, path: str) -> dict:
    """The spec's example (or smallest valid) body, its ids pointing at records the sandbox holds."""
    body = point_at_sandbox(sandbox.state, request_body(path))
    group = path.lstrip("/").rsplit(".", 1)[0]
    if isinstance(body.get("id"), str):
        # The first seeded invoice is booked; booking or deleting one needs the draft after it.
        body["id"] = held(sandbox.state, group)[-1 if path in DRAFTS_ONLY else 0]
    if group == "quotations" and isinstance(body.get("quotations"), list):
        body["quotations"] = held(sandbox.state, "quotations")[:1]
    if body.get("types") == [] and group == "webhooks":
        body["types"] = ["deal.won"]  # the spec sets no minimum; Teamleader refuses an empty list
    return body


def test_the_extract_has_every_operation():
    assert len(OPERATIONS) == 290


@pytest.mark.parametrize("path", OPERATIONS)
def test_a_valid_call_reaches_the_sandbox_and_the_answer_conforms(world, path):
    sandbox, rsps, client = world
    body = valid_body(sandbox, path)
    schema = request_schema(path)
    if schema is not None:
        assert errors(schema, body) == [], "the test's own body must be valid"

    resolve(client, path)(**{argument_name(key): value for key, value in body.items()})

    assert [call["endpoint"] for call in sandbox.calls] == [path.lstrip("/")]
    answer = rsps.calls[-1].response
    assert answer.status_code == response_status(path)
    spec = response_schema(path)
    if spec is None:
        assert answer.content == b"", path
    else:
        assert errors(spec, answer.json(), nulls=True) == [], path


@pytest.mark.parametrize("path", [p for p in OPERATIONS if request_schema(p) is not None])
def test_invalid_variants_are_refused_before_sending_and_by_the_sandbox(world, path):
    sandbox, rsps, client = world
    endpoint = path.lstrip("/")
    schema = request_schema(path)
    body = valid_body(sandbox, path)
    found = variants(schema, body, minimal_value)
    assert "unknown field" in found
    for kind, bad in found.items():
        assert errors(schema, bad), f"{kind}: the oracle must find this variant invalid: {bad}"
        with pytest.raises(TeamleaderValidationError) as refused:
            client.call(endpoint, bad)
        assert refused.value.endpoint == endpoint
        assert sandbox.calls == type(sandbox.calls)(), f"{kind}: nothing may be sent"
        client.validate_requests = False
        try:
            with pytest.raises(TeamleaderBadRequestError):
                client.call(endpoint, bad)  # the sandbox refuses it too, with Teamleader's error body
        finally:
            client.validate_requests = True
        sandbox.calls.clear()
