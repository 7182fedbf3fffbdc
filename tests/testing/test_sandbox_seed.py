"""The seed: the same every time, plausible, and internally consistent."""

from __future__ import annotations

import re
import threading
from collections import Counter

from teamleader.testing import Sandbox
from teamleader.testing.seed import SEED_NOW
from teamleader.testing.timeutil import parse_datetime

from .conftest import Caller


def test_the_same_seed_gives_the_same_account() -> None:
    first, second = Sandbox(), Sandbox()
    assert first.state == second.state
    assert Sandbox(seed=7).state.contacts != first.state.contacts


def test_the_seed_has_dozens_of_records_and_deals_in_every_state(sandbox: Sandbox) -> None:
    state = sandbox.state
    assert len(state.contacts) >= 48 and len(state.companies) >= 20
    assert len(state.users) >= 4 and state.users[state.owner_id]["status"] == "active"
    statuses = Counter(d["status"] for d in state.deals.values())
    assert set(statuses) == {"new", "open", "won", "lost"}
    phases = {d["current_phase"]["id"] for d in state.deals.values()}
    assert len(phases) >= 4
    assert {d["estimated_value"]["currency"] for d in state.deals.values()} == {"EUR"}


def test_seeded_values_look_real(sandbox: Sandbox) -> None:
    for company in sandbox.state.companies.values():
        vat = company["vat_number"]
        if vat.startswith("BE"):
            digits = vat[2:]
            assert len(digits) == 10 and 97 - int(digits[:8]) % 97 == int(digits[8:]), vat
        assert re.fullmatch(r"info@[a-z0-9.-]+\.[a-z]{2}", company["emails"][0]["email"])
        assert company["telephones"][0]["number"].startswith("+")
    for contact in sandbox.state.contacts.values():
        assert re.fullmatch(r"[a-z]+\.[a-z]+@[a-z0-9.-]+\.[a-z]{2,3}", contact["emails"][0]["email"])
    names = [(c["first_name"], c["last_name"]) for c in sandbox.state.contacts.values()]
    assert len(names) == len(set(names))


def test_seeded_references_point_at_existing_records(sandbox: Sandbox) -> None:
    state = sandbox.state
    for deal in state.deals.values():
        customer = deal["lead"]["customer"]
        assert customer["id"] in (state.companies if customer["type"] == "company" else state.contacts)
        person = deal["lead"]["contact_person"]
        assert person is None or person["id"] in state.contacts
        phase = state.phases[deal["current_phase"]["id"]]
        assert phase["_pipeline_id"] == deal["pipeline"]["id"]
        assert deal["responsible_user"]["id"] in state.users
        assert (deal["closed_at"] is not None) == (deal["status"] in ("won", "lost"))
        assert (deal["lost_reason"] is not None) == (deal["status"] == "lost")
        assert parse_datetime(deal["created_at"]) < SEED_NOW and parse_datetime(deal["updated_at"]) < SEED_NOW
    for contact in state.contacts.values():
        assert all(link["company"]["id"] in state.companies for link in contact["companies"])


def test_concurrent_calls_share_one_consistent_rate_window() -> None:
    caller = Caller(Sandbox(rate_limit=50))
    statuses: list[int] = []
    lock = threading.Lock()

    def hammer() -> None:
        for _ in range(10):
            status = caller.api("contacts.list", {"page": {"size": 1}}).status
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=hammer) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(statuses) == {200: 50, 429: 50}
    assert caller.sandbox.stats["api_calls"] == 50
