"""Walking Teamleader's numbered pages until the list really ends."""

from __future__ import annotations

from typing import Any, Callable, Iterator, Mapping

from .exceptions import TeamleaderConfigurationError

__all__ = ["DEFAULT_PAGE_SIZE", "iterate_items"]

#: The largest page size public SDKs use against Teamleader.
DEFAULT_PAGE_SIZE = 100

Requester = Callable[[str, "dict[str, Any] | None"], Any]


def iterate_items(
    request: Requester,
    endpoint: str,
    body: Mapping[str, Any] | None = None,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    start_page: int = 1,
    paginated: bool = True,
) -> Iterator[dict[str, Any]]:
    """Yield every record of a list endpoint, one page request at a time.

    The end of the list is ``meta.matches`` when Teamleader sends it; otherwise an
    empty page or one shorter than ``page_size``. A list whose length is an exact
    multiple of the page size therefore costs one extra, empty request. Endpoints
    without pages (``paginated=False``) are called once.
    """
    if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
        raise TeamleaderConfigurationError(
            f"page_size must be a whole number of at least 1, got {page_size!r}"
        )
    base = dict(body or {})
    if not paginated:
        yield from _records(request(endpoint, base))
        return
    number = start_page
    while True:
        payload = request(endpoint, {**base, "page": {"size": page_size, "number": number}})
        records = _records(payload)
        yield from records
        matches = _matches(payload)
        if not records:
            return
        if matches is not None:
            if number * page_size >= matches:  # page N holds records up to N * size
                return
        elif len(records) < page_size:
            return
        number += 1


def _records(payload: Any) -> list[dict[str, Any]]:
    data = payload.get("data") if isinstance(payload, Mapping) else None
    return data if isinstance(data, list) else []


def _matches(payload: Any) -> int | None:
    meta = payload.get("meta") if isinstance(payload, Mapping) else None
    matches = meta.get("matches") if isinstance(meta, Mapping) else None
    return matches if isinstance(matches, int) and not isinstance(matches, bool) else None
