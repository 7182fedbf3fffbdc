"""The callback server's pages: English by default, or the words a caller passes in."""

from __future__ import annotations

import socket

import requests

from teamleader.callback_server import CallbackServer, PageTexts
from teamleader.exceptions import TeamleaderStateMismatchError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def refuse(params):
    raise TeamleaderStateMismatchError("The callback's state does not match.")


def test_pages_are_english_by_default():
    ignored = []
    with CallbackServer(refuse, port=free_port(), on_ignored=ignored.append) as server:
        base = f"http://127.0.0.1:{server.port}"
        page = requests.get(f"{base}/callback?state=x", timeout=5)
        missing = requests.get(f"{base}/favicon.ico", timeout=5)
    assert page.status_code == 400 and '<html lang="en">' in page.text
    assert "<title>Not accepted</title>" in page.text and "state does not match" in page.text
    assert ignored == ["The callback's state does not match."]
    assert "This address only receives Teamleader&#x27;s redirect." in missing.text


def test_pages_in_the_words_passed_in():
    texts = PageTexts(
        lang="nl",
        not_accepted="Niet aanvaard",
        not_found="Niet gevonden",
        not_found_message="Dit adres ontvangt alleen de doorverwijzing van Teamleader.",
        describe_error=lambda err: f"Genegeerd ({type(err).__name__}).",
    )
    ignored = []
    with CallbackServer(refuse, port=free_port(), texts=texts, on_ignored=ignored.append) as server:
        base = f"http://127.0.0.1:{server.port}"
        page = requests.get(f"{base}/callback?state=x", timeout=5)
        missing = requests.get(f"{base}/favicon.ico", timeout=5)
    assert '<html lang="nl">' in page.text and "<title>Niet aanvaard</title>" in page.text
    assert "Genegeerd (TeamleaderStateMismatchError)." in page.text
    assert ignored == ["Genegeerd (TeamleaderStateMismatchError)."]
    assert "<title>Niet gevonden</title>" in missing.text
