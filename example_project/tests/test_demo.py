"""``demo.py``: its setup steps in a fresh database, and a full start and stop."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

DEMO = Path(__file__).resolve().parent.parent / "demo.py"
CREDENTIALS = "username 'admin', password 'teamleader-demo'"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def demo_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEMO_", "TEAMLEADER_"))}
    # Empty but set: a local .env cannot switch the demo to real credentials.
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}", TEAMLEADER_CLIENT_ID="")
    return env


def test_setup_only_in_a_fresh_database(tmp_path, demo_env):
    ports = [free_port(), free_port()]
    args = [sys.executable, str(DEMO), "--setup-only", "--port", str(ports[0]),
            "--sandbox-port", str(ports[1])]
    first = subprocess.run(args, env=demo_env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert f"Demo admin user created: {CREDENTIALS}" in first.stdout
    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        assert db.execute("SELECT username FROM auth_user WHERE is_superuser").fetchall() == [("admin",)]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"crm_signup", "teamleader_django_teamleadertoken"} <= tables
    assert not any(listening(port) for port in ports)

    again = subprocess.run(args, env=demo_env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert f"Demo admin user exists: {CREDENTIALS}" in again.stdout


def store_dead_token(database: Path) -> None:
    """A token an earlier sandbox issued: the next sandbox will not know it."""
    row = {"id": 1, "access_token": "old-access", "refresh_token": "old-refresh", "token_type": "Bearer",
           "expires_at": "2099-01-01 00:00:00", "updated_at": "2025-01-01 00:00:00", "scopes": "[]",
           "teamleader_user_id": "", "teamleader_user_name": "Old Run", "teamleader_user_email": "",
           "connected_by": "test", "teamleader_account_id": "", "status": "connected", "problem": ""}
    with sqlite3.connect(database) as db:
        db.execute(f"INSERT INTO teamleader_django_teamleadertoken ({', '.join(row)})"
                   f" VALUES ({', '.join('?' * len(row))})", list(row.values()))


@pytest.mark.skipif(os.name != "posix", reason="stops its children by process group")
def test_demo_runs_connects_and_stops(tmp_path, demo_env):
    setup = subprocess.run([sys.executable, str(DEMO), "--setup-only"], env=demo_env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert setup.returncode == 0, setup.stderr
    store_dead_token(tmp_path / "demo.sqlite3")
    site_port, sandbox_port = free_port(), free_port()
    demo = subprocess.Popen(
        [sys.executable, str(DEMO), "--connect", "--port", str(site_port),
         "--sandbox-port", str(sandbox_port)],
        env=demo_env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in demo.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl+C"):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert ready.wait(60), "".join(lines)
        output = "".join(lines)
        assert "Cleared the Teamleader connection of an earlier run" in output
        assert f"Site:     http://127.0.0.1:{site_port}/" in output
        assert f"Sandbox:  http://127.0.0.1:{sandbox_port}/" in output
        assert "Connected to the sandbox as Sofie Peeters" in output

        site = f"http://127.0.0.1:{site_port}"
        session = requests.Session()
        session.get(f"{site}/admin/login/", timeout=10)
        login = session.post(f"{site}/admin/login/?next=/", timeout=10, data={
            "username": "admin", "password": "teamleader-demo", "next": "/",
            "csrfmiddlewaretoken": session.cookies["csrftoken"]})
        assert login.status_code == 200 and login.url == f"{site}/"
        assert 'id="contacts"' in login.text and "Teamleader: Sofie Peeters" in login.text
    finally:
        demo.send_signal(signal.SIGINT)
        code = demo.wait(30)
    assert code == 0
    deadline = time.monotonic() + 10
    while (listening(site_port) or listening(sandbox_port)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not listening(site_port) and not listening(sandbox_port)


def test_a_busy_port_stops_the_demo_before_it_changes_anything(tmp_path, demo_env):
    setup = subprocess.run([sys.executable, str(DEMO), "--setup-only"], env=demo_env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert setup.returncode == 0, setup.stderr
    store_dead_token(tmp_path / "demo.sqlite3")  # perhaps the token of a demo still running
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        args = [sys.executable, str(DEMO), "--sandbox-port", str(busy.getsockname()[1]), "--port", str(free_port())]
        result = subprocess.run(args, env=demo_env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "is in use" in result.stderr and "--sandbox-port" in result.stderr
    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM teamleader_django_teamleadertoken").fetchone() == (1,)
