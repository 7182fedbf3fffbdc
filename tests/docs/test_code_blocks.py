"""The documentation's code runs as written, and its reference pages name everything.

Each page's Python blocks run in order against two offline sandboxes: one answering at
Teamleader's own addresses (what Django settings and scripts without base URLs reach) and
one at ``http://127.0.0.1:8765``, where ``python -m teamleader.testing`` serves. The Django
site is connected (a sandbox token is stored), and a block that assigns ``TEAMLEADER``
makes that the site's setting for the blocks after it. See :mod:`tests.docs.blocks`.
"""

from __future__ import annotations

import copy
import re
import unittest
from pathlib import Path
from typing import Any, Callable

import pytest
import responses

from teamleader.django import checks
from teamleader.django.client import settings_problems
from teamleader.django.conf import DEFAULTS, REQUIRED
from teamleader.django.token_store import DatabaseTokenBackend
from teamleader.testing import Sandbox

from .blocks import DOCUMENTS, ROOT, approving_user, is_marked, parse, python_fences, run_block

LOCAL_SANDBOX = "http://127.0.0.1:8765"  # python -m teamleader.testing's default address
WITH_CODE = [path for path in DOCUMENTS if parse(path).regions]


def name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture
def sandboxes():
    teamleader, local = Sandbox(), Sandbox()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        teamleader.activate(rsps)
        local.activate(rsps, LOCAL_SANDBOX, LOCAL_SANDBOX)
        rsps.add_passthru(re.compile(r"http://127\.0\.0\.1:\d+/"))  # servers a page starts itself
        yield teamleader, local


def follow_teamleader_setting(settings: Any) -> Callable[[dict[str, Any]], None]:
    """After a block that (re)defines ``TEAMLEADER``, the site runs on it, and it must be valid."""
    applied: list[Any] = [None]

    def hook(namespace: dict[str, Any]) -> None:
        value = namespace.get("TEAMLEADER")
        if not isinstance(value, dict) or not set(REQUIRED) <= set(value) or value == applied[0]:
            return
        applied[0] = copy.deepcopy(value)
        settings.TEAMLEADER = copy.deepcopy(value)
        assert settings_problems() == {}, f"the documented TEAMLEADER setting is refused: {value!r}"

    return hook


@pytest.mark.django_db
@pytest.mark.parametrize("path", WITH_CODE, ids=name)
def test_the_code_blocks_run(path, sandboxes, settings, tmp_path, monkeypatch):
    teamleader, _ = sandboxes
    DatabaseTokenBackend().save(teamleader.issue_token_object())  # the site is connected
    monkeypatch.chdir(tmp_path)  # files a page writes land here
    document = parse(path)
    document.namespace.update(
        sandbox=teamleader,
        input=approving_user(document.namespace),
        __after_block__=[follow_teamleader_setting(settings)],
    )
    ran = 0
    for example in document.examples():
        try:
            example.evaluate()
        except unittest.SkipTest:
            continue
        ran += example.region.evaluator is run_block
    if not ran:
        pytest.skip("every python block of this page is marked as not meant to run")


@pytest.mark.parametrize("path", DOCUMENTS, ids=name)
def test_every_python_block_is_run_or_marked(path):
    text = path.read_text()
    collected = {region.start for _, region in parse(path).regions if region.evaluator is run_block}
    for offset, info in python_fences(text):
        line = text.count("\n", 0, offset) + 1
        assert offset in collected or is_marked(text, offset), (
            f"{name(path)}, line {line}: the ```{info} block is not run (only ```python blocks are), "
            'and no <!-- skip: next "why" --> comment right above it says why not'
        )
    for match in re.finditer(r"^[ \t]*<!--\s*skip\b[^>]*-->", text, re.M):  # as Sybil reads them
        line = text.count("\n", 0, match.start()) + 1
        following = next(python_fences(text[match.end() :]), None)
        assert re.fullmatch(r'[ \t]*<!--\s*skip:\s*next\s+"[^"\n]+"\s*-->', match.group()), (
            f'{name(path)}, line {line}: write skip markers as <!-- skip: next "why" -->'
        )
        assert following is not None and not text[match.end() : match.end() + following[0]].strip(), (
            f"{name(path)}, line {line}: a skip marker must stand right above the python block it skips"
        )


def test_the_settings_reference_has_every_key():
    page = (ROOT / "docs" / "django" / "settings.md").read_text()
    headings = set(re.findall(r"^### `([A-Z_]+)`", page, re.M))
    assert headings == {*REQUIRED, *DEFAULTS}, (
        f"docs/django/settings.md: missing {sorted({*REQUIRED, *DEFAULTS} - headings)}, "
        f"unknown {sorted(headings - {*REQUIRED, *DEFAULTS})}"
    )


def test_the_checks_page_has_every_check():
    ids = set(re.findall(r'id="(teamleader\.[EW]\d{3})"', Path(checks.__file__).read_text()))
    page = (ROOT / "docs" / "django" / "checks.md").read_text()
    assert ids and ids <= set(re.findall(r"teamleader\.[EW]\d{3}", page)), sorted(ids)


def test_the_readme_quick_start_is_the_documented_one():
    """Both run (above); this keeps them from drifting apart while the README has one."""

    def quick_starts(text: str) -> list[str]:
        return [block for block in re.findall(r"```python\n(.*?)```", text, re.S) if "SANDBOX =" in block]

    [documented] = quick_starts((ROOT / "docs" / "quickstart.md").read_text())
    assert all(block == documented for block in quick_starts((ROOT / "README.md").read_text()))
