"""What a mirror needs from the sandbox: deltas, id batches, deletions, changes from tests, webhooks."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from teamleader.testing import Sandbox
from teamleader.testing.timeutil import iso_datetime
from teamleader.testing.wire import ApiError

LISTS = ("contacts.list", "companies.list", "deals.list")


def everything(caller, endpoint, **body):
    return caller.ok(endpoint, {"page": {"size": 100}, **body})["data"]


@pytest.mark.parametrize("endpoint", LISTS)
def test_updated_since_is_inclusive(caller, clock, endpoint):
    records = everything(caller, endpoint)
    stamps = sorted(r["updated_at"] for r in records)
    middle = stamps[len(stamps) // 2]
    since = everything(caller, endpoint, filter={"updated_since": middle})
    assert sorted(r["updated_at"] for r in since) == [s for s in stamps if s >= middle]


@pytest.mark.parametrize("endpoint", LISTS)
def test_ids_filter_with_the_other_filters(caller, endpoint):
    records = everything(caller, endpoint)
    wanted = [records[3]["id"], records[1]["id"], "00000000-0000-4000-8000-000000000000"]
    found = everything(caller, endpoint, filter={"ids": wanted})
    assert sorted(r["id"] for r in found) == sorted(wanted[:2])
    late = max(records[1]["updated_at"], records[3]["updated_at"])
    both = everything(caller, endpoint, filter={"ids": wanted, "updated_since": late})
    assert {r["id"] for r in both} <= set(wanted[:2]) and both
    assert caller.api(endpoint, {"filter": {"ids": "not-a-list"}}).status == 400


@pytest.mark.parametrize("endpoint", ["contacts.list", "companies.list"])
def test_sorted_by_updated_at_newest_first(caller, endpoint):
    records = everything(caller, endpoint, sort=[{"field": "updated_at", "order": "desc"}])
    stamps = [r["updated_at"] for r in records]
    assert stamps == sorted(stamps, reverse=True)


def test_deals_are_newest_created_first_by_default(caller):
    stamps = [d["created_at"] for d in everything(caller, "deals.list")]
    assert stamps == sorted(stamps, reverse=True)


@pytest.mark.parametrize("kind", ["contacts", "companies", "deals"])
def test_deletions_are_recorded(caller, clock, kind):
    record_id = next(iter(getattr(caller.sandbox.state, kind)))
    assert caller.api(f"{kind}.delete", {"id": record_id}).status == 204
    assert caller.sandbox.state.deleted == {kind: {record_id: iso_datetime(clock.now)}}


def test_api_changes_the_account_as_the_owner_without_counting(sandbox):
    deal_id = next(d for d, deal in sandbox.state.deals.items() if deal["status"] == "open")
    assert sandbox.api("deals.win", {"id": deal_id}) is None
    assert sandbox.state.deals[deal_id]["status"] == "won"
    created = sandbox.api("contacts.add", {"last_name": "Peeters"})
    assert created["type"] == "contact" and sandbox.state.contacts[created["id"]]["last_name"] == "Peeters"
    assert [e["type"] for e in sandbox.events] == ["deal.won", "contact.added"]
    assert sandbox.stats["api_calls"] == 0 and list(sandbox.calls) == []
    with pytest.raises(ApiError, match="last_name is required"):
        sandbox.api("contacts.add", {})
    with pytest.raises(ApiError, match="does not exist"):
        sandbox.api("contacts.create", {"last_name": "x"})


def test_populate_is_deterministic_and_shaped_like_the_api(clock):
    first, second = Sandbox(clock=clock), Sandbox(clock=clock)
    made = first.populate(companies=5, contacts=50, deals=20)
    assert made == second.populate(companies=5, contacts=50, deals=20)
    assert first.state.contacts == second.state.contacts and first.state.deals == second.state.deals
    assert {len(v) for v in made.values()} == {5, 50, 20}
    seeded = next(iter(first.state.contacts.values()))
    generated = first.state.contacts[made["contacts"][0]]
    assert generated.keys() == seeded.keys()
    assert first.events == []  # a quiet import unless notify=True
    first.populate(contacts=2, notify=True)
    assert [e["type"] for e in first.events] == ["contact.added", "contact.added"]


class Receiver:
    """A site that receives webhooks on 127.0.0.1; ``on_post`` runs inside the request."""

    def __init__(self, on_post=None):
        self.payloads: list[dict] = []
        self.on_post = on_post
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.payloads.append(json.loads(body))
                if receiver.on_post:
                    receiver.on_post()
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/teamleader/webhook/s3cret/"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def served():
    sandbox = Sandbox(rate_limit=None)
    server = sandbox.serve()
    token = sandbox.issue_token()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"

    def call(endpoint, body):
        answer = session.post(f"{server.url}/{endpoint}", json=body, timeout=10)
        assert answer.status_code in (200, 201, 204), answer.text
        return answer.json() if answer.content else None

    yield sandbox, call
    server.stop()
    session.close()


def test_changes_are_posted_to_the_registered_urls(served):
    sandbox, call = served
    # The receiver calls the sandbox back while handling the POST: that only works when
    # deliveries leave without the sandbox's lock held.
    receiver = Receiver(on_post=lambda: call("deals.list", {"page": {"size": 1}}))
    try:
        call("webhooks.register", {"url": receiver.url, "types": ["deal.won", "contact.deleted"]})
        deal_id = next(d for d, deal in sandbox.state.deals.items() if deal["status"] == "open")
        call("deals.win", {"id": deal_id})
        call("deals.update", {"id": deal_id, "summary": "not subscribed"})
        contact_id = next(iter(sandbox.state.contacts))
        sandbox.api("contacts.delete", {"id": contact_id})  # a helper's change is delivered too
        assert sandbox.wait_for_webhooks(timeout=10)
    finally:
        receiver.close()
    account = {"type": "account", "id": sandbox.state.account["id"]}
    assert receiver.payloads == [
        {"type": "deal.won", "subject": {"type": "deal", "id": deal_id}, "account": account},
        {"type": "contact.deleted", "subject": {"type": "contact", "id": contact_id}, "account": account},
    ]
    assert [(d["url"], d["status"], d["error"]) for d in sandbox.webhook_deliveries] == [
        (receiver.url, 204, None)
    ] * 2


def test_a_site_that_is_down_is_recorded_not_raised(served, caplog):
    sandbox, call = served
    dead = Receiver()
    dead.close()
    call("webhooks.register", {"url": dead.url, "types": ["contact.added"]})
    call("contacts.add", {"last_name": "Nobody listens"})
    assert sandbox.wait_for_webhooks(timeout=10)
    (delivery,) = sandbox.webhook_deliveries
    assert delivery["status"] is None and "ConnectionError" in delivery["error"]
    assert "s3cret" not in caplog.text


def test_the_responses_face_delivers_through_a_transport_hook(teamleader_sandbox):
    received = []
    teamleader_sandbox.webhook_delivery.transport = lambda url, payload: (
        received.append((url, payload)) or 202
    )
    teamleader_sandbox.api(
        "webhooks.register", {"url": "https://crm.example.com/hook/", "types": ["company.added"]}
    )
    company = teamleader_sandbox.api("companies.add", {"name": "Hooked BV"})
    assert teamleader_sandbox.wait_for_webhooks()
    assert received == [("https://crm.example.com/hook/", teamleader_sandbox.events[-1])]
    assert received[0][1]["subject"]["id"] == company["id"]
    assert teamleader_sandbox.webhook_deliveries[0]["status"] == 202
