"""The sandbox's API: authentication, error bodies, and the resources the client models."""

from __future__ import annotations

import pytest

from teamleader.testing import Sandbox

from .conftest import Caller


def error(answer) -> tuple[int, list[dict]]:
    """An error answer as ``(status, errors)``, checking Teamleader's body shape."""
    body = answer.json
    assert set(body) == {"errors"}
    assert all(
        isinstance(e["title"], str) and e["title"] and e["status"] == answer.status for e in body["errors"]
    )
    return answer.status, body["errors"]


# -- authentication and errors -------------------------------------------------------------
def test_missing_and_unknown_tokens_are_401_with_the_error_body(caller: Caller) -> None:
    missing = caller.sandbox.handle("POST", "/users.me", "", {"Content-Type": "application/json"}, b"{}")
    assert missing[0] == 401
    assert missing[2] == b'{"errors": [{"title": "Access token is missing", "status": 401}]}'
    assert error(caller.api("users.me", token="forged"))[0] == 401
    assert caller.sandbox.stats["unauthorized_calls"] == 2
    assert caller.sandbox.stats["api_calls"] == 0


def test_unknown_endpoint_is_404(caller: Caller) -> None:
    status, errors = error(caller.api("deals.add", {}))  # the real name is deals.create
    assert status == 404 and "deals.add" in errors[0]["title"]


def test_unknown_id_is_404(caller: Caller) -> None:
    for endpoint in ("contacts.info", "companies.info", "deals.info", "users.info", "deals.win"):
        assert error(caller.api(endpoint, {"id": "00000000-0000-4000-8000-000000000000"}))[0] == 404


@pytest.mark.parametrize(
    ("endpoint", "body", "needle"),
    [
        ("contacts.add", {"first_name": "Ann"}, "last_name"),
        ("contacts.add", {"last_name": 42}, "last_name"),
        (
            "contacts.add",
            {"last_name": "X", "emails": [{"type": "work", "email": "a@b.be"}]},
            "emails[0].type",
        ),
        ("companies.add", {}, "name"),
        ("deals.create", {"title": "T"}, "lead"),
        (
            "deals.create",
            {"title": "T", "lead": {"customer": {"type": "person", "id": "x"}}},
            "customer.type",
        ),
        ("contacts.info", {}, "id"),
        ("contacts.info", {"id": 7}, "id"),
        ("contacts.list", {"filter": "abc"}, "filter"),
        ("contacts.list", {"sort": [{"field": "shoe_size"}]}, "sort[0].field"),
        ("deals.list", {"filter": {"status": ["maybe"]}}, "filter.status"),
        ("webhooks.register", {"url": "https://x.test/hook", "types": ["deal.exploded"]}, "types"),
    ],
)
def test_bad_bodies_are_400_naming_the_field(caller: Caller, endpoint, body, needle) -> None:
    status, errors = error(caller.api(endpoint, body))
    assert status == 400
    assert needle in errors[0]["title"]


def test_a_body_that_is_not_a_json_object_is_400(caller: Caller) -> None:
    headers = {"Authorization": f"Bearer {caller.access_token}", "Content-Type": "application/json"}
    for payload in (b"{not json", b"[1, 2]"):
        status, _, body = caller.sandbox.handle("POST", "/contacts.list", "", headers, payload)
        assert status == 400 and b'"errors"' in body


def test_an_empty_body_counts_as_an_empty_object(caller: Caller) -> None:
    assert caller.api("contacts.list").status == 200


def test_get_is_refused(caller: Caller) -> None:
    assert error(caller.api("contacts.list", method="GET"))[0] == 405


# -- users ------------------------------------------------------------------------------
def test_users_me_is_the_account_owner(caller: Caller, sandbox: Sandbox) -> None:
    me = caller.ok("users.me")["data"]
    assert me == sandbox.me
    assert (me["first_name"], me["last_name"]) == ("Sofie", "Peeters")
    assert me["account"]["type"] == "account" and me["email"].endswith("@zonnebloem.be")


