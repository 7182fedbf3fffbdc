"""The Django guide, step by step, in a brand-new ``django-admin startproject`` site.

Every command runs as a user would run it: ``pip install "teamleader-sdk[django]"`` (from
this checkout) into a fresh virtualenv, then ``manage.py`` in a subprocess in a fresh
directory, against the offline sandbox instead of Teamleader.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

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


@pytest.fixture
def sandbox_server():
    server = Sandbox().serve()
    yield server
    server.stop()


def test_the_guide_works_literally_in_a_fresh_project(tmp_path, sandbox_server):
    # Step 1: pip install "teamleader-sdk[django]", here from this checkout into a new virtualenv
    # (Django itself comes from the test environment through --system-site-packages).
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    run(python, tmp_path, "-m", "pip", "install", "--quiet", f"{ROOT}[django]")
    where = run(python, tmp_path, "-c", "import teamleader; print(teamleader.__file__)").stdout
    assert where.startswith(str(venv)), where  # the installed copy, not this checkout

    site = tmp_path / "site"
    site.mkdir()
    run(python, site, "-m", "django", "startproject", "mysite", ".")
    port = free_port()
    settings = site / "mysite" / "settings.py"

    # Step 2: add the app. Before step 3 the app refuses to start, saying what to write.
    text = re.sub(
        r"(['\"]django\.contrib\.staticfiles['\"],)", r'\1\n    "teamleader.django",', settings.read_text()
    )
    assert '"teamleader.django"' in text
    settings.write_text(text)
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
    assert "System check identified no issues" in run(python, site, "manage.py", "check").stdout

    # Step 4: the guide's two commands. The migration ships with the package, so
    # makemigrations has nothing to write, and migrate creates the table.
    assert (
        "No changes detected in app 'teamleader_django'"
        in run(python, site, "manage.py", "makemigrations", "teamleader_django").stdout
    )
    assert "Applying teamleader_django.0001_initial... OK" in run(python, site, "manage.py", "migrate").stdout

    # Step 5: teamleader_setup; the "browser" approves on the sandbox's authorize page.
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
    assert "Re-run `python manage.py teamleader_setup`" in revoked.stderr
