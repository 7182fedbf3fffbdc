"""The webhook view: a secret URL, a signal, a quick 204, and nothing secret in the logs."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.checks import run_checks
from django.test import Client, override_settings
from django.urls import reverse

from teamleader.django.signals import teamleader_webhook_received
from teamleader.django.webhooks import EVENT_TYPES, MAX_BODY_SIZE, WebhookView, check_event_types

from ..endpoints.spec_values import SPEC_MISSING, load_spec

SECRET = "test-webhook-secret-0123456789"  # tests/settings.py
PAYLOAD = {
    "type": "deal.won",
    "subject": {"type": "deal", "id": "0d2ea1d6-8f5c-4b1e-a6f3-2b1c3d4e5f60"},
    "account": {"type": "account", "id": "acc-1"},
    "note": "payload-marker-that-must-not-be-logged",
}

urlpatterns: list = []  # an URLconf without the webhook, for the system check


@pytest.fixture(autouse=True)
def without_the_mirror(settings):
    """These tests are a site without ``teamleader.django.mirror``: the view only sends the signal.

    (tests/django/mirror/test_webhook_events.py covers the view with the mirror installed.)
    """
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "teamleader.django.mirror"]


@pytest.fixture
def received():
    """Every signal sent during the test, as the kwargs a receiver gets."""
    seen = []

    def receiver(sender, **kwargs):
        seen.append({"sender": sender, **kwargs})

    teamleader_webhook_received.connect(receiver)
    yield seen
    teamleader_webhook_received.disconnect(receiver)


@pytest.fixture
def failing_receiver():
    def broken_receiver(sender, **kwargs):
        raise RuntimeError("receiver bug")

    teamleader_webhook_received.connect(broken_receiver)
    yield broken_receiver
    teamleader_webhook_received.disconnect(broken_receiver)


@pytest.fixture
def web():
    """Django's test client (``client`` is the Teamleader client in tests/conftest.py)."""
    return Client()


def url(secret=SECRET):
    return reverse("teamleader:webhook", args=[secret])


def post(web, body, secret=SECRET, **extra):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return web.post(url(secret), data=data, content_type="application/json", **extra)


def without(setting_key):
    from django.conf import settings

    return override_settings(TEAMLEADER={k: v for k, v in settings.TEAMLEADER.items() if k != setting_key})


def test_the_url_is_teamleader_webhook_with_the_secret_in_the_path():
    assert url() == f"/teamleader/webhook/{SECRET}/"


def test_a_delivery_sends_the_signal_and_answers_204(web, received):
    response = post(web, PAYLOAD)
    assert response.status_code == 204
    assert response.content == b""
    assert len(received) == 1
    kwargs = received[0]
    assert kwargs["sender"] is WebhookView
    assert kwargs["signal"] is teamleader_webhook_received
    assert kwargs["event_type"] == "deal.won"
    assert kwargs["subject"] == {"type": "deal", "id": "0d2ea1d6-8f5c-4b1e-a6f3-2b1c3d4e5f60"}
    assert kwargs["account"] == {"type": "account", "id": "acc-1"}
    assert kwargs["payload"] == PAYLOAD
    assert kwargs["request"].path == url()
    assert kwargs["event"] is None  # no event log without the mirror (and no database query)


def test_subject_and_account_are_none_when_the_payload_lacks_them(web, received):
    assert post(web, {"type": "account.deleted", "subject": "odd"}).status_code == 204
    assert (received[0]["event_type"], received[0]["subject"], received[0]["account"]) == (
        "account.deleted",
        None,
        None,
    )


def test_event_types_newer_than_the_package_are_passed_on(web, received):
    assert (
        post(web, {"type": "quotation.accepted", "subject": {"type": "quotation", "id": "q"}}).status_code
        == 204
    )
    assert received[0]["event_type"] == "quotation.accepted"


def test_no_csrf_token_is_needed(received):
    response = post(Client(enforce_csrf_checks=True), PAYLOAD)
    assert response.status_code == 204
    assert len(received) == 1


@pytest.mark.parametrize("secret", ["wrong", SECRET[:-1], SECRET + "x", SECRET.upper(), "sécret-ünicode"])
def test_a_wrong_secret_is_404_and_sends_nothing(web, received, secret):
    assert post(web, PAYLOAD, secret=secret).status_code == 404
    assert received == []


def test_an_unset_secret_is_404_even_for_the_old_url(web, received):
    with without("WEBHOOK_SECRET"):
        assert post(web, PAYLOAD).status_code == 404
    with override_settings(TEAMLEADER={**_settings(), "WEBHOOK_SECRET": ""}):
        assert post(web, PAYLOAD, secret=" ").status_code == 404
    assert received == []


def _settings():
    from django.conf import settings

    return settings.TEAMLEADER


def test_a_wrong_secret_looks_like_any_unknown_url(web):
    unknown = web.post("/no/such/page/", data="{}", content_type="application/json")
    for method in ("get", "post", "put", "delete"):
        response = getattr(web, method)(url("wrong"))
        assert (response.status_code, response.content) == (404, unknown.content), method
        assert "Allow" not in response.headers


def test_other_methods_are_405_with_the_right_secret(web, received):
    for method in ("get", "put", "patch", "delete", "options"):
        response = getattr(web, method)(url())
        assert response.status_code == 405, method
        assert response.headers["Allow"] == "POST"
    assert received == []


