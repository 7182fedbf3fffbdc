"""``deals.list``, ``.info``, ``.create``, ``.update``, ``.delete``, ``.move``, ``.win`` and ``.lose``."""

from __future__ import annotations

from typing import Any

from ..listing import includes, list_answer, parse_since, sort_records, with_ids
from ..store import Context, State
from ..timeutil import iso_date, iso_datetime, parse_datetime
from ..validation import check_enum, check_fields, check_id_list, get_object, require_id
from .common import Created, custom_fields_in, pick, ref, term_matches, touch
from .companies import CURRENCIES

__all__ = ["ENDPOINTS", "new_deal"]

Record = dict[str, Any]

LIST_FIELDS = (
    "id",
    "title",
    "summary",
    "reference",
    "status",
    "lead",
    "department",
    "estimated_value",
    "estimated_closing_date",
    "estimated_probability",
    "weighted_value",
    "purchase_order_number",
    "current_phase",
    "responsible_user",
    "closed_at",
    "source",
    "lost_reason",
    "created_at",
    "updated_at",
    "web_url",
    "currency_exchange_rate",
    "pipeline",
)
INFO_FIELDS = LIST_FIELDS[:16] + ("phase_history", "quotations") + LIST_FIELDS[16:] + ("custom_fields",)
_EDITABLE = {
    "lead": "object",
    "summary": "string?",
    "source_id": "string?",
    "department_id": "string?",
    "responsible_user_id": "string?",
    "estimated_value": "object",
    "estimated_probability": "number?",
    "estimated_closing_date": "string?",
    "custom_fields": "array",
    "currency": "object",
}
CREATE = {
    "title": "string!",
    "phase_id": "string",
    **{k: v.rstrip("?") for k, v in _EDITABLE.items()},
    "lead": "object!",
}
UPDATE = {"id": "string!", "title": "string", **_EDITABLE}


def new_deal(
    state: State,
    *,
    deal_id: str,
    now: float,
    user_id: str,
    title: str,
    customer: dict[str, str],
    phase: Record,
    contact_person_id: str | None = None,
    amount: float | None = None,
    currency: str = "EUR",
    closing_date: str | None = None,
    department_id: str | None = None,
    source_id: str | None = None,
    summary: str | None = None,
) -> Record:
    """Store and return a deal in its first state ("new"), as ``deals.create`` makes it."""
    state.deal_counter += 1
    stamp = iso_datetime(now)
    value = {"amount": float(amount or 0.0), "currency": currency}
    deal = {
        "id": deal_id,
        "title": title,
        "summary": summary,
        "reference": f"{stamp[:4]}/{state.deal_counter}",
        "status": "new",
        "lead": {"customer": dict(customer), "contact_person": ref("contact", contact_person_id)},
        "department": ref("department", department_id),
        "estimated_value": value,
        "estimated_closing_date": closing_date,
        "estimated_probability": phase["probability"],
        "weighted_value": {"amount": round(value["amount"] * phase["probability"], 2), "currency": currency},
        "purchase_order_number": None,
        "current_phase": ref("dealPhase", phase["id"]),
        "responsible_user": ref("user", user_id),
        "closed_at": None,
        "source": ref("dealSource", source_id),
        "phase_history": [
            {
                "phase": ref("dealPhase", phase["id"]),
                "started_at": stamp[:19].replace("T", " "),
                "started_by": ref("user", user_id),
            }
        ],
        "quotations": [],
        "lost_reason": None,
        "created_at": stamp,
        "updated_at": stamp,
        "web_url": f"https://focus.teamleader.eu/sale_detail.php?id={deal_id}",
        "custom_fields": [],
        "currency_exchange_rate": None,
        "pipeline": ref("dealPipeline", phase["_pipeline_id"]),
    }
    state.deals[deal_id] = deal
    return deal


def _reweigh(deal: Record) -> None:
    value, probability = deal["estimated_value"], deal["estimated_probability"] or 0.0
    amount = round(value["amount"] * probability, 2)
    deal["weighted_value"] = {"amount": amount, "currency": value["currency"]}


def _lead(state: State, lead: dict[str, Any]) -> tuple[dict[str, str], str | None]:
    customer = get_object(lead, "customer")
    check_fields(lead, {"customer": "object!", "contact_person_id": "string"}, "lead.")
    check_fields(customer, {"type": "string!", "id": "string!"}, "lead.customer.")
    check_enum(customer["type"], ("contact", "company"), "lead.customer.type")
    records = state.contacts if customer["type"] == "contact" else state.companies
    require_id(customer, records, customer["type"].capitalize())
    if lead.get("contact_person_id") is not None:
        require_id(lead, state.contacts, "Contact", field="contact_person_id")
    return {"type": customer["type"], "id": customer["id"]}, lead.get("contact_person_id")