def test_users_list_filters_and_info_includes(caller: Caller) -> None:
    users = caller.ok("users.list")["data"]
    assert len(users) == 5
    active = caller.ok("users.list", {"filter": {"status": ["active"]}})["data"]
    assert len(active) == 4
    by_name = caller.ok("users.list", {"sort": [{"field": "first_name", "order": "desc"}]})["data"]
    assert [u["first_name"] for u in by_name] == sorted((u["first_name"] for u in users), reverse=True)
    info = caller.ok("users.info", {"id": users[1]["id"]})["data"]
    assert "external_rate" not in info
    rated = caller.ok("users.info", {"id": users[1]["id"], "includes": "external_rate"})["data"]
    assert rated["external_rate"]["currency"] == "EUR"


# -- contacts -----------------------------------------------------------------------------
def test_contact_lifecycle(caller: Caller, clock) -> None:
    created = caller.api(
        "contacts.add",
        {
            "first_name": "Marie",
            "last_name": "Claessens",
            "emails": [{"type": "primary", "email": "marie@x.be"}],
            "telephones": [{"type": "mobile", "number": "+32 470 12 34 56"}],
            "tags": ["expo"],
            "addresses": [
                {
                    "type": "primary",
                    "address": {
                        "line_1": "Veldstraat 1",
                        "postal_code": "9000",
                        "city": "Gent",
                        "country": "BE",
                    },
                }
            ],
        },
    )
    assert created.status == 201
    assert created.json["data"]["type"] == "contact"
    contact_id = created.json["data"]["id"]

    info = caller.ok("contacts.info", {"id": contact_id})["data"]
    assert info["last_name"] == "Claessens" and info["tags"] == ["expo"]
    assert info["addresses"][0]["address"]["city"] == "Gent"
    assert info["added_at"] == info["updated_at"]

    clock.tick(90)
    updated = caller.api("contacts.update", {"id": contact_id, "last_name": "Claes", "website": None})
    assert (updated.status, updated.body) == (204, b"")
    info = caller.ok("contacts.info", {"id": contact_id})["data"]
    assert info["last_name"] == "Claes" and info["updated_at"] > info["added_at"]

    listed = caller.ok("contacts.list", {"filter": {"ids": [contact_id]}})["data"][0]
    assert listed["primary_address"]["city"] == "Gent" and "addresses" not in listed

    assert caller.api("contacts.delete", {"id": contact_id}).status == 204
    assert caller.api("contacts.info", {"id": contact_id}).status == 404
    assert [e["type"] for e in caller.sandbox.events] == [
        "contact.added",
        "contact.updated",
        "contact.deleted",
    ]


def test_contact_filters(caller: Caller, sandbox: Sandbox) -> None:
    company = next(iter(sandbox.state.companies.values()))
    people = caller.ok("contacts.list", {"filter": {"company_id": company["id"]}, "page": {"size": 100}})[
        "data"
    ]
    assert people and all(
        any(link["company"]["id"] == company["id"] for link in sandbox.state.contacts[p["id"]]["companies"])
        for p in people
    )
    one = people[0]
    by_email = caller.ok(
        "contacts.list",
        {"filter": {"email": {"type": "primary", "email": one["emails"][0]["email"].upper()}}},
    )
    assert [c["id"] for c in by_email["data"]] == [one["id"]]
    by_term = caller.ok(
        "contacts.list", {"filter": {"term": one["last_name"][:4].lower()}, "page": {"size": 100}}
    )
    assert one["id"] in [c["id"] for c in by_term["data"]]
    deactivated = caller.ok("contacts.list", {"filter": {"status": "deactivated"}})["data"]
    assert all(c["status"] == "deactivated" for c in deactivated)
    tagged = caller.ok("contacts.list", {"filter": {"tags": ["prospect", "expo"]}, "page": {"size": 100}})[
        "data"
    ]
    assert all({"prospect", "expo"} <= set(c["tags"]) for c in tagged)
    recent = caller.ok(
        "contacts.list", {"filter": {"updated_since": "2025-05-01T00:00:00+00:00"}, "page": {"size": 100}}
    )["data"]
    assert recent and all(c["updated_at"] >= "2025-05-01" for c in recent)


