"""``manage.py teamleader_setup`` end to end: a real callback server, real HTTP, the sandbox."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.core.management import CommandError, call_command
from django.utils import timezone

from teamleader.django.models import TeamleaderToken
from teamleader.testing import Sandbox

from ..factories import TeamleaderTokenFactory
from .utils import database_url, decide_in_browser, free_port

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


class WatchedOutput(io.StringIO):
    """stdout that lets the test wait until the command has printed something."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = threading.Condition()

    def write(self, text: str) -> int:
        with self.changed:
            n = super().write(text)
            self.changed.notify_all()
        return n

    def wait_for(self, pattern: str, timeout: float = 15) -> re.Match:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not (match := re.search(pattern, self.getvalue())):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{pattern!r} never printed; output so far:\n{self.getvalue()}")
                self.changed.wait(remaining)
        return match


@pytest.fixture
def sandbox_server():
    server = Sandbox().serve()
    yield server
    server.stop()


@pytest.fixture
def setup_env(sandbox_server, settings):
    port = free_port()
    settings.TEAMLEADER = {
        **settings.TEAMLEADER,
        "REDIRECT_URI": f"http://127.0.0.1:{port}/callback",
        "OAUTH_CALLBACK_PORT": port,
        "AUTH_BASE_URL": sandbox_server.url,
        "API_BASE_URL": sandbox_server.url,
    }
    return port


class RunningCommand:
    """``teamleader_setup`` running in a thread, as it would in a terminal."""

    def __init__(self, *args: str, stdin=None, browser: bool = False) -> None:
        self.stdout, self.stderr = WatchedOutput(), WatchedOutput()
        self.error: BaseException | None = None
        options = {"stdout": self.stdout, "stderr": self.stderr}
        if stdin is not None:
            options["stdin"] = stdin
        args = args if browser else ("--no-browser", *args)
        self.thread = threading.Thread(target=self._run, args=(args, options))
        self.thread.start()

    def _run(self, args, options):
        from django.db import connections

        try:
            call_command("teamleader_setup", *args, **options)
        except BaseException as err:  # noqa: BLE001 - inspected by the test
            self.error = err
        finally:
            connections.close_all()

    def authorize_url(self) -> str:
        return self.stdout.wait_for(r"(http\S+/oauth2/authorize\?\S+)").group(1)

    def state(self) -> str:
        return re.search(r"state=([^&\s]+)", self.authorize_url()).group(1)

    def finish(self, timeout: float = 30):
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the command is still waiting"
        return self.error


def test_connects_through_the_browser_and_reports_expiry_and_user(setup_env, sandbox_server):
    cmd = RunningCommand("--timeout", "30")
    url = cmd.authorize_url()
    assert url.startswith(
        f"{sandbox_server.url}/oauth2/authorize?client_id=test-client-id&response_type=code"
    )
    assert f"redirect_uri=http%3A%2F%2F127.0.0.1%3A{setup_env}%2Fcallback" in url
    cmd.stdout.wait_for("Waiting for Teamleader's redirect")
    page = decide_in_browser(url, "approve")
    assert page.status_code == 200
    assert "Teamleader is connected as Sofie Peeters" in page.text
    assert cmd.finish() is None
    row = TeamleaderToken.objects.get()
    assert row.connected_by == "manage.py teamleader_setup"
    assert row.teamleader_user_name == "Sofie Peeters"
    assert row.scopes == ["contacts", "companies", "deals", "users"]
    out = cmd.stdout.getvalue()
    local = timezone.localtime(row.expires_at)
    assert f"The access token expires at {local:%Y-%m-%d %H:%M:%S %Z}" in out
    assert local.tzname() in ("CET", "CEST")
    assert "Connected as Sofie Peeters <" in out
    assert "saved (DatabaseTokenBackend)" in out
    assert row.access_token not in out and row.refresh_token not in out
    assert sandbox_server.sandbox.stats["code_grants"] == 1


def test_forged_state_and_favicon_are_answered_and_ignored(setup_env, sandbox_server):
    cmd = RunningCommand("--timeout", "30")
    url = cmd.authorize_url()
    cmd.stdout.wait_for("Waiting")
    base = f"http://127.0.0.1:{setup_env}"
    favicon = requests.get(f"{base}/favicon.ico", timeout=5)
    assert favicon.status_code == 404
    code = sandbox_server.sandbox.authorize(f"{base}/callback")
    forged = requests.get(f"{base}/callback", params={"code": code, "state": "forged"}, timeout=5)
    assert forged.status_code == 400
    assert "does not match" in forged.text
    missing = requests.get(f"{base}/callback", params={"code": code}, timeout=5)
    assert missing.status_code == 400
    assert sandbox_server.sandbox.stats["code_grants"] == 0  # never exchanged
    assert cmd.thread.is_alive()  # still waiting for the real callback
    assert decide_in_browser(url).status_code == 200
    assert cmd.finish() is None
    assert "Ignored a callback" in cmd.stderr.getvalue()
    assert TeamleaderToken.objects.exists()
    assert sandbox_server.sandbox.stats["code_grants"] == 1


