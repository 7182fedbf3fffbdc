"""The Django guide, step by step, in a brand-new ``django-admin startproject`` site.

Every command runs as a user would run it: ``pip install "teamleader-sdk[django]"`` (from
this checkout) into a fresh virtualenv, then ``manage.py`` in a subprocess in a fresh
directory, against the offline sandbox instead of Teamleader.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from teamleader.testing import Sandbox

from .utils import decide_in_browser, free_port

ROOT = Path(__file__).resolve().parents[2]


def site_env(*, tools: bool = False) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mysite.settings"}
    # tox makes DeprecationWarnings errors (PYTHONWARNINGS) for this project's code; pip's
    # own warnings on a new Python are not ours to fail on.
    for name in ("DATABASE_URL", "PYTHONPATH", *(("PYTHONWARNINGS",) if tools else ())):
        env.pop(name, None)
    return env


def run(python: Path, site: Path, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(python), *args],
        cwd=site,
        env=site_env(tools=args[:2] == ("-m", "pip")),
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def connect_with_setup(python: Path, site: Path) -> str:
    """``manage.py teamleader_setup``, with a "browser" that approves on the sandbox; its output."""
    setup = subprocess.Popen(
        [str(python), "manage.py", "teamleader_setup", "--no-browser", "--timeout", "60"],
        cwd=site,
        env=site_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = None
    for line in setup.stdout:
        if "/oauth2/authorize?" in line:
            url = line.strip()
        if line.startswith("Waiting for Teamleader's redirect"):
            break
    assert url, setup.stderr.read()
    assert "Teamleader is connected" in decide_in_browser(url).text
    out, err = setup.communicate(timeout=60)
    assert setup.returncode == 0, err
    return out


def assert_only_the_rate_budget_warning(check: subprocess.CompletedProcess) -> None:
    """A new site caches in local memory, so its rate budget is per process: W020 says so, nothing else."""
    assert "System check identified 1 issue (0 silenced)" in check.stdout + check.stderr
    assert "(teamleader.W020)" in check.stdout + check.stderr


@pytest.fixture
def sandbox_server():
    server = Sandbox().serve()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def python(tmp_path_factory):
    """Step 1: pip install "teamleader-sdk[django]", here from this checkout into a new virtualenv.

    Django itself comes from the test environment through --system-site-packages. One
    virtualenv serves every site of this module.
    """
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    # From a copy of the checkout: setuptools builds in the source tree (build/), and two
    # builds of one tree at once (tox environments in parallel) would trip over each other.
    source = tmp_path_factory.mktemp("source") / "teamleader-sdk"
    shutil.copytree(
        ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", ".tox", "build", "*.egg-info")
    )
    run(python, venv, "-m", "pip", "install", "--quiet", f"{source}[django]")
    where = run(python, venv, "-c", "import teamleader; print(teamleader.__file__)").stdout
    assert where.startswith(str(venv)), where  # the installed copy, not this checkout
    return python


def new_site(python: Path, tmp_path: Path, extra_settings: str = "") -> tuple[Path, str]:
    """A ``django-admin startproject`` site with the app installed; returns it and its settings text."""
    site = tmp_path / "site"
    site.mkdir()
    run(python, site, "-m", "django", "startproject", "mysite", ".")
    settings = site / "mysite" / "settings.py"
    text = re.sub(
        r"(['\"]django\.contrib\.staticfiles['\"],)", r'\1\n    "teamleader.django",', settings.read_text()
    )
    settings.write_text(text + extra_settings)
    return site, text


def test_the_guide_works_literally_in_a_fresh_project(python, tmp_path, sandbox_server):
    # Step 2: add the app. Before step 3 the app refuses to start, saying what to write.
    site, text = new_site(python, tmp_path)
    port = free_port()
    settings = site / "mysite" / "settings.py"
    assert '"teamleader.django"' in text
    refused = run(python, site, "manage.py", "check", check=False)
    assert refused.returncode != 0
    assert "settings.TEAMLEADER is not set" in refused.stderr
    assert '"CLIENT_ID": "your-client-id"' in refused.stderr

    # Step 3: the settings dict of the guide (plus the sandbox's URLs instead of Teamleader's).
    settings.write_text(
        text
        + textwrap.dedent(f"""
        TEAMLEADER = {{
            "CLIENT_ID": "your-client-id",
            "CLIENT_SECRET": "your-client-secret",
            "REDIRECT_URI": "http://localhost:{port}/callback",
            "SCOPES": ["contacts", "deals", "users"],
            "OAUTH_CALLBACK_PORT": {port},
            "TOKEN_BACKEND": "teamleader.django.token_store.DatabaseTokenBackend",
            "TIMEOUT": 30,
            "AUTH_BASE_URL": "{sandbox_server.url}",
            "API_BASE_URL": "{sandbox_server.url}",
        }}
        """)
    )
    assert_only_the_rate_budget_warning(run(python, site, "manage.py", "check"))

    # Step 4: the guide's two commands. The migration ships with the package, so
    # makemigrations has nothing to write, and migrate creates the table.
    assert (
        "No changes detected in app 'teamleader_django'"
        in run(python, site, "manage.py", "makemigrations", "teamleader_django").stdout
    )
    assert "Applying teamleader_django.0001_initial... OK" in run(python, site, "manage.py", "migrate").stdout

    # Step 5: teamleader_setup; the "browser" approves on the sandbox's authorize page.
    out = connect_with_setup(python, site)
    assert "The access token expires at" in out

    # Step 6: get_client() anywhere; iterate contacts, fetch a deal.
    deal_id = next(iter(sandbox_server.sandbox.state.deals))
    script = textwrap.dedent(f"""
        from teamleader.django import get_client
        client = get_client()
        contacts = list(client.contacts.iterate())
        print("contacts:", len(contacts), contacts[0].full_name, contacts[0].primary_email)
        deal = client.deals.get("{deal_id}")
        print(deal.title, deal.is_won)
    """)
    shell = run(python, site, "manage.py", "shell", "-c", script)
    count = int(shell.stdout.split("contacts:")[1].split()[0])
    assert count == len(sandbox_server.sandbox.state.contacts)
    assert sandbox_server.sandbox.state.deals[deal_id]["title"] in shell.stdout

    # Token rotation, reactively: Teamleader refuses the access token (401) before its
    # stored expiry; the client refreshes once and the call succeeds.
    sandbox = sandbox_server.sandbox
    sandbox.expire_access_tokens()
    me = "from teamleader.django import get_client; print('me:', get_client().users.me().full_name)"
    assert "me: Sofie Peeters" in run(python, site, "manage.py", "shell", "-c", me).stdout
    assert (sandbox.stats["refresh_grants"], sandbox.stats["unauthorized_calls"]) == (1, 1)

    # ...and proactively: a stored expiry in the past refreshes before the call, no 401.
    expire_locally = (
        "import datetime as dt; from django.utils import timezone; "
        "from teamleader.django.models import TeamleaderToken; "
        "TeamleaderToken.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1)); "
    )
    assert "me: Sofie Peeters" in run(python, site, "manage.py", "shell", "-c", expire_locally + me).stdout
    assert (sandbox.stats["refresh_grants"], sandbox.stats["unauthorized_calls"]) == (2, 1)

    # Revoked refresh token: the error tells the user to re-run teamleader_setup.
    sandbox.revoke_tokens()
    revoked = run(python, site, "manage.py", "shell", "-c", expire_locally + me, check=False)
    assert "TeamleaderAuthExpiredError" in revoked.stderr
    assert 'Connect again: run "python manage.py teamleader_setup"' in revoked.stderr


def sandbox_settings(sandbox_server, port: int, backend: str, options: dict) -> str:
    return textwrap.dedent(f"""
        TEAMLEADER = {{
            "CLIENT_ID": "your-client-id",
            "CLIENT_SECRET": "your-client-secret",
            "REDIRECT_URI": "http://localhost:{port}/callback",
            "SCOPES": ["contacts", "deals", "users"],
            "OAUTH_CALLBACK_PORT": {port},
            "TOKEN_BACKEND": "{backend}",
            "TOKEN_BACKEND_OPTIONS": {options!r},
            "AUTH_BASE_URL": "{sandbox_server.url}",
            "API_BASE_URL": "{sandbox_server.url}",
        }}
        """)


ME = "from teamleader.django import get_client; print('me:', get_client().users.me().full_name)"


def test_a_file_token_backend_from_settings_connects_calls_and_refreshes(python, tmp_path, sandbox_server):
    token_file = tmp_path / "secrets" / "teamleader.json"
    port = free_port()
    backend = "teamleader.token_backends.FileTokenBackend"
    site, _ = new_site(
        python, tmp_path, sandbox_settings(sandbox_server, port, backend, {"path": str(token_file)})
    )
    assert_only_the_rate_budget_warning(run(python, site, "manage.py", "check"))
    run(python, site, "manage.py", "migrate")

    # Connect with teamleader_setup: the pair lands in the file, not in the database.
    out = connect_with_setup(python, site)
    assert "the token pair is saved (FileTokenBackend)" in out and "Connected as Sofie Peeters" in out
    stored = json.loads(token_file.read_text())
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert (stored["user_name"], stored["connected_by"]) == ("Sofie Peeters", "manage.py teamleader_setup")
    rows = "from teamleader.django.models import TeamleaderToken; print('rows:', TeamleaderToken.objects.count())"
    assert "rows: 0" in run(python, site, "manage.py", "shell", "-c", rows).stdout

    # Call, then refresh when Teamleader refuses the access token: the file holds the new pair.
    assert "me: Sofie Peeters" in run(python, site, "manage.py", "shell", "-c", ME).stdout
    sandbox_server.sandbox.expire_access_tokens()
    assert "me: Sofie Peeters" in run(python, site, "manage.py", "shell", "-c", ME).stdout
    assert sandbox_server.sandbox.stats["refresh_grants"] == 1
    refreshed = json.loads(token_file.read_text())
    assert refreshed["token"]["refresh_token"] != stored["token"]["refresh_token"]
    assert refreshed["refreshed_at"] and refreshed["user_name"] == "Sofie Peeters"


def test_a_memory_token_backend_from_settings_connects_calls_and_refreshes(python, tmp_path, sandbox_server):
    """One process (here a shell; in real life e.g. runserver and its admin) connects, calls and refreshes."""
    port = free_port()
    backend = "teamleader.token_backends.MemoryTokenBackend"
    site, _ = new_site(python, tmp_path, sandbox_settings(sandbox_server, port, backend, {}))
    run(python, site, "manage.py", "migrate")
    script = textwrap.dedent("""
        from teamleader.django import get_client
        from teamleader.django.client import get_oauth_handler, get_token_backend
        from teamleader.django.connect import connect_from_paste

        handler = get_oauth_handler()
        url = handler.get_authorization_url()
        print("authorize:", url, flush=True)
        info = connect_from_paste(handler, input(), expected_state=url.state, connected_by="a script")
        print("connected as:", info.user_label, flush=True)
        print("me:", get_client().users.me().full_name, flush=True)
        input()  # the test expires the access tokens meanwhile
        print("me again:", get_client().users.me().full_name)
        print("refreshed:", get_token_backend().read().refreshed_at is not None)
    """)
    shell = subprocess.Popen(
        [str(python), "manage.py", "shell", "-c", script],
        cwd=site,
        env=site_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = ""
    while not line.startswith("authorize: "):  # Django 5.2's shell may first say what it imported
        line = shell.stdout.readline()
        if not line:
            shell.kill()
            raise AssertionError(shell.stderr.read())
    state = parse_qs(urlsplit(line.split(" ", 1)[1].strip()).query)["state"][0]
    callback = sandbox_server.sandbox.approve(f"http://localhost:{port}/callback", state)
    shell.stdin.write(callback + "\n")
    shell.stdin.flush()
    assert shell.stdout.readline().startswith("connected as: Sofie Peeters")
    assert shell.stdout.readline().strip() == "me: Sofie Peeters"
    sandbox_server.sandbox.expire_access_tokens()
    out, err = shell.communicate("\n", timeout=60)
    assert shell.returncode == 0, err
    assert "me again: Sofie Peeters" in out and "refreshed: True" in out
    assert sandbox_server.sandbox.stats["refresh_grants"] == 1
