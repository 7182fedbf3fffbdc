"""``client.invoices``, ``client.quotations``, ``client.products`` and ``client.departments``."""

from __future__ import annotations

from ..endpoints.departments import DepartmentsEndpoints
from ..endpoints.invoices import InvoicesEndpoints
from ..endpoints.products import ProductsEndpoints
from ..endpoints.quotations import QuotationsEndpoints
from ..models import Department, Invoice, Product, Quotation

__all__ = ["Departments", "Invoices", "Products", "Quotations"]


class Invoices(InvoicesEndpoints):
    """Every ``invoices.*`` endpoint, plus :meth:`get`."""

    def get(self, id: str) -> Invoice:
        """The invoice with this id (``invoices.info``)."""
        return self.info(id=id)


class Quotations(QuotationsEndpoints):
    """Every ``quotations.*`` endpoint, plus :meth:`get`."""

    def get(self, id: str) -> Quotation:
        """The quotation with this id (``quotations.info``)."""
        return self.info(id)


class Products(ProductsEndpoints):
    """Every ``products.*`` endpoint, plus :meth:`get`."""

    def get(self, id: str) -> Product:
        """The product with this id (``products.info``)."""
        return self.info(id)


class Departments(DepartmentsEndpoints):
    """Every ``departments.*`` endpoint, plus :meth:`get`."""

    def get(self, id: str) -> Department:
        """The department with this id (``departments.info``)."""
        return self.info(id)
