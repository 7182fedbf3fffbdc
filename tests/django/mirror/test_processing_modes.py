"""Who processes the stored events: the background thread, Celery, or nobody (cron)."""

from __future__ import annotations

import time

import pytest

from teamleader.django.mirror.dispatch import worker
from teamleader.django.mirror.models import Deal, WebhookEvent
from teamleader.django.mirror.sync import sync
from teamleader.django.webhooks import webhook_url

from .helpers import assert_mirror_equals_sandbox
from .test_webhook_events import post

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def account_size():
    return {"companies": 10, "contacts": 150, "deals": 40}


def win_a_deal(sandbox) -> str:
    deal_id = next(d for d, deal in sandbox.state.deals.items() if deal["status"] in ("new", "open"))
    sandbox.advance(2)
    sandbox.api("deals.win", {"id": deal_id})
    return deal_id


def wait_until(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_thread_processes_after_the_delivery_is_committed(connected, mirror_settings):
    mirror_settings(PROCESSING="thread")
    sync()
    deal_id = win_a_deal(connected)
    assert post(connected.events[-1]).status_code == 204
    assert worker.wait_idle(timeout=20)
    assert WebhookEvent.objects.get().state == "done"
    assert Deal.objects.get(pk=deal_id).is_won


def test_a_burst_is_processed_completely(connected, mirror_settings):
    mirror_settings(PROCESSING="thread")
    sync()
    connected.calls.clear()
    contacts = list(connected.state.contacts)[:150]
    start = len(connected.events)
    for contact_id in contacts:
        connected.api("contacts.update", {"id": contact_id, "remarks": "burst"})
    for payload in connected.events[start:]:
        post(payload)
    assert worker.wait_idle(timeout=30)
    assert WebhookEvent.objects.filter(state="done").count() == 150
    # Batched by whatever arrived meanwhile (how many calls depends on timing; the batch
    # size itself is asserted in test_webhook_events.py and measured in bench/mirror.py).
    assert len([c for c in connected.calls if c["endpoint"] == "contacts.list"]) < 150
    assert_mirror_equals_sandbox(connected, "contacts")


def test_without_processing_events_wait_for_the_command(connected, mirror_settings):
    mirror_settings(PROCESSING=None)
    sync()
    win_a_deal(connected)
    post(connected.events[-1])
    time.sleep(0.5)
    assert WebhookEvent.objects.get().state == "pending"


def test_the_sandbox_sends_webhooks_to_the_live_site(connected, mirror_settings, live_server):
    """The whole loop: a change in Teamleader → a POST to the site → the mirror changes."""
    mirror_settings(PROCESSING="thread")
    sync()
    connected.api(
        "webhooks.register", {"url": webhook_url(live_server.url), "types": ["deal.won", "deal.deleted"]}
    )
    deal_id = win_a_deal(connected)
    gone = next(d for d in connected.state.deals if d != deal_id)
    connected.api("deals.delete", {"id": gone})
    assert connected.wait_for_webhooks(timeout=20)
    assert [d["status"] for d in connected.webhook_deliveries] == [204, 204]
    wait_until(lambda: WebhookEvent.objects.filter(state="done").count() == 2)
    assert Deal.objects.get(pk=deal_id).is_won
    assert not Deal.objects.filter(pk=gone).exists()
    assert_mirror_equals_sandbox(connected, "deals")


@pytest.fixture(scope="module")
def celery_app(django_db_blocker):
    """A real Celery worker (in a thread, on an in-memory broker) for this module's tests."""
    celery = pytest.importorskip("celery")
    from celery.contrib.testing.worker import start_worker

    app = celery.Celery("teamleader-tests", broker="memory://", backend="cache+memory://")
    app.conf.update(task_default_queue="teamleader-tests", broker_connection_retry_on_startup=False)
    app.set_current()
    app.set_default()
    from celery.signals import setup_logging

    import teamleader.django.mirror.tasks  # noqa: F401  (registers the shared tasks)

    def keep_logging(**kwargs):  # a receiver stops Celery from reconfiguring logging (pytest's)
        return None

    setup_logging.connect(keep_logging)
    try:
        # Celery's Django fixup runs the system checks as the worker starts (some query the database).
        with (
            django_db_blocker.unblock(),
            start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
        ):
            yield app
    finally:
        setup_logging.disconnect(keep_logging)


def test_celery_processes_the_events(connected, mirror_settings, celery_app):
    mirror_settings(PROCESSING="celery")
    sync()
    deal_id = win_a_deal(connected)
    post(connected.events[-1])
    wait_until(lambda: WebhookEvent.objects.filter(state="done").exists())
    assert Deal.objects.get(pk=deal_id).is_won


def test_the_celery_task_for_failed_events(connected, mirror_settings, celery_app):
    from teamleader.django.mirror.tasks import process_failed_webhook_events

    mirror_settings(PROCESSING=None)
    sync()
    deal_id = win_a_deal(connected)
    post(connected.events[-1])
    WebhookEvent.objects.update(state="failed", last_error="TeamleaderServerError: 503")
    process_failed_webhook_events.delay()
    wait_until(lambda: WebhookEvent.objects.filter(state="done").exists())
    assert Deal.objects.get(pk=deal_id).is_won