def _apply(state: State, deal: Record, body: dict[str, Any]) -> None:
    if "lead" in body:
        customer, person = _lead(state, body["lead"])
        deal["lead"] = {"customer": customer, "contact_person": ref("contact", person)}
    if "estimated_value" in body:
        value = body["estimated_value"]
        check_fields(value, {"amount": "number!", "currency": "string!"}, "estimated_value.")
        check_enum(value["currency"], CURRENCIES, "estimated_value.currency")
        deal["estimated_value"] = {"amount": float(value["amount"]), "currency": value["currency"]}
    if body.get("responsible_user_id") is not None:
        require_id(body, state.users, "User", field="responsible_user_id")
    for field, kind in (
        ("responsible_user_id", "user"),
        ("source_id", "dealSource"),
        ("department_id", "department"),
    ):
        if field in body:
            deal[field.removesuffix("_id")] = ref(kind, body[field])
    for field in ("title", "summary", "estimated_probability", "estimated_closing_date"):
        if field in body:
            deal[field] = body[field]
    if "custom_fields" in body:
        deal["custom_fields"] = custom_fields_in(body["custom_fields"])
    _reweigh(deal)


def deals_create(state: State, body: dict[str, Any], ctx: Context) -> Created:
    check_fields(body, CREATE)
    if "phase_id" in body:
        phase = require_id(body, state.phases, "Deal phase", field="phase_id")
    else:
        phase = min(
            (p for p in state.phases.values() if p["_pipeline_id"] == state.default_pipeline_id),
            key=lambda p: p["_order"],
        )
    customer, person = _lead(state, body["lead"])
    deal = new_deal(
        state,
        deal_id=ctx.new_id(),
        now=ctx.now(),
        user_id=ctx.user_id,
        title=body["title"],
        customer=customer,
        contact_person_id=person,
        phase=phase,
    )
    _apply(state, deal, {k: v for k, v in body.items() if k != "lead"})
    ctx.emit("deal.created", "deal", deal["id"])
    return Created("deal", deal["id"])


def deals_update(state: State, body: dict[str, Any], ctx: Context) -> None:
    check_fields(body, UPDATE)
    deal = require_id(body, state.deals, "Deal")
    _apply(state, deal, body)
    touch(deal, ctx.now())
    ctx.emit("deal.updated", "deal", deal["id"])


def deals_move(state: State, body: dict[str, Any], ctx: Context) -> None:
    check_fields(body, {"id": "string!", "phase_id": "string!"})
    deal = require_id(body, state.deals, "Deal")
    phase = require_id(body, state.phases, "Deal phase", field="phase_id")
    deal["current_phase"] = ref("dealPhase", phase["id"])
    deal["pipeline"] = ref("dealPipeline", phase["_pipeline_id"])
    deal["estimated_probability"] = phase["probability"]
    deal["phase_history"].append(
        {
            "phase": ref("dealPhase", phase["id"]),
            "started_at": iso_datetime(ctx.now())[:19].replace("T", " "),
            "started_by": ref("user", ctx.user_id),
        }
    )
    if deal["status"] == "new":
        deal["status"] = "open"
    _reweigh(deal)
    touch(deal, ctx.now())
    ctx.emit("deal.moved", "deal", deal["id"])


def deals_win(state: State, body: dict[str, Any], ctx: Context) -> None:
    deal = require_id(body, state.deals, "Deal")
    deal.update(status="won", closed_at=iso_datetime(ctx.now()), lost_reason=None)
    touch(deal, ctx.now())
    ctx.emit("deal.won", "deal", deal["id"])


def deals_lose(state: State, body: dict[str, Any], ctx: Context) -> None:
    check_fields(body, {"id": "string!", "reason_id": "string", "extra_info": "string"})
    deal = require_id(body, state.deals, "Deal")
    if "reason_id" in body:
        require_id(body, state.lost_reasons, "Lost reason", field="reason_id")
    deal.update(
        status="lost",
        closed_at=iso_datetime(ctx.now()),
        lost_reason={"reason": ref("lostReason", body.get("reason_id")), "remark": body.get("extra_info")},
    )
    touch(deal, ctx.now())
    ctx.emit("deal.lost", "deal", deal["id"])


def deals_delete(state: State, body: dict[str, Any], ctx: Context) -> None:
    deal = require_id(body, state.deals, "Deal")
    del state.deals[deal["id"]]
    state.record_deletion("deals", deal["id"], iso_datetime(ctx.now()))
    ctx.emit("deal.deleted", "deal", deal["id"])


