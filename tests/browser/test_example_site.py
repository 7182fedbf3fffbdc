"""The example project's pages on a 390-pixel-wide phone screen, in a real headless Chromium.

Starts ``example_project/demo.py --connect`` (the site and a sandbox, on free ports, with a
database in a temporary folder), signs in, and opens each page the way a phone does. A page
must fit the screen: no sideways scrolling, and nothing in the header beyond its right edge.
Each page is saved as ``artifacts/example-<page>-390.png`` for a person to look at.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

from .chromium import ARTIFACTS, BROWSER, chromium_page

pytestmark = [*BROWSER, pytest.mark.skipif(os.name != "posix", reason="stops the demo by process group")]

DEMO = Path(__file__).resolve().parents[2] / "example_project" / "demo.py"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}

# What sticks out to the right of the screen: the page's own width, and every element of the
# header whose right edge passes the screen's.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const header = [...document.querySelectorAll('header *')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5)
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''));
  return {width, scrollWidth: document.documentElement.scrollWidth, header};
}"""


def measure(page) -> dict:
    """What sticks out, once the page has loaded (the dashboard reloads itself when the mirror changes)."""
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            return page.evaluate(OVERFLOW)
        except Exception:  # noqa: BLE001 - navigated away mid-evaluation: measure the reloaded page
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_demo(folder: Path) -> Iterator[str]:
    """``demo.py --connect`` on free ports; the site's URL while it runs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEMO_", "TEAMLEADER_"))}
    env.update(DATABASE_URL=f"sqlite:///{folder / 'demo.sqlite3'}", TEAMLEADER_CLIENT_ID="")
    port = free_port()
    demo = subprocess.Popen(
        [sys.executable, str(DEMO), "--connect", "--port", str(port), "--sandbox-port", str(free_port())],
        env=env,
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in demo.stdout:  # type: ignore[union-attr]
            lines.append(line)
            if line.startswith("Press Ctrl+C"):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert ready.wait(90), "".join(lines)
        yield f"http://127.0.0.1:{port}"
    finally:
        demo.send_signal(signal.SIGINT)
        demo.wait(30)


def test_every_page_fits_a_390_pixel_screen(tmp_path):
    found = {}
    ARTIFACTS.mkdir(exist_ok=True)
    with running_demo(tmp_path) as site, chromium_page(**PHONE) as page:
        page.goto(f"{site}/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", "teamleader-demo")
        page.click("input[type=submit]")
        page.wait_for_url(f"{site}/")
        deal = page.get_attribute("#deals tbody a", "href")
        pages = {
            "dashboard": "/",
            "deal": deal,
            "new-contact": "/contacts/new/",
            "admin-connection": "/admin/teamleader_django/teamleadertoken/",
        }
        for name, path in pages.items():
            page.goto(f"{site}{path}")
            if name == "new-contact":
                page.click("form button[type=submit]")  # the form with its error messages
            found[name] = measure(page)
            page.screenshot(path=str(ARTIFACTS / f"example-{name}-390.png"), full_page=True)
        page.goto(f"{site}/admin/teamleader_django/teamleadertoken/disconnect/")
        page.click("input[type=submit][value='Yes, disconnect']")
        page.goto(f"{site}{deal}")  # a page that needs Teamleader asks to connect
        not_connected = page.inner_text("main")
        found["not-connected"] = measure(page)
        page.screenshot(path=str(ARTIFACTS / "example-not-connected-390.png"), full_page=True)

    assert "Connect" in not_connected
    assert deal and deal.startswith("/deals/")
    for name, seen in found.items():
        assert seen["width"] == 390, (name, seen)
        assert seen["scrollWidth"] <= seen["width"], f"{name} scrolls sideways: {seen}"
        assert seen["header"] == [], f"{name}: the header sticks out of the screen: {seen['header']}"
