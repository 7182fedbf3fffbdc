"""Invoices, quotations, products and departments: the records of selling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from .base import Field, Model, Money
from .parsers import money_at, parse_date, parse_datetime, primary_value, strict_bool, strict_list

__all__ = ["Department", "Invoice", "Product", "Quotation"]


class _Totals(Model):
    """``total.tax_inclusive`` / ``total.tax_exclusive``, as invoices and quotations carry them."""

    __slots__ = ()

    @property
    def total(self) -> Money | None:
        """``total.tax_inclusive``: the amount including tax."""
        return money_at(self._raw, "total", "tax_inclusive")

    @property
    def total_tax_exclusive(self) -> Money | None:
        return money_at(self._raw, "total", "tax_exclusive")


class Invoice(_Totals):
    """An outgoing invoice (``invoices.info`` / ``invoices.list``).

    ``status`` is ``draft``, ``outstanding`` or ``matched``; ``total`` includes tax.
    """

    __slots__ = ()

    invoice_number: Field[str | None] = Field()
    invoice_date: Field[dt.date | None] = Field(parse=parse_date)
    status: Field[str | None] = Field()
    due_on: Field[dt.date | None] = Field(parse=parse_date)
    paid: Field[bool] = Field(parse=strict_bool, default=lambda: False)
    paid_at: Field[dt.datetime | None] = Field(parse=parse_datetime)
    sent: Field[bool] = Field(parse=strict_bool, default=lambda: False)
    purchase_order_number: Field[str | None] = Field()
    payment_reference: Field[str | None] = Field()
    currency: Field[str | None] = Field()
    delivery_date: Field[dt.date | None] = Field(parse=parse_date)
    created_at: Field[dt.datetime | None] = Field(parse=parse_datetime)
    updated_at: Field[dt.datetime | None] = Field(parse=parse_datetime)

    @property
    def amount_due(self) -> Money | None:
        """``total.due``: what is still to be paid."""
        return money_at(self._raw, "total", "due")

    @property
    def is_paid(self) -> bool:
        return self._raw.get("paid") is True

    @property
    def is_draft(self) -> bool:
        return self._raw.get("status") == "draft"

    @property
    def customer(self) -> Model | None:
        """``invoicee.customer``: ``{"type": "contact"|"company", "id": …}``."""
        invoicee = self._raw.get("invoicee")
        customer = invoicee.get("customer") if isinstance(invoicee, Mapping) else None
        return Model(customer) if isinstance(customer, Mapping) else None

    def _label(self) -> str | None:
        number = self._raw.get("invoice_number")
        return str(number) if number else None


class Quotation(_Totals):
    """A quotation of a deal (``quotations.info`` / ``quotations.list``).

    ``status`` is ``open``, ``accepted``, ``expired``, ``rejected`` or ``closed``.
    """

    __slots__ = ()

    name: Field[str | None] = Field()
    status: Field[str | None] = Field()
    currency: Field[str | None] = Field()
    created_at: Field[dt.datetime | None] = Field(parse=parse_datetime)
    updated_at: Field[dt.datetime | None] = Field(parse=parse_datetime)

    @property
    def is_accepted(self) -> bool:
        return self._raw.get("status") == "accepted"


class Product(Model):
    """A product of the catalogue (``products.info`` / ``products.list``)."""

    __slots__ = ()

    name: Field[str | None] = Field()
    code: Field[str | None] = Field()
    description: Field[str | None] = Field()
    purchase_price: Field[Money | None] = Field(parse=Money.parse)
    selling_price: Field[Money | None] = Field(parse=Money.parse)
    added_at: Field[dt.datetime | None] = Field(parse=parse_datetime)
    updated_at: Field[dt.datetime | None] = Field(parse=parse_datetime)

    @property
    def stock_amount(self) -> Decimal | None:
        """``stock.amount``, when the product's stock is tracked."""
        stock = self._raw.get("stock")
        amount = stock.get("amount") if isinstance(stock, Mapping) else None
        try:
            return Decimal(str(amount)) if isinstance(amount, (int, float, str)) else None
        except InvalidOperation:
            return None


class Department(Model):
    """A department: a legal entity or part of one that invoices (``departments.info``)."""

    __slots__ = ()

    name: Field[str | None] = Field()
    vat_number: Field[str | None] = Field()
    currency: Field[str | None] = Field()
    emails: Field[list[Any]] = Field(parse=strict_list, default=list)
    telephones: Field[list[Any]] = Field(parse=strict_list, default=list)
    website: Field[str | None] = Field()
    iban: Field[str | None] = Field()
    bic: Field[str | None] = Field()
    fiscal_regime: Field[str | None] = Field()
    status: Field[str | None] = Field()

    @property
    def primary_email(self) -> str | None:
        """The email typed ``primary``; if none is, the first email; ``None`` without emails."""
        return primary_value(self._raw.get("emails"), "email")

    @property
    def is_active(self) -> bool:
        return self._raw.get("status") == "active"
