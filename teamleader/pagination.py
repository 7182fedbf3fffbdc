"""Walking Teamleader's numbered pages until the list really ends."""

from __future__ import annotations

from typing import Any, Callable, Iterator, Mapping, TypeVar

from .exceptions import TeamleaderConfigurationError

__all__ = ["DEFAULT_PAGE_SIZE", "iterate_items", "walk_pages"]

#: The largest page size public SDKs use against Teamleader.
DEFAULT_PAGE_SIZE = 100

Requester = Callable[[str, "dict[str, Any] | None"], Any]
T = TypeVar("T")


def walk_pages(
    fetch: Callable[[int, int], tuple[list[T], int | None]],
    *,
    page_size: int,
    start_page: int = 1,
    names: tuple[str, str] = ("page_size", "start_page"),
) -> Iterator[T]:
    """Every record of ``fetch(size, number) -> (records, matches)``, page after page.

    The end of the list is ``matches`` (``meta.matches``) when Teamleader sends it; otherwise
    an empty page or one shorter than ``page_size``. A list whose length is an exact multiple
    of the page size therefore costs one extra, empty request.
    """
    for name, value in zip(names, (page_size, start_page), strict=True):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise TeamleaderConfigurationError(f"{name} must be a whole number of at least 1, got {value!r}")
    return _walk(fetch, page_size, start_page)


def _walk(fetch: Callable[[int, int], tuple[list[T], int | None]], size: int, number: int) -> Iterator[T]:
    while True:
        records, matches = fetch(size, number)
        yield from records
        if not records:
            return
        if matches is not None:
            if number * size >= matches:  # page N holds records up to N * size
                return
        elif len(records) < size:
            return
        number += 1


def iterate_items(
    request: Requester,
    endpoint: str,
    body: Mapping[str, Any] | None = None,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    start_page: int = 1,
    paginated: bool = True,
) -> Iterator[dict[str, Any]]:
    """Yield every raw record of a list endpoint, one page request at a time (see :func:`walk_pages`).

    Endpoints without pages (``paginated=False``) are called once.
    """
    base = dict(body or {})
    if not paginated:
        return iter(_records(request(endpoint, base)))

    def fetch(size: int, number: int) -> tuple[list[dict[str, Any]], int | None]:
        payload = request(endpoint, {**base, "page": {"size": size, "number": number}})
        return _records(payload), _matches(payload)

    return walk_pages(fetch, page_size=page_size, start_page=start_page)


def _records(payload: Any) -> list[dict[str, Any]]:
    data = payload.get("data") if isinstance(payload, Mapping) else None
    return data if isinstance(data, list) else []


def _matches(payload: Any) -> int | None:
    meta = payload.get("meta") if isinstance(payload, Mapping) else None
    matches = meta.get("matches") if isinstance(meta, Mapping) else None
    return matches if isinstance(matches, int) and not isinstance(matches, bool) else None
