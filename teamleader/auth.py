"""Bearer authentication that asks the OAuth handler for a fresh token per request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from requests.auth import AuthBase

if TYPE_CHECKING:
    from requests import PreparedRequest

    from .oauth import OAuth2Handler


class BearerAuth(AuthBase):
    """Sets ``Authorization: Bearer …`` from the handler, refreshing when needed.

    ``rejected`` is the access token a previous attempt was refused with (HTTP 401);
    the handler then refreshes it unless another worker already has. ``token`` holds
    the access token this request was sent with.
    """

    def __init__(self, oauth: OAuth2Handler, rejected: str | None = None) -> None:
        self.oauth = oauth
        self.rejected = rejected
        self.token: str | None = None

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        self.token = self.oauth.get_access_token(rejected=self.rejected)
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request

    def __repr__(self) -> str:
        return "BearerAuth(<token hidden>)"
