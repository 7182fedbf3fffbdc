"""The sandbox's OAuth2 server: consent page, code grant, refresh rotation, client checks."""

from __future__ import annotations

import re
import threading
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from teamleader.testing import Sandbox
from teamleader.token import Token

from .conftest import Caller

REDIRECT = "https://app.example.com/teamleader/callback"


def authorize_query(**overrides: str) -> str:
    params = {"client_id": "my-client", "response_type": "code", "redirect_uri": REDIRECT, "state": "s-123"}
    params.update(overrides)
    return urlencode({k: v for k, v in params.items() if v is not None})


def location_params(headers: dict[str, str]) -> dict[str, str]:
    location = urlsplit(headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def code_form(code: str, **overrides: str) -> dict[str, str]:
    form = {
        "grant_type": "authorization_code",
        "client_id": "my-client",
        "client_secret": "secret",
        "code": code,
        "redirect_uri": REDIRECT,
    }
    form.update(overrides)
    return form


def refresh_form(refresh_token: str) -> dict[str, str]:
    return {
        "grant_type": "refresh_token",
        "client_id": "my-client",
        "client_secret": "secret",
        "refresh_token": refresh_token,
    }


# -- the consent page -------------------------------------------------------------------
def test_authorize_page_shows_client_redirect_and_two_buttons(sandbox: Sandbox) -> None:
    status, headers, body = sandbox.handle("GET", "/oauth2/authorize", authorize_query())
    page = body.decode()
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "my-client" in page and REDIRECT in page
    assert re.search(r'<form method="post" action="/oauth2/authorize">', page)
    assert re.search(r"<button[^>]*>Approve</button>", page)
    assert re.search(r"<button[^>]*>Deny</button>", page)
    assert 'name="state" value="s-123"' in page


def test_authorize_page_escapes_what_it_shows(sandbox: Sandbox) -> None:
    status, _, body = sandbox.handle(
        "GET", "/oauth2/authorize", authorize_query(state='"><script>x</script>')
    )
    assert status == 200
    assert b"<script>x" not in body


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"client_id": None}, "client_id"),
        ({"redirect_uri": None}, "redirect_uri"),
        ({"redirect_uri": "not-a-url"}, "redirect_uri"),
        ({"response_type": "token"}, "response_type"),
    ],
)
def test_authorize_page_rejects_broken_requests_without_redirecting(sandbox, overrides, message) -> None:
    status, headers, body = sandbox.handle("GET", "/oauth2/authorize", authorize_query(**overrides))
    assert status == 400
    assert "Location" not in headers
    assert message in body.decode()


def test_approve_redirects_with_a_code_and_the_state(sandbox: Sandbox) -> None:
    form = authorize_query() + "&decision=approve"
    status, headers, _ = sandbox.handle("POST", "/oauth2/authorize", "", {}, form)
    params = location_params(headers)
    assert status == 302
    assert params["state"] == "s-123"
    assert len(params["code"]) > 100
    assert sandbox.stats["authorizations_approved"] == 1


def test_deny_redirects_with_access_denied_and_the_state(sandbox: Sandbox) -> None:
    status, headers, _ = sandbox.handle(
        "POST", "/oauth2/authorize", "", {}, authorize_query() + "&decision=deny"
    )
    assert status == 302
    assert location_params(headers) == {"error": "access_denied", "state": "s-123"}
    assert sandbox.stats["authorizations_denied"] == 1


def test_redirect_keeps_a_query_the_redirect_uri_already_has(sandbox: Sandbox) -> None:
    form = authorize_query(redirect_uri="https://app.example.com/cb?next=%2Fadmin%2F") + "&decision=approve"
    _, headers, _ = sandbox.handle("POST", "/oauth2/authorize", "", {}, form)
    params = parse_qs(urlsplit(headers["Location"]).query)
    assert params["next"] == ["/admin/"] and "code" in params


def test_whitelisted_redirect_uris_are_enforced(clock) -> None:
    sandbox = Sandbox(clock=clock, redirect_uris=[REDIRECT])
    assert sandbox.handle("GET", "/oauth2/authorize", authorize_query())[0] == 200
    other = authorize_query(redirect_uri="https://evil.example.com/cb")
    assert sandbox.handle("GET", "/oauth2/authorize", other)[0] == 400


# -- the code grant -----------------------------------------------------------------------
@pytest.mark.parametrize("as_json", [False, True])
def test_code_grant_answers_a_bearer_token_pair(caller: Caller, as_json: bool) -> None:
    answer = caller.token(code_form(caller.sandbox.authorize(REDIRECT)), as_json=as_json)
    payload = answer.json
    assert answer.status == 200
    assert set(payload) == {"token_type", "expires_in", "access_token", "refresh_token"}
    assert payload["token_type"] == "Bearer" and payload["expires_in"] == 3600
    assert len(payload["access_token"]) > 300 and len(payload["refresh_token"]) > 300
    assert payload["access_token"] != payload["refresh_token"]
    assert caller.api("users.me", token=payload["access_token"]).status == 200
    assert caller.sandbox.stats["code_grants"] == 1


