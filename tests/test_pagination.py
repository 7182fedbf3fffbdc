"""iterate_items: every page, and a clean end whatever Teamleader says (or doesn't)."""

from __future__ import annotations

import pytest

from teamleader.pagination import iterate_items


class FakeList:
    """A list endpoint over ``total`` records, optionally reporting ``meta.matches``."""

    def __init__(self, total: int, *, with_meta: bool = False) -> None:
        self.records = [{"id": f"r{i}"} for i in range(total)]
        self.with_meta = with_meta
        self.pages: list[int] = []
        self.bodies: list[dict] = []

    def __call__(self, endpoint, body):
        assert endpoint == "contacts.list"
        self.bodies.append(body)
        size, number = body["page"]["size"], body["page"]["number"]
        self.pages.append(number)
        payload = {"data": self.records[(number - 1) * size : number * size]}
        if self.with_meta:
            payload["meta"] = {"page": {"size": size, "number": number}, "matches": len(self.records)}
        return payload


@pytest.mark.parametrize(
    "total, pages_without_meta, pages_with_meta",
    [
        (0, [1], [1]),
        (7, [1], [1]),
        (10, [1, 2], [1]),  # exact multiple: without meta one extra, empty page ends it
        (25, [1, 2, 3], [1, 2, 3]),
        (30, [1, 2, 3, 4], [1, 2, 3]),
    ],
)
def test_all_records_and_the_right_number_of_requests(total, pages_without_meta, pages_with_meta):
    for with_meta, expected_pages in ((False, pages_without_meta), (True, pages_with_meta)):
        source = FakeList(total, with_meta=with_meta)
        items = list(iterate_items(source, "contacts.list", {"filter": {"term": "x"}}, page_size=10))
        assert [i["id"] for i in items] == [f"r{i}" for i in range(total)]
        assert source.pages == expected_pages
        assert all(b["filter"] == {"term": "x"} for b in source.bodies)


def test_default_page_size_is_100():
    source = FakeList(250)
    assert len(list(iterate_items(source, "contacts.list"))) == 250
    assert source.pages == [1, 2, 3]
    assert {b["page"]["size"] for b in source.bodies} == {100}


def test_matches_smaller_than_a_full_page_stops_at_once():
    source = FakeList(100, with_meta=True)
    source.records = source.records[:3]
    assert len(list(iterate_items(source, "contacts.list", page_size=3))) == 3
    assert source.pages == [1]


def test_is_lazy():
    source = FakeList(35)
    iterator = iterate_items(source, "contacts.list", page_size=10)
    assert source.pages == []
    next(iterator)
    assert source.pages == [1]


def test_unpaginated_endpoints_are_called_once():
    calls = []

    def request(endpoint, body):
        calls.append(body)
        return {"data": [{"id": "d1"}, {"id": "d2"}]}

    assert [i["id"] for i in iterate_items(request, "departments.list", {"filter": {}}, paginated=False)] == [
        "d1",
        "d2",
    ]
    assert calls == [{"filter": {}}]


@pytest.mark.parametrize("size", [0, -1, 2.5, "100"])
def test_page_size_must_be_a_positive_whole_number(size):
    from teamleader import TeamleaderConfigurationError

    with pytest.raises(TeamleaderConfigurationError, match="page_size"):
        list(iterate_items(FakeList(1), "contacts.list", page_size=size))
