"""OAuth2 for Teamleader: the authorization-code flow and rotation-safe refresh.

Teamleader's refresh tokens are single-use: each refresh answer carries a new pair
and the old refresh token is dead. :class:`OAuth2Handler` therefore refreshes only
under its token backend's lock and decides on the record the lock yields, read under
the lock (another thread or process may have rotated the pair meanwhile, and then that
pair is used), and writes the new pair before the lock is released. A refused refresh
token is recorded as "re-authorisation needed" and never sent again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hmac
import logging
import secrets
import time
from typing import Any, Mapping, Sequence
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from . import __version__
from ._checks import Arguments, http_url, positive_seconds, required_text, seconds, string_list
from .connection import REAUTHORIZATION_NEEDED, ConnectionRecord
from .exceptions import (
    TeamleaderAuthError,
    TeamleaderAuthExpiredError,
    TeamleaderAuthorizationDenied,
    TeamleaderConnectionError,
    TeamleaderNotConnectedError,
    TeamleaderServerError,
    TeamleaderStateMismatchError,
    TeamleaderTimeoutError,
    error_for_status,
)
from .token import DEFAULT_LEEWAY, Token
from .token_backends import TokenBackend

__all__ = ["OAuth2Handler", "AuthorizationURL", "parse_callback", "DEFAULT_AUTH_BASE_URL"]

logger = logging.getLogger("teamleader")

DEFAULT_AUTH_BASE_URL = "https://focus.teamleader.eu"
TOKEN_ENDPOINT = "oauth2/access_token"
_HOW_TO_AUTHORISE = (
    "send the user to OAuth2Handler.get_authorization_url() and pass the returned code to "
    "OAuth2Handler.exchange_code()."
)
DEFAULT_CONNECT_HINT = f"Authorise the integration: {_HOW_TO_AUTHORISE}"
DEFAULT_REAUTHORIZE_HINT = f"Authorise the integration again: {_HOW_TO_AUTHORISE}"


class AuthorizationURL(str):
    """The authorize URL (a ``str``), with the ``state`` it carries as ``.state``."""

    state: str

    def __new__(cls, url: str, state: str) -> AuthorizationURL:
        obj = super().__new__(cls, url)
        obj.state = state
        return obj


def parse_callback(callback: str | Mapping[str, Any]) -> dict[str, str]:
    """The query parameters of a redirect back from Teamleader.

    Accepts the full redirected URL, its query string, or a mapping such as Django's
    ``request.GET``. Repeated parameters keep their first value.
    """
    if isinstance(callback, Mapping):
        return {str(k): _first(v) for k, v in callback.items()}
    text = callback.strip()
    query = urlsplit(text).query if "?" in text or "://" in text else text
    return {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}


def _first(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return str(value[0]) if value else ""
    return str(value)


class OAuth2Handler:
    """Obtains, stores and refreshes the tokens of one Teamleader connection.

    ``scopes`` is informational: Teamleader takes the scopes from the integration's
    Marketplace settings, not from the authorize URL. ``leeway`` is how many seconds
    before expiry an access token is already refreshed. ``reauthorize_hint`` ends the
    message of :class:`~teamleader.exceptions.TeamleaderAuthExpiredError` and
    ``connect_hint`` the one raised when nothing is stored (by default ``reauthorize_hint``
    if that is given, else the same advice without "again"; the
    Django app points both at ``manage.py teamleader_setup`` and the admin's buttons).
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        token_backend: TokenBackend,
        *,
        scopes: Sequence[str] = (),
        auth_base_url: str = DEFAULT_AUTH_BASE_URL,
        timeout: float = 30,
        leeway: float = DEFAULT_LEEWAY,
        session: requests.Session | None = None,
        reauthorize_hint: str | None = None,
        connect_hint: str | None = None,
    ) -> None:
        arguments = Arguments()
        client_id = arguments.check(
            "client_id", required_text("the OAuth2 client ID of your Marketplace integration"), client_id
        )
        client_secret = arguments.check(
            "client_secret",
            required_text("the OAuth2 client secret of your Marketplace integration"),
            client_secret,
        )
        redirect_uri = arguments.check("redirect_uri", http_url, redirect_uri)
        scopes = arguments.check("scopes", string_list, scopes)
        auth_base_url = arguments.check("auth_base_url", http_url, auth_base_url)
        timeout = arguments.check("timeout", positive_seconds, timeout)
        leeway = arguments.check("leeway", seconds, leeway)
        arguments.check("token_backend", _token_backend, token_backend)
        arguments.raise_if_any()
        self.client_id = client_id
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.token_backend = token_backend
        self.scopes = tuple(scopes)
        self.auth_base_url = auth_base_url.rstrip("/")
        self.timeout = timeout
        self.leeway = leeway
        self.reauthorize_hint = reauthorize_hint or DEFAULT_REAUTHORIZE_HINT
        self.connect_hint = connect_hint or reauthorize_hint or DEFAULT_CONNECT_HINT
        self._session = session
        self._owns_session = session is None
        self._last_seen: Token | None = None
        # (refresh token, message) of a pair Teamleader refused, as this process last saw it:
        # calls with that pair fail at once instead of each sending a request that gets a 401.
        self._refused: tuple[str, str] | None = None
        # (refresh token it was read with, account id, until when an unknown account is trusted)
        self._account: tuple[str, str, float] | None = None

    def __repr__(self) -> str:
        return (
            f"OAuth2Handler(client_id={self.client_id!r}, redirect_uri={self.redirect_uri!r}, "
            f"token_backend={self.token_backend!r})"
        )

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            self._session = requests.Session()
            self._session.headers["User-Agent"] = f"teamleader-sdk/{__version__}"
        return self._session

    def close(self) -> None:
        """Close the session used for the token endpoint, unless it was passed in."""
        if self._owns_session and self._session is not None:
            self._session.close()
            self._session = None

    @property
    def authorize_url(self) -> str:
        return f"{self.auth_base_url}/oauth2/authorize"

    @property
    def token_url(self) -> str:
        return f"{self.auth_base_url}/{TOKEN_ENDPOINT}"

    # -- authorization-code flow ------------------------------------------------

    def get_authorization_url(self, state: str | None = None) -> AuthorizationURL:
        """The URL to send the user to. It always carries a ``state``.

        Without ``state`` an unguessable one is generated; read it back from the
        returned value's ``.state`` and keep it to check the callback.
        """
        state = state or secrets.token_urlsafe(32)
        query = urlencode(
            {
                "client_id": self.client_id,
                "response_type": "code",
                "redirect_uri": self.redirect_uri,
                "state": state,
            }
        )
        return AuthorizationURL(f"{self.authorize_url}?{query}", state)

    def exchange_code(self, code: str) -> Token:
        """Trade an authorization code for a token pair, save it, and return it."""
        if not code:
            raise TeamleaderAuthError("No authorization code was given.")
        token = self._grant(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri},
            refused=(
                "Teamleader refused the authorization code{reason}. Codes are single-use and expire "
                "after 10 minutes, and the redirect URI must match the one used to authorise; "
                "start the authorisation again."
            ),
        )
        # A new connection: the record starts afresh (any "re-authorisation needed" is over).
        with self.token_backend.lock():
            self.token_backend.write(ConnectionRecord(token=token, scopes=self.scopes, connected_at=_now()))
        return token

    def handle_callback(self, callback: str | Mapping[str, Any], *, expected_state: str) -> Token:
        """Finish the flow from the redirect back: check ``state``, then exchange the code.

        Raises :class:`TeamleaderStateMismatchError` for a missing or wrong state (no
        code is exchanged), :class:`TeamleaderAuthorizationDenied` when the user
        refused, :class:`TeamleaderAuthError` when there is no code.
        """
        params = parse_callback(callback)
        state = params.get("state", "")
        if not state:
            raise TeamleaderStateMismatchError(
                "The callback carries no state, so it cannot be checked and was ignored; nothing was stored. "
                "Pass the whole URL your browser was sent back to (it ends in &state=…), or start the "
                "authorisation again."
            )
        if not expected_state or not hmac.compare_digest(state.encode(), expected_state.encode()):
            raise TeamleaderStateMismatchError(
                "The callback's state does not match the one this flow sent; it was ignored. "
                "Start the authorisation again from the same browser."
            )
        error = params.get("error")
        if error == "access_denied":
            raise TeamleaderAuthorizationDenied(
                "Access was denied on Teamleader's authorisation page; nothing was stored."
            )
        if error:
            raise TeamleaderAuthError(
                f"Teamleader answered the authorisation with error {error!r}; nothing was stored."
            )
        code = params.get("code")
        if not code:
            raise TeamleaderAuthError("The callback carries no authorization code; nothing was stored.")
        return self.exchange_code(code)

    # -- tokens for API calls ----------------------------------------------------

    def get_token(self) -> Token:
        """The stored token, refreshed first when it is within ``leeway`` of expiry."""
        token = self._stored()
        if token.is_expired(self.leeway):
            return self._refresh(token)
        return token

    def get_access_token(self, *, rejected: str | None = None) -> str:
        """A valid access token, refreshing when needed.

        Pass the access token an API call was refused with (HTTP 401) as
        ``rejected``: unless another worker has replaced it already, that token is
        refreshed even though its clock says it is still valid.
        """
        token = self._stored()
        refused = self._refused
        if refused is not None and refused[0] == token.refresh_token:
            raise TeamleaderAuthExpiredError(refused[1])
        if token.access_token != rejected and not token.is_expired(self.leeway):
            return token.access_token
        return self._refresh(token).access_token

    def refresh(self, *, retry_refused: bool = False) -> Token:
        """Refresh now (under the backend's lock) and return the new pair.

        A refresh token Teamleader refused before is not sent again unless ``retry_refused``.
        """
        return self._refresh(self._stored(), retry_refused=retry_refused)

    def _stored(self) -> Token:
        token = self.token_backend.get()
        if token is None:
            raise TeamleaderNotConnectedError(f"No Teamleader token is stored. {self.connect_hint}")
        self._last_seen = token
        return token

    def account_id(self) -> str:
        """The Teamleader account of the stored connection, ``""`` when unknown.

        Read from the token backend when first asked and again once the pair has changed
        (a refresh or a new connection), not per call; an unknown account is asked again
        after a minute (who connected is stored just after the pair).
        """
        seen, cached, now = self._last_seen, self._account, time.monotonic()
        if (
            cached is not None
            and (seen is None or cached[0] == seen.refresh_token)
            and (cached[1] or now < cached[2])
        ):
            return cached[1]
        record = self.token_backend.read()
        self._account = (
            (record.token.refresh_token, record.account_id, now + 60) if record else ("", "", now + 60)
        )
        return self._account[1]

    def forget_connection_details(self) -> None:
        """Drop what this handler remembers of the stored connection (its account): it changed."""
        self._account = None

    # -- what happened to the connection: hooks for the layer above ----------------

    def on_refreshed(self, record: ConnectionRecord) -> None:
        """Called after this handler stored a refreshed pair (the lock is released by then)."""

    def on_connection_lost(self, record: ConnectionRecord) -> None:
        """Called once when Teamleader refuses the stored refresh token (after the lock is released).

        ``record.problem`` says why. The handler has already logged it at ERROR.
        """

    def _refresh(self, seen: Token, *, retry_refused: bool = False) -> Token:
        """Replace ``seen`` (expired or refused) under the lock, unless already replaced.

        Everything is decided on the record read under the lock. A refused refresh token
        is recorded on the record (status "re-authorisation needed", the pair kept as it
        was) before the lock is released, and raised after it, so the backend commits it;
        later calls fail with the same message instead of sending it again
        (``retry_refused`` sends it once more, e.g. for an explicit connection test). This
        handler also remembers the refused pair, so its later calls fail before sending
        anything, even while the access token is valid by its clock. The hooks run after the
        lock is released.
        """
        lost: ConnectionRecord | None = None
        with self.token_backend.lock() as record:
            if record is None:
                raise TeamleaderNotConnectedError(f"No Teamleader token is stored. {self.connect_hint}")
            current = record.token
            if current.refresh_token != seen.refresh_token and not current.is_expired(self.leeway):
                logger.debug("Teamleader token already rotated by another worker; using it")
                return current
            if record.needs_reauthorization and not retry_refused:
                raise TeamleaderAuthExpiredError(self._remember_refusal(record))
            try:
                new = self._grant(
                    {"grant_type": "refresh_token", "refresh_token": current.refresh_token},
                    refused=(
                        "Teamleader no longer accepts this site's refresh token{reason}: the integration was "
                        "removed or authorised again in Teamleader, or the token was already used."
                    ),
                )
            except TeamleaderAuthError as err:
                latest = self.token_backend.read()
                if latest is not None and latest.token.refresh_token != current.refresh_token:
                    # Rotated by a worker this lock does not reach: a lost race, not a revocation.
                    logger.debug("Teamleader refresh lost a race; using the pair stored meanwhile")
                    return latest.token
                first = not record.needs_reauthorization
                lost = dataclasses.replace(
                    record,
                    status=REAUTHORIZATION_NEEDED,
                    problem=str(err),
                    problem_at=_now() if first else record.problem_at,
                )
                self.token_backend.write(lost)
                error = TeamleaderAuthExpiredError(
                    f"{err} The stored token pair was kept as it was. {self.reauthorize_hint}",
                    status_code=err.status_code,
                    endpoint=err.endpoint,
                    response=err.response,
                )
                self._remember_refusal(lost)
                cause = err
            else:
                refreshed = record.with_token(new, refreshed_at=_now())
                self.token_backend.write(refreshed)
        if lost is None:
            self.on_refreshed(refreshed)
            return new
        if first:  # once, by the worker that saw Teamleader refuse it, not once per failed call
            logger.error("Teamleader connection lost: %s %s", lost.problem, self.reauthorize_hint)
            self.on_connection_lost(lost)
        raise error from cause

    def _remember_refusal(self, record: ConnectionRecord) -> str:
        """Remember that ``record``'s pair was refused; the message later calls raise."""
        message = f"{record.problem} {self.reauthorize_hint}"
        self._refused = (record.token.refresh_token, message)
        return message

    def _grant(self, data: dict[str, str], *, refused: str) -> Token:
        """POST a grant to the token endpoint; never retried (a refresh token is single-use).

        A 4xx answer raises :class:`TeamleaderAuthError` with ``refused`` (its ``{reason}``
        filled in with the status and Teamleader's OAuth error).
        """
        data = {**data, "client_id": self.client_id, "client_secret": self._client_secret}
        grant = data["grant_type"]
        started = time.perf_counter()
        try:
            response = self.session.post(
                self.token_url, data=data, headers={"Accept": "application/json"}, timeout=self.timeout
            )
        except requests.Timeout as err:
            raise TeamleaderTimeoutError(
                f"Teamleader's token endpoint did not answer within {self.timeout} s ({grant} grant). "
                "It was not retried automatically, since a refresh token works only once; try again later.",
                endpoint=TOKEN_ENDPOINT,
            ) from err
        except requests.RequestException as err:
            raise TeamleaderConnectionError(
                f"Could not reach Teamleader's token endpoint ({type(err).__name__}, {grant} grant); try again later.",
                endpoint=TOKEN_ENDPOINT,
            ) from err
        status = response.status_code
        logger.debug(
            "POST %s (%s grant) -> %s in %.0f ms",
            TOKEN_ENDPOINT,
            grant,
            status,
            (time.perf_counter() - started) * 1000,
        )
        body = _json(response)
        if 400 <= status < 500:
            raise TeamleaderAuthError(
                refused.format(reason=_refusal(status, body)),
                status_code=status,
                endpoint=TOKEN_ENDPOINT,
                response=response,
            )
        if status >= 300:
            detail = body.get("error_description") or body.get("message")
            raise error_for_status(
                status,
                endpoint=TOKEN_ENDPOINT,
                response=response,
                detail=detail if isinstance(detail, str) else None,
            )
        try:
            return Token.from_response(body)
        except (TypeError, ValueError) as err:
            raise TeamleaderServerError(
                f"Teamleader's token endpoint answered HTTP {status} without a usable token ({err}).",
                status_code=status,
                endpoint=TOKEN_ENDPOINT,
                response=response,
            ) from err


def _refusal(status: int, body: dict[str, Any]) -> str:
    """`` (HTTP 400, invalid_grant: the refresh token is invalid)``: Teamleader's OAuth error, if any."""
    code, detail = body.get("error"), body.get("error_description")
    parts = [text.strip().rstrip(".") for text in (code, detail) if isinstance(text, str) and text.strip()]
    said = ": ".join(parts)
    return f" (HTTP {status}{', ' + said if said else ''})"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _token_backend(value: Any) -> Any:
    if not all(callable(getattr(value, m, None)) for m in ("get", "read", "write", "clear", "lock")):
        raise ValueError(f"must be a TokenBackend (get/read/write/clear/lock), got {type(value).__name__}")
    return value


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
