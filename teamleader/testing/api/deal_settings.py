"""``dealPipelines.list``, ``dealPhases.list`` and ``lostReasons.list``: how deals can move."""

from __future__ import annotations

from typing import Any

from ..listing import list_answer, sort_records, with_ids
from ..store import Context, State
from ..validation import check_enum, check_fields, check_id_list, get_object

__all__ = ["ENDPOINTS"]

Record = dict[str, Any]


def _public(record: Record) -> Record:
    return {key: value for key, value in record.items() if not key.startswith("_")}


def deal_pipelines_list(state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
    check_fields(body, {"filter": "object", "page": "object"})
    filters = get_object(body, "filter")
    pipelines = list(state.pipelines.values())
    if "ids" in filters:
        pipelines = with_ids(pipelines, filters["ids"])
    if "status" in filters:
        for status in check_id_list(filters["status"], "filter.status"):
            check_enum(status, ("open", "pending_deletion"), "filter.status")
        pipelines = [p for p in pipelines if p["status"] in filters["status"]]
    return list_answer(
        pipelines,
        body,
        ctx,
        lambda p: {"id": p["id"], "name": p["name"]},
        extra_meta={"default": state.default_pipeline_id},
    )


def deal_phases_list(state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Phases in the order a deal goes through them, pipeline by pipeline."""
    check_fields(body, {"filter": "object", "page": "object"})
    filters = get_object(body, "filter")
    check_fields(filters, {"deal_pipeline_id": "string"}, "filter.")
    pipeline_order = list(state.pipelines)
    phases = sorted(
        state.phases.values(), key=lambda p: (pipeline_order.index(p["_pipeline_id"]), p["_order"])
    )
    if "ids" in filters:
        phases = with_ids(phases, filters["ids"])
    if "deal_pipeline_id" in filters:
        phases = [p for p in phases if p["_pipeline_id"] == filters["deal_pipeline_id"]]
    return list_answer(phases, body, ctx, _public)


def lost_reasons_list(state: State, body: dict[str, Any], ctx: Context) -> dict[str, Any]:
    check_fields(body, {"filter": "object", "page": "object", "sort": "array"})
    filters = get_object(body, "filter")
    reasons = list(state.lost_reasons.values())
    if "ids" in filters:
        reasons = with_ids(reasons, filters["ids"])
    reasons = sort_records(reasons, body, {"name": lambda r: r["name"].lower()}, default=("name", "asc"))
    return list_answer(reasons, body, ctx)


ENDPOINTS = {
    "dealPipelines.list": deal_pipelines_list,
    "dealPhases.list": deal_phases_list,
    "lostReasons.list": lost_reasons_list,
}
