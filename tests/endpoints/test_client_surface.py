"""What a caller sees: real attributes and signatures, docstrings, iterate, typed answers."""

from __future__ import annotations

import collections.abc
import datetime as dt
import inspect
import json
import typing

import pytest
import responses

from teamleader import NOT_GIVEN, MemoryTokenBackend, OAuth2Handler, TeamleaderClient, Token
from teamleader.models import Contact, Event, Invoice, Model, Page, Project, User
from teamleader.namespaces import Namespaces, ProjectsV2
from teamleader.resource import Resource

from .conftest import API
from .spec_values import (
    operations,
    python_name,
    request_schema,
    resolve,
    top_level_fields,
)


def records(n, start=0):
    return [
        {"id": f"id-{i}", "first_name": "Ada", "last_name": f"Lovelace {i}"} for i in range(start, start + n)
    ]


def test_groups_are_visible_to_ides_and_typed():
    assert {"contacts", "deals", "invoices", "projects_v2"} <= set(dir(TeamleaderClient))
    assert typing.get_type_hints(Namespaces.contacts.func)["return"].__name__ == "ContactsEndpoints"
    assert typing.get_type_hints(ProjectsV2.project_groups.func)["return"].__name__.endswith("Endpoints")


def test_every_group_is_a_resource_and_none_is_shadowed_by_the_client(api):
    client, _ = api
    groups = [name for name in dir(Namespaces) if not name.startswith("_") and name != "call"]
    assert len(groups) > 60
    assert all(isinstance(getattr(client, name), (Resource, ProjectsV2)) for name in groups)
    assert isinstance(client.projects_v2.projects, Resource)


def test_a_misspelt_method_fails_at_once_instead_of_calling_teamleader(api):
    client, mock = api
    with pytest.raises(AttributeError):
        client.contacts.lnk_to_company  # noqa: B018
    with pytest.raises(AttributeError):
        client.contactz  # noqa: B018
    assert len(mock.calls) == 0


