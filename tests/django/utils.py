"""Helpers for tests that drive real sockets and processes."""

from __future__ import annotations

import html.parser
import json
import socket
import subprocess
import sys
from urllib.parse import urljoin

import pytest
import requests
from django.db import connection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_together(module: str, *args: str, env: dict[str, str], count: int, cwd: str) -> list[dict]:
    """Run ``count`` processes of ``python -m module args`` and release them at the same instant.

    Each process prints ``ready`` once it has set up, then waits for a line on stdin;
    when all are ready each gets "go". Returns the JSON object each printed last.
    """
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    try:
        for proc in procs:  # the start line: every process has connected and built its client
            line = proc.stdout.readline()
            assert line.strip() == "ready", line + proc.stderr.read()
        for proc in procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
        return results
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()


def database_url() -> str:
    """The URL of the database the tests run on, for child processes."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    if connection.vendor == "postgresql":
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    if connection.vendor == "mysql":
        return f"mysql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 3306}/{s['NAME']}"
    pytest.skip(f"no URL form for {connection.vendor}")


class _FormParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs.get("action", "")
        elif tag == "input" and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs.get("value", "")


def decide_in_browser(authorize_url: str, decision: str = "approve") -> requests.Response:
    """What a person does in the browser: open the authorize page, press Approve or Deny.

    Follows the redirect back to the callback, like a browser, and returns that page.
    """
    with requests.Session() as browser:
        page = browser.get(authorize_url, timeout=10)
        page.raise_for_status()
        form = _FormParser()
        form.feed(page.text)
        return browser.post(
            urljoin(authorize_url, form.action), data={**form.fields, "decision": decision}, timeout=30
        )
