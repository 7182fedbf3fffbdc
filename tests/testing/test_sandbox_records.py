"""The groups the sandbox keeps as records: what was written is read back, filtered, moved, removed.

Every answer is also checked against the spec (``spec_contract``), records created from
requests included, not only the seeded ones.
"""

from __future__ import annotations

import pytest

from teamleader import TeamleaderNotFoundError
from teamleader.testing import Sandbox

from ..endpoints.spec_values import response_schema
from .spec_contract import errors


@pytest.fixture(autouse=True)
def every_answer_conforms(world):
    yield
    _, rsps, _ = world
    for call in rsps.calls:
        endpoint = call.request.url.split("/", 3)[3]
        schema = response_schema(f"/{endpoint}")
        if schema is not None and call.response.status_code < 300:
            assert errors(schema, call.response.json(), nulls=True) == [], endpoint


def test_products_round_trip_with_search_and_events(world):
    sandbox, _, client = world
    created = client.products.add(
        name="Cookie jar", code="JAR-1", selling_price={"amount": 9.5, "currency": "EUR"}
    )
    product = client.products.get(created.id)
    assert (product.name, product.code, product.selling_price.amount) == ("Cookie jar", "JAR-1", 9.5)
    assert [p.id for p in client.products.list(filter={"term": "jar"})] == [created.id]
    assert len(list(client.products.iterate())) == 4  # three seeded, one added
    client.products.update(created.id, name="Cookie tin")
    assert client.products.get(created.id).name == "Cookie tin"
    client.products.delete(created.id)
    with pytest.raises(TeamleaderNotFoundError):
        client.products.get(created.id)
    assert [e["type"] for e in sandbox.events] == ["product.added", "product.updated", "product.deleted"]


def test_an_invoice_is_drafted_booked_paid_and_filtered_by_status(world):
    sandbox, _, client = world
    department, company = "d-1", next(iter(sandbox.state.companies))
    created = client.invoices.draft(
        invoicee={"customer": {"type": "company", "id": company}},
        department_id=department,
        payment_term={"type": "cash"},
        grouped_lines=[],
        purchase_order_number="PO-77",
    )
    invoice = client.invoices.get(created.id)
    assert invoice.is_draft and invoice.customer.id == company and invoice.purchase_order_number == "PO-77"
    client.invoices.book(created.id, on="2025-06-02")
    booked = client.invoices.get(created.id)
    assert (
        booked.status == "outstanding"
        and booked.invoice_number
        and booked.invoice_date.isoformat() == "2025-06-02"
    )
    client.invoices.register_payment(
        created.id, payment={"amount": 10, "currency": "EUR"}, paid_at="2025-06-03T10:00:00+00:00"
    )
    assert client.invoices.get(created.id).is_paid
    matched = client.invoices.list(filter={"status": ["matched"]})
    assert [i.id for i in matched] == [created.id]
    assert {e["type"] for e in sandbox.events} >= {
        "invoice.drafted",
        "invoice.booked",
        "invoice.paymentRegistered",
    }


def test_a_booked_invoice_cannot_be_deleted(world):
    _, _, client = world
    booked = next(i for i in client.invoices.iterate() if i.status == "outstanding")
    from teamleader import TeamleaderBadRequestError

    with pytest.raises(TeamleaderBadRequestError, match="credit a booked one"):
        client.invoices.delete(booked.id)


def test_quotations_and_projects_move_along(world):
    sandbox, _, client = world
    deal = next(iter(sandbox.state.deals))
    quotation = client.quotations.create(deal_id=deal, text="Phase 2")
    client.quotations.accept(quotation.id)
    assert client.quotations.get(quotation.id).status == "accepted"
    project = client.projects_v2.projects.create(title="Phase 2 build")
    client.projects_v2.projects.add_quotation(project.id, quotation_id=quotation.id)
    client.projects_v2.projects.close(project.id, closing_strategy="none")
    closed = client.projects_v2.projects.get(project.id)
    assert closed.is_closed and closed.title == "Phase 2 build"
    assert [p.id for p in client.projects_v2.projects.list(filter={"quotation_ids": [quotation.id]})] == [
        project.id
    ]


def test_tasks_events_notes_and_custom_fields(world):
    _, _, client = world
    task = client.tasks.create(title="Call Ada", due_on="2025-06-05", work_type_id="w-1")
    client.tasks.complete(task.id)
    assert client.tasks.get(task.id).completed
    assert task.id in [t.id for t in client.tasks.list(filter={"completed": True})]
    assert task.id not in [t.id for t in client.tasks.list(filter={"due_by": "2025-06-04"})]
    event = client.events.create(
        title="Demo",
        activity_type_id="a-1",
        starts_at="2025-06-20T10:00:00+00:00",
        ends_at="2025-06-20T11:00:00+00:00",
    )
    assert [e.id for e in client.events.list(filter={"ends_after": "2025-06-15T00:00:00+00:00"})] == [
        event.id
    ]
    client.events.cancel(event.id)
    with pytest.raises(TeamleaderNotFoundError):
        client.events.get(event.id)
    subject = {"type": "contact", "id": "c-1"}
    note = client.notes.create(subject=subject, content="Likes tea")
    client.notes.update(note.id, content="Likes green tea")
    assert [n.content for n in client.notes.list(filter={"subject": subject})] == ["Likes green tea"]
    definition = client.custom_field_definitions.create(label="Shoe size", type="integer", context="contact")
    assert client.custom_field_definitions.get(definition.id).label == "Shoe size"
    labels = [
        d.label
        for d in client.custom_field_definitions.list(
            filter={"context": "contact"}, sort=[{"field": "label"}]
        )
    ]
    assert labels == sorted(labels, key=str.lower) and "Shoe size" in labels


def test_the_same_seed_gives_the_same_records():
    first, second = Sandbox(seed=7), Sandbox(seed=7)
    from teamleader.testing.api.from_spec import held

    for group in ("products", "invoices", "tasks", "tickets"):
        assert held(first.state, group) == held(second.state, group)
    assert held(first.state, "tickets") != held(Sandbox(seed=8).state, "tickets")
