"""Changing a sandbox's account from a test: API handlers called as the owner, and bulk data.

Both go through the same handlers as HTTP calls, so records have exactly the API's
shapes; neither counts in ``stats`` or ``calls``. The caller holds the sandbox's lock.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, Mapping

from . import seed_data as data
from .api import ENDPOINTS
from .api.common import Created
from .store import Context
from .wire import ApiError

if TYPE_CHECKING:
    from .sandbox import Sandbox

__all__ = ["call_as_owner", "populate"]

DAY = 86400


def _context(sandbox: Sandbox, now: float | None = None) -> Context:
    clock = sandbox.clock if now is None else (lambda: now)
    return Context(
        now=clock,
        user_id=sandbox.state.owner_id,
        rng=sandbox.gateway.rng,
        max_page_size=sandbox.gateway.max_page_size,
    )


def _run(sandbox: Sandbox, endpoint: str, body: Mapping[str, Any], ctx: Context, notify: bool) -> Any:
    handler = ENDPOINTS.get(endpoint)
    if handler is None:
        raise ApiError(404, f"The endpoint {endpoint} does not exist")
    answer = handler(sandbox.state, dict(body), ctx)
    if notify:
        sandbox.gateway._record_events(ctx)
    if isinstance(answer, Created):
        return {"type": answer.type, "id": answer.id}
    return answer


def call_as_owner(sandbox: Sandbox, endpoint: str, body: Mapping[str, Any] | None = None) -> Any:
    """Answer ``endpoint`` as the account's owner; events are recorded and webhooks queued."""
    return _run(sandbox, endpoint, body or {}, _context(sandbox), notify=True)


def populate(
    sandbox: Sandbox,
    *,
    companies: int = 0,
    contacts: int = 0,
    deals: int = 0,
    days: float = 30,
    notify: bool = False,
) -> dict[str, list[str]]:
    """Add generated records, dated over the last ``days`` days; their ids by kind.

    Deterministic for a given seed and history. Deals go to existing (or new) companies
    and contacts, spread over the pipelines' phases, some won or lost. ``notify=True``
    records events (and sends webhooks) for every record, as a real import would.
    """
    rng = random.Random(sandbox.gateway.rng.getrandbits(64))
    now = sandbox.clock()
    moments = sorted(rng.uniform(now - days * DAY, now) for _ in range(companies + contacts + deals))
    when = iter(moments)
    made: dict[str, list[str]] = {"companies": [], "contacts": [], "deals": []}

    def add(endpoint: str, body: dict[str, Any]) -> str:
        answer = _run(sandbox, endpoint, body, _context(sandbox, next(when)), notify)
        return str(answer["id"])

    serial = len(sandbox.state.contacts) + len(sandbox.state.companies)
    for _ in range(companies):
        serial += 1
        name = f"{rng.choice(data.DEAL_TITLES)[0].split()[0]} {rng.choice(data.LAST_NAMES['nl'])} {serial} BV"
        body = {
            "name": name,
            "emails": [{"type": "primary", "email": f"info@company{serial}.example"}],
            "tags": rng.sample(data.TAGS, rng.randrange(3)),
        }
        made["companies"].append(add("companies.add", body))
    for _ in range(contacts):
        serial += 1
        language = rng.choice(("nl", "nl", "fr", "de", "en"))
        first = rng.choice(data.FIRST_NAMES[language])[0]
        last = rng.choice(data.LAST_NAMES[language])
        body = {
            "first_name": first,
            "last_name": last,
            "emails": [{"type": "primary", "email": f"{first}.{last}.{serial}@mail.example".lower()}],
            "telephones": [{"type": "mobile", "number": f"+32 47{rng.randrange(10)} {serial:06d}"}],
            "language": language,
            "tags": rng.sample(data.TAGS, rng.randrange(3)),
        }
        made["contacts"].append(add("contacts.add", body))
    if deals:
        _add_deals(sandbox, rng, deals, add, made)
    return made


def _add_deals(
    sandbox: Sandbox, rng: random.Random, count: int, add: Any, made: dict[str, list[str]]
) -> None:
    state = sandbox.state
    customers = [("company", c) for c in state.companies] + [("contact", c) for c in state.contacts]
    phases = list(state.phases)
    reasons = list(state.lost_reasons)
    for _ in range(count):
        kind, customer_id = rng.choice(customers)
        title, low, high = rng.choice(data.DEAL_TITLES)
        body = {
            "title": f"{title} #{len(state.deals) + 1}",
            "lead": {"customer": {"type": kind, "id": customer_id}},
            "phase_id": rng.choice(phases),
            "estimated_value": {"amount": float(rng.randrange(low, high, 250)), "currency": "EUR"},
        }
        deal_id = add("deals.create", body)
        made["deals"].append(deal_id)
        roll = rng.random()
        if roll < 0.2:
            state.deals[deal_id].update(status="won", closed_at=state.deals[deal_id]["updated_at"])
        elif roll < 0.35:
            state.deals[deal_id].update(
                status="lost",
                closed_at=state.deals[deal_id]["updated_at"],
                lost_reason={"reason": {"type": "lostReason", "id": rng.choice(reasons)}, "remark": None},
            )