def test_code_works_only_once(caller: Caller) -> None:
    code = caller.sandbox.authorize(REDIRECT)
    assert caller.token(code_form(code)).status == 200
    again = caller.token(code_form(code))
    assert again.status == 400
    assert again.json["error"] == "invalid_grant"
    stats = caller.sandbox.stats
    assert (stats["code_grants"], stats["rejected_codes"]) == (1, 1)


def test_code_expires_after_ten_minutes(caller: Caller, clock) -> None:
    fresh = caller.sandbox.authorize(REDIRECT)
    stale = caller.sandbox.authorize(REDIRECT)
    clock.tick(599)
    assert caller.token(code_form(fresh)).status == 200
    clock.tick(2)
    answer = caller.token(code_form(stale))
    assert (answer.status, answer.json["error"]) == (400, "invalid_grant")
    assert "expired" in answer.json["error_description"]


def test_code_needs_the_redirect_uri_used_to_authorize(caller: Caller) -> None:
    code = caller.sandbox.authorize(REDIRECT)
    answer = caller.token(code_form(code, redirect_uri="https://app.example.com/other"))
    assert (answer.status, answer.json["error"]) == (400, "invalid_grant")
    # The failed attempt does not burn the code.
    assert caller.token(code_form(code)).status == 200


def test_code_from_the_consent_page_is_bound_to_its_client(caller: Caller) -> None:
    _, headers, _ = caller.sandbox.handle(
        "POST", "/oauth2/authorize", "", {}, authorize_query() + "&decision=approve"
    )
    code = location_params(headers)["code"]
    assert caller.token(code_form(code, client_id="someone-else")).json["error"] == "invalid_grant"
    assert caller.token(code_form(code)).status == 200


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"grant_type": "password", "client_id": "c", "client_secret": "s"}, 400, "unsupported_grant_type"),
        ({"client_id": "c", "client_secret": "s"}, 400, "invalid_request"),
        ({"grant_type": "authorization_code", "code": "x", "redirect_uri": REDIRECT}, 401, "invalid_client"),
        (
            {
                "grant_type": "authorization_code",
                "client_id": "c",
                "client_secret": "s",
                "code": "nope",
                "redirect_uri": REDIRECT,
            },
            400,
            "invalid_grant",
        ),
    ],
)
def test_token_endpoint_errors_are_oauth_shaped(caller: Caller, form, status, error) -> None:
    answer = caller.token(form)
    assert answer.status == status
    assert answer.json["error"] == error and answer.json["error_description"]


# -- client credentials -------------------------------------------------------------------
def test_configured_client_credentials_are_enforced(clock) -> None:
    caller = Caller(Sandbox(clock=clock, client_id="my-client", client_secret="right"))
    code = caller.sandbox.authorize(REDIRECT)
    wrong = caller.token(code_form(code, client_secret="wrong"))
    assert (wrong.status, wrong.json["error"]) == (401, "invalid_client")
    assert caller.token(code_form(code, client_id="other", client_secret="right")).status == 401
    assert caller.token(code_form(code, client_secret="right")).status == 200


