"""teamleader_sync against the sandbox server: a full copy, then deltas, record for record."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from teamleader.django.mirror.models import Company, Contact, Deal, DealPhase, SyncState, User
from teamleader.django.mirror.resources import BY_NAME, RESOURCES
from teamleader.django.mirror.store import write_records
from teamleader.django.mirror.sync import sync

from .helpers import assert_mirror_equals_sandbox, change_the_account, list_calls, pages_of, serve_slowly


def test_first_run_copies_everything_a_page_at_a_time(connected):
    results = {r.resource: r for r in sync()}
    assert_mirror_equals_sandbox(connected)
    contacts = len(connected.state.contacts)
    assert Contact.objects.count() == contacts > 1500
    assert results["contacts"].calls == -(-contacts // 100)  # meta.matches ends the list: no empty page
    assert all(c["body"]["page"]["size"] == 100 for c in list_calls(connected))
    assert len(results["contacts"].changes.created) == contacts
    assert {r.resource for r in results.values() if r.full} == set(BY_NAME)


def test_the_typed_view_and_the_columns_match_the_data(connected):
    sync()
    deal = Deal.objects.filter(status="won").select_related("phase", "responsible_user").first()
    raw = connected.state.deals[str(deal.pk)]
    assert deal.is_won and not deal.is_open and deal.title == raw["title"]
    assert deal.amount == deal.estimated_value.amount and deal.currency == "EUR"
    assert deal.phase.name == connected.state.phases[raw["current_phase"]["id"]]["name"]
    assert deal.responsible_user.full_name
    customer = deal.customer
    assert customer is not None and str(customer.pk) == raw["lead"]["customer"]["id"]
    assert deal in customer.deals
    contact = Contact.objects.get(pk=next(iter(connected.state.contacts)))
    assert contact.full_name == f"{contact.first_name} {contact.last_name}".strip()
    assert contact.primary_email == contact.email and contact.email
    assert contact.record.telephones == contact.data["telephones"]
    assert list(DealPhase.objects.values_list("name", flat=True)) == [
        p["name"] for p in connected.api("dealPhases.list", {"page": {"size": 100}})["data"]
    ]


def test_an_incremental_run_asks_only_for_what_changed(connected):
    sync()
    changed = change_the_account(connected)
    connected.calls.clear()
    results = {r.resource: r for r in sync()}
    # A delta cannot see deletions (webhooks and --full do): the deleted records are still there.
    assert_mirror_equals_sandbox(connected, still_there=changed["deleted"])
    for name in ("contacts", "companies", "deals"):
        bodies = [c["body"] for c in list_calls(connected, name)]
        assert "updated_since" in bodies[0]["filter"]
    contacts = results["contacts"].changes
    assert set(contacts.created) == set(changed["contacts_added"])
    assert set(changed["contacts_updated"]) <= set(contacts.updated)
    assert not contacts.deleted


def test_nothing_changed_costs_one_call_per_resource(connected):
    sync()
    connected.calls.clear()
    results = sync()
    assert [r.calls for r in results] == [1] * len(RESOURCES)
    assert not any(r.changes.created or r.changes.updated or r.changes.deleted for r in results)


def test_full_removes_what_teamleader_no_longer_has(connected):
    sync()
    gone = change_the_account(connected)["deleted"]
    results = {r.resource: r for r in sync(full=True)}
    assert_mirror_equals_sandbox(connected)
    for name, ids in gone.items():
        assert set(results[name].changes.deleted) == set(ids)
        assert not BY_NAME[name].model.objects.filter(pk__in=ids).exists()


def test_a_server_error_after_the_retries_stops_the_run_and_the_next_run_resumes(connected):
    pages = pages_of(connected, "contacts")
    failures = {"left": 4}  # page 7 fails for the call and its three retries

    def fail_page_seven(endpoint, body):
        if endpoint == "contacts.list" and body["page"]["number"] == 7 and failures["left"]:
            failures["left"] -= 1
            return 503
        return None

    serve_slowly(connected, refuse=fail_page_seven)
    with pytest.raises(CommandError) as info:
        call_command("teamleader_sync", "contacts", stdout=io.StringIO())
    assert "contacts: contacts.list failed with HTTP 503" in str(info.value)
    assert "Stopped after 6 pages of 100 were stored; run the command again to continue at page 7." in str(
        info.value
    )
    state = SyncState.objects.get(resource="contacts")
    assert state.in_progress and state.pass_page == 6 and "503" in state.last_error
    assert Contact.objects.count() == 600

    connected.calls.clear()
    out = io.StringIO()
    call_command("teamleader_sync", "contacts", stdout=out)
    assert "resumed" in out.getvalue()
    assert [c["body"]["page"]["number"] for c in list_calls(connected, "contacts")] == list(
        range(7, pages + 1)
    )
    assert_mirror_equals_sandbox(connected, "contacts")
    state.refresh_from_db()
    assert not state.in_progress and state.last_error == "" and state.high_water_mark is not None


def test_a_429_is_waited_out(connected):
    connected.limiter.limit, connected.limiter.window = 12, 1.0
    sync(["companies", "contacts"])
    assert connected.stats["rate_limited"] >= 1
    assert_mirror_equals_sandbox(connected, "companies", "contacts")


def test_deletions_during_a_run_make_it_step_back(connected):
    """Records deleted from pages already read shift unread ones onto them: none is skipped."""
    sync(["users", "deal_pipelines", "deal_phases"])
    first_page = [c["id"] for c in connected.api("contacts.list", BY_NAME["contacts"].body())["data"]]

    def delete_some(endpoint):
        if endpoint == "contacts.list" and len(list_calls(connected, "contacts")) == 3:
            for contact_id in first_page[:5]:
                connected.api("contacts.delete", {"id": contact_id})

    pages = pages_of(connected, "contacts")
    serve_slowly(connected, after_each=delete_some)
    result = sync(["contacts"])[0]
    # Read before they were deleted, they stay until a webhook or --full removes them.
    assert_mirror_equals_sandbox(connected, "contacts", still_there={"contacts": first_page[:5]})
    assert result.calls == pages + 2  # pages 3 and 4 read again: five records moved from 4 to 3


def test_changes_during_a_run_are_fetched_by_the_next_one(connected, mirror_settings):
    mirror_settings(OVERLAP=0)  # no safety margin: the high-water mark alone must be right
    sync(["users", "deal_pipelines", "deal_phases", "companies"])
    last_page = BY_NAME["contacts"].body(page=pages_of(connected, "contacts"))
    last_page_ids = [c["id"] for c in connected.api("contacts.list", last_page)["data"]]
    assert len(last_page_ids) >= 3

    def change_unread(endpoint):
        if endpoint == "contacts.list" and len(list_calls(connected, "contacts")) == 2:
            for contact_id in last_page_ids[:3]:
                connected.api("contacts.update", {"id": contact_id, "first_name": "Changed"})

    connected.advance(5)
    serve_slowly(connected, after_each=change_unread)
    sync(["contacts"])
    serve_slowly(connected)
    connected.advance(5)
    sync(["contacts"])
    assert_mirror_equals_sandbox(connected, "contacts")
    assert Contact.objects.filter(first_name="Changed").count() == 3


def test_an_older_copy_never_overwrites_a_newer_one(connected):
    sync(["contacts"])
    record = dict(Contact.objects.first().data)
    newer = {**record, "updated_at": "2099-01-01T00:00:00+00:00", "first_name": "Newer"}
    write_records(BY_NAME["contacts"], [newer])
    changes = write_records(BY_NAME["contacts"], [record])
    assert changes.stale == [record["id"]]
    assert Contact.objects.get(pk=record["id"]).first_name == "Newer"


def test_the_command_prints_a_summary_line_per_resource(connected):
    out = io.StringIO()
    call_command("teamleader_sync", "companies", "contacts", stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert [line.split(" ")[0] for line in lines] == ["companies", "contacts"]
    assert f"{len(connected.state.contacts)} fetched, {len(connected.state.contacts)} created" in lines[1]


def test_the_command_draws_a_progress_bar_on_a_terminal(connected):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    err = Terminal()
    call_command("teamleader_sync", "contacts", stdout=io.StringIO(), stderr=err)
    assert "contacts" in err.getvalue() and "records" in err.getvalue()


def test_unknown_resources_are_named(db):
    with pytest.raises(CommandError, match="Unknown resource 'invoices'; choose from users, "):
        call_command("teamleader_sync", "contacts", "invoices")


def test_company_and_user_columns(connected):
    sync(["users", "companies"])
    company = Company.objects.get(pk=next(iter(connected.state.companies)))
    assert company.name == company.data["name"] and company.primary_email == company.email
    assert (
        User.objects.filter(status="deactivated").exists()
        or len(connected.state.users) == User.objects.count()
    )


def test_a_site_without_time_zones(connected, settings):
    settings.USE_TZ = False
    sync(["users", "contacts", "deals"])
    connected.advance(5)
    contact_id = next(iter(connected.state.contacts))
    connected.api("contacts.update", {"id": contact_id, "first_name": "Naive"})
    sync(["contacts"])
    contact = Contact.objects.get(pk=contact_id)
    assert contact.first_name == "Naive" and contact.updated_at.tzinfo is None
    assert SyncState.objects.get(resource="contacts").high_water_mark.tzinfo is None
    assert_mirror_equals_sandbox(connected, "contacts", "deals")


def test_odd_ids_are_skipped_not_fatal(connected, caplog):
    deal = dict(next(iter(connected.state.deals.values())), id="not-a-uuid")
    other = dict(list(connected.state.deals.values())[1])
    other["lead"] = {"customer": {"type": "company", "id": "also-not-a-uuid"}, "contact_person": None}
    changes = write_records(BY_NAME["deals"], [deal, other])
    assert changes.created == [other["id"]]
    assert Deal.objects.get(pk=other["id"]).customer_id is None
    assert "without a valid id" in caplog.text
