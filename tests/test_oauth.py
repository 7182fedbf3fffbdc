"""OAuth2Handler: the authorization-code flow and rotation-safe refresh."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from teamleader import (
    MemoryTokenBackend,
    OAuth2Handler,
    TeamleaderAuthError,
    TeamleaderAuthExpiredError,
    TeamleaderAuthorizationDenied,
    TeamleaderConfigurationError,
    TeamleaderServerError,
    TeamleaderStateMismatchError,
    TeamleaderTimeoutError,
)
from teamleader.oauth import parse_callback

from .conftest import CLIENT_SECRET, TOKEN_URL, RotatingTokenEndpoint, make_token


def token_answer(access="new-access-" + "x" * 30, refresh="new-refresh-" + "y" * 30, expires_in=3600):
    return {
        "token_type": "Bearer",
        "expires_in": expires_in,
        "access_token": access,
        "refresh_token": refresh,
    }


def pair(token):
    return (token.access_token, token.refresh_token)


def form_of(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(call.request.body).items()}


# -- authorization URL -----------------------------------------------------------


def test_authorization_url_carries_everything_teamleader_needs(oauth):
    url = oauth.get_authorization_url()
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://focus.teamleader.eu/oauth2/authorize"
    assert query == {
        "client_id": "client-id",
        "response_type": "code",
        "redirect_uri": "http://localhost:9999/callback",
        "state": url.state,
    }


def test_generated_state_is_unguessable_and_readable(oauth):
    states = {oauth.get_authorization_url().state for _ in range(50)}
    assert len(states) == 50
    assert all(len(s) >= 40 for s in states)


def test_given_state_is_used(oauth):
    url = oauth.get_authorization_url(state="my-state")
    assert url.state == "my-state"
    assert "state=my-state" in url


def test_auth_base_url_points_the_flow_elsewhere(backend):
    handler = OAuth2Handler(
        "id", "secret", "http://localhost/cb", backend, auth_base_url="http://127.0.0.1:8765/"
    )
    assert handler.get_authorization_url().startswith("http://127.0.0.1:8765/oauth2/authorize?")
    assert handler.token_url == "http://127.0.0.1:8765/oauth2/access_token"


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        ({"client_id": ""}, "client_id"),
        ({"client_secret": ""}, "client_secret"),
        ({"redirect_uri": "localhost:9999/callback"}, "redirect_uri"),
        ({"redirect_uri": "http://localhost:99999/callback"}, "redirect_uri"),
        ({"scopes": "contacts"}, "scopes"),
        ({"timeout": 0}, "timeout"),
        ({"token_backend": object()}, "token_backend"),
    ],
)
def test_bad_arguments_say_what_to_pass(kwargs, needle):
    args = {
        "client_id": "id",
        "client_secret": "secret",
        "redirect_uri": "http://localhost/cb",
        "token_backend": MemoryTokenBackend(),
        **kwargs,
    }
    with pytest.raises(TeamleaderConfigurationError, match=needle):
        OAuth2Handler(
            args.pop("client_id"),
            args.pop("client_secret"),
            args.pop("redirect_uri"),
            args.pop("token_backend"),
            **args,
        )


# -- code exchange ---------------------------------------------------------------


def test_exchange_code_posts_the_code_grant_and_saves_the_token(rsps):
    backend = MemoryTokenBackend()
    handler = OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost:9999/callback", backend)
    rsps.add(responses.POST, TOKEN_URL, json=token_answer())
    token = handler.exchange_code("the-code")
    assert form_of(rsps.calls[0]) == {
        "grant_type": "authorization_code",
        "code": "the-code",
        "redirect_uri": "http://localhost:9999/callback",
        "client_id": "client-id",
        "client_secret": CLIENT_SECRET,
    }
    assert backend.get() == token
    assert token.access_token.startswith("new-access-")
    assert 3590 < token.expires_in <= 3600


def test_refused_code_stores_nothing_and_says_what_to_do(rsps):
    backend = MemoryTokenBackend()
    handler = OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost:9999/callback", backend)
    rsps.add(responses.POST, TOKEN_URL, status=400, json={"error": "invalid_grant"})
    with pytest.raises(TeamleaderAuthError, match="single-use and expire after 10 minutes") as info:
        handler.exchange_code("stale-code")
    assert not isinstance(info.value, TeamleaderAuthExpiredError)
    assert backend.get() is None


def test_callback_with_matching_state_exchanges_the_code(rsps):
    backend = MemoryTokenBackend()
    handler = OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost:9999/callback", backend)
    url = handler.get_authorization_url()
    rsps.add(responses.POST, TOKEN_URL, json=token_answer())
    token = handler.handle_callback(
        f"http://localhost:9999/callback?code=abc&state={url.state}", expected_state=url.state
    )
    assert form_of(rsps.calls[0])["code"] == "abc"
    assert backend.get() == token


@pytest.mark.parametrize("query", ["code=abc&state=forged", "code=abc", "code=abc&state="])
def test_forged_or_missing_state_never_exchanges_a_code(rsps, query):
    backend = MemoryTokenBackend()
    handler = OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost:9999/callback", backend)
    expected = handler.get_authorization_url().state
    with pytest.raises(TeamleaderStateMismatchError):
        handler.handle_callback(query, expected_state=expected)
    assert len(rsps.calls) == 0
    assert backend.get() is None


def test_access_denied_is_its_own_error(rsps, oauth):
    state = oauth.get_authorization_url().state
    with pytest.raises(TeamleaderAuthorizationDenied, match="denied"):
        oauth.handle_callback({"error": "access_denied", "state": state}, expected_state=state)
    assert len(rsps.calls) == 0


def test_callback_without_code_is_refused(rsps, oauth):
    with pytest.raises(TeamleaderAuthError, match="no authorization code"):
        oauth.handle_callback({"state": "s"}, expected_state="s")
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    "value",
    [
        "http://localhost:9999/callback?code=c1&state=s1",
        "?code=c1&state=s1",
        "code=c1&state=s1",
        {"code": ["c1"], "state": ["s1"]},
        {"code": "c1", "state": "s1"},
    ],
)
def test_parse_callback_accepts_urls_queries_and_mappings(value):
    assert parse_callback(value) == {"code": "c1", "state": "s1"}


# -- refresh -----------------------------------------------------------------------


def test_valid_token_is_used_without_refreshing(rsps, oauth, token):
    assert oauth.get_access_token() == token.access_token
    assert len(rsps.calls) == 0


def test_token_within_leeway_is_refreshed_proactively(rsps):
    old = make_token(expires_in=30)  # inside the default 60 s leeway
    backend = MemoryTokenBackend(old)
    handler = OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost/cb", backend)
    endpoint = RotatingTokenEndpoint(rsps, old.refresh_token)
    access = handler.get_access_token()
    assert endpoint.refreshes == 1
    assert access == endpoint.issued[0].access_token
    assert pair(backend.get()) == pair(endpoint.issued[0])
    assert form_of(rsps.calls[0]) == {
        "grant_type": "refresh_token",
        "refresh_token": old.refresh_token,
        "client_id": "client-id",
        "client_secret": CLIENT_SECRET,
    }


def test_rejected_access_token_is_refreshed_even_if_not_expired(rsps, oauth, backend, token):
    endpoint = RotatingTokenEndpoint(rsps, token.refresh_token)
    assert oauth.get_access_token(rejected=token.access_token) == endpoint.issued[0].access_token
    # The failed token is compared: a token that is no longer the stored one is not refreshed again.
    assert oauth.get_access_token(rejected=token.access_token) == endpoint.issued[0].access_token
    assert endpoint.refreshes == 1


def test_sixteen_threads_on_an_expired_token_make_exactly_one_refresh(rsps):
    expired = make_token(expires_in=-10)
    backend = MemoryTokenBackend(expired)
    endpoint = RotatingTokenEndpoint(rsps, expired.refresh_token, delay=0.2)
    barrier = threading.Barrier(16)
    results: list[str] = []
    errors: list[BaseException] = []

    def worker():
        handler = OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost/cb", backend)
        barrier.wait()
        try:
            results.append(handler.get_access_token())
        except BaseException as err:  # noqa: BLE001 - collected for the assertion
            errors.append(err)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert endpoint.refreshes == 1
    assert endpoint.rejected == 0
    assert set(results) == {endpoint.issued[0].access_token}
    assert pair(backend.get()) == pair(endpoint.issued[0])


class UnlockedBackend(MemoryTokenBackend):
    """A backend whose lock does not reach the other refresher (e.g. another host)."""

    def lock(self):
        return contextlib.nullcontext(self.read())


def test_invalid_grant_from_a_lost_race_never_reaches_the_caller(rsps):
    expired = make_token(expires_in=-10)
    backend = UnlockedBackend(expired)
    endpoint = RotatingTokenEndpoint(rsps, expired.refresh_token, delay=0.3)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        handler = OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost/cb", backend)
        barrier.wait()
        try:
            results.append(handler.get_access_token())
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Both sent the same refresh token; one was rotated, the other got invalid_grant...
    assert (endpoint.refreshes, endpoint.rejected) == (1, 1)
    # ...and the loser adopted the winner's pair instead of failing.
    assert errors == []
    assert results == [endpoint.issued[0].access_token] * 2
    assert pair(backend.get()) == pair(endpoint.issued[0])


def test_revoked_refresh_token_raises_auth_expired_and_keeps_the_stored_token(rsps):
    expired = make_token(expires_in=-10)
    backend = MemoryTokenBackend(expired)
    handler = OAuth2Handler(
        "client-id", CLIENT_SECRET, "http://localhost/cb", backend, reauthorize_hint="Run the setup again."
    )
    rsps.add(responses.POST, TOKEN_URL, status=400, json={"error": "invalid_grant"})
    with pytest.raises(TeamleaderAuthExpiredError) as info:
        handler.get_access_token()
    assert "invalid_grant" in str(info.value)
    assert str(info.value).endswith("Run the setup again.")
    assert info.value.status_code == 400
    assert backend.get() == expired
    assert len(rsps.calls) == 1


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_error_on_refresh_is_transient_not_resent_and_keeps_the_token(rsps, status):
    expired = make_token(expires_in=-10)
    backend = MemoryTokenBackend(expired)
    handler = OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost/cb", backend)
    rsps.add(responses.POST, TOKEN_URL, status=status, json={"errors": [{"title": "Oops"}]})
    with pytest.raises(TeamleaderServerError) as info:
        handler.get_access_token()
    assert info.value.transient
    assert not isinstance(info.value, TeamleaderAuthExpiredError)
    assert len(rsps.calls) == 1
    assert backend.get() == expired


def test_timeout_on_refresh_is_transient_and_not_resent(rsps):
    import requests

    expired = make_token(expires_in=-10)
    backend = MemoryTokenBackend(expired)
    handler = OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost/cb", backend, timeout=5)
    rsps.add(responses.POST, TOKEN_URL, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(TeamleaderTimeoutError, match="not retried automatically") as info:
        handler.get_access_token()
    assert info.value.transient
    assert len(rsps.calls) == 1
    assert backend.get() == expired


def test_token_answer_without_tokens_saves_nothing(rsps):
    expired = make_token(expires_in=-10)
    backend = MemoryTokenBackend(expired)
    handler = OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost/cb", backend)
    rsps.add(responses.POST, TOKEN_URL, json={"token_type": "Bearer", "expires_in": 3600})
    with pytest.raises(TeamleaderServerError, match="access_token, refresh_token"):
        handler.get_access_token()
    assert backend.get() == expired


def test_no_stored_token_says_how_to_connect():
    handler = OAuth2Handler(
        "id", "secret", "http://localhost/cb", MemoryTokenBackend(), reauthorize_hint="Run teamleader_setup."
    )
    with pytest.raises(TeamleaderAuthError, match="No Teamleader token is stored. Run teamleader_setup."):
        handler.get_access_token()


def test_no_stored_token_in_plain_python_says_authorise_not_authorise_again():
    handler = OAuth2Handler("id", "secret", "http://localhost/cb", MemoryTokenBackend())
    with pytest.raises(TeamleaderAuthError) as info:
        handler.get_access_token()
    assert str(info.value) == (
        "No Teamleader token is stored. Authorise the integration: send the user to "
        "OAuth2Handler.get_authorization_url() and pass the returned code to OAuth2Handler.exchange_code()."
    )


def test_no_secret_in_errors_reprs_or_logs(rsps, caplog):
    caplog.set_level(logging.DEBUG, logger="teamleader")
    expired = make_token(expires_in=-10)
    backend = MemoryTokenBackend(expired)
    handler = OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost/cb", backend)
    rsps.add(
        responses.POST,
        TOKEN_URL,
        status=401,
        body=json.dumps({"error": "invalid_client", "error_description": "bad"}),
    )
    with pytest.raises(TeamleaderAuthExpiredError) as info:
        handler.get_access_token()
    shown = " ".join(
        [str(info.value), repr(info.value), repr(handler), repr(backend), repr(expired), caplog.text]
    )
    for secret in (CLIENT_SECRET, expired.access_token, expired.refresh_token):
        assert secret not in shown
    assert "oauth2/access_token (refresh_token grant) -> 401" in caplog.text


def test_leeway_must_not_be_negative():
    with pytest.raises(TeamleaderConfigurationError, match="leeway"):
        OAuth2Handler("id", "secret", "http://localhost/cb", MemoryTokenBackend(), leeway=-1)


def test_a_session_passed_in_is_not_closed(backend):
    import requests

    session = requests.Session()
    closed = []
    session.close = lambda: closed.append(True)
    OAuth2Handler("id", "secret", "http://localhost/cb", backend, session=session).close()
    assert closed == []
