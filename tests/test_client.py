"""TeamleaderClient: headers, timeouts, retries, rate limits, 401 handling, errors, logs."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import logging
import threading

import pytest
import requests
import responses

from teamleader import (
    MemoryTokenBackend,
    OAuth2Handler,
    TeamleaderAPIError,
    TeamleaderAuthError,
    TeamleaderBadRequestError,
    TeamleaderClient,
    TeamleaderConfigurationError,
    TeamleaderConnectionError,
    TeamleaderError,
    TeamleaderNotFoundError,
    TeamleaderPermissionError,
    TeamleaderRateLimitError,
    TeamleaderServerError,
    TeamleaderTimeoutError,
    __version__,
)

from .conftest import API, CLIENT_SECRET, RotatingTokenEndpoint

URL = f"{API}/contacts.list"


def test_call_posts_json_with_bearer_user_agent_and_timeout(rsps, client, token):
    rsps.add(responses.POST, URL, json={"data": [{"id": "c1"}]})
    assert client.call("contacts.list", {"page": {"size": 5}}) == {"data": [{"id": "c1"}]}
    request = rsps.calls[0].request
    assert json.loads(request.body) == {"page": {"size": 5}}
    assert request.headers["Authorization"] == f"Bearer {token.access_token}"
    assert request.headers["User-Agent"] == f"teamleader-sdk/{__version__}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.req_kwargs["timeout"] == 30


def test_call_without_body_sends_an_empty_object_and_204_gives_none(rsps, client):
    rsps.add(responses.POST, f"{API}/users.me", status=204)
    assert client.call("/users.me") is None
    assert json.loads(rsps.calls[0].request.body) == {}


def test_api_version_header_and_custom_timeout(rsps, oauth):
    rsps.add(responses.POST, URL, json={"data": []})
    with TeamleaderClient(oauth, timeout=7, api_version="2023-09-26") as api:
        api.call("contacts.list")
    assert rsps.calls[0].request.headers["X-Api-Version"] == "2023-09-26"
    assert rsps.calls[0].request.req_kwargs["timeout"] == 7


def test_a_session_passed_in_gets_our_headers_and_stays_open(rsps, oauth):
    session = requests.Session()
    rsps.add(responses.POST, URL, json={"data": []})
    with TeamleaderClient(oauth, session=session) as api:
        api.call("contacts.list")
        assert api.session is session
    assert rsps.calls[0].request.headers["User-Agent"] == f"teamleader-sdk/{__version__}"


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        ({"api_base_url": "api.focus.teamleader.eu"}, "api_base_url"),
        ({"timeout": -1}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": 2.5}, "max_retries"),
        ({"max_rate_limit_wait": -5}, "max_rate_limit_wait"),
    ],
)
def test_bad_arguments_say_what_to_pass(oauth, kwargs, needle):
    with pytest.raises(TeamleaderConfigurationError, match=needle):
        TeamleaderClient(oauth, **kwargs)


def test_config_errors_are_not_teamleader_errors():
    assert not issubclass(TeamleaderConfigurationError, TeamleaderError)
    assert issubclass(TeamleaderConfigurationError, ValueError)


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    peers: set = set()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).peers.add(self.client_address)
        body = b'{"data": []}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_one_session_reuses_one_connection_for_many_calls(oauth):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with TeamleaderClient(oauth, api_base_url=f"http://127.0.0.1:{server.server_port}") as api:
            for _ in range(5):
                api.call("contacts.list")
    finally:
        server.shutdown()
        server.server_close()
    assert len(_CountingHandler.peers) == 1  # five calls, one TCP connection


# -- 401 ---------------------------------------------------------------------------


def test_401_refreshes_once_then_resends(rsps, client, backend, token):
    endpoint = RotatingTokenEndpoint(rsps, token.refresh_token)
    rsps.add(responses.POST, URL, status=401, json={"errors": [{"title": "Unauthorized"}]})
    rsps.add(responses.POST, URL, json={"data": [{"id": "c1"}]})
    assert client.call("contacts.list") == {"data": [{"id": "c1"}]}
    api_calls = [c for c in rsps.calls if c.request.url == URL]
    assert [c.request.headers["Authorization"] for c in api_calls] == [
        f"Bearer {token.access_token}",
        f"Bearer {endpoint.issued[0].access_token}",
    ]
    assert endpoint.refreshes == 1
    assert backend.get().refresh_token == endpoint.issued[0].refresh_token


def test_a_second_401_is_raised_without_another_refresh(rsps, client, token):
    endpoint = RotatingTokenEndpoint(rsps, token.refresh_token)
    rsps.add(responses.POST, URL, status=401, json={"errors": [{"title": "Unauthorized"}]})
    with pytest.raises(TeamleaderAuthError) as info:
        client.call("contacts.list")
    assert info.value.status_code == 401
    assert endpoint.refreshes == 1
    assert len([c for c in rsps.calls if c.request.url == URL]) == 2


# -- 429 ---------------------------------------------------------------------------


def _reset_in(seconds: float) -> str:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds)).isoformat()


def test_429_waits_until_the_reset_then_succeeds(rsps, client):
    rsps.add(
        responses.POST,
        URL,
        status=429,
        json={"errors": [{"title": "Too many requests"}]},
        headers={
            "X-RateLimit-Limit": "200",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": _reset_in(12),
        },
    )
    rsps.add(
        responses.POST,
        URL,
        json={"data": []},
        headers={
            "X-RateLimit-Limit": "200",
            "X-RateLimit-Remaining": "199",
            "X-RateLimit-Reset": _reset_in(60),
        },
    )
    assert client.call("contacts.list") == {"data": []}
    assert len(client.sleeps) == 1 and 11 <= client.sleeps[0] <= 12
    assert client.rate_limit.limit == 200
    assert client.rate_limit.remaining == 199
    assert client.rate_limit.reset.tzinfo is not None


def test_429_on_a_write_is_also_retried(rsps, client):
    rsps.add(responses.POST, f"{API}/contacts.add", status=429, headers={"Retry-After": "3"})
    rsps.add(
        responses.POST, f"{API}/contacts.add", status=201, json={"data": {"type": "contact", "id": "n1"}}
    )
    assert client.call("contacts.add", {"last_name": "Doe"})["data"]["id"] == "n1"
    assert client.sleeps == [3.0]


def test_429_wait_is_bounded(rsps, oauth):
    rsps.add(responses.POST, URL, status=429, headers={"X-RateLimit-Reset": _reset_in(3600)})
    rsps.add(responses.POST, URL, json={"data": []})
    with TeamleaderClient(oauth, max_rate_limit_wait=5) as api:
        sleeps = []
        api._sleep = sleeps.append
        api.call("contacts.list")
    assert sleeps == [5]


def test_429_that_persists_raises_rate_limit_error(rsps, client):
    rsps.add(
        responses.POST,
        URL,
        status=429,
        json={"errors": [{"title": "Too many requests"}]},
        headers={"Retry-After": "2"},
    )
    with pytest.raises(TeamleaderRateLimitError) as info:
        client.call("contacts.list")
    assert len(rsps.calls) == 4  # the call and three retries
    assert info.value.retry_after == 2.0
    assert info.value.status_code == 429
    assert "Too many requests" in str(info.value)


# -- 5xx and connection errors ---------------------------------------------------------


def test_5xx_on_a_read_is_retried_with_backoff(rsps, oauth):
    rsps.add(responses.POST, URL, status=503)
    rsps.add(responses.POST, URL, status=500)
    rsps.add(responses.POST, URL, json={"data": [{"id": "c1"}]})
    with TeamleaderClient(oauth, backoff_base=1.0) as api:
        sleeps = []
        api._sleep = sleeps.append
        assert api.call("contacts.list") == {"data": [{"id": "c1"}]}
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 1.0 and 0 <= sleeps[1] <= 2.0  # exponential ceiling, full jitter


@pytest.mark.parametrize(
    ("endpoint", "body"),
    [
        ("contacts.add", {"last_name": "Doe"}),
        ("deals.create", {"title": "T", "lead": {"customer": {"type": "company", "id": "c"}}}),
        ("deals.win", {"id": "x"}),
        ("invoices.book", {"id": "x", "on": "2024-02-01"}),
        ("contacts.delete", {"id": "x"}),
    ],
)
def test_a_failed_write_is_not_repeated(rsps, client, endpoint, body):
    rsps.add(responses.POST, f"{API}/{endpoint}", status=502)
    with pytest.raises(TeamleaderServerError):
        client.call(endpoint, body)
    assert len(rsps.calls) == 1
    assert client.sleeps == []


def test_a_write_whose_connection_dropped_is_not_repeated(rsps, client):
    rsps.add(responses.POST, f"{API}/contacts.add", body=requests.ConnectionError("connection reset"))
    with pytest.raises(TeamleaderConnectionError, match="could not reach Teamleader"):
        client.call("contacts.add", {"last_name": "Doe"})
    assert len(rsps.calls) == 1


def test_connection_errors_on_reads_are_retried_then_raised(rsps, client):
    rsps.add(responses.POST, URL, body=requests.ConnectionError("refused"))
    with pytest.raises(TeamleaderConnectionError) as info:
        client.call("contacts.list")
    assert info.value.transient
    assert len(rsps.calls) == 4


def test_timeouts_raise_the_timeout_error(rsps, client):
    rsps.add(responses.POST, f"{API}/deals.create", body=requests.ReadTimeout("slow"))
    with pytest.raises(TeamleaderTimeoutError, match="did not answer within 30 s"):
        client.call("deals.create", {"title": "x", "lead": {"customer": {"type": "company", "id": "c"}}})


def test_real_connection_refused_becomes_connection_error(oauth):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here now
    with TeamleaderClient(oauth, api_base_url=f"http://127.0.0.1:{port}", max_retries=0) as api:
        with pytest.raises(TeamleaderConnectionError):
            api.call("contacts.list")


# -- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, cls",
    [
        (400, TeamleaderBadRequestError),
        (403, TeamleaderPermissionError),
        (404, TeamleaderNotFoundError),
        (409, TeamleaderAPIError),
        (422, TeamleaderBadRequestError),
        (500, TeamleaderServerError),
    ],
)
def test_status_maps_to_exception_class(rsps, client, status, cls):
    rsps.add(
        responses.POST,
        f"{API}/contacts.update",
        status=status,
        json={"errors": [{"title": "Field x is wrong"}]},
    )
    with pytest.raises(cls) as info:
        client.call("contacts.update", {"id": "x"})
    assert type(info.value) is cls
    assert info.value.status_code == status
    assert info.value.endpoint == "contacts.update"
    assert info.value.titles == ["Field x is wrong"]
    assert str(info.value) == f"contacts.update failed with HTTP {status}: Field x is wrong"


def test_not_found_is_an_api_error(rsps, client):
    rsps.add(responses.POST, f"{API}/deals.info", status=404, body="not json")
    with pytest.raises(TeamleaderAPIError) as info:
        client.call("deals.info", {"id": "nope"})
    assert isinstance(info.value, TeamleaderNotFoundError)
    assert str(info.value) == "deals.info failed with HTTP 404: not found"


def test_non_json_success_is_reported(rsps, client):
    rsps.add(responses.POST, URL, body="<html>maintenance</html>")
    with pytest.raises(TeamleaderServerError, match="not JSON"):
        client.call("contacts.list")


def test_exceptions_pickle_without_the_response(rsps, client):
    import pickle

    rsps.add(responses.POST, f"{API}/deals.info", status=404, json={"errors": [{"title": "Deal not found"}]})
    with pytest.raises(TeamleaderNotFoundError) as info:
        client.call("deals.info", {"id": "nope"})
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is TeamleaderNotFoundError
    assert (str(copy), copy.status_code, copy.endpoint) == (str(info.value), 404, "deals.info")


# -- logging and secrets ------------------------------------------------------------------


def test_one_debug_line_per_call_without_secrets(rsps, caplog, token):
    caplog.set_level(logging.DEBUG, logger="teamleader")
    backend = MemoryTokenBackend(token)
    oauth = OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost/cb", backend)
    endpoint = RotatingTokenEndpoint(rsps, token.refresh_token)
    rsps.add(responses.POST, URL, status=401)
    rsps.add(responses.POST, URL, status=503)
    rsps.add(responses.POST, URL, json={"data": []})
    with TeamleaderClient(oauth, backoff_base=0) as api:
        api._sleep = lambda s: None
        api.call("contacts.list")
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("POST contacts.list")]
    assert len(lines) == 1
    assert lines[0].startswith("POST contacts.list -> 200 in ")
    assert lines[0].endswith("ms (retries: 1)")
    for secret in (
        CLIENT_SECRET,
        token.access_token,
        token.refresh_token,
        endpoint.issued[0].access_token,
        endpoint.issued[0].refresh_token,
    ):
        assert secret not in caplog.text


def test_no_secret_in_any_exception_text(rsps, token, caplog):
    caplog.set_level(logging.DEBUG, logger="teamleader")
    backend = MemoryTokenBackend(token)
    oauth = OAuth2Handler("client-id", CLIENT_SECRET, "http://localhost/cb", backend)
    rsps.add(responses.POST, f"{API}/contacts.info", status=404, json={"errors": [{"title": "nope"}]})
    rsps.add(responses.POST, f"{API}/contacts.add", body=requests.ConnectionError("reset"))
    raised = []
    with TeamleaderClient(oauth, max_retries=0) as api:
        for endpoint, body in (("contacts.info", {"id": "x"}), ("contacts.add", {"last_name": "x"})):
            with pytest.raises(TeamleaderError) as info:
                api.call(endpoint, body)
            raised.append(info.value)
        shown = " ".join(
            [*(str(e) for e in raised), *(repr(e) for e in raised), repr(api), repr(oauth), caplog.text]
        )
    for secret in (CLIENT_SECRET, token.access_token, token.refresh_token):
        assert secret not in shown


def test_close_closes_an_owned_session(oauth):
    api = TeamleaderClient(oauth)
    closed = []
    api.session.close = lambda: closed.append(True)
    with api:
        pass
    assert closed == [True]


def test_a_reset_already_past_still_backs_off(rsps, oauth):
    """Clock skew: X-RateLimit-Reset in the past must not fire every retry at once."""
    rsps.add(responses.POST, URL, status=429, headers={"X-RateLimit-Reset": _reset_in(-30)})
    rsps.add(responses.POST, URL, json={"data": []})
    with TeamleaderClient(oauth, backoff_base=0.5) as api:
        sleeps = []
        api._sleep = sleeps.append
        api.call("contacts.list")
    assert sleeps == [0.5]


def test_non_json_success_keeps_the_real_status(rsps, client):
    rsps.add(responses.POST, URL, status=200, body="<html>maintenance</html>")
    with pytest.raises(TeamleaderServerError) as info:
        client.call("contacts.list")
    assert info.value.status_code == 200


def test_rate_limit_error_survives_pickling_with_retry_after(rsps, client):
    import pickle

    rsps.add(responses.POST, URL, status=429, headers={"Retry-After": "7"})
    with pytest.raises(TeamleaderRateLimitError) as info:
        client.call("contacts.list")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (type(copy), copy.retry_after, copy.status_code) == (TeamleaderRateLimitError, 7.0, 429)


def test_oauth_handler_must_be_a_handler():
    with pytest.raises(TeamleaderConfigurationError, match="oauth_handler must be an OAuth2Handler"):
        TeamleaderClient(object())


def test_closing_the_client_closes_the_handlers_own_session(oauth):
    token_session = oauth.session
    closed = []
    token_session.close = lambda: closed.append(True)
    TeamleaderClient(oauth).close()
    assert closed == [True]


def test_error_messages_keep_teamleaders_detail(rsps, client):
    rsps.add(
        responses.POST,
        f"{API}/deals.update",
        status=400,
        json={"errors": [{"title": "Validation failed", "detail": "estimated_closing_date is in the past"}]},
    )
    with pytest.raises(TeamleaderBadRequestError) as info:
        client.call("deals.update", {"id": "x"})
    assert (
        str(info.value)
        == "deals.update failed with HTTP 400: Validation failed (estimated_closing_date is in the past)"
    )


def test_a_body_without_errors_list_still_gives_its_message(rsps, client):
    rsps.add(responses.POST, f"{API}/deals.update", status=403, json={"message": "Scope deals is missing"})
    with pytest.raises(TeamleaderPermissionError) as info:
        client.call("deals.update", {"id": "x"})
    assert str(info.value) == "deals.update failed with HTTP 403: Scope deals is missing"