def test_contacts_sort_by_name_both_ways(caller: Caller) -> None:
    body = {"sort": [{"field": "name"}], "page": {"size": 100}}
    names = [(c["last_name"], c["first_name"]) for c in caller.ok("contacts.list", body)["data"]]
    assert names == sorted(names, key=lambda n: (n[0].lower(), n[1].lower()))
    body["sort"] = [{"field": "name", "order": "desc"}]
    assert [(c["last_name"], c["first_name"]) for c in caller.ok("contacts.list", body)["data"]] == names[
        ::-1
    ]


# -- companies ----------------------------------------------------------------------------
def test_company_lifecycle_and_related_contacts(caller: Caller, sandbox: Sandbox) -> None:
    created = caller.api(
        "companies.add",
        {
            "name": "Kaasmakerij Het Pajottenland BV",
            "vat_number": "BE0412345678",
            "responsible_user_id": sandbox.me["id"],
        },
    )
    assert created.status == 201 and created.json["data"]["type"] == "company"
    company_id = created.json["data"]["id"]
    assert caller.api("companies.update", {"id": company_id, "name": "Kaasmakerij Pajot BV"}).status == 204
    assert caller.ok("companies.info", {"id": company_id})["data"]["name"] == "Kaasmakerij Pajot BV"
    found = caller.ok("companies.list", {"filter": {"term": "0412345678"}})["data"]
    assert [c["id"] for c in found] == [company_id]
    assert caller.api("companies.add", {"name": "X", "responsible_user_id": "nobody"}).status == 404

    seeded = next(iter(sandbox.state.companies.values()))
    info = caller.ok("companies.info", {"id": seeded["id"], "includes": "related_contacts"})["data"]
    assert info["related_contacts"] and all(r["type"] == "contact" for r in info["related_contacts"])
    assert caller.api("companies.delete", {"id": company_id}).status == 204
    assert caller.api("companies.info", {"id": company_id}).status == 404


# -- deals -------------------------------------------------------------------------------
def test_deal_create_move_win_lose(caller: Caller, sandbox: Sandbox) -> None:
    company = next(c for c in sandbox.state.companies.values() if c["status"] == "active")
    phases = caller.ok("dealPhases.list", {"filter": {"deal_pipeline_id": sandbox.state.default_pipeline_id}})
    phase_ids = [p["id"] for p in phases["data"]]
    created = caller.api(
        "deals.create",
        {
            "title": "Nieuwe website",
            "lead": {"customer": {"type": "company", "id": company["id"]}},
            "estimated_value": {"amount": 12000, "currency": "EUR"},
        },
    )
    assert created.status == 201 and created.json["data"]["type"] == "deal"
    deal_id = created.json["data"]["id"]
    deal = caller.ok("deals.info", {"id": deal_id})["data"]
    assert deal["status"] == "new" and deal["current_phase"]["id"] == phase_ids[0]
    assert deal["responsible_user"]["id"] == sandbox.me["id"]
    assert deal["weighted_value"]["amount"] == pytest.approx(12000 * 0.1)

    assert caller.api("deals.move", {"id": deal_id, "phase_id": phase_ids[2]}).status == 204
    deal = caller.ok("deals.info", {"id": deal_id})["data"]
    assert deal["status"] == "open" and deal["current_phase"]["id"] == phase_ids[2]
    assert [h["phase"]["id"] for h in deal["phase_history"]] == [phase_ids[0], phase_ids[2]]
    assert caller.api("deals.move", {"id": deal_id, "phase_id": "nope"}).status == 404

    assert caller.api("deals.win", {"id": deal_id}).status == 204
    deal = caller.ok("deals.info", {"id": deal_id})["data"]
    assert deal["status"] == "won" and deal["closed_at"]

    reason = caller.ok("lostReasons.list")["data"][0]
    assert (
        caller.api(
            "deals.lose", {"id": deal_id, "reason_id": reason["id"], "extra_info": "Budget cut"}
        ).status
        == 204
    )
    deal = caller.ok("deals.info", {"id": deal_id})["data"]
    assert deal["status"] == "lost"
    assert deal["lost_reason"] == {
        "reason": {"type": "lostReason", "id": reason["id"]},
        "remark": "Budget cut",
    }
    assert [e["type"] for e in sandbox.events] == ["deal.created", "deal.moved", "deal.won", "deal.lost"]
    assert sandbox.events[-1]["subject"] == {"type": "deal", "id": deal_id}

    assert caller.api("deals.delete", {"id": deal_id}).status == 204
    assert caller.api("deals.info", {"id": deal_id}).status == 404


