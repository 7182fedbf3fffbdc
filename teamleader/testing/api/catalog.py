"""Products and custom field definitions, kept as records (``products.*``, ``customFieldDefinitions.*``)."""

from __future__ import annotations

from .records import Kind, since

__all__ = ["ENDPOINTS"]

PRODUCTS = Kind(
    "products",
    "product",
    fields=("name", "code", "description", "purchase_price", "selling_price", "stock", "configuration"),
    refs={
        "unit_of_measure_id": ("unit", "unitOfMeasure"),
        "tax_rate_id": ("tax", "taxRate"),
        "product_category_id": ("product_category", "productCategory"),
    },
    filters={"updated_since": since("updated_at")},
    terms=("name", "code", "description"),
    created="added",
    seeds=[
        {"name": "Website audit", "code": "AUD-01", "selling_price": {"amount": 950.0, "currency": "EUR"}},
        {"name": "Hosting (year)", "code": "HOST-Y", "selling_price": {"amount": 240.0, "currency": "EUR"}},
        {"name": "Support hour", "code": "SUP-H", "selling_price": {"amount": 85.0, "currency": "EUR"}},
    ],
)

CUSTOM_FIELDS = Kind(
    "customFieldDefinitions",
    "customFieldDefinition",
    fields=("label", "type", "context"),
    filters={"context": lambda record, value: record["context"] == value},
    seeds=[
        {"label": "Customer number", "type": "single_line", "context": "contact"},
        {"label": "Contract end", "type": "date", "context": "company"},
        {"label": "Lead score", "type": "integer", "context": "deal"},
    ],
)

ENDPOINTS = {**PRODUCTS.endpoints("add"), **CUSTOM_FIELDS.endpoints("create")}
