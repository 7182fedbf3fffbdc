"""The in-memory Teamleader Focus: one state, one lock, one ``handle()`` both faces call."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Collection, ContextManager, Mapping

from .control import control
from .gateway import ApiGateway
from .oauth import OAuthServer
from .ratelimit import SlidingWindowLimiter
from .seed import DEFAULT_SEED, build_state
from .timeutil import Clock
from .webhook_delivery import WebhookDelivery
from .wire import Reply, Request, api_error_reply, json_reply, redirect_reply

if TYPE_CHECKING:
    import responses

    from ..token import Token
    from .server import SandboxServer

__all__ = ["STAT_KEYS", "Sandbox"]

#: Counters in :attr:`Sandbox.stats`, always present (zero until something happens).
STAT_KEYS = (
    "authorizations_approved",
    "authorizations_denied",
    "code_grants",
    "rejected_codes",
    "refresh_grants",
    "rejected_refreshes",
    "api_calls",
    "unauthorized_calls",
    "rate_limited",
)


@dataclass
class _Failure:
    target: str
    status: int
    times: int
    after: bool


class Sandbox:
    """An offline Teamleader Focus account: OAuth server, API and seed data.

    Thread-safe. Every option is keyword-only; by default any client id and secret is
    accepted (give ``client_id``/``client_secret`` to enforce them). ``clock`` returns
    epoch seconds or a ``datetime``; ``rate_limit=None`` disables the limit.
    ``token_delay`` slows every token-endpoint answer, ``refresh_delay`` adds to it for
    refresh grants (the state changes first, then the answer waits, outside the lock).
    """

    def __init__(
        self,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        redirect_uris: Collection[str] | None = None,
        access_token_lifetime: int = 3600,
        rate_limit: int | None = 200,
        rate_limit_window: float = 60.0,
        token_delay: float = 0.0,
        refresh_delay: float = 0.0,
        seed: int = DEFAULT_SEED,
        clock: Callable[[], Any] = time.time,
        sleep: Callable[[float], Any] = time.sleep,
        max_page_size: int = 100,
    ) -> None:
        self._lock = threading.RLock()
        self._sleep = sleep
        self._failures: list[_Failure] = []
        self._counts: Counter[str] = Counter()
        self.clock = Clock(clock)
        #: Every record of the account (``state.contacts``, ``state.deals``, …), keyed by id.
        self.state = build_state(seed)
        self.limiter = SlidingWindowLimiter(rate_limit, rate_limit_window)
        self.oauth = OAuthServer(
            clock=self.clock,
            stats=self._counts,
            user_id=lambda: self.state.owner_id,
            describe_user=self._describe_user,
            client_id=client_id,
            client_secret=client_secret,
            redirect_uris=redirect_uris,
            access_token_lifetime=access_token_lifetime,
            token_delay=token_delay,
            refresh_delay=refresh_delay,
        )
        self.gateway = ApiGateway(
            state=self.state,
            oauth=self.oauth,
            limiter=self.limiter,
            counts=self._counts,
            clock=self.clock,
            rng=random.Random(seed + 1),
            max_page_size=max_page_size,
        )
        #: Sends each event to the URLs registered with ``webhooks.register`` (see :meth:`wait_for_webhooks`).
        self.webhook_delivery = WebhookDelivery()
        self.gateway.on_event = self._queue_webhooks
        #: Where the sandbox is reachable, once :meth:`mock`, :meth:`activate` or :meth:`serve` ran.
        self.base_url: str | None = None
        self.api_base_url: str | None = None

    # -- the one entry point ----------------------------------------------------------
    def handle(
        self,
        method: str,
        path: str,
        query: str | Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | str | None = b"",
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one HTTP request: ``(status, headers, body bytes)``."""
        request = Request.build(method, path, query, headers, body)
        with self._lock:
            reply = self._route(request)
        if reply.delay > 0:
            self._sleep(reply.delay)
        return reply.as_tuple()

    def _route(self, request: Request) -> Reply:
        path = request.path
        if path.startswith("/_sandbox/"):
            return control(self, request)
        if path == "/":
            return json_reply(
                200,
                {
                    "name": "Teamleader Focus sandbox",
                    "authorize": "/oauth2/authorize",
                    "access_token": "/oauth2/access_token",
                    "api": "POST /<group>.<action>",
                    "stats": "/_sandbox/stats",
                },
            )
        target = path.lstrip("/")
        failure = self._take_failure(target)
        if failure is not None and not failure.after:
            return self._failure_reply(target, failure.status)
        if path == "/oauth2/authorize":
            reply = self.oauth.authorize(request)
        elif path == "/oauth2/access_token":
            reply = self.oauth.token(request)
        else:
            reply = self.gateway.call(target, request)
        if failure is not None:
            return self._failure_reply(target, failure.status, delay=reply.delay)
        return reply

    def _take_failure(self, target: str) -> _Failure | None:
        for failure in self._failures:
            if failure.target == target:
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    def _failure_reply(self, target: str, status: int, delay: float = 0.0) -> Reply:
        if target.startswith("oauth2/"):
            reply = json_reply(
                status,
                {
                    "error": "server_error" if status >= 500 else "invalid_request",
                    "error_description": "Injected failure",
                },
            )
        else:
            reply = api_error_reply(status, "Injected failure", self.limiter.headers(self.clock()))
        reply.delay = delay
        return reply

    @property
    def events(self) -> list[dict[str, Any]]:
        """Webhook payloads the account would have sent (``{"type", "subject", "account"}``)."""
        return self.gateway.events

    @property
    def calls(self) -> deque[dict[str, Any]]:
        """The latest API calls as ``{"endpoint", "body"}``, oldest first."""
        return self.gateway.calls

    def _queue_webhooks(self, payload: dict[str, Any]) -> None:
        # Called under the lock: only queues; the delivery thread posts later.
        for url, types in self.state.webhooks.items():
            if payload["type"] in types:
                self.webhook_delivery.enqueue(url, payload)

    @property
    def webhook_deliveries(self) -> list[dict[str, Any]]:
        """Webhook POSTs sent so far: ``{"url", "payload", "status", "error"}``, oldest first."""
        return self.webhook_delivery.deliveries

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        """Wait until every queued webhook delivery was attempted; ``False`` on timeout."""
        return self.webhook_delivery.wait(timeout)

    # -- changing the account from a test ---------------------------------------------
    def api(self, endpoint: str, body: Mapping[str, Any] | None = None) -> Any:
        """Call an endpoint as the account's owner: no HTTP, token or rate limit.

        Returns what the API answers (a dict; ``{"type", "id"}`` for a create; ``None`` for
        204) and raises :class:`~teamleader.testing.wire.ApiError` for what it refuses.
        Events are recorded and webhooks sent as for a real call; ``stats`` and ``calls``
        do not count it.
        """
        from .direct import call_as_owner

        with self._lock:
            return call_as_owner(self, endpoint, body)

    def populate(
        self, *, companies: int = 0, contacts: int = 0, deals: int = 0, days: float = 30, notify: bool = False
    ) -> dict[str, list[str]]:
        """Add generated companies, contacts and deals (deterministic); their ids by kind.

        They are dated over the last ``days`` days. With ``notify=True`` each one is an
        event (and a webhook), as after an import in Teamleader.
        """
        from .direct import populate

        with self._lock:
            return populate(self, companies=companies, contacts=contacts, deals=deals, days=days, notify=notify)

    def _describe_user(self, user_id: str) -> tuple[str, str]:
        user = self.state.users[user_id]
        return f"{user['first_name']} {user['last_name']}", self.state.account["name"]

    # -- helpers for tests ------------------------------------------------------------
    @property
    def stats(self) -> dict[str, int]:
        """Counters of grants, rejections and API calls (a copy)."""
        with self._lock:
            return {key: self._counts.get(key, 0) for key in STAT_KEYS}

    def reset_stats(self) -> None:
        with self._lock:
            self._counts.clear()

    def now(self) -> dt.datetime:
        """The sandbox's current time, timezone-aware (UTC)."""
        return self.clock.datetime()

    def advance(self, seconds: float) -> None:
        """Move the sandbox's clock forward: codes, tokens and the rate window age."""
        with self._lock:
            self.clock.advance(seconds)

    def authorize(self, redirect_uri: str = "http://127.0.0.1/callback", client_id: str | None = None) -> str:
        """An authorization code, as if the user had pressed Approve (valid 10 minutes, once).

        Without ``client_id`` (and no enforced one) any client may redeem it.
        """
        with self._lock:
            self._counts["authorizations_approved"] += 1
            return self.oauth.create_code(client_id or self.oauth.client_id, redirect_uri)

    def approve(self, redirect_uri: str, state: str = "", client_id: str | None = None) -> str:
        """The URL the browser returns to after Approve: ``redirect_uri?code=…&state=…``."""
        code = self.authorize(redirect_uri, client_id)
        return redirect_reply(redirect_uri, {"code": code, "state": state or None}).headers["Location"]

    def deny(self, redirect_uri: str, state: str = "") -> str:
        """The URL the browser returns to after Deny: ``redirect_uri?error=access_denied&state=…``."""
        with self._lock:
            self._counts["authorizations_denied"] += 1
        params = {"error": "access_denied", "state": state or None}
        return redirect_reply(redirect_uri, params).headers["Location"]

    def issue_token(self, client_id: str | None = None) -> dict[str, Any]:
        """A valid token pair, shaped like the token endpoint's answer.

        Without ``client_id`` (and no enforced one) any client may refresh it.
        """
        with self._lock:
            return self.oauth.issue(client_id or self.oauth.client_id)

    def issue_token_object(self, client_id: str | None = None) -> Token:
        """A valid :class:`teamleader.token.Token`, its expiry on the sandbox's clock."""
        from ..token import Token

        return Token.from_response(self.issue_token(client_id), now=self.now())

    def expire_access_tokens(self) -> None:
        """Make every access token issued so far expired (refresh tokens stay valid)."""
        with self._lock:
            self.oauth.expire_access_tokens()

    def revoke_tokens(self) -> None:
        """Invalidate every token, as when the user uninstalls the integration."""
        with self._lock:
            self.oauth.revoke_all()

    def fail_next(self, target: str, status: int = 500, *, times: int = 1, after: bool = False) -> None:
        """Answer the next ``times`` calls of ``target`` with ``status``.

        ``target`` is an endpoint (``"contacts.list"``) or ``"oauth2/access_token"``.
        With ``after=True`` the call is carried out first and only its answer is lost,
        like a timeout after Teamleader already rotated a refresh token.
        """
        with self._lock:
            self._failures.append(_Failure(target.lstrip("/"), int(status), int(times), bool(after)))

    @property
    def me(self) -> dict[str, Any]:
        """What ``users.me`` answers: the account owner, who authorises integrations."""
        from .api.users import ME_FIELDS

        user = self.state.users[self.state.owner_id]
        return {name: user.get(name) for name in ME_FIELDS}

    # -- the two faces ----------------------------------------------------------------
    def mock(
        self,
        base_url: str = "https://focus.teamleader.eu",
        api_base_url: str = "https://api.focus.teamleader.eu",
    ) -> ContextManager[Sandbox]:
        """Context manager: ``requests`` calls to both URLs reach this sandbox (needs ``responses``)."""
        from .responses_face import mock

        return mock(self, base_url=base_url, api_base_url=api_base_url)

    def activate(
        self,
        rsps: responses.RequestsMock,
        base_url: str = "https://focus.teamleader.eu",
        api_base_url: str = "https://api.focus.teamleader.eu",
    ) -> None:
        """Route ``rsps``'s requests to both URLs to this sandbox."""
        from .responses_face import activate

        activate(self, rsps, base_url=base_url, api_base_url=api_base_url)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
        """Start a real HTTP server for this sandbox in a background thread."""
        from .server import SandboxServer

        server = SandboxServer(self, host=host, port=port).start()
        self.base_url = self.api_base_url = server.url
        return server