def test_deal_filters_and_sorting(caller: Caller, sandbox: Sandbox) -> None:
    everything = caller.ok("deals.list", {"page": {"size": 100}})["data"]
    assert len(everything) == len(sandbox.state.deals)
    assert [d["created_at"] for d in everything] == sorted(
        (d["created_at"] for d in everything), reverse=True
    )
    won = caller.ok("deals.list", {"filter": {"status": ["won"]}, "page": {"size": 100}})["data"]
    assert won and all(d["status"] == "won" for d in won)
    open_ = caller.ok("deals.list", {"filter": {"status": ["open"]}, "page": {"size": 100}})["data"]
    assert {d["status"] for d in open_} == {"new", "open"}
    sample = everything[0]
    for filters in (
        {"phase_id": sample["current_phase"]["id"]},
        {"customer": sample["lead"]["customer"]},
        {"pipeline_ids": [sample["pipeline"]["id"]]},
        {"responsible_user_id": sample["responsible_user"]["id"]},
    ):
        ids = [d["id"] for d in caller.ok("deals.list", {"filter": filters, "page": {"size": 100}})["data"]]
        assert sample["id"] in ids and len(ids) < len(everything)
    by_value = caller.ok(
        "deals.list", {"sort": [{"field": "weighted_value", "order": "asc"}], "page": {"size": 100}}
    )["data"]
    values = [d["weighted_value"]["amount"] for d in by_value]
    assert values == sorted(values)


def test_pipelines_and_lost_reasons(caller: Caller, sandbox: Sandbox) -> None:
    pipelines = caller.ok("dealPipelines.list")
    assert pipelines["meta"] == {"default": sandbox.state.default_pipeline_id}
    assert [p["name"] for p in pipelines["data"]] == ["Sales", "Partnerships"]
    names = [r["name"] for r in caller.ok("lostReasons.list")["data"]]
    assert names == sorted(names) and "Too expensive" in names


# -- webhooks ---------------------------------------------------------------------------
def test_webhooks_register_list_unregister(caller: Caller) -> None:
    hook = {"url": "https://app.example.com/hooks/teamleader", "types": ["deal.won", "contact.added"]}
    assert caller.api("webhooks.register", hook).status == 204
    assert (
        caller.api("webhooks.register", {"url": "https://a.example.com/h", "types": ["deal.lost"]}).status
        == 204
    )
    listed = caller.ok("webhooks.list")["data"]
    assert [w["url"] for w in listed] == ["https://a.example.com/h", hook["url"]]
    assert listed[1]["types"] == ["deal.won", "contact.added"]
    assert caller.api("webhooks.unregister", {"url": hook["url"], "types": ["deal.won"]}).status == 204
    assert caller.ok("webhooks.list")["data"][1]["types"] == ["contact.added"]
    caller.api("webhooks.unregister", {"url": hook["url"], "types": ["contact.added"]})
    assert [w["url"] for w in caller.ok("webhooks.list")["data"]] == ["https://a.example.com/h"]


def test_calls_are_recorded_for_assertions(caller: Caller) -> None:
    caller.api("contacts.list", {"filter": {"term": "Peeters"}})
    assert caller.sandbox.calls[-1] == {"endpoint": "contacts.list", "body": {"filter": {"term": "Peeters"}}}
