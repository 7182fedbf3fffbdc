"""``manage.py teamleader_setup`` connects the example site to a sandbox over real HTTP."""

from __future__ import annotations

import io
import re
import socket
import threading

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse
from teamleader.django.models import TeamleaderToken
from teamleader.testing import SandboxServer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class WatchedOutput(io.StringIO):
    """The command's stdout, which lets a thread wait for a line without polling."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = threading.Condition()

    def write(self, text: str) -> int:
        with self.changed:
            written = super().write(text)
            self.changed.notify_all()
        return written

    def wait_for(self, needle: str, timeout: float = 10) -> str:
        with self.changed:
            assert self.changed.wait_for(lambda: needle in self.getvalue(), timeout), self.getvalue()
            return self.getvalue()


def approve_in_browser(stdout: WatchedOutput) -> None:
    """What the person does: open the printed URL, press Approve, follow the redirect."""
    printed = stdout.wait_for("Waiting for Teamleader")  # the callback server is up
    url = re.search(r"(http://\S+/oauth2/authorize\?\S+)", printed).group(1)
    consent = requests.get(url, timeout=5)
    assert "Approve" in consent.text
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', consent.text))
    redirect = requests.post(url.split("?")[0], data={**form, "decision": "approve"}, allow_redirects=False,
                             timeout=5)
    requests.get(redirect.headers["Location"], timeout=10)


@pytest.mark.django_db(transaction=True)  # the callback is handled, and the token saved, on another thread
def test_teamleader_setup_against_the_sandbox(settings, admin_client):
    port = free_port()
    with SandboxServer() as server:
        settings.TEAMLEADER = {
            **settings.TEAMLEADER,
            "AUTH_BASE_URL": server.url,
            "API_BASE_URL": server.url,
            "REDIRECT_URI": f"http://127.0.0.1:{port}/callback",
            "OAUTH_CALLBACK_PORT": port,
        }
        stdout = WatchedOutput()
        browser = threading.Thread(target=approve_in_browser, args=(stdout,), daemon=True)
        browser.start()
        call_command("teamleader_setup", "--no-browser", "--timeout", "20", stdout=stdout)
        browser.join(5)

        assert "Teamleader is connected" in stdout.getvalue()
        connection = TeamleaderToken.load()
        assert connection.teamleader_user_name == "Sofie Peeters"
        assert server.sandbox.stats["code_grants"] == 1
        dashboard = admin_client.get(reverse("crm:dashboard"))
        assert dashboard.status_code == 200
        assert "Teamleader: Sofie Peeters" in dashboard.content.decode()
        assert connection.access_token not in stdout.getvalue() + dashboard.content.decode()
