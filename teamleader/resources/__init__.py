"""Hand-written additions to the generated endpoint classes (``get`` and friends).

Each class here subclasses the generated ``<Group>Endpoints`` class, so every
endpoint of the group stays available under its own name beside the additions.
"""

from .crm import Companies, Contacts, Deals, Users
from .invoicing import Departments, Invoices, Products, Quotations
from .work import Events, ProjectsV2Projects, Tasks

__all__ = [
    "Companies",
    "Contacts",
    "Deals",
    "Departments",
    "Events",
    "Invoices",
    "Products",
    "ProjectsV2Projects",
    "Quotations",
    "Tasks",
    "Users",
]
