"""``client.contacts``, ``client.companies``, ``client.deals`` and ``client.users``."""

from __future__ import annotations

from ..endpoints.companies import CompaniesEndpoints
from ..endpoints.contacts import ContactsEndpoints
from ..endpoints.deals import DealsEndpoints
from ..endpoints.users import UsersEndpoints
from ..models import Company, Contact, Deal, User

__all__ = ["Companies", "Contacts", "Deals", "Users"]


class Contacts(ContactsEndpoints):
    """Every ``contacts.*`` endpoint, plus :meth:`get`."""

    def get(self, id: str) -> Contact:
        """The contact with this id (``contacts.info``)."""
        return self.info(id)


class Companies(CompaniesEndpoints):
    """Every ``companies.*`` endpoint, plus :meth:`get`."""

    def get(self, id: str) -> Company:
        """The company with this id (``companies.info``)."""
        return self.info(id)


class Deals(DealsEndpoints):
    """Every ``deals.*`` endpoint (``create``, ``move``, ``win``, ``lose``, …), plus :meth:`get`."""

    def get(self, id: str) -> Deal:
        """The deal with this id (``deals.info``)."""
        return self.info(id)


class Users(UsersEndpoints):
    """Every ``users.*`` endpoint (``me`` is the user who connected the integration), plus :meth:`get`."""

    def get(self, id: str) -> User:
        """The user with this id (``users.info``)."""
        return self.info(id)
