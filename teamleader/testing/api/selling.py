"""Invoices and quotations, kept as records, with the actions that move them along."""

from __future__ import annotations

from typing import Any

from ..store import Context, State
from ..validation import check_enum
from ..wire import ApiError
from .common import Created
from .records import Kind, equals, since

__all__ = ["ENDPOINTS"]


def _status(record: dict[str, Any], wanted: list[str]) -> bool:
    for status in wanted:
        check_enum(status, ("draft", "outstanding", "matched"), "filter.status")
    return record["status"] in wanted


class Invoices(Kind):
    """``invoices.draft`` makes a draft; ``book`` numbers it; payments match it."""

    def new(self, record_id: str, body: Any, now: float) -> dict[str, Any]:
        record = super().new(record_id, body, now)
        record.update(status="draft", invoice_number=None, paid=False, paid_at=None, sent=False, payments=[])
        if body.get("invoice_number"):  # a seeded invoice that was booked already
            record.update(status="outstanding", invoice_number=body["invoice_number"])
        return record

    def apply(self, record: dict[str, Any], body: Any) -> None:
        super().apply(record, body)
        customer = (body.get("invoicee") or {}).get("customer")
        if customer:
            record["invoicee"]["customer"] = {"type": customer["type"], "id": customer["id"]}

    def book(self, state: State, body: dict[str, Any], ctx: Context) -> None:
        record = self.get(state, body)
        if record["status"] != "draft":
            raise ApiError(400, "Only a draft invoice can be booked")
        booked = [r for r in self.records(state).values() if r["invoice_number"]]  # numbered per account
        record.update(
            status="outstanding",
            invoice_date=body["on"],
            invoice_number=f"{body['on'][:4]} / {len(booked) + 1}",
        )
        self.touch(record, ctx, "booked")

    def register_payment(self, state: State, body: dict[str, Any], ctx: Context) -> None:
        record = self.get(state, body)
        if record["status"] == "draft":
            raise ApiError(400, "A draft invoice cannot be paid; book it first")
        record["payments"].append({"paid_at": body["paid_at"], "payment": body["payment"]})
        record.update(status="matched", paid=True, paid_at=body["paid_at"])
        self.touch(record, ctx, "paymentRegistered")

    def remove_payments(self, state: State, body: dict[str, Any], ctx: Context) -> None:
        record = self.get(state, body)
        record.update(status="outstanding" if record["invoice_number"] else "draft", paid=False, paid_at=None)
        record["payments"] = []
        self.touch(record, ctx, "paymentRemoved")

    def copy(self, state: State, body: dict[str, Any], ctx: Context) -> Created:
        original = self.get(state, body)
        record = self.new(ctx.new_id(), {}, ctx.now())
        for name in (
            "department",
            "invoicee",
            "grouped_lines",
            "currency",
            "payment_term",
            "note",
            "project",
        ):
            record[name] = original[name]
        self.records(state)[record["id"]] = record
        self.emit(ctx, "drafted", record["id"])
        return Created("invoice", record["id"])

    def delete(self, state: State, body: dict[str, Any], ctx: Context) -> None:
        if self.get(state, body)["status"] != "draft":
            raise ApiError(400, "Only a draft invoice can be deleted; credit a booked one")
        super().delete(state, body, ctx)


INVOICES = Invoices(
    "invoices",
    "invoice",
    fields=("purchase_order_number", "invoice_date", "note", "delivery_date", "payment_term", "currency"),
    refs={"department_id": ("department", "department"), "project_id": ("project", "nextgenProject")},
    filters={
        "invoice_number": equals("invoice_number"),
        "department_id": equals("department.id"),
        "deal_id": equals("deal.id"),
        "project_id": equals("project.id"),
        "status": _status,
        "updated_since": since("updated_at"),
        "purchase_order_number": equals("purchase_order_number"),
        "payment_reference": equals("payment_reference"),
        "invoice_date_after": lambda r, v: bool(r["invoice_date"]) and r["invoice_date"] >= v,
        "invoice_date_before": lambda r, v: bool(r["invoice_date"]) and r["invoice_date"] <= v,
        "customer": lambda r, v: r["invoicee"]["customer"] == {"type": v["type"], "id": v["id"]},
    },
    terms=("invoice_number", "purchase_order_number", "note"),
    sorts={
        "invoice_number": lambda r: r["invoice_number"] or "",
        "invoice_date": lambda r: r["invoice_date"] or "",
    },
    seeds=[
        {"purchase_order_number": "PO-1001", "invoice_date": "2025-05-02", "invoice_number": "2025 / 1"},
        {"purchase_order_number": "PO-1002", "invoice_date": "2025-05-20"},
    ],
    created="drafted",
)

QUOTATIONS = Kind(
    "quotations",
    "quotation",
    fields=("text", "currency"),
    refs={"deal_id": ("deal", "deal"), "document_template_id": ("document_template", "documentTemplate")},
    seeds=[{"text": "Website redesign, phase 1"}, {"text": "Hosting and support, 12 months"}],
)


def _sent(kind: Kind) -> Any:
    def handle(state: State, body: dict[str, Any], ctx: Context) -> None:
        for quotation_id in body["quotations"]:
            kind.get(state, {"id": quotation_id})

    return handle


ENDPOINTS = {
    **INVOICES.endpoints(
        "draft",
        book=INVOICES.book,
        registerPayment=INVOICES.register_payment,
        removePayments=INVOICES.remove_payments,
        copy=INVOICES.copy,
        send=INVOICES.setter("sent", sent=True),
    ),
    **QUOTATIONS.endpoints(
        "create", accept=QUOTATIONS.setter(None, status="accepted"), send=_sent(QUOTATIONS)
    ),
}