def test_signature_id_positional_others_keyword_only(api):
    client, _ = api
    parameters = inspect.signature(client.contacts.link_to_company).parameters
    assert parameters["id"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert parameters["company_id"].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["company_id"].default is inspect.Parameter.empty
    assert parameters["position"].default is NOT_GIVEN


@pytest.mark.parametrize("path", operations())
def test_docstring_names_the_endpoint_and_hints_resolve(api, path):
    client, _ = api
    method = resolve(client, path)
    doc = inspect.cleandoc(method.__doc__)  # Python 3.13 dedents docstrings itself
    assert doc.splitlines()[0] == f"POST {path}"
    for name in inspect.signature(method).parameters:
        assert f"\n    {name}" in doc, name
    typing.get_type_hints(method)  # every annotation is importable, as an IDE or a type checker needs


def test_every_list_operation_has_iterate(api):
    client, _ = api
    for path in operations():
        group, action = path.lstrip("/").rsplit(".", 1)
        if not action.startswith("list"):
            continue
        method = resolve(client, path.replace(f".{action}", f".iterate{action[4:]}"))
        lister = resolve(client, path)
        # One definition of the parameters: iterate takes exactly what list takes.
        assert inspect.signature(method).parameters == inspect.signature(lister).parameters, path
        paged = "page" in top_level_fields(request_schema(path) or {})
        assert ("page" in inspect.signature(method).parameters) == paged, path
        assert typing.get_type_hints(method)["return"].__origin__ is collections.abc.Iterator


def test_iterate_walks_every_page(api):
    client, rsps = api
    pages = {1: records(2), 2: records(1, start=2)}

    def answer(request):
        body = json.loads(request.body)
        return 200, {}, json.dumps({"data": pages.get(body["page"]["number"], [])})

    rsps.reset()  # the fixture's catch-all would answer first
    rsps.add_callback(responses.POST, f"{API}/contacts.list", callback=answer)

    contacts = list(client.contacts.iterate(filter={"term": "Ada"}, page={"size": 2}))

    assert [c.id for c in contacts] == ["id-0", "id-1", "id-2"]
    assert all(isinstance(c, Contact) for c in contacts)
    sent = [json.loads(call.request.body) for call in rsps.calls]
    assert sent == [
        {"filter": {"term": "Ada"}, "page": {"size": 2, "number": 1}},
        {"filter": {"term": "Ada"}, "page": {"size": 2, "number": 2}},
    ]


def test_iterate_can_start_at_a_later_page(api):
    client, rsps = api
    rsps.reset()
    rsps.add(responses.POST, f"{API}/deals.list", json={"data": records(1), "meta": {"matches": 6}})

    deals = list(client.deals.iterate(page={"size": 5, "number": 2}))

    assert len(deals) == 1
    assert [json.loads(c.request.body) for c in rsps.calls] == [{"page": {"size": 5, "number": 2}}]


def test_iterate_without_pages_is_one_call(api):
    client, rsps = api
    rsps.reset()
    rsps.add(
        responses.POST, f"{API}/webhooks.list", json={"data": [{"url": "https://x.test", "types": []}] * 3}
    )

    hooks = list(client.webhooks.iterate())

    assert len(hooks) == 3
    assert len(rsps.calls) == 1
    assert json.loads(rsps.calls[0].request.body) == {}


def test_list_returns_a_page_of_the_groups_model(api):
    client, rsps = api
    rsps.reset()
    rsps.add(responses.POST, f"{API}/invoices.list", json={"data": [{"id": "i1"}], "meta": {"matches": 1}})
    page = client.invoices.list(filter={"status": ["draft"]})
    assert isinstance(page, Page) and isinstance(page[0], Invoice) and page.matches == 1


def test_friendly_get_and_me_return_typed_models(api):
    client, rsps = api
    rsps.reset()
    for endpoint in ("contacts.info", "users.me", "projects-v2/projects.info", "events.info"):
        rsps.add(responses.POST, f"{API}/{endpoint}", json={"data": {"id": "x1", "title": "T"}})
    assert isinstance(client.contacts.get("x1"), Contact)
    assert isinstance(client.users.me(), User)
    assert isinstance(client.projects_v2.projects.get("x1"), Project)
    assert isinstance(client.events.get("x1"), Event)
    assert [json.loads(c.request.body) for c in rsps.calls] == [{"id": "x1"}, {}, {"id": "x1"}, {"id": "x1"}]


def test_none_is_sent_as_null_and_left_out_arguments_are_not_sent(api):
    client, rsps = api
    client.contacts.update("c1", first_name=None, last_name="Lovelace")
    assert json.loads(rsps.calls[0].request.body) == {"id": "c1", "first_name": None, "last_name": "Lovelace"}


def test_keyword_json_keys_get_a_trailing_underscore(api):
    client, rsps = api
    sender = {"sender": {"type": "user", "id": "u1"}, "email_address": "a@b.test"}
    client.quotations.send(
        quotations=["q1"], from_=sender, recipients={"to": []}, subject="S", content="C", language="en"
    )
    assert json.loads(rsps.calls[0].request.body)["from"] == sender
    assert "from_" not in json.loads(rsps.calls[0].request.body)


def test_an_empty_answer_is_none():
    token = Token("a" * 40, "r" * 40, dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1))
    oauth = OAuth2Handler("id", "secret", "http://localhost/cb", MemoryTokenBackend(token))
    with responses.RequestsMock() as rsps, TeamleaderClient(oauth, api_base_url=API) as client:
        rsps.add(responses.POST, f"{API}/webhooks.register", status=204)
        assert client.webhooks.register(url="https://x.test/hook", types=["deal.won"]) is None
        assert json.loads(rsps.calls[0].request.body) == {"url": "https://x.test/hook", "types": ["deal.won"]}


def test_a_created_record_comes_back_as_a_model(api):
    client, rsps = api
    rsps.reset()
    rsps.add(responses.POST, f"{API}/deals.create", status=201, json={"data": {"type": "deal", "id": "d1"}})
    created = client.deals.create(lead={"customer": {"type": "company", "id": "c1"}}, title="Deal")
    assert isinstance(created, Model) and created.id == "d1"


def test_python_name_rule_of_the_tests_matches_the_examples_of_the_issue():
    assert python_name("linkToCompany") == "link_to_company"
    assert python_name("projects-v2") == "projects_v2"
    assert python_name("import") == "import_"
