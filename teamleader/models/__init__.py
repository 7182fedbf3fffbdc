"""Typed records. Every model keeps Teamleader's dict in ``.raw``."""

from .base import Field, Model, Money, Page
from .crm import Company, Contact, Deal, User
from .invoicing import Department, Invoice, Product, Quotation
from .work import Event, Project, Task

__all__ = [
    "Company",
    "Contact",
    "Deal",
    "Department",
    "Event",
    "Field",
    "Invoice",
    "Model",
    "Money",
    "Page",
    "Product",
    "Project",
    "Quotation",
    "Task",
    "User",
]
