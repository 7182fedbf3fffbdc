"""Headless Debian Chromium through Playwright, for the browser tests; never a downloaded browser."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

#: The marks every browser test module sets as its ``pytestmark``.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK),
        reason=f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium chromium-driver)",
    ),
]


@contextlib.contextmanager
def chromium_page(**context_options: Any) -> Iterator[Any]:
    """A page in headless Chromium (``context_options``: Playwright's, e.g. the viewport).

    Playwright's sync API runs an event loop in this thread while the block is open;
    Django refuses ORM calls there, and a connection opened anyway would belong to the
    loop's context and stay open. So a test touches the database only outside it.
    """
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, **context_options})
            context.set_default_timeout(15_000)
            yield context.new_page()
        finally:
            browser.close()
