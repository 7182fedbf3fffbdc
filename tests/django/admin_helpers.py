"""Helpers for the admin tests (``test_admin.py``, ``test_admin_oauth.py``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

STATUS = reverse("admin:teamleader_django_teamleadertoken_changelist")
CONNECT = reverse("admin:teamleader_django_teamleadertoken_connect")
CALLBACK = reverse("admin:teamleader_django_teamleadertoken_callback")
TEST = reverse("admin:teamleader_django_teamleadertoken_test")
DISCONNECT = reverse("admin:teamleader_django_teamleadertoken_disconnect")
CLIENT_SECRET = "test-client-secret-never-shown"  # tests/settings.py


def messages_of(response: Any) -> list[tuple[str, str]]:
    """``[(level_tag, text)]`` of the messages on a page reached with ``follow=True``."""
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def assert_no_secrets(responses: list[Any], *secrets: str) -> None:
    """No body or header of any response contains one of ``secrets`` in full."""
    for response in responses:
        text = response.content.decode() + " ".join(f"{k}: {v}" for k, v in response.headers.items())
        for secret in (CLIENT_SECRET, *secrets):
            assert secret not in text, f"a secret leaked into {response.request['PATH_INFO']}"


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