def deals_info(state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
    return {"data": pick(require_id(body, state.deals, "Deal"), INFO_FIELDS)}


def _customer_name(state: State, deal: Record) -> str:
    customer = deal["lead"]["customer"]
    if customer["type"] == "company":
        return (state.companies.get(customer["id"]) or {}).get("name") or ""
    person = state.contacts.get(customer["id"]) or {}
    return f"{person.get('first_name') or ''} {person.get('last_name') or ''}"


def _day(filters: dict[str, Any], name: str) -> str:
    return iso_date(parse_since(filters[name], f"filter.{name}"))


def _filtered(state: State, filters: dict[str, Any]) -> list[Record]:
    check_fields(
        filters,
        {
            "ids": "array",
            "term": "string",
            "customer": "object",
            "phase_id": "string",
            "estimated_closing_date": "string?",
            "estimated_closing_date_from": "string",
            "estimated_closing_date_until": "string",
            "updated_since": "string",
            "created_before": "string",
            "status": "array",
            "pipeline_ids": "array",
        },
        "filter.",
    )
    deals = list(state.deals.values())
    if "ids" in filters:
        deals = with_ids(deals, filters["ids"])
    if "term" in filters:
        deals = [
            d
            for d in deals
            if term_matches(filters["term"], [d["title"], d["reference"], _customer_name(state, d)])
        ]
    if "customer" in filters:
        check_fields(filters["customer"], {"type": "string!", "id": "string!"}, "filter.customer.")
        customer = {"type": filters["customer"]["type"], "id": filters["customer"]["id"]}
        deals = [d for d in deals if d["lead"]["customer"] == customer]
    if "phase_id" in filters:
        deals = [d for d in deals if d["current_phase"]["id"] == filters["phase_id"]]
    if "estimated_closing_date" in filters:
        deals = [d for d in deals if d["estimated_closing_date"] == filters["estimated_closing_date"]]
    if "estimated_closing_date_from" in filters:  # both bounds are inclusive
        start = _day(filters, "estimated_closing_date_from")
        deals = [d for d in deals if (d["estimated_closing_date"] or "") >= start]
    if "estimated_closing_date_until" in filters:
        end = _day(filters, "estimated_closing_date_until")
        deals = [d for d in deals if d["estimated_closing_date"] and d["estimated_closing_date"] <= end]
    if "responsible_user_id" in filters:
        users = filters["responsible_user_id"]
        users = [users] if isinstance(users, str) else check_id_list(users, "filter.responsible_user_id")
        deals = [d for d in deals if d["responsible_user"] and d["responsible_user"]["id"] in users]
    if "updated_since" in filters:
        since = parse_since(filters["updated_since"], "filter.updated_since")
        deals = [d for d in deals if parse_datetime(d["updated_at"]) >= since]
    if "created_before" in filters:
        before = parse_since(filters["created_before"], "filter.created_before")
        deals = [d for d in deals if parse_datetime(d["created_at"]) <= before]
    if "status" in filters:
        for status in check_id_list(filters["status"], "filter.status"):
            check_enum(status, ("open", "won", "lost"), "filter.status")
        wanted = {*filters["status"], *(("new",) if "open" in filters["status"] else ())}
        deals = [d for d in deals if d["status"] in wanted]
    if "pipeline_ids" in filters:
        pipelines = set(check_id_list(filters["pipeline_ids"], "filter.pipeline_ids"))
        deals = [d for d in deals if d["pipeline"]["id"] in pipelines]
    return deals


def deals_list(state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
    check_fields(body, {"filter": "object", "page": "object", "sort": "array", "includes": "string"})
    deals = sort_records(
        _filtered(state, get_object(body, "filter")),
        body,
        {
            "created_at": lambda d: d["created_at"],
            "weighted_value": lambda d: d["weighted_value"]["amount"],
        },
        default=("created_at", "desc"),
    )
    wanted = includes(body)

    def shape(deal: Record) -> Record:
        shaped = pick(deal, LIST_FIELDS)
        if "custom_fields" in wanted:
            shaped["custom_fields"] = deal["custom_fields"]
        return shaped

    return list_answer(deals, body, ctx, shape)


ENDPOINTS = {
    "deals.list": deals_list,
    "deals.info": deals_info,
    "deals.create": deals_create,
    "deals.update": deals_update,
    "deals.move": deals_move,
    "deals.win": deals_win,
    "deals.lose": deals_lose,
    "deals.delete": deals_delete,
}
