"""Webhook deliveries with the mirror: stored at once, deduplicated, processed in batches."""

from __future__ import annotations

import io
import math

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from teamleader.django.mirror.events import process, process_failed, process_pending
from teamleader.django.mirror.models import Contact, Deal, WebhookEvent
from teamleader.django.signals import teamleader_mirror_changed, teamleader_webhook_received

from .helpers import assert_mirror_equals_sandbox, change_the_account, list_calls, serve_slowly

SECRET = "test-webhook-secret-0123456789"  # tests/settings.py


def post(payload, client=None):
    return (client or Client()).post(
        reverse("teamleader:webhook", args=[SECRET]), payload, content_type="application/json"
    )


def deliver_events(sandbox, since=0):
    """Post the sandbox's events (from index ``since``) to the site, as Teamleader would."""
    for payload in sandbox.events[since:]:
        assert post(payload).status_code == 204


@pytest.fixture
def account_size():
    return {"companies": 20, "contacts": 600, "deals": 50}


@pytest.fixture
def changes():
    """Every ``teamleader_mirror_changed`` sent, as ``(model name, action, ids)``."""
    seen = []

    def receiver(sender, model, ids, action, **kwargs):
        seen.append((model.__name__, action, sorted(ids)))

    teamleader_mirror_changed.connect(receiver)
    yield seen
    teamleader_mirror_changed.disconnect(receiver)


def test_a_delivery_is_stored_and_answered_without_asking_teamleader(mirrored):
    received = []
    teamleader_webhook_received.connect(lambda sender, **kw: received.append(kw), weak=False)
    try:
        deal_id = next(iter(mirrored.state.deals))
        payload = {
            "type": "deal.won",
            "subject": {"type": "deal", "id": deal_id},
            "account": {"type": "account"},
        }
        response = post(payload)
    finally:
        teamleader_webhook_received.receivers.clear()
    assert response.status_code == 204
    assert list(mirrored.calls) == []
    event = WebhookEvent.objects.get()
    assert (event.event_type, event.subject_type, event.subject_id, event.state) == (
        "deal.won",
        "deal",
        deal_id,
        "pending",
    )
    assert event.payload == payload and event.attempts == 0 and event.received_at
    assert received[0]["event"] == event


def test_identical_deliveries_are_stored_once_while_pending(mirrored):
    payload = {
        "type": "contact.updated",
        "subject": {"type": "contact", "id": next(iter(mirrored.state.contacts))},
    }
    for _ in range(3):
        assert post(payload).status_code == 204
    event = WebhookEvent.objects.get()
    assert event.deliveries == 3
    process_pending()
    assert post(payload).status_code == 204  # a later change of the same record: a new event
    assert WebhookEvent.objects.filter(state="pending").count() == 1
    assert WebhookEvent.objects.count() == 2


def test_processing_fetches_the_changed_records_100_ids_a_call(
    mirrored, changes, django_capture_on_commit_callbacks
):
    start = len(mirrored.events)
    changed = change_the_account(mirrored)
    deliver_events(mirrored, start)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = process_pending()
        assert changes == []  # sent once the changes are committed
    assert outcome.failed == 0 and outcome.done == len(mirrored.events) - start
    assert_mirror_equals_sandbox(mirrored)
    bodies = [c["body"] for c in list_calls(mirrored)]
    assert bodies and all(set(b["filter"]) == {"ids"} and len(b["filter"]["ids"]) <= 100 for b in bodies)
    assert outcome.calls == len(bodies)
    assert not [c for c in mirrored.calls if c["endpoint"].endswith(".info")]
    assert ("Contact", "deleted", sorted(changed["deleted"]["contacts"])) in changes
    assert ("Contact", "created", sorted(changed["contacts_added"])) in changes
    assert all(event.state == "done" for event in WebhookEvent.objects.all())


def test_five_hundred_events_cost_five_calls(mirrored):
    contacts = list(mirrored.state.contacts)[:500]
    mirrored.advance(5)
    start = len(mirrored.events)
    for contact_id in contacts:
        mirrored.api("contacts.update", {"id": contact_id, "remarks": "changed"})
    deliver_events(mirrored, start)
    assert WebhookEvent.objects.filter(state="pending").count() == 500
    outcome = process_pending()
    assert outcome.calls == len(list_calls(mirrored)) == math.ceil(500 / 100)
    assert_mirror_equals_sandbox(mirrored, "contacts")


def test_a_deletion_needs_no_call(mirrored):
    deal_id = next(iter(mirrored.state.deals))
    mirrored.api("deals.delete", {"id": deal_id})
    deliver_events(mirrored, len(mirrored.events) - 1)
    assert process_pending().calls == 0
    assert not Deal.objects.filter(pk=deal_id).exists()