@pytest.mark.parametrize(
    "body, message",
    [
        ("{not json", b"Body is not JSON."),
        (b"\xff\xfe\xfa", b"Body is not JSON."),
        ("", b"Body is not JSON."),
        ("[1, 2]", b'Body must be a JSON object with a "type".'),
        ('"deal.won"', b'Body must be a JSON object with a "type".'),
        ({"subject": {"type": "deal", "id": "d"}}, b'Body must be a JSON object with a "type".'),
        ({"type": 3}, b'Body must be a JSON object with a "type".'),
        ({"type": ""}, b'Body must be a JSON object with a "type".'),
    ],
)
def test_a_body_that_is_not_a_typed_json_object_is_400(web, received, body, message):
    response = post(web, body)
    assert (response.status_code, response.content) == (400, message)
    assert response.headers["Content-Type"].startswith("text/plain")
    assert received == []


def test_a_body_over_the_limit_is_413_and_not_parsed(web, received):
    big = json.dumps({"type": "deal.won", "padding": "x" * MAX_BODY_SIZE})
    assert post(web, big).status_code == 413
    assert received == []


def test_a_lower_data_upload_limit_is_413_too(web, received, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 300
    assert post(web, {**PAYLOAD, "padding": "x" * 300}).status_code == 413
    assert post(web, PAYLOAD).status_code == 204
    assert len(received) == 1


def test_a_failing_receiver_is_logged_and_the_answer_is_still_204(web, caplog, failing_receiver, received):
    with caplog.at_level(logging.INFO):
        response = post(web, PAYLOAD)
    assert response.status_code == 204
    assert len(received) == 1  # the other receivers still ran
    ours = [
        r for r in caplog.records if r.name == "teamleader.django.webhooks" and r.levelno == logging.ERROR
    ]
    assert len(ours) == 1
    message = ours[0].getMessage()
    assert "failing_receiver.<locals>.broken_receiver" in message
    assert "'deal.won'" in message and "0d2ea1d6-8f5c-4b1e-a6f3-2b1c3d4e5f60" in message
    assert "RuntimeError" in message
    tracebacks = [r for r in caplog.records if r.name == "django.dispatch"]
    assert tracebacks and tracebacks[0].exc_info[0] is RuntimeError


def test_neither_the_secret_nor_the_payload_reaches_any_log(web, caplog, failing_receiver):
    with caplog.at_level(logging.DEBUG):
        # Prove the capture sees django.request's warnings at all.
        web.get("/no/such/page/")
        assert any("/no/such/page/" in r.getMessage() for r in caplog.records)
        post(web, PAYLOAD)
        web.get(url())
        web.put(url())
        post(web, "{not json")
        post(web, {"no": "type"})
        post(web, json.dumps({"type": "deal.won", "padding": "x" * MAX_BODY_SIZE}))
        post(web, PAYLOAD, secret=SECRET[:-1] + "!")
        with without("WEBHOOK_SECRET"):
            post(web, PAYLOAD)
    statuses = {r.getMessage() for r in caplog.records if r.name == "teamleader.django.webhooks"}
    assert any("answered 405" in m for m in statuses) and any("answered 400" in m for m in statuses)
    assert any("answered 413" in m for m in statuses) and any(
        "WEBHOOK_SECRET is not set" in m for m in statuses
    )
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert SECRET[:-1] not in logged
    assert "payload-marker-that-must-not-be-logged" not in logged


def test_a_sandbox_event_arrives_as_the_signal(web, received, teamleader_sandbox):
    """The payload shape the sandbox emits (Teamleader's, as far as it is known) goes through."""
    teamleader_sandbox.events.append(
        {
            "type": "contact.added",
            "subject": {"type": "contact", "id": "c-1"},
            "account": {"type": "account", "id": "a"},
        }
    )
    for event in teamleader_sandbox.events:
        assert post(web, event).status_code == 204
    assert [(r["event_type"], r["subject"]["id"]) for r in received] == [("contact.added", "c-1")]


# -- event types -----------------------------------------------------------------------------------


def test_event_types_are_the_spec_enum():
    spec = load_spec()
    if spec is None:
        pytest.skip(SPEC_MISSING)
    schema = spec["paths"]["/webhooks.register"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    assert EVENT_TYPES == tuple(schema["properties"]["types"]["items"]["enum"])


def test_check_event_types_drops_repeats_and_names_unknown_ones():
    assert check_event_types(["deal.won", "contact.added", "deal.won"]) == ["deal.won", "contact.added"]
    with pytest.raises(ValueError) as info:
        check_event_types(["deal.wonn", "contact.added", "nonsense"])
    message = str(info.value)
    assert message.startswith("Unknown event type 'deal.wonn' (did you mean 'deal.won'?), 'nonsense'.")
    assert "'contact.added'" not in message.splitlines()[0]
    assert all(t in message for t in EVENT_TYPES)


# -- system checks ---------------------------------------------------------------------------------


def webhook_check_ids(**changes):
    teamleader = {**_settings(), **changes}
    teamleader = {k: v for k, v in teamleader.items() if v is not None}
    with override_settings(TEAMLEADER=teamleader):
        return [m.id for m in run_checks(tags=["urls"]) if m.id.startswith("teamleader.")]


def test_checks_are_quiet_for_a_good_secret():
    assert webhook_check_ids() == []


def test_w010_when_the_url_is_routed_but_no_secret_is_set():
    assert webhook_check_ids(WEBHOOK_SECRET=None) == ["teamleader.W010"]


def test_w010_is_quiet_when_the_webhook_url_is_not_routed():
    with override_settings(ROOT_URLCONF=__name__):
        assert webhook_check_ids(WEBHOOK_SECRET=None) == []


def test_w011_short_secret_and_w012_characters_that_do_not_fit_a_url():
    assert webhook_check_ids(WEBHOOK_SECRET="short-secret") == ["teamleader.W011"]
    assert webhook_check_ids(WEBHOOK_SECRET="a/long-secret-with-a-slash-in-it") == ["teamleader.W012"]
    assert webhook_check_ids(WEBHOOK_SECRET="x y") == ["teamleader.W011", "teamleader.W012"]
