"""The sandbox's OAuth2 server: consent page, code grant, refresh with rotation."""

from __future__ import annotations

import base64
import hmac
import json
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Collection

from .authorize_page import consent_page, error_page
from .wire import OAuthError, Reply, Request, html_reply, json_reply, redirect_reply

__all__ = ["CODE_LIFETIME", "OAuthServer"]

#: Seconds an authorization code stays valid.
CODE_LIFETIME = 600


@dataclass
class _Code:
    client_id: str | None  # None: redeemable by any client (codes made by test helpers)
    redirect_uri: str
    user_id: str
    expires_at: float
    used: bool = False


@dataclass
class _Grant:
    """What a token stands for: a user of the account, through one integration."""

    client_id: str | None  # None: usable by any client (tokens made by test helpers)
    user_id: str
    expires_at: float | None = None  # access tokens only
    used: bool = False  # refresh tokens only


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


class OAuthServer:
    """Codes and tokens of one sandbox. Not thread-safe: the sandbox holds its lock."""

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        stats: Counter[str],
        user_id: Callable[[], str],
        describe_user: Callable[[str], tuple[str, str]],
        client_id: str | None = None,
        client_secret: str | None = None,
        redirect_uris: Collection[str] | None = None,
        access_token_lifetime: int = 3600,
        token_delay: float = 0.0,
        refresh_delay: float = 0.0,
    ) -> None:
        if access_token_lifetime <= 0:
            raise ValueError("access_token_lifetime must be a positive number of seconds")
        self.clock = clock
        self.stats = stats
        self.user_id = user_id
        self.describe_user = describe_user
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = set(redirect_uris) if redirect_uris is not None else None
        self.access_token_lifetime = int(access_token_lifetime)
        self.token_delay = float(token_delay)
        self.refresh_delay = float(refresh_delay)
        self.codes: dict[str, _Code] = {}
        self.access_tokens: dict[str, _Grant] = {}
        self.refresh_tokens: dict[str, _Grant] = {}

    # -- consent page -------------------------------------------------------------------
    def _authorize_problem(self, params: dict[str, str]) -> str | None:
        client_id, redirect_uri = params.get("client_id", ""), params.get("redirect_uri", "")
        if not client_id:
            return "The client_id parameter is missing."
        if self.client_id is not None and not _same(client_id, self.client_id):
            return "No integration is known with this client_id."
        if not redirect_uri:
            return "The redirect_uri parameter is missing."
        if not redirect_uri.startswith(("http://", "https://")):
            return "The redirect_uri must be an absolute http(s) URL."
        if self.redirect_uris is not None and redirect_uri not in self.redirect_uris:
            return "The redirect_uri is not whitelisted for this integration."
        if params.get("response_type") != "code":
            return 'The response_type parameter must be "code".'
        return None

    def authorize(self, request: Request) -> Reply:
        """``GET`` shows the consent page; ``POST`` (its form) redirects back."""
        params = dict(request.query)
        if request.method == "POST":
            try:
                params.update({k: str(v) for k, v in request.form_or_json().items()})
            except ValueError:
                return html_reply(400, error_page("The form could not be read."))
        problem = self._authorize_problem(params)
        if problem:
            return html_reply(400, error_page(problem))
        redirect_uri, state = params["redirect_uri"], params.get("state", "")
        if request.method != "POST":
            user_name, account_name = self.describe_user(self.user_id())
            page = consent_page(
                client_id=params["client_id"],
                redirect_uri=redirect_uri,
                state=state,
                user_name=user_name,
                account_name=account_name,
            )
            return html_reply(200, page)
        extra = {"state": state} if state else {}
        if params.get("decision") != "approve":
            self.stats["authorizations_denied"] += 1
            return redirect_reply(redirect_uri, {"error": "access_denied", **extra})
        self.stats["authorizations_approved"] += 1
        code = self.create_code(params["client_id"], redirect_uri)
        return redirect_reply(redirect_uri, {"code": code, **extra})

    def create_code(self, client_id: str | None, redirect_uri: str, user_id: str | None = None) -> str:
        code = "def50200" + secrets.token_hex(160)
        expires_at = self.clock() + CODE_LIFETIME
        self.codes[code] = _Code(client_id, redirect_uri, user_id or self.user_id(), expires_at)
        return code

    # -- token endpoint -------------------------------------------------------------------
    def token(self, request: Request) -> Reply:
        """``POST /oauth2/access_token``: the code grant and the refresh grant."""
        if request.method != "POST":
            return json_reply(405, {"error": "invalid_request", "error_description": "Use POST."})
        grant_type = ""
        try:
            try:
                params = request.form_or_json()
            except ValueError as err:
                raise OAuthError(400, "invalid_request", "The body must be a form or a JSON object.") from err
            grant_type = str(params.get("grant_type") or "")
            client_id = self._check_client(request, params)
            if grant_type == "authorization_code":
                answer = self._code_grant(client_id, params)
            elif grant_type == "refresh_token":
                answer = self._refresh_grant(client_id, params)
            elif not grant_type:
                raise OAuthError(400, "invalid_request", "The grant_type parameter is missing.")
            else:
                raise OAuthError(400, "unsupported_grant_type", "The grant type is not supported.")
            reply = json_reply(200, answer, {"Cache-Control": "no-store", "Pragma": "no-cache"})
        except OAuthError as err:
            payload = {"error": err.error, "error_description": err.description}
            reply = json_reply(err.status, payload, {"Cache-Control": "no-store"})
        reply.delay = self.token_delay + (self.refresh_delay if grant_type == "refresh_token" else 0.0)
        return reply

    def _check_client(self, request: Request, params: dict[str, Any]) -> str:
        client_id, secret = str(params.get("client_id") or ""), str(params.get("client_secret") or "")
        basic = request.headers.get("authorization", "")
        if not client_id and basic[:6].lower() == "basic ":
            try:
                client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
            except ValueError:
                pass
        if not client_id or not secret:
            raise OAuthError(401, "invalid_client", "Client authentication failed.")
        if self.client_id is not None and not _same(client_id, self.client_id):
            raise OAuthError(401, "invalid_client", "Client authentication failed.")
        if self.client_secret is not None and not _same(secret, self.client_secret):
            raise OAuthError(401, "invalid_client", "Client authentication failed.")
        return client_id

    def _code_grant(self, client_id: str, params: dict[str, Any]) -> dict[str, Any]:
        code = self.codes.get(str(params.get("code") or ""))
        problem = None
        if code is None:
            problem = "The authorization code is invalid."
        elif code.used:
            problem = "The authorization code has already been used."
        elif code.expires_at <= self.clock():
            problem = "The authorization code has expired."
        elif code.client_id not in (None, client_id):
            problem = "The authorization code was issued to another client."
        elif str(params.get("redirect_uri") or "") != code.redirect_uri:
            problem = "The redirect_uri does not match the one used to authorize."
        if problem is not None or code is None:
            self.stats["rejected_codes"] += 1
            raise OAuthError(400, "invalid_grant", problem or "The authorization code is invalid.")
        code.used = True
        self.stats["code_grants"] += 1
        return self.issue(client_id, code.user_id)

    def _refresh_grant(self, client_id: str, params: dict[str, Any]) -> dict[str, Any]:
        grant = self.refresh_tokens.get(str(params.get("refresh_token") or ""))
        if grant is None or grant.used or grant.client_id not in (None, client_id):
            self.stats["rejected_refreshes"] += 1
            raise OAuthError(400, "invalid_grant", "The refresh token is invalid.")
        grant.used = True  # rotation: a refresh token works once
        self.stats["refresh_grants"] += 1
        return self.issue(client_id, grant.user_id)

    # -- tokens -----------------------------------------------------------------------
    def issue(self, client_id: str | None, user_id: str | None = None) -> dict[str, Any]:
        """A fresh token pair, as the token endpoint answers it."""
        user_id = user_id or self.user_id()
        now = int(self.clock())
        expires_at = now + self.access_token_lifetime
        header = _b64(json.dumps({"typ": "JWT", "alg": "RS256"}).encode())
        claims = {
            "aud": client_id or "sandbox",
            "jti": secrets.token_hex(40),
            "iat": now,
            "nbf": now,
            "exp": expires_at,
            "sub": user_id,
            "scopes": [],
        }
        access = f"{header}.{_b64(json.dumps(claims).encode())}.{_b64(secrets.token_bytes(256))}"
        refresh = "def50200" + secrets.token_hex(320)
        self.access_tokens[access] = _Grant(client_id, user_id, expires_at=expires_at)
        self.refresh_tokens[refresh] = _Grant(client_id, user_id)
        return {
            "token_type": "Bearer",
            "expires_in": self.access_token_lifetime,
            "access_token": access,
            "refresh_token": refresh,
        }

    def user_for(self, access_token: str) -> str | None:
        """The user behind a valid, unexpired access token, else ``None``."""
        grant = self.access_tokens.get(access_token)
        if grant is None or grant.expires_at is None or grant.expires_at <= self.clock():
            return None
        return grant.user_id

    def expire_access_tokens(self) -> None:
        now = self.clock()
        for grant in self.access_tokens.values():
            grant.expires_at = min(grant.expires_at or now, now)

    def revoke_all(self) -> None:
        """What uninstalling the integration does: every token stops working."""
        self.access_tokens.clear()
        self.refresh_tokens.clear()