@pytest.mark.parametrize("together", [True, False], ids=["same-batch", "update-later"])
def test_an_update_that_arrives_after_the_deletion_leaves_the_record_deleted(mirrored, together):
    contact_id = next(iter(mirrored.state.contacts))
    start = len(mirrored.events)
    mirrored.api("contacts.update", {"id": contact_id, "remarks": "last words"})
    mirrored.api("contacts.delete", {"id": contact_id})
    updated, deleted = mirrored.events[start:]
    post(deleted)
    if not together:
        process_pending()
    post(updated)  # late, and out of order
    process_pending()
    assert not Contact.objects.filter(pk=contact_id).exists()
    assert WebhookEvent.objects.filter(state="done").count() == 2


def test_an_update_that_arrives_before_its_creation_event_still_creates_it(mirrored):
    start = len(mirrored.events)
    new_id = mirrored.api(
        "contacts.add", {"last_name": "Late", "emails": [{"type": "primary", "email": "l@x.be"}]}
    )["id"]
    mirrored.api("contacts.update", {"id": new_id, "first_name": "Very"})
    added, updated = mirrored.events[start:]
    post(updated)
    post(added)
    process_pending()
    assert Contact.objects.get(pk=new_id).full_name == "Very Late"


def test_a_failing_processor_leaves_events_failed_and_process_failed_completes_them(mirrored):
    contact_id = next(iter(mirrored.state.contacts))
    start = len(mirrored.events)
    mirrored.api("contacts.update", {"id": contact_id, "first_name": "Retried"})
    mirrored.api("deals.win", {"id": next(iter(mirrored.state.deals))})
    deliver_events(mirrored, start)
    mirrored.fail_next("contacts.list", 503, times=4)  # the call and its three retries
    with pytest.raises(CommandError, match="process --failed"):
        call_command("teamleader_webhooks", "process", stdout=io.StringIO())
    failed = WebhookEvent.objects.get(state="failed")
    assert failed.subject_id == contact_id and failed.attempts == 1 and "503" in failed.last_error
    assert WebhookEvent.objects.get(subject_type="deal").state == "done"  # other groups carry on
    assert Contact.objects.get(pk=contact_id).first_name != "Retried"

    out = io.StringIO()
    call_command("teamleader_webhooks", "process", stdout=out)
    assert "Processed 0 events" in out.getvalue()  # plain `process` leaves failed events alone
    call_command("teamleader_webhooks", "process", "--failed", stdout=out)
    assert "Processed 1 event: 1 done, 0 failed" in out.getvalue()
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.last_error) == ("done", 2, "")
    assert Contact.objects.get(pk=contact_id).first_name == "Retried"


def test_process_again_takes_events_in_any_state(mirrored):
    contact_id = next(iter(mirrored.state.contacts))
    post({"type": "contact.updated", "subject": {"type": "contact", "id": contact_id}})
    process_pending()
    Contact.objects.filter(pk=contact_id).update(first_name="Tampered", data={})
    event = WebhookEvent.objects.get()
    assert process([event.pk]).done == 1
    assert (
        Contact.objects.get(pk=contact_id).data
        == mirrored.api("contacts.list", {"filter": {"ids": [contact_id]}, "includes": "custom_fields"})[
            "data"
        ][0]
    )


def test_events_the_mirror_does_not_keep_are_done_without_a_call(mirrored):
    post(
        {
            "type": "invoice.booked",
            "subject": {"type": "invoice", "id": "9a1f1e5e-0000-4000-8000-000000000001"},
        }
    )
    post({"type": "account.deleted"})
    outcome = process_pending()
    assert (outcome.done, outcome.calls) == (2, 0)


def test_an_event_log_that_cannot_be_written_answers_503(mirrored, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(WebhookEvent, "save", broken)
    response = post({"type": "deal.won", "subject": {"type": "deal", "id": next(iter(mirrored.state.deals))}})
    assert response.status_code == 503
    assert SECRET not in caplog.text
    assert "could not be stored" in caplog.text


def test_process_failed_with_nothing_failed(mirrored):
    assert process_failed().processed == 0


def test_process_needs_the_mirror_app(db, settings):
    settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if a != "teamleader.django.mirror"]
    with pytest.raises(CommandError, match='process needs "teamleader.django.mirror" in INSTALLED_APPS'):
        call_command("teamleader_webhooks", "process")


def test_register_mirror_registers_every_type_it_acts_on(connected):
    call_command(
        "teamleader_webhooks",
        "register",
        "--base-url",
        "https://crm.example.com",
        "--mirror",
        stdout=io.StringIO(),
    )
    (types,) = connected.state.webhooks.values()
    assert {
        "contact.added",
        "contact.deleted",
        "company.updated",
        "deal.won",
        "deal.moved",
        "deal.deleted",
    } <= set(types)


def test_slow_teamleader_does_not_slow_the_webhook_view(mirrored):
    serve_slowly(mirrored, delay=5)  # processing would take seconds; the view does not process
    assert (
        post(
            {"type": "deal.won", "subject": {"type": "deal", "id": next(iter(mirrored.state.deals))}}
        ).status_code
        == 204
    )
    assert list(mirrored.calls) == []