def test_client_credentials_may_come_as_http_basic(clock) -> None:
    import base64

    sandbox = Sandbox(clock=clock, client_id="my-client", client_secret="right")
    code = sandbox.authorize(REDIRECT)
    basic = base64.b64encode(b"my-client:right").decode()
    form = urlencode({"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT})
    status, _, _ = sandbox.handle(
        "POST", "/oauth2/access_token", "", {"Authorization": f"Basic {basic}"}, form
    )
    assert status == 200


def test_consent_page_refuses_an_unknown_client_when_one_is_configured(clock) -> None:
    sandbox = Sandbox(clock=clock, client_id="my-client")
    assert sandbox.handle("GET", "/oauth2/authorize", authorize_query(client_id="intruder"))[0] == 400


# -- refresh and rotation -----------------------------------------------------------------
def test_refresh_rotates_and_a_reused_refresh_token_is_invalid_grant(caller: Caller) -> None:
    first = caller.token(code_form(caller.sandbox.authorize(REDIRECT))).json
    second = caller.token(refresh_form(first["refresh_token"]))
    assert second.status == 200
    assert second.json["refresh_token"] != first["refresh_token"]
    assert second.json["access_token"] != first["access_token"]

    reused = caller.token(refresh_form(first["refresh_token"]))
    assert reused.status == 400
    assert reused.json["error"] == "invalid_grant" and reused.json["error_description"]

    third = caller.token(refresh_form(second.json["refresh_token"]))
    assert third.status == 200
    stats = caller.sandbox.stats
    assert (stats["refresh_grants"], stats["rejected_refreshes"]) == (2, 1)


def test_access_token_lifetime_is_configurable_and_refresh_revives_access(clock) -> None:
    caller = Caller(Sandbox(clock=clock, access_token_lifetime=60))
    pair = caller.token(code_form(caller.sandbox.authorize(REDIRECT))).json
    assert pair["expires_in"] == 60
    clock.tick(59)
    assert caller.api("users.me", token=pair["access_token"]).status == 200
    clock.tick(2)
    expired = caller.api("users.me", token=pair["access_token"])
    assert expired.status == 401
    assert expired.json == {"errors": [{"title": "Access token is invalid or expired", "status": 401}]}
    renewed = caller.token(refresh_form(pair["refresh_token"])).json
    assert caller.api("users.me", token=renewed["access_token"]).status == 200


def test_expire_access_tokens_and_revoke_tokens(caller: Caller) -> None:
    pair = caller.sandbox.issue_token()
    caller.sandbox.expire_access_tokens()
    assert caller.api("users.me", token=pair["access_token"]).status == 401
    assert caller.token(refresh_form(pair["refresh_token"])).status == 200

    other = caller.sandbox.issue_token()
    caller.sandbox.revoke_tokens()
    assert caller.token(refresh_form(other["refresh_token"])).json["error"] == "invalid_grant"


def test_issue_token_object_is_a_client_token_on_the_sandbox_clock(sandbox: Sandbox, clock) -> None:
    token = sandbox.issue_token_object()
    assert isinstance(token, Token)
    assert token.expires_at.timestamp() == pytest.approx(clock.now + 3600)
    assert token.expires_at.tzinfo is not None


def test_approve_and_deny_helpers_build_the_callback_urls(caller: Caller) -> None:
    approved = parse_qs(urlsplit(caller.sandbox.approve(REDIRECT, "st")).query)
    assert approved["state"] == ["st"]
    assert caller.token(code_form(approved["code"][0])).status == 200
    denied = parse_qs(urlsplit(caller.sandbox.deny(REDIRECT, "st")).query)
    assert denied == {"error": ["access_denied"], "state": ["st"]}


# -- delays and injected failures ----------------------------------------------------------
def test_token_and_refresh_delays_are_slept(clock) -> None:
    slept: list[float] = []
    caller = Caller(Sandbox(clock=clock, token_delay=0.5, refresh_delay=1.0, sleep=slept.append))
    pair = caller.token(code_form(caller.sandbox.authorize(REDIRECT))).json
    caller.token(refresh_form(pair["refresh_token"]))
    caller.api("users.me")
    assert slept == [0.5, 1.5]


def test_a_slow_refresh_does_not_block_other_requests() -> None:
    in_delay, release = threading.Event(), threading.Event()

    def sleep(seconds: float) -> None:  # the refresh's delay lasts until the test releases it
        in_delay.set()
        release.wait(30)

    caller = Caller(Sandbox(refresh_delay=0.6, sleep=sleep))
    refresh_token = caller.sandbox.issue_token()["refresh_token"]
    worker = threading.Thread(target=caller.token, args=(refresh_form(refresh_token),))
    worker.start()
    assert in_delay.wait(30)
    answers: list[int] = []
    api = threading.Thread(target=lambda: answers.append(caller.api("users.me").status))
    api.start()
    api.join(30)
    answered_during_the_delay = not api.is_alive()
    release.set()
    worker.join()
    assert answered_during_the_delay and answers == [200]
    assert caller.sandbox.stats["refresh_grants"] == 1


def test_a_lost_answer_after_rotation_leaves_the_old_refresh_token_spent(caller: Caller) -> None:
    refresh_token = caller.sandbox.issue_token()["refresh_token"]
    caller.sandbox.fail_next("oauth2/access_token", 502, after=True)
    assert caller.token(refresh_form(refresh_token)).status == 502
    retry = caller.token(refresh_form(refresh_token))
    assert (retry.status, retry.json["error"]) == (400, "invalid_grant")


def test_a_failure_before_processing_keeps_the_refresh_token_usable(caller: Caller) -> None:
    refresh_token = caller.sandbox.issue_token()["refresh_token"]
    caller.sandbox.fail_next("oauth2/access_token", 503)
    failed = caller.token(refresh_form(refresh_token))
    assert (failed.status, failed.json["error"]) == (503, "server_error")
    assert caller.token(refresh_form(refresh_token)).status == 200
