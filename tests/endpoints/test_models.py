"""The typed models read Teamleader's records as the spec describes them, and never raise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from teamleader.models import (
    Company,
    Contact,
    Deal,
    Department,
    Event,
    Field,
    Invoice,
    Model,
    Money,
    Product,
    Project,
    Quotation,
    Task,
    User,
)

from .spec_values import example_value, response_data_schema

TYPED = {
    Invoice: ["/invoices.info", "/invoices.list"],
    Quotation: ["/quotations.info", "/quotations.list"],
    Product: ["/products.info", "/products.list"],
    Project: ["/projects-v2/projects.info", "/projects-v2/projects.list"],
    Task: ["/tasks.info", "/tasks.list"],
    Event: ["/events.info", "/events.list"],
    Department: ["/departments.info", "/departments.list"],
    Contact: ["/contacts.info", "/contacts.list"],
    Company: ["/companies.info", "/companies.list"],
    Deal: ["/deals.info", "/deals.list"],
    User: ["/users.info", "/users.me", "/users.list"],
}
CASES = [(model, path) for model, paths in TYPED.items() for path in paths]
ODD_VALUES = ["not a date", 12, [], {"amount": "many", "currency": None}, True, {"unit": "hours"}]


def fields(model: type[Model]) -> dict[str, Field]:
    return {
        name: value
        for klass in model.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, Field)
    }


def properties(model: type[Model]) -> list[str]:
    return [
        name
        for klass in model.__mro__
        if klass is not Model and issubclass(klass, Model)
        for name, value in vars(klass).items()
        if isinstance(value, property)
    ]


def read_everything(record: Model) -> dict[str, object]:
    return {name: getattr(record, name) for name in [*fields(type(record)), *properties(type(record)), "id"]}


@pytest.mark.parametrize(("model", "path"), CASES, ids=[f"{m.__name__}-{p}" for m, p in CASES])
def test_a_spec_example_record_parses(model, path):
    raw = example_value(response_data_schema(path))
    record = model(raw)
    values = read_everything(record)
    for name, field in fields(model).items():
        if raw.get(field.key) is not None:
            assert values[name] is not None, f"{model.__name__}.{name} lost {raw[field.key]!r}"
    assert record.raw == raw


def test_invoice_example_values():
    invoice = Invoice(example_value(response_data_schema("/invoices.info")))
    assert isinstance(invoice.total, Money) and isinstance(invoice.total.amount, Decimal)
    assert isinstance(invoice.amount_due, Money)
    assert invoice.invoice_date == dt.date(2016, 2, 4)
    assert invoice.is_paid is True and invoice.paid is True
    assert invoice.paid_at == dt.datetime(2016, 2, 4, 16, 44, 33, tzinfo=dt.timezone.utc)
    assert isinstance(invoice.customer, Model)


def test_work_example_values():
    event = Event(example_value(response_data_schema("/events.info")))
    assert isinstance(event.duration, dt.timedelta)
    project = Project(example_value(response_data_schema("/projects-v2/projects.info")))
    assert project.start_date == dt.date(2022, 2, 23)
    assert isinstance(project.price, Money)
    task = Task(example_value(response_data_schema("/tasks.info")))
    assert task.due_on == dt.date(2016, 2, 4)
    assert task.estimated_minutes == 60


@pytest.mark.parametrize("model", list(TYPED))
def test_missing_fields_read_as_empty(model):
    record = model({})
    values = read_everything(record)
    for name, field in fields(model).items():
        expected = field.default() if field.default else None
        assert values[name] == expected, name
    assert repr(record)


@pytest.mark.parametrize("model", list(TYPED))
@pytest.mark.parametrize("odd", ODD_VALUES, ids=repr)
def test_odd_values_never_raise(model, odd):
    raw = {field.key: odd for field in fields(model).values()}
    raw.update({key: odd for key in ("total", "invoicee", "stock", "estimated_duration", "lead", "status")})
    read_everything(model(raw))


def test_the_raw_dict_stays_reachable():
    product = Product({"id": "p1", "name": "Cookies", "stock": {"amount": 3}, "colour": "brown"})
    assert product.stock_amount == Decimal(3)
    assert product.colour == "brown"
    assert product["name"] == "Cookies"
    assert product.raw["stock"] == {"amount": 3}
