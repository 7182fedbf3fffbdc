"""``manage.py teamleader_webhooks`` against the sandbox: the exact calls, the output, the errors."""

from __future__ import annotations

import io
import json
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from teamleader.django.signals import teamleader_webhook_received
from teamleader.django.webhooks import EVENT_TYPES

from ..factories import TeamleaderTokenFactory

pytestmark = pytest.mark.django_db

SECRET = "test-webhook-secret-0123456789"  # tests/settings.py
SITE_URL = f"https://crm.example.com/teamleader/webhook/{SECRET}/"
OTHER_URL = "https://hooks.example.net/catch/42"


@pytest.fixture
def sandbox(teamleader_sandbox):
    """The sandbox, with a token it accepts stored in the database."""
    token = teamleader_sandbox.issue_token_object()
    TeamleaderTokenFactory(
        access_token=token.access_token, refresh_token=token.refresh_token, expires_at=token.expires_at
    )
    return teamleader_sandbox


def run(*args):
    """``(stdout, stderr)`` of the command."""
    out, err = io.StringIO(), io.StringIO()
    call_command("teamleader_webhooks", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def calls(sandbox, endpoint):
    return [call["body"] for call in sandbox.calls if call["endpoint"] == endpoint]


def test_register_with_base_url_sends_this_sites_url_and_masks_the_secret(sandbox):
    out, err = run(
        "register", "--base-url", "https://crm.example.com/", "deal.won", "contact.added", "deal.won"
    )
    assert calls(sandbox, "webhooks.register") == [{"url": SITE_URL, "types": ["deal.won", "contact.added"]}]
    assert (
        out == "Registered https://crm.example.com/teamleader/webhook/test…/ for deal.won, contact.added.\n"
    )
    assert SECRET not in out + err
    assert sandbox.state.webhooks == {SITE_URL: ["deal.won", "contact.added"]}


def test_the_registered_url_reaches_the_view(sandbox):
    run("register", "--base-url", "https://crm.example.com", "deal.won")
    registered = calls(sandbox, "webhooks.register")[0]["url"]
    seen = []

    def receiver(sender, event_type, **kwargs):
        seen.append(event_type)

    teamleader_webhook_received.connect(receiver)
    try:
        response = Client().post(
            urlsplit(registered).path, json.dumps({"type": "deal.won"}), "application/json"
        )
    finally:
        teamleader_webhook_received.disconnect(receiver)
    assert (response.status_code, seen) == (204, ["deal.won"])


def test_register_with_a_full_url(sandbox):
    out, _ = run("register", "--url", OTHER_URL, "invoice.booked")
    assert calls(sandbox, "webhooks.register") == [{"url": OTHER_URL, "types": ["invoice.booked"]}]
    assert out == f"Registered {OTHER_URL} for invoice.booked.\n"


def test_plain_http_is_warned_about(sandbox):
    _, err = run("register", "--base-url", "http://crm.example.com", "deal.won")
    assert "Plain http" in err
    assert calls(sandbox, "webhooks.register")[0]["url"].startswith(
        "http://crm.example.com/teamleader/webhook/"
    )


def test_an_unknown_type_is_refused_before_any_call_and_the_valid_ones_are_listed(sandbox):
    with pytest.raises(CommandError) as info:
        run("register", "--base-url", "https://crm.example.com", "deal.won", "deal.wonn")
    message = str(info.value)
    assert message.startswith("Unknown event type 'deal.wonn' (did you mean 'deal.won'?).")
    assert all(event_type in message for event_type in EVENT_TYPES)
    assert list(sandbox.calls) == []


@pytest.mark.parametrize(
    "args, needle",
    [
        (["register", "--base-url", "https://crm.example.com"], "Name the event types to register"),
        (["register", "deal.won"], "--base-url"),
        (
            ["register", "--url", OTHER_URL, "--base-url", "https://crm.example.com", "deal.won"],
            "not allowed",
        ),
        (["register", "--url", "hooks.example.net/x", "deal.won"], "not an absolute http(s) URL"),
        (["register", "--base-url", "crm.example.com", "deal.won"], "not a site address"),
        (["register", "--base-url", "https://crm.example.com?x=1", "deal.won"], "not a site address"),
    ],
)
def test_bad_arguments_are_plain_command_errors(sandbox, args, needle):
    with pytest.raises(CommandError) as info:
        run(*args)
    assert needle in str(info.value)
    assert list(sandbox.calls) == []


def test_base_url_needs_the_webhook_secret(sandbox, settings):
    settings.TEAMLEADER = {k: v for k, v in settings.TEAMLEADER.items() if k != "WEBHOOK_SECRET"}
    with pytest.raises(CommandError) as info:
        run("register", "--base-url", "https://crm.example.com", "deal.won")
    assert 'TEAMLEADER["WEBHOOK_SECRET"] is not set' in str(info.value)
    assert list(sandbox.calls) == []


@override_settings(ROOT_URLCONF="tests.django.test_webhooks")  # an URLconf without the webhook
def test_base_url_needs_the_urls_included(sandbox):
    with pytest.raises(CommandError) as info:
        run("register", "--base-url", "https://crm.example.com", "deal.won")
    assert 'include("teamleader.django.urls")' in str(info.value)


def test_list_shows_every_registration_and_marks_this_sites(sandbox):
    sandbox.state.webhooks.update({OTHER_URL: ["deal.won"], SITE_URL: ["contact.added", "deal.lost"]})
    out, _ = run("list")
    assert calls(sandbox, "webhooks.list") == [{}]
    assert out == (
        "https://crm.example.com/teamleader/webhook/test…/  (this site's secret)\n"
        "    contact.added, deal.lost\n"
        f"{OTHER_URL}\n"
        "    deal.won\n"
    )
    assert SECRET not in out


def test_list_with_nothing_registered(sandbox):
    assert run("list") == ("No webhooks are registered.\n", "")


def test_unregister_some_types(sandbox):
    sandbox.state.webhooks[SITE_URL] = ["contact.added", "deal.lost", "deal.won"]
    out, _ = run("unregister", "--base-url", "https://crm.example.com", "deal.lost")
    assert calls(sandbox, "webhooks.unregister") == [{"url": SITE_URL, "types": ["deal.lost"]}]
    assert out == "Unregistered https://crm.example.com/teamleader/webhook/test…/ for deal.lost.\n"
    assert sandbox.state.webhooks == {SITE_URL: ["contact.added", "deal.won"]}


def test_unregister_without_types_removes_every_registered_type(sandbox):
    sandbox.state.webhooks.update({SITE_URL: ["contact.added", "deal.won"], OTHER_URL: ["deal.won"]})
    out, _ = run("unregister", "--base-url", "https://crm.example.com")
    assert calls(sandbox, "webhooks.unregister") == [
        {"url": SITE_URL, "types": ["contact.added", "deal.won"]}
    ]
    assert sandbox.state.webhooks == {OTHER_URL: ["deal.won"]}
    assert SECRET not in out


def test_unregister_without_types_of_an_unknown_url(sandbox):
    sandbox.state.webhooks[OTHER_URL] = ["deal.won"]
    with pytest.raises(CommandError) as info:
        run("unregister", "--base-url", "https://crm.example.com")
    assert (
        str(info.value) == "No webhook is registered for https://crm.example.com/teamleader/webhook/test…/."
    )
    assert calls(sandbox, "webhooks.unregister") == []


def test_types_lists_the_valid_event_types():
    out, _ = run("types")
    assert out.splitlines() == list(EVENT_TYPES)


def test_without_a_stored_token_the_error_says_how_to_connect(teamleader_sandbox):
    with pytest.raises(CommandError) as info:
        run("list")
    assert "teamleader_setup" in str(info.value)


def test_an_api_failure_is_a_command_error(sandbox):
    sandbox.fail_next("webhooks.register", 500)
    with pytest.raises(CommandError) as info:
        run("register", "--base-url", "https://crm.example.com", "deal.won")
    assert "webhooks.register" in str(info.value)
    assert SECRET not in str(info.value)
    assert sandbox.state.webhooks == {}
