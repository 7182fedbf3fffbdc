"""The base of every resource group (``client.contacts``, ``client.invoices``, …).

A resource is handed the client's one seam for talking to Teamleader, a
``request(endpoint, body) -> decoded JSON | None`` callable, and never imports the
client back. Subclasses (generated from Teamleader's OpenAPI description) only build
bodies and choose how to wrap answers.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Concatenate, Generic, Iterator, Mapping, ParamSpec, TypeVar

from .models.base import Model, Page
from .pagination import DEFAULT_PAGE_SIZE, walk_pages

__all__ = ["NOT_GIVEN", "NotGiven", "Resource", "Requester", "iterator_of"]

Requester = Callable[[str, "dict[str, Any] | None"], Any]
M = TypeVar("M", bound=Model)
T = TypeVar("T", bound=Model)
R = TypeVar("R", bound="Resource[Any]")
P = ParamSpec("P")


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


class Resource(Generic[M]):
    """A group of endpoints sharing a prefix, e.g. ``contacts`` or ``projects-v2/tasks``."""

    #: The endpoint prefix, e.g. ``"contacts"``.
    group: str = ""
    #: The model for the group's own records (``list``, ``info``).
    model: type[Model] = Model

    def __init__(self, request: Requester) -> None:
        self._request = request

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.group!r}>"

    def get(self, id: str) -> M:
        """The record with this id: ``<group>.info`` with only an ``id``, as the group's model.

        Raises ``AttributeError`` for groups that have no ``info`` operation.
        """
        if not callable(getattr(self, "info", None)):
            raise AttributeError(f"{self.group} has no info operation, so no get()")
        return self._one(f"{self.group}.info", {"id": id}, self.model)  # type: ignore[return-value]

    def _send(self, endpoint: str, body: dict[str, Any] | None = None) -> Model | None:
        """Call an endpoint; the answer's ``data`` as a :class:`Model`, or ``None`` (204)."""
        payload = self._request(endpoint, body)
        if payload is None:
            return None
        data = payload.get("data") if isinstance(payload, Mapping) else None
        if isinstance(data, Mapping):
            return Model(data)
        return Model(payload) if isinstance(payload, Mapping) else None

    def _one(self, endpoint: str, body: dict[str, Any], model: type[T]) -> T:
        """Call an ``.info``-like endpoint and wrap the record in ``model``.

        The record is ``data``; the spec also describes answers without that wrapper
        (``tickets.info``) and with a one-record list (``creditNotes.info``).
        """
        payload = self._request(endpoint, body) or {}
        if not isinstance(payload, Mapping):
            return model({})
        data = payload.get("data") if "data" in payload else payload
        if isinstance(data, list):
            data = data[0] if data else None
        return model(data if isinstance(data, Mapping) else {})

    def _list(self, endpoint: str, body: dict[str, Any], model: type[T]) -> Page[T]:
        """Call a list endpoint once; one :class:`Page` of ``model`` records."""
        payload = self._request(endpoint, body) or {}
        data = payload.get("data")
        return Page([model(item) for item in data or [] if isinstance(item, Mapping)], payload)


def iterator_of(
    list_method: Callable[Concatenate[R, P], Page[M]],
) -> Callable[Concatenate[R, P], Iterator[M]]:
    """An ``iterate`` method made from a ``list`` method: the same parameters, every page.

    ``page`` is where to start and how big a page is (``{"size": 100, "number": 1}`` unless
    given); the list ends on ``meta.matches`` when Teamleader sends it, else on a short or
    empty page. A list without pages is called once.
    """
    signature = inspect.signature(list_method)
    paginated = "page" in signature.parameters
    name = list_method.__name__

    @functools.wraps(list_method)
    def iterate(self: R, *args: P.args, **kwargs: P.kwargs) -> Iterator[M]:
        if not paginated:
            return iter(list_method(self, *args, **kwargs))
        page = kwargs.pop("page", None)
        page = page if isinstance(page, Mapping) else {}
        size, number = page.get("size", DEFAULT_PAGE_SIZE), page.get("number", 1)

        def fetch(size: int, number: int) -> tuple[list[M], int | None]:
            batch = list_method(self, *args, page={"size": size, "number": number}, **kwargs)  # type: ignore[arg-type]
            return batch, batch.matches

        return walk_pages(fetch, page_size=size, start_page=number, names=("page.size", "page.number"))

    page_type = signature.return_annotation
    if isinstance(page_type, str):  # postponed annotations: "Page[Contact]"
        page_type = eval(page_type, list_method.__globals__)  # noqa: S307 (our own generated annotation)
    returns = Iterator[page_type.__args__[0]]  # type: ignore[name-defined]
    iterate.__signature__ = signature.replace(return_annotation=returns)  # type: ignore[attr-defined]
    iterate.__annotations__ = {**list_method.__annotations__, "return": returns}
    iterate.__name__ = "iterate" + name[4:]
    iterate.__qualname__ = list_method.__qualname__.rsplit(".", 1)[0] + "." + iterate.__name__
    iterate.__doc__ = f"Every record of :meth:`{name}`, page after page (same parameters).\n\n" + (
        list_method.__doc__ or ""
    )
    return iterate
