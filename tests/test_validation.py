"""Requests checked against the spec before they are sent: what a caller sees when a body is wrong."""

from __future__ import annotations

import pickle

import pytest
import responses

from teamleader import TeamleaderError, TeamleaderValidationError
from teamleader.validation import SPEC_VERSION, check_request, is_known

API = "https://api.focus.teamleader.eu"


def refusal(endpoint, body):
    with pytest.raises(TeamleaderValidationError) as info:
        check_request(endpoint, body)
    return info.value


def test_a_typo_in_a_filter_is_refused_with_a_suggestion_and_what_is_allowed():
    err = refusal("contacts.list", {"filter": {"emial": "ada@example.com"}})
    assert str(err).startswith(
        "contacts.list: filter.emial is not a filter of contacts.list; did you mean 'email'? Allowed: email, ids, "
    )
    assert err.path == "filter.emial" and err.suggestion == "email" and "company_id" in err.allowed


def test_the_error_is_a_value_error_outside_the_api_error_tree():
    err = refusal("contacts.list", {"filter": {"emial": "x"}})
    assert isinstance(err, ValueError) and not isinstance(err, TeamleaderError)
    copy = pickle.loads(pickle.dumps(err))
    assert (str(copy), copy.path, copy.allowed) == (str(err), err.path, err.allowed)


@pytest.mark.parametrize(
    ("endpoint", "body", "message"),
    [
        (
            "contacts.add",
            {"last_name": "L", "gender": "robot"},
            "contacts.add: gender is 'robot', which is not allowed.",
        ),
        (
            "deals.list",
            {"filter": {"status": ["wonn"]}},
            "filter.status[0] is 'wonn', which is not allowed; did you mean 'won'?",
        ),
        (
            "deals.create",
            {"title": "T", "lead": {"customer": {"type": "company"}}},
            "deals.create: lead.customer.id is required",
        ),
        (
            "deals.create",
            {"lead": {"customer": {"type": "company", "id": "c"}}},
            "deals.create: title is required",
        ),
        (
            "contacts.list",
            {"page": {"size": "20"}},
            "contacts.list: page.size must be a number, not a string ('20')",
        ),
        (
            "contacts.add",
            {"last_name": "L", "emial": "a@b.c"},
            "emial is not a field of contacts.add; did you mean 'emails'?",
        ),
        (
            "deals.create",
            {"title": "T", "lead": {"customer": {"type": "company", "id": "c", "kind": 1}}},
            "lead.customer.kind is not a field of lead.customer",
        ),
        ("users.me", {"fields": "all"}, "users.me: users.me takes no fields; got fields"),
        (
            "contacts.list",
            {"sort": [{"field": "nmae"}]},
            "sort[0].field is 'nmae', which is not allowed; did you mean 'name'?",
        ),
    ],
)
def test_messages_name_the_path_and_what_to_do(endpoint, body, message):
    assert message in str(refusal(endpoint, body))


def test_one_of_none_fits_names_the_choices():
    err = refusal("timeTracking.add", {"started_at": "2024-02-01T08:00:00+00:00"})
    assert "the body must fit exactly one of: an object with started_at, duration; " in str(err)


def test_one_of_explains_the_closest_choice_at_depth():
    body = {"last_name": "L", "custom_fields": [{"id": "x", "value": {"type": "robot", "id": "r"}}]}
    assert "custom_fields[0].value.type is 'robot', which is not allowed" in str(
        refusal("contacts.add", body)
    )
    body = {"name": "Cookies", "purchase_price": {"amount": 1, "currency": "EURO"}}
    assert "did you mean 'EUR'?" in str(refusal("products.add", body))


def test_valid_bodies_and_unknown_operations_pass():
    check_request("contacts.list", None)
    check_request(
        "contacts.list", {"filter": {"email": {"type": "primary", "email": "a@b.c"}}, "page": {"size": 5}}
    )
    check_request("contacts.update", {"id": "x", "website": None})  # a nullable field may be cleared
    assert not is_known("contacts.teleport")
    check_request("contacts.teleport", {"anything": True})  # an API newer than the bundled spec
    assert SPEC_VERSION == "1.112.0"


def test_generated_methods_and_raw_calls_are_checked_before_sending(client, rsps):
    with pytest.raises(TeamleaderValidationError, match="filter.emial"):
        client.contacts.list(filter={"emial": "ada@example.com"})
    with pytest.raises(TeamleaderValidationError, match="wonn"):
        client.call("deals.list", {"filter": {"status": ["wonn"]}})
    with pytest.raises(TeamleaderValidationError, match="gender"):
        client.contacts.add(last_name="L", gender="robot")  # type: ignore[arg-type]
    assert len(rsps.calls) == 0


def test_validation_can_be_turned_off_for_a_newer_api(client, rsps):
    rsps.add(responses.POST, f"{API}/contacts.list", json={"data": []})
    client.validate_requests = False
    assert client.call("contacts.list", {"filter": {"new_filter_of_2030": True}}) == {"data": []}
    assert len(rsps.calls) == 1


def test_the_client_option(oauth):
    from teamleader import TeamleaderClient

    with TeamleaderClient(oauth, validate_requests=False) as client:
        assert client.validate_requests is False
    with TeamleaderClient(oauth) as client:
        assert client.validate_requests is True
