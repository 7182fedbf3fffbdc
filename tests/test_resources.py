"""The resource namespaces end to end against the offline sandbox (responses face)."""

from __future__ import annotations

import pytest

from teamleader import MemoryTokenBackend, OAuth2Handler, TeamleaderClient, TeamleaderNotFoundError
from teamleader.models import Contact, Deal, Page, User


@pytest.fixture
def api(teamleader_sandbox):
    backend = MemoryTokenBackend(teamleader_sandbox.issue_token_object())
    oauth = OAuth2Handler("client-id", "client-secret", "http://localhost:9999/callback", backend)
    with TeamleaderClient(oauth) as client:
        yield client


def test_iterate_walks_every_page_and_yields_models(api, teamleader_sandbox):
    total = len(teamleader_sandbox.state.contacts)
    assert total > 25
    contacts = list(api.contacts.iterate(page={"size": 25}))
    assert len(contacts) == total
    assert len({c.id for c in contacts}) == total
    assert all(isinstance(c, Contact) and c.full_name for c in contacts)
    pages = [
        c["body"]["page"]["number"] for c in teamleader_sandbox.calls if c["endpoint"] == "contacts.list"
    ]
    assert pages == list(range(1, total // 25 + 2))


def test_iterate_passes_filters(api, teamleader_sandbox):
    companies = list(api.companies.iterate())
    company = next(
        c
        for c in companies
        if any(
            link["company"]["id"] == c.id
            for p in teamleader_sandbox.state.contacts.values()
            for link in p["companies"]
        )
    )
    linked = list(api.contacts.iterate(filter={"company_id": company.id}))
    assert linked
    for contact in linked:  # contacts.info lists the companies a contact works for
        assert company.id in [link["company"]["id"] for link in api.contacts.get(contact.id).raw["companies"]]
    term = companies[1].name.split()[0]
    matching = list(api.companies.iterate(filter={"term": term}))
    assert matching and all(term.lower() in c.name.lower() for c in matching)


def test_list_returns_one_page_with_meta_when_asked(api):
    page = api.deals.list(page={"size": 5, "number": 1}, includes="pagination")
    assert isinstance(page, Page) and len(page) == 5
    assert all(isinstance(d, Deal) for d in page)
    assert page.matches is not None and page.matches > 5


def test_get_add_update_delete_a_contact(api):
    created = api.contacts.add(
        last_name="Lovelace", first_name="Ada", emails=[{"type": "primary", "email": "ada@example.com"}]
    )
    contact = api.contacts.get(created.id)
    assert (contact.full_name, contact.primary_email) == ("Ada Lovelace", "ada@example.com")
    assert api.contacts.update(created.id, first_name=None) is None  # JSON null clears the field
    assert api.contacts.get(created.id).full_name == "Lovelace"
    api.contacts.delete(created.id)
    with pytest.raises(TeamleaderNotFoundError):
        api.contacts.get(created.id)


def test_deal_lifecycle_with_real_endpoint_names(api, teamleader_sandbox):
    customer = next(iter(api.companies.iterate()))
    phases = api.deal_phases.list()
    created = api.deals.create(
        title="Website relaunch", lead={"customer": {"type": "company", "id": customer.id}}
    )
    deal = api.deals.get(created.id)
    assert deal.title == "Website relaunch" and deal.is_open
    api.deals.move(created.id, phase_id=phases[-1].id)
    assert api.deals.get(created.id).current_phase.id == phases[-1].id
    api.deals.win(created.id)
    assert api.deals.get(created.id).is_won
    other = api.deals.create(
        title="Support contract", lead={"customer": {"type": "company", "id": customer.id}}
    )
    reason = api.lost_reasons.list()[0]
    api.deals.lose(other.id, reason_id=reason.id, extra_info="Budget moved to next year")
    lost = api.deals.get(other.id)
    assert lost.is_lost and not lost.is_open
    endpoints = [c["endpoint"] for c in teamleader_sandbox.calls]
    assert {"deals.create", "deals.move", "deals.win", "deals.lose"} <= set(endpoints)
    assert "deals.add" not in endpoints


def test_users_me_is_the_connected_user(api, teamleader_sandbox):
    me = api.users.me()
    assert isinstance(me, User)
    assert me.id == teamleader_sandbox.me["id"]
    assert me.full_name == f"{teamleader_sandbox.me['first_name']} {teamleader_sandbox.me['last_name']}"


def test_rate_limit_state_is_exposed(api):
    api.users.me()
    assert api.rate_limit.limit == 200
    assert api.rate_limit.remaining == 199
    assert api.rate_limit.reset is not None