def test_access_denied_ends_with_a_clear_error(setup_env, sandbox_server):
    cmd = RunningCommand("--timeout", "30")
    url = cmd.authorize_url()
    cmd.stdout.wait_for("Waiting")
    page = decide_in_browser(url, "deny")
    assert "Access denied" in page.text
    error = cmd.finish()
    assert isinstance(error, CommandError)
    assert "Access was denied" in str(error) and "Run the command again" in str(error)
    assert not TeamleaderToken.objects.exists()


def test_gives_up_after_the_timeout(setup_env):
    cmd = RunningCommand("--timeout", "1")
    error = cmd.finish()
    assert isinstance(error, CommandError)
    assert "No callback arrived within 1 s; nothing was stored" in str(error)
    assert "--manual" in str(error)
    with pytest.raises(requests.ConnectionError):  # the server is gone
        requests.get(f"http://127.0.0.1:{setup_env}/callback", timeout=2)


def test_port_in_use_gives_a_hint(setup_env):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", setup_env))
        blocker.listen()
        with pytest.raises(CommandError, match=f"Port {setup_env} is already in use.*--port"):
            call_command("teamleader_setup", "--no-browser", stdout=io.StringIO())


def test_port_option_overrides_the_setting(setup_env, sandbox_server, settings):
    other = free_port()
    settings.TEAMLEADER = {**settings.TEAMLEADER, "REDIRECT_URI": f"http://127.0.0.1:{other}/callback"}
    cmd = RunningCommand("--port", str(other), "--timeout", "30")
    url = cmd.authorize_url()
    cmd.stdout.wait_for(f"127.0.0.1:{other}/callback")
    assert decide_in_browser(url).status_code == 200
    assert cmd.finish() is None


def test_a_port_the_redirect_cannot_reach_is_refused_at_once(setup_env):
    other = free_port()
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("teamleader_setup", "--no-browser", "--port", str(other), stdout=out)
    assert f"points at port {setup_env}, but the callback server would listen on --port {other}" in str(
        info.value
    )
    assert f"Use --port {setup_env}" in str(info.value)
    assert out.getvalue() == ""  # refused before any URL is printed or any port is bound


def paste_answers(sandbox, redirect, *answers_first):
    """A stdin for --manual: first ``answers_first`` (e.g. "y" to replace), then the URL the browser landed on."""

    class Paste:
        def __init__(self, cmd_output):
            self.out = cmd_output
            self.first = list(answers_first)

        def readline(self):
            if self.first:
                return self.first.pop(0) + "\n"
            state = re.search(r"state=([^&\s]+)", self.out.getvalue()).group(1)
            return sandbox.approve(redirect, state) + "\n"

    return Paste


def test_manual_mode_with_a_pasted_url(setup_env, sandbox_server):
    sandbox = sandbox_server.sandbox
    redirect = f"http://127.0.0.1:{setup_env}/callback"

    Paste = paste_answers(sandbox, redirect)

    out = WatchedOutput()
    call_command("teamleader_setup", "--manual", stdout=out, stdin=Paste(out))
    assert "Paste the full URL" in out.getvalue()
    assert "Teamleader is connected" in out.getvalue()
    assert TeamleaderToken.objects.get().connected_by == "manage.py teamleader_setup"


def test_manual_mode_with_a_bare_code(setup_env, sandbox_server):
    code = sandbox_server.sandbox.authorize(f"http://127.0.0.1:{setup_env}/callback")
    out = io.StringIO()
    call_command("teamleader_setup", "--manual", stdout=out, stdin=io.StringIO(code + "\n"))
    assert TeamleaderToken.objects.exists()


def test_manual_mode_refuses_a_url_with_a_forged_state(setup_env, sandbox_server):
    forged = sandbox_server.sandbox.approve(f"http://127.0.0.1:{setup_env}/callback", "forged")
    with pytest.raises(CommandError, match="state does not match"):
        call_command("teamleader_setup", "--manual", stdout=io.StringIO(), stdin=io.StringIO(forged + "\n"))
    assert sandbox_server.sandbox.stats["code_grants"] == 0
    assert not TeamleaderToken.objects.exists()


def test_manual_mode_with_nothing_pasted(setup_env):
    with pytest.raises(CommandError, match="Nothing was pasted"):
        call_command("teamleader_setup", "--manual", stdout=io.StringIO(), stdin=io.StringIO("\n"))


