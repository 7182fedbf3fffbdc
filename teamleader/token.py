"""The OAuth2 token pair and how it is shown safely."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

__all__ = ["Token", "mask"]

#: Seconds before expiry at which an access token already counts as expired, so that a
#: request never leaves with a token that dies on the way.
DEFAULT_LEEWAY = 60


def mask(secret: str | None, keep: int = 4) -> str:
    """Show a secret as its first few characters and an ellipsis (``"eyJ0…"``)."""
    if not secret:
        return ""
    if len(secret) <= keep * 3:
        return "…"
    return secret[:keep] + "…"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class Token:
    """An access token and the single-use refresh token that replaces it.

    ``expires_at`` is timezone-aware (UTC when built from a token answer). The repr
    shows both tokens masked, so a token in a log line or a traceback leaks nothing.
    """

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: dt.datetime
    token_type: str = "Bearer"

    def __post_init__(self) -> None:
        if self.expires_at.tzinfo is None or self.expires_at.utcoffset() is None:
            raise ValueError("Token.expires_at must be timezone-aware (e.g. tzinfo=datetime.timezone.utc)")

    def __repr__(self) -> str:
        return (
            f"Token(access_token={mask(self.access_token)!r}, "
            f"refresh_token={mask(self.refresh_token)!r}, expires_at={self.expires_at.isoformat()!r})"
        )

    __str__ = __repr__

    def is_expired(self, leeway: float = DEFAULT_LEEWAY, *, now: dt.datetime | None = None) -> bool:
        """Whether the access token expires within ``leeway`` seconds (or already has)."""
        now = now or _utcnow()
        return self.expires_at - now <= dt.timedelta(seconds=leeway)

    @property
    def expires_in(self) -> float:
        """Seconds until the access token expires (negative once it has)."""
        return (self.expires_at - _utcnow()).total_seconds()

    @classmethod
    def from_response(cls, payload: Mapping[str, Any], *, now: dt.datetime | None = None) -> Token:
        """Build a token from the token endpoint's JSON answer.

        Raises ``ValueError`` naming the missing field when the answer is incomplete.
        """
        missing = [k for k in ("access_token", "refresh_token", "expires_in") if not payload.get(k)]
        if missing:
            raise ValueError(f"the token answer lacks {', '.join(missing)}")
        expires_in = float(payload["expires_in"])
        return cls(
            access_token=str(payload["access_token"]),
            refresh_token=str(payload["refresh_token"]),
            expires_at=(now or _utcnow()) + dt.timedelta(seconds=expires_in),
            token_type=str(payload.get("token_type") or "Bearer"),
        )

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready dict; :meth:`from_dict` reads it back."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at.isoformat(),
            "token_type": self.token_type,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Token:
        return cls(
            access_token=data["access_token"],
            refresh_token=data["refresh_token"],
            expires_at=dt.datetime.fromisoformat(data["expires_at"]),
            token_type=data.get("token_type", "Bearer"),
        )
