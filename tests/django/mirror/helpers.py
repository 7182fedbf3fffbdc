"""Comparing the mirror with the sandbox, record for record."""

from __future__ import annotations

import json
import time
from typing import Any, Callable

from teamleader.django.mirror.resources import BY_NAME
from teamleader.testing import Sandbox
from teamleader.testing.wire import api_error_reply


def sandbox_records(sandbox: Sandbox, name: str) -> dict[str, dict[str, Any]]:
    """Every record of a resource as the mirror's ``*.list`` request returns it, by id."""
    resource = BY_NAME[name]
    out: dict[str, dict[str, Any]] = {}
    page = 1
    while True:
        body = resource.body(page=page)
        answer = sandbox.api(resource.endpoint, body)
        for record in answer["data"]:
            out[record["id"]] = record
        if len(answer["data"]) < 100:
            return out
        page += 1


def mirror_records(name: str) -> dict[str, dict[str, Any]]:
    model = BY_NAME[name].model
    return {str(pk): data for pk, data in model.objects.values_list("pk", "data")}


def assert_mirror_equals_sandbox(
    sandbox: Sandbox, *names: str, still_there: dict[str, list[str]] | None = None
) -> None:
    """Every record equal, none missing, none extra (but the ``still_there`` ids, by resource)."""
    for name in names or tuple(BY_NAME):
        expected, actual = sandbox_records(sandbox, name), mirror_records(name)
        missing, extra = set(expected) - set(actual), set(actual) - set(expected)
        allowed = set((still_there or {}).get(name, ()))
        assert not missing and extra == allowed, f"{name}: {len(missing)} missing, {len(extra)} extra"
        differing = [i for i in expected if expected[i] != actual[i]]
        assert not differing, f"{name}: {len(differing)} records differ, e.g. {differing[0]}"


def list_calls(sandbox: Sandbox, name: str | None = None) -> list[dict[str, Any]]:
    """The ``*.list`` calls the sandbox answered (of one resource when named)."""
    endpoint = BY_NAME[name].endpoint if name else None
    return [c for c in sandbox.calls if c["endpoint"].endswith(".list") and endpoint in (None, c["endpoint"])]


def pages_of(sandbox: Sandbox, name: str) -> int:
    return -(-len(sandbox_records(sandbox, name)) // 100)


def serve_slowly(
    sandbox: Sandbox,
    *,
    after_each: Callable[[str], None] | None = None,
    refuse: Callable[[str, dict[str, Any]], int | None] | None = None,
    delay: float = 0.0,
) -> None:
    """Wrap the sandbox's front door: refuse calls, act after each one, or answer slowly.

    ``refuse(endpoint, body)`` returns a status to answer instead (Teamleader's error body);
    ``after_each(endpoint)`` runs once the answer is ready, before it is sent.
    """
    original = Sandbox.handle.__get__(sandbox)

    def handle(method, path, query=None, headers=None, body=b""):
        endpoint = path.lstrip("/")
        if refuse is not None and endpoint.endswith(".list"):
            status = refuse(endpoint, json.loads(body or b"{}"))
            if status:
                return api_error_reply(status, "Injected failure").as_tuple()
        answer = original(method, path, query, headers, body)
        if after_each is not None:
            after_each(endpoint)
        if delay:
            time.sleep(delay)
        return answer

    sandbox.handle = handle  # type: ignore[method-assign]


def change_the_account(sandbox: Sandbox) -> dict[str, Any]:
    """Additions, changes and deletions of every kind, as Teamleader's users make them."""
    sandbox.advance(5)  # later than anything the last sync saw
    contacts = list(sandbox.state.contacts)
    companies = list(sandbox.state.companies)
    deals = list(sandbox.state.deals)
    phases = list(sandbox.state.phases)
    added = sandbox.populate(companies=3, contacts=40, deals=10, days=0.0001, notify=True)
    updated_contacts = contacts[10:60:5]
    for contact_id in updated_contacts:
        sandbox.api("contacts.update", {"id": contact_id, "website": "https://changed.example"})
    for company_id in companies[5:8]:
        sandbox.api("companies.update", {"id": company_id, "vat_number": "BE0123456749"})
    for deal_id in deals[3:6]:
        sandbox.api("deals.move", {"id": deal_id, "phase_id": phases[-1]})
    sandbox.api("deals.win", {"id": deals[7]})
    deleted = {"contacts": contacts[100:103], "companies": companies[20:21], "deals": deals[30:32]}
    for name, ids in deleted.items():
        for record_id in ids:
            sandbox.api(f"{name}.delete", {"id": record_id})
    return {"contacts_added": added["contacts"], "contacts_updated": updated_contacts, "deleted": deleted}
