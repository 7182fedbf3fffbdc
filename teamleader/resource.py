"""The base of every resource group (``client.contacts``, ``client.invoices``, …).

A resource is handed the client's one seam for talking to Teamleader, a
``request(endpoint, body) -> decoded JSON | None`` callable, and never imports the
client back. Subclasses (generated from Teamleader's OpenAPI description, plus a few
hand-written friendly methods) only build bodies and choose how to wrap answers.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Mapping, TypeVar

from .models.base import Model, Page
from .pagination import DEFAULT_PAGE_SIZE, iterate_items

__all__ = ["NOT_GIVEN", "NotGiven", "Resource", "Requester"]

Requester = Callable[[str, "dict[str, Any] | None"], Any]
M = TypeVar("M", bound=Model)


class NotGiven:
    """Type of :data:`NOT_GIVEN`: an argument left out, as opposed to ``None`` (JSON null)."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


#: Default of every optional argument: the field is left out of the request body.
#: Passing ``None`` instead sends JSON ``null`` (to clear a nullable field).
NOT_GIVEN = NotGiven()


def body_of(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The request body: every field that was given, in declaration order."""
    return {key: value for key, value in fields.items() if value is not NOT_GIVEN}


class Resource:
    """A group of endpoints sharing a prefix, e.g. ``contacts`` or ``projects-v2/tasks``."""

    #: The endpoint prefix, e.g. ``"contacts"``.
    group: str = ""
    #: The model for the group's own records (``list``, ``info``).
    model: type[Model] = Model

    def __init__(self, request: Requester) -> None:
        self._request = request

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.group!r}>"

    def _send(self, endpoint: str, body: dict[str, Any] | None = None) -> Model | None:
        """Call an endpoint; the answer's ``data`` as a :class:`Model`, or ``None`` (204)."""
        payload = self._request(endpoint, body)
        if payload is None:
            return None
        data = payload.get("data") if isinstance(payload, Mapping) else None
        if isinstance(data, Mapping):
            return Model(data)
        return Model(payload) if isinstance(payload, Mapping) else None

    def _one(self, endpoint: str, body: dict[str, Any], model: type[M]) -> M:
        """Call an ``.info``-like endpoint and wrap ``data`` in ``model``."""
        payload = self._request(endpoint, body) or {}
        return model(payload.get("data") or {})

    def _list(self, endpoint: str, body: dict[str, Any], model: type[M]) -> Page[M]:
        """Call a list endpoint once; one :class:`Page` of ``model`` records."""
        payload = self._request(endpoint, body) or {}
        data = payload.get("data")
        return Page([model(item) for item in data or [] if isinstance(item, Mapping)], payload)

    def _iterate(
        self,
        endpoint: str,
        body: dict[str, Any],
        model: type[M],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        paginated: bool = True,
    ) -> Iterator[M]:
        """Every record of a list endpoint across all pages, wrapped in ``model``."""
        for item in iterate_items(self._request, endpoint, body, page_size=page_size, paginated=paginated):
            yield model(item)
