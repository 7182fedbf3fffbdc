"""Projects (the new module), tasks, calendar events and notes, kept as records."""

from __future__ import annotations

from typing import Any

from ..store import Context, State
from ..timeutil import iso_datetime
from ..validation import check_enum
from .common import ref
from .records import Kind, before, equals, since

__all__ = ["ENDPOINTS"]

PROJECT_STATUSES = ("open", "planned", "running", "overdue", "over_budget", "closed")


def _project_status(record: dict[str, Any], value: Any) -> bool:
    check_enum(value, PROJECT_STATUSES, "filter.status")
    return record["status"] == value


PROJECTS = Kind(
    "projects-v2/projects",
    "nextgenProject",
    fields=(
        "title",
        "description",
        "billing_method",
        "start_date",
        "end_date",
        "purchase_order_number",
        "color",
    ),
    filters={
        "status": _project_status,
        "deal_ids": lambda r, ids: any(d.get("id") in ids for d in r.get("deals") or []),
        "quotation_ids": lambda r, ids: any(q.get("id") in ids for q in r.get("quotations") or []),
    },
    terms=("title", "description"),
    seeds=[
        {"title": "Website relaunch", "billing_method": "time_and_materials", "start_date": "2025-04-01"},
        {"title": "Intranet migration", "billing_method": "fixed_price", "start_date": "2025-05-12"},
    ],
)
TASKS = Kind(
    "tasks",
    "task",
    fields=("title", "description", "due_on", "estimated_duration", "assignee", "customer"),
    refs={
        "work_type_id": ("work_type", "workType"),
        "milestone_id": ("milestone", "milestone"),
        "project_id": ("project", "project"),
        "deal_id": ("deal", "deal"),
        "ticket_id": ("ticket", "ticket"),
    },
    filters={
        "completed": equals("completed"),
        "milestone_id": equals("milestone.id"),
        "user_id": equals("assignee.id"),
        "due_by": lambda r, day: bool(r["due_on"]) and r["due_on"] <= day,
        "due_from": lambda r, day: bool(r["due_on"]) and r["due_on"] >= day,
        "customer": lambda r, v: (r.get("customer") or {}).get("id") == v.get("id"),
    },
    terms=("title", "description"),
    sorts={"name": lambda r: str(r["title"]).lower()},
    seeds=[
        {"title": "Send the kick-off agenda", "due_on": "2025-06-03"},
        {"title": "Review the wireframes", "due_on": "2025-06-10"},
        {"title": "Renew the SSL certificate", "due_on": "2025-06-30"},
    ],
)
EVENTS = Kind(
    "events",
    "event",
    fields=("title", "description", "starts_at", "ends_at", "location"),
    refs={"activity_type_id": ("activity_type", "activityType")},
    filters={
        "activity_type_id": equals("activity_type.id"),
        "ends_after": since("ends_at"),
        "starts_before": before("starts_at"),
    },
    terms=("title", "description"),
    seeds=[
        {
            "title": "Kick-off",
            "starts_at": "2025-06-03T09:00:00+00:00",
            "ends_at": "2025-06-03T10:00:00+00:00",
        },
        {
            "title": "Design review",
            "starts_at": "2025-06-11T14:00:00+00:00",
            "ends_at": "2025-06-11T15:30:00+00:00",
        },
    ],
)
NOTES = Kind(
    "notes",
    "note",
    fields=("content", "subject"),
    filters={"subject": lambda r, v: r["subject"]["id"] == v["id"] and r["subject"]["type"] == v["type"]},
    seeds=[{"content": "Called about the renewal; call back in June."}],
)


def _complete(state: State, body: dict[str, Any], ctx: Context) -> None:
    record = TASKS.get(state, body)
    record.update(completed=True, completed_at=iso_datetime(ctx.now()))
    TASKS.touch(record, ctx, "completed")


def _close(state: State, body: dict[str, Any], ctx: Context) -> None:
    record = PROJECTS.get(state, body)
    record["status"] = "closed"
    PROJECTS.touch(record, ctx, "closed")


def _add(field: str, key: str, kind: str) -> Any:
    """``addOwner``-like actions: add a reference to a list field of the project."""

    def handle(state: State, body: dict[str, Any], ctx: Context) -> None:
        record = PROJECTS.get(state, body)
        value = body[key] if isinstance(body[key], dict) else ref(kind, body[key])
        if value not in record[field]:
            record[field].append(value)
        PROJECTS.touch(record, ctx)

    return handle


ENDPOINTS = {
    **PROJECTS.endpoints(
        "create",
        close=_close,
        reopen=PROJECTS.setter(None, status="open"),
        addDeal=_add("deals", "deal_id", "deal"),
        addQuotation=_add("quotations", "quotation_id", "quotation"),
        addCustomer=_add("customers", "customer", "customer"),
    ),
    **TASKS.endpoints(
        "create", complete=_complete, reopen=TASKS.setter(None, completed=False, completed_at=None)
    ),
    **EVENTS.endpoints("create", cancel=EVENTS.delete),
    **NOTES.endpoints("create"),
}
