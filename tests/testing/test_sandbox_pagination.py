"""Pages as Teamleader serves them: ``meta`` only on request, the end found by a short page."""

from __future__ import annotations

import math

import pytest

from teamleader.pagination import iterate_items

from .conftest import Caller


def test_no_meta_unless_pagination_is_included(caller: Caller) -> None:
    answer = caller.ok("contacts.list")
    assert set(answer) == {"data"}
    assert len(answer["data"]) == 20  # the default page size


def test_walking_pages_without_meta_ends_on_a_short_page(caller: Caller) -> None:
    total = len(caller.sandbox.state.contacts)
    seen, number = [], 1
    while True:
        page = caller.ok("contacts.list", {"page": {"size": 7, "number": number}})
        assert "meta" not in page
        seen += [c["id"] for c in page["data"]]
        if len(page["data"]) < 7:
            break
        number += 1
    assert number == math.ceil(total / 7) and total % 7  # ended on a short, non-empty page
    assert len(seen) == len(set(seen)) == total


def test_a_list_that_fills_its_last_page_exactly_needs_one_empty_page(caller: Caller) -> None:
    total = len(caller.sandbox.state.contacts)
    assert total % 20 == 0, "the seed has a multiple of 20 contacts, the edge case clients must handle"
    last_full = caller.ok("contacts.list", {"page": {"size": 20, "number": total // 20}})
    assert len(last_full["data"]) == 20
    assert caller.ok("contacts.list", {"page": {"size": 20, "number": total // 20 + 1}}) == {"data": []}


def test_includes_pagination_adds_page_and_matches(caller: Caller) -> None:
    answer = caller.ok("companies.list", {"page": {"size": 5, "number": 2}, "includes": "pagination"})
    assert answer["meta"] == {
        "page": {"size": 5, "number": 2},
        "matches": len(caller.sandbox.state.companies),
    }
    filtered = caller.ok(
        "deals.list", {"filter": {"status": ["won"]}, "includes": "custom_fields,pagination"}
    )
    won = [d for d in caller.sandbox.state.deals.values() if d["status"] == "won"]
    assert filtered["meta"]["matches"] == len(won)
    assert all("custom_fields" in d for d in filtered["data"])


def test_include_singular_is_refused_with_the_right_name(caller: Caller) -> None:
    # Teamleader ignores an unknown key (and so sends no meta); the sandbox refuses it, as the spec does.
    answer = caller.api("contacts.list", {"include": "pagination"})
    assert answer.status == 400
    assert "did you mean 'includes'" in answer.json["errors"][0]["title"]


@pytest.mark.parametrize("page", [{"size": 0}, {"size": 101}, {"number": 0}, {"size": "20"}, {"size": 2.5}])
def test_bad_pages_are_400(caller: Caller, page) -> None:
    assert caller.api("contacts.list", {"page": page}).status == 400


def test_the_clients_iterator_collects_every_record(caller: Caller) -> None:
    def request(endpoint, body):
        return caller.ok(endpoint, body)

    ids = [c["id"] for c in iterate_items(request, "contacts.list", page_size=20)]
    assert sorted(ids) == sorted(caller.sandbox.state.contacts)
    calls = [c for c in caller.sandbox.calls if c["endpoint"] == "contacts.list"]
    assert len(calls) == len(ids) // 20 + 1  # three full pages, then the empty one
