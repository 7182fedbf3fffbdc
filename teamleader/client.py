"""The Teamleader Focus API client: one session, retries, rate limits, token refresh."""

from __future__ import annotations

import logging
import time
from typing import Any

import requests

from . import __version__
from ._checks import Arguments, boolean, http_url, positive_seconds, seconds, whole_number
from .auth import BearerAuth
from .exceptions import (
    TeamleaderConnectionError,
    TeamleaderRateLimitError,
    TeamleaderServerError,
    TeamleaderTimeoutError,
    error_for_status,
)
from .namespaces import Namespaces
from .oauth import OAuth2Handler
from .rate_limiter import MemoryRateLimiter, RateLimiter
from .ratelimit import RateLimit, retry_delay
from .retry import RetryPolicy, is_read
from .validation import check_request

__all__ = ["TeamleaderClient", "DEFAULT_API_BASE_URL"]

logger = logging.getLogger("teamleader")

DEFAULT_API_BASE_URL = "https://api.focus.teamleader.eu"


class _Default:
    def __repr__(self) -> str:
        return "DEFAULT"


#: ``rate_limiter``'s default: a :class:`MemoryRateLimiter` of this client's own.
DEFAULT = _Default()


class TeamleaderClient(Namespaces):
    """A client for the Teamleader Focus API.

    ``client.call("contacts.list", {...})`` calls any endpoint; the resource groups
    (``client.contacts``, ``client.deals``, ``client.invoices``, …) wrap every
    endpoint of Teamleader's OpenAPI description as methods. Use the client as a
    context manager, or call :meth:`close`, to release its connections.

    Reads (``*.list``, ``*.info`` and other read-only actions) are retried with
    exponential backoff and jitter after a 5xx or a connection error; writes never
    are, because Teamleader does not make them idempotent. A 401 makes the handler
    refresh the token once and the call is sent once more.

    Before each request the client takes a slot from ``rate_limiter`` (by default a
    :class:`~teamleader.rate_limiter.MemoryRateLimiter` of its own: Teamleader's 200 calls
    per sliding minute; pass a shared one, or ``None`` to keep no budget here) and waits
    for one when the budget is spent, at most ``max_rate_limit_wait`` seconds, else it
    raises :class:`~teamleader.exceptions.TeamleaderRateLimitError` without sending. A 429
    that still arrives is waited out (what Teamleader asks, capped at
    ``max_rate_limit_wait``) through the limiter, so every process sharing it waits too,
    and retried.

    Every request body is first checked against Teamleader's OpenAPI description (see
    :mod:`teamleader.validation`); a body that breaks it raises
    :class:`~teamleader.exceptions.TeamleaderValidationError` and nothing is sent. Pass
    ``validate_requests=False`` for an API newer than the bundled description.
    """

    def __init__(
        self,
        oauth_handler: OAuth2Handler,
        *,
        api_base_url: str = DEFAULT_API_BASE_URL,
        timeout: float = 30,
        max_retries: int = 3,
        max_rate_limit_wait: float = 90.0,
        backoff_base: float = 0.5,
        api_version: str | None = None,
        session: requests.Session | None = None,
        validate_requests: bool = True,
        rate_limiter: RateLimiter | None | _Default = DEFAULT,
    ) -> None:
        arguments = Arguments()
        arguments.check("oauth_handler", _oauth_handler, oauth_handler)
        api_base_url = arguments.check("api_base_url", http_url, api_base_url)
        timeout = arguments.check("timeout", positive_seconds, timeout)
        max_retries = arguments.check("max_retries", whole_number, max_retries)
        max_rate_limit_wait = arguments.check("max_rate_limit_wait", seconds, max_rate_limit_wait)
        backoff_base = arguments.check("backoff_base", seconds, backoff_base)
        validate_requests = arguments.check("validate_requests", boolean, validate_requests)
        if rate_limiter is DEFAULT:
            rate_limiter = MemoryRateLimiter()
        arguments.check("rate_limiter", _rate_limiter, rate_limiter)
        arguments.raise_if_any()
        self.oauth = oauth_handler
        self.api_base_url = api_base_url.rstrip("/")
        self.timeout = timeout
        self.retry_policy = RetryPolicy(
            max_retries=max_retries, backoff_base=backoff_base, max_rate_limit_wait=max_rate_limit_wait
        )
        self.headers = {"Accept": "application/json", "User-Agent": f"teamleader-sdk/{__version__}"}
        if api_version:
            self.headers["X-Api-Version"] = api_version
        #: Whether :meth:`call` checks bodies against the bundled OpenAPI description.
        self.validate_requests = validate_requests
        self._owns_session = session is None
        self.session = session if session is not None else self.create_session()
        #: The rate-limit state of the last answer that reported one.
        self.rate_limit: RateLimit | None = None
        #: The budget every request takes a slot from first (``None``: no budget kept here).
        self.rate_limiter: RateLimiter | None = rate_limiter  # type: ignore[assignment]
        #: True once :meth:`close` has run.
        self.closed = False

    def create_session(self) -> requests.Session:
        """The :class:`requests.Session` this client uses; override to customise it."""
        session = requests.Session()
        session.headers.update(self.headers)
        return session

    def __repr__(self) -> str:
        return f"TeamleaderClient(api_base_url={self.api_base_url!r})"

    def __enter__(self) -> TeamleaderClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the session's connections (a session passed in by the caller is left open)."""
        if self._owns_session:
            self.session.close()
        self.oauth.close()
        self.closed = True

    def call(self, endpoint: str, body: dict[str, Any] | None = None) -> Any:
        """POST ``body`` to ``endpoint`` (e.g. ``"contacts.list"``) and return the decoded answer.

        Returns the JSON answer as a dict, or ``None`` for an empty answer (HTTP 204).
        Raises a :class:`~teamleader.exceptions.TeamleaderError` subclass on failure, and
        :class:`~teamleader.exceptions.TeamleaderValidationError` (nothing sent) for a body
        that breaks the operation's description.
        """
        endpoint = endpoint.strip().lstrip("/")
        if self.validate_requests:
            check_request(endpoint, body)
        url = f"{self.api_base_url}/{endpoint}"
        headers = None if self._owns_session else self.headers
        policy = self.retry_policy
        read = is_read(endpoint)
        retries = 0
        rejected: str | None = None
        started = time.perf_counter()
        while True:
            self._take_slot(endpoint)
            auth = BearerAuth(self.oauth, rejected)
            try:
                response = self.session.post(
                    url, json=body or {}, auth=auth, headers=headers, timeout=self.timeout
                )
            except requests.RequestException as err:
                if read and retries < policy.max_retries:
                    retries += 1
                    self._sleep(policy.backoff(retries))
                    continue
                self._log(endpoint, type(err).__name__, started, retries)
                raise self._connection_error(endpoint, err) from err
            status = response.status_code
            limit = RateLimit.from_headers(response.headers)
            if limit is not None:
                self.rate_limit = limit
                if self.rate_limiter is not None and status != 429:
                    self.rate_limiter.observe(self.budget_key(), limit)
            if status == 401 and rejected is None:
                rejected = auth.token  # refresh once (unless already done elsewhere), then resend
                continue
            if retries < policy.max_retries and (status == 429 or (status >= 500 and read)):
                retries += 1
                if status == 429:
                    wait = policy.rate_limit_wait(retry_delay(response.headers), retries)
                    if self.rate_limiter is not None:
                        # Shared: every process spending this budget waits, not only this one.
                        self.rate_limiter.block(self.budget_key(), wait)
                    else:
                        self._sleep(wait)
                else:
                    self._sleep(policy.backoff(retries))
                continue
            self._log(endpoint, status, started, retries)
            if status >= 400:
                raise self._api_error(endpoint, response)
            if status == 204 or not response.content:
                return None
            try:
                return response.json()
            except ValueError as err:
                raise TeamleaderServerError(
                    f"{endpoint}: Teamleader answered HTTP {status} with a body that is not JSON",
                    status_code=status,
                    endpoint=endpoint,
                    response=response,
                ) from err

    def budget_key(self) -> str:
        """Whose rate budget this client spends: the integration and the connected account."""
        return f"{self.oauth.client_id}:{self.oauth.account_id() or '-'}"

    def _take_slot(self, endpoint: str) -> None:
        """Wait for a free slot of the rate budget, at most ``max_rate_limit_wait`` seconds."""
        limiter = self.rate_limiter
        if limiter is None:
            return
        key = self.budget_key()
        waited = 0.0
        while (wait := limiter.acquire(key)) > 0:
            if waited + wait > self.retry_policy.max_rate_limit_wait:
                raise TeamleaderRateLimitError(
                    f"{endpoint}: the rate budget of {limiter.calls} calls per {limiter.period:g} s is spent "
                    f"and the next slot frees in {wait:.1f} s, after max_rate_limit_wait "
                    f"({self.retry_policy.max_rate_limit_wait:g} s); nothing was sent.",
                    endpoint=endpoint,
                    retry_after=wait,
                )
            logger.debug("Rate budget spent; %s waits %.2f s for a slot", endpoint, wait)
            self._sleep(wait)
            waited += wait

    @staticmethod
    def _sleep(seconds: float) -> None:
        time.sleep(seconds)

    def _log(self, endpoint: str, outcome: object, started: float, retries: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "POST %s -> %s in %.1f ms (retries: %d)",
                endpoint,
                outcome,
                (time.perf_counter() - started) * 1000,
                retries,
            )

    def _connection_error(self, endpoint: str, err: requests.RequestException) -> TeamleaderConnectionError:
        if isinstance(err, requests.Timeout):
            return TeamleaderTimeoutError(
                f"{endpoint}: Teamleader did not answer within {self.timeout} s", endpoint=endpoint
            )
        return TeamleaderConnectionError(
            f"{endpoint}: could not reach Teamleader at {self.api_base_url} ({type(err).__name__})",
            endpoint=endpoint,
        )

    def _api_error(self, endpoint: str, response: requests.Response) -> Exception:
        try:
            payload = response.json()
        except ValueError:
            payload = None
        errors = payload.get("errors") if isinstance(payload, dict) else None
        extra: dict[str, Any] = {}
        if isinstance(payload, dict):  # a body without an errors list may still say what went wrong
            said = [payload.get(key) for key in ("message", "error_description", "error")]
            extra["detail"] = next(
                (text.strip() for text in said if isinstance(text, str) and text.strip()), None
            )
        if response.status_code == 429:
            extra["retry_after"] = retry_delay(response.headers)
        return error_for_status(
            response.status_code,
            endpoint=endpoint,
            errors=errors if isinstance(errors, list) else None,
            response=response,
            **extra,
        )


def _rate_limiter(value: Any) -> Any:
    if value is not None and not callable(getattr(value, "acquire", None)):
        raise ValueError(f"must be a RateLimiter or None, got {type(value).__name__}")
    return value


def _oauth_handler(value: Any) -> Any:
    if not callable(getattr(value, "get_access_token", None)):
        raise ValueError(f"must be an OAuth2Handler, got {type(value).__name__}")
    return value
