"""The live mirror in one process: a change in Teamleader reaches the dashboard through a webhook."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from teamleader.django.mirror.dispatch import worker
from teamleader.django.mirror.models import Deal, WebhookEvent

from helpers import deal_with_status


@pytest.fixture
def site_receives_webhooks(sandbox, admin_user):
    """The sandbox's webhook deliveries go to this site (Django's test client, no sockets)."""

    def deliver(url, payload):
        path = url.removeprefix("http://testserver")
        try:
            return Client().post(path, payload, content_type="application/json").status_code
        finally:
            connections.close_all()  # the delivery thread's own (the test client keeps them open)

    sandbox.webhook_delivery.transport = deliver
    return sandbox


@pytest.mark.django_db(transaction=True)
def test_a_deal_won_in_teamleader_shows_on_the_dashboard(admin_client, site_receives_webhooks, token):
    sandbox = site_receives_webhooks
    admin_client.post(reverse("crm:mirror_sync"))  # copy, and register the webhooks
    deal = deal_with_status(sandbox, "open", "new")
    assert not Deal.objects.get(pk=deal["id"]).is_won

    sandbox.api("deals.win", {"id": deal["id"]})  # someone wins it in Teamleader
    assert sandbox.wait_for_webhooks()
    assert sandbox.webhook_deliveries[-1]["status"] == 204
    assert worker.wait_idle(timeout=20)

    assert WebhookEvent.objects.get().state == "done"
    assert Deal.objects.get(pk=deal["id"]).is_won
    html = admin_client.get(reverse("crm:dashboard")).content.decode()
    assert "1 webhook event applied since" in " ".join(html.split())


def test_simulate_teamleader_change_wins_a_deal_in_teamleader(sandbox, token, capsys):
    from django.core.management import call_command

    deal = deal_with_status(sandbox, "open", "new")
    call_command("simulate_teamleader_change", "--deal", deal["id"], "--action", "win")
    assert sandbox.state.deals[deal["id"]]["status"] == "won"
    assert "won in Teamleader" in capsys.readouterr().out