def test_a_refused_code_says_what_to_do(setup_env, sandbox_server):
    code = "def50200" + "0" * 64  # looks like a code; Teamleader (the sandbox) never issued it
    with pytest.raises(CommandError, match="single-use and expire after 10 minutes"):
        call_command("teamleader_setup", "--manual", stdout=io.StringIO(), stdin=io.StringIO(code + "\n"))
    assert not TeamleaderToken.objects.exists()
    assert sandbox_server.sandbox.stats["rejected_codes"] == 1


@pytest.mark.parametrize("pasted", ["yes please", "not-a-code", "the page said: error"])
def test_a_paste_that_is_neither_a_url_nor_a_code_is_refused_before_anything_is_sent(
    setup_env, sandbox_server, pasted
):
    with pytest.raises(CommandError) as info:
        call_command("teamleader_setup", "--manual", stdout=io.StringIO(), stdin=io.StringIO(pasted + "\n"))
    assert "neither the URL your browser was sent back to" in str(info.value)
    assert "nothing was sent to Teamleader" in str(info.value)
    assert sandbox_server.sandbox.stats["rejected_codes"] == 0 and not TeamleaderToken.objects.exists()


def test_a_pasted_bare_code_without_state_is_called_missing_not_wrong(setup_env, sandbox_server):
    with pytest.raises(CommandError) as info:
        call_command(
            "teamleader_setup",
            "--manual",
            stdout=io.StringIO(),
            stdin=io.StringIO(f"http://127.0.0.1:{setup_env}/callback?code=def50200abcdef0123456789\n"),
        )
    assert "The callback carries no state" in str(info.value)
    assert "does not match" not in str(info.value)


@pytest.mark.parametrize("how", [["y"], ["yes"], ["--noinput"]])
def test_an_existing_connection_is_replaced_when_the_user_says_so_or_with_noinput(
    setup_env, sandbox_server, how
):
    TeamleaderTokenFactory()
    answers = [] if how == ["--noinput"] else how
    options = ["--noinput"] if how == ["--noinput"] else []
    out = WatchedOutput()
    stdin = paste_answers(sandbox_server.sandbox, f"http://127.0.0.1:{setup_env}/callback", *answers)(out)
    call_command("teamleader_setup", "--manual", *options, stdout=out, stdin=stdin)
    assert ("Replace that connection?" in out.getvalue()) == (how != ["--noinput"])
    assert TeamleaderToken.objects.get().teamleader_user_name == "Sofie Peeters"  # the new connection


def test_an_existing_connection_is_replaced_only_when_the_user_says_so(setup_env, sandbox_server):
    TeamleaderTokenFactory()
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was changed: the current connection stays"):
        call_command("teamleader_setup", "--manual", stdout=out, stdin=io.StringIO("n\n"))
    assert "already connected to Teamleader as Ada Lovelace <ada@example.com>. Replace that connection?" in (
        out.getvalue()
    )
    assert "oauth2/authorize" not in out.getvalue()  # nothing started
    assert TeamleaderToken.objects.get().teamleader_user_name == "Ada Lovelace"


def test_invalid_settings_stop_before_anything_happens(settings):
    settings.TEAMLEADER = {**settings.TEAMLEADER, "SCOPES": "contacts"}
    with pytest.raises(CommandError, match='"SCOPES" must be a list of strings'):
        call_command("teamleader_setup", "--no-browser", stdout=io.StringIO())


def test_opens_the_browser_unless_told_not_to(setup_env, sandbox_server, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    cmd = RunningCommand("--timeout", "30", browser=True)
    cmd.stdout.wait_for("Waiting")
    assert opened == [cmd.authorize_url()]
    decide_in_browser(opened[0])
    assert cmd.finish() is None
    assert TeamleaderToken.objects.exists()


def test_access_denied_exits_non_zero_from_the_shell(sandbox_server):
    """The real ``manage.py`` process: a refusal is exit status 1 with the message on stderr."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "TEAMLEADER_TEST_OVERRIDES": f'{{"REDIRECT_URI": "http://127.0.0.1:{port}/callback", '
        f'"OAUTH_CALLBACK_PORT": {port}, "AUTH_BASE_URL": "{sandbox_server.url}", '
        f'"API_BASE_URL": "{sandbox_server.url}"}}',
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "django", "teamleader_setup", "--no-browser", "--timeout", "120"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = None
    for line in proc.stdout:  # the URL first, then "Waiting…" once the server listens
        if "/oauth2/authorize?" in line:
            url = line.strip()
        if line.startswith("Waiting for Teamleader's redirect"):
            break
    else:
        pytest.fail(f"teamleader_setup ended early: {proc.communicate(timeout=10)[1]}")
    decide_in_browser(url, "deny")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert "Access was denied on Teamleader's authorisation page" in err


@pytest.mark.parametrize(
    "args, message", [(["--port", "0"], "--port must be"), (["--timeout", "0"], "--timeout must")]
)
def test_bad_options_are_refused(setup_env, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("teamleader_setup", "--no-browser", *args, stdout=io.StringIO())
