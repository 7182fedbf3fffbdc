"""What every ``*.list`` endpoint shares: filters, sorting, pages and ``includes``."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

from .store import Context
from .timeutil import parse_datetime
from .validation import check_enum, check_fields, check_id_list, get_object
from .wire import ApiError

__all__ = ["includes", "list_answer", "parse_since", "sort_records", "with_ids"]

Record = dict[str, Any]


def includes(body: Mapping[str, Any]) -> set[str]:
    """The comma-separated ``includes`` of a request (``include`` is ignored, like Teamleader)."""
    value = body.get("includes")
    if value is None:
        return set()
    if not isinstance(value, str):
        raise ApiError(400, "includes must be of type string")
    return {part.strip() for part in value.split(",") if part.strip()}


def _page(body: Mapping[str, Any], ctx: Context) -> tuple[int, int]:
    page = get_object(body, "page")
    check_fields(page, {"size": "number", "number": "number"}, "page.")
    size, number = page.get("size", 20), page.get("number", 1)
    if size != int(size) or number != int(number) or size < 1 or number < 1:
        raise ApiError(400, "page.size and page.number must be positive whole numbers")
    if size > ctx.max_page_size:
        raise ApiError(400, f"page.size must not be larger than {ctx.max_page_size}")
    return int(size), int(number)


def list_answer(
    records: list[Record],
    body: Mapping[str, Any],
    ctx: Context,
    shape: Callable[[Record], Record] = dict,
    extra_meta: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One page of ``records``; ``meta`` only with ``"includes": "pagination"``."""
    size, number = _page(body, ctx)
    start = (number - 1) * size
    answer: dict[str, Any] = {"data": [shape(record) for record in records[start : start + size]]}
    meta = dict(extra_meta or {})
    if "pagination" in includes(body):
        meta.update({"page": {"size": size, "number": number}, "matches": len(records)})
    if meta:
        answer["meta"] = meta
    return answer


def sort_records(
    records: list[Record],
    body: Mapping[str, Any],
    keys: Mapping[str, Callable[[Record], Any]],
    default: tuple[str, str] | None = None,
) -> list[Record]:
    """Sort by the request's ``sort`` list (first entry first), else by ``default``."""
    sort = body.get("sort")
    if sort is None:
        orders = [{"field": default[0], "order": default[1]}] if default else []
    elif isinstance(sort, list) and all(isinstance(item, dict) for item in sort):
        orders = sort
    else:
        raise ApiError(400, "sort must be an array of objects")
    for item in reversed(orders):  # stable sorts, least significant first
        check_enum(item.get("field"), keys, "sort.field")
        order = item.get("order", "asc")
        check_enum(order, ("asc", "desc"), "sort.order")
        records = sorted(records, key=keys[item["field"]], reverse=order == "desc")
    return records


def with_ids(records: Iterable[Record], ids: Any, label: str = "filter.ids") -> list[Record]:
    wanted = set(check_id_list(ids, label))
    return [record for record in records if record["id"] in wanted]


def parse_since(value: Any, label: str) -> float:
    if not isinstance(value, str):
        raise ApiError(400, f"{label} must be of type string")
    try:
        return parse_datetime(value)
    except ValueError as err:
        raise ApiError(400, f"{label} must be an ISO 8601 date or timestamp") from err
