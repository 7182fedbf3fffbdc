"""What a token backend stores about the one Teamleader connection: the pair and its story.

A :class:`ConnectionRecord` is the token pair plus who connected, as which Teamleader
user and account, with which scopes, when it was last refreshed, and whether it still
works. Backends store and return whole records; the OAuth handler and the Django app
read and change them only through the backend's interface, so a custom backend keeps
everything a site shows about its connection.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from .token import Token

__all__ = ["CONNECTED", "DISCONNECTED", "REAUTHORIZATION_NEEDED", "ConnectionRecord", "status_of"]

#: The token pair works (as far as anyone knows).
CONNECTED = "connected"
#: Teamleader refused the refresh token: someone must authorise the integration again.
REAUTHORIZATION_NEEDED = "reauthorization_needed"
#: Nothing is stored (never connected, or disconnected).
DISCONNECTED = "disconnected"


@dataclass(frozen=True)
class ConnectionRecord:
    """The stored connection. Immutable: change it with :func:`dataclasses.replace`.

    ``status`` is :data:`CONNECTED` or :data:`REAUTHORIZATION_NEEDED`; when it is the
    latter, ``problem`` says why in plain words and ``problem_at`` says since when.
    The repr shows the token masked.
    """

    token: Token
    scopes: tuple[str, ...] = ()
    user_id: str = ""
    user_name: str = ""
    user_email: str = ""
    account_id: str = ""
    connected_by: str = ""
    connected_at: dt.datetime | None = None
    refreshed_at: dt.datetime | None = None
    status: str = CONNECTED
    problem: str = ""
    problem_at: dt.datetime | None = None

    @property
    def user_label(self) -> str:
        """``"Ada Lovelace <ada@example.com>"``, or ``""`` when unknown."""
        if self.user_name and self.user_email:
            return f"{self.user_name} <{self.user_email}>"
        return self.user_name or self.user_email

    @property
    def needs_reauthorization(self) -> bool:
        return self.status == REAUTHORIZATION_NEEDED

    def with_token(self, token: Token, *, refreshed_at: dt.datetime | None = None) -> ConnectionRecord:
        """This record with a new pair (after a refresh): the connection works again."""
        return dataclasses.replace(
            self,
            token=token,
            refreshed_at=refreshed_at or self.refreshed_at,
            status=CONNECTED,
            problem="",
            problem_at=None,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; :meth:`from_dict` reads it back."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["token"] = self.token.to_dict()
        data["scopes"] = list(self.scopes)
        for name in ("connected_at", "refreshed_at", "problem_at"):
            data[name] = data[name].isoformat() if data[name] else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConnectionRecord:
        """Read :meth:`to_dict`'s output; a bare token dict (version 0.1 files) gives a record too."""
        if "token" not in data:
            return cls(token=Token.from_dict(data))
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["token"] = Token.from_dict(data["token"])
        values["scopes"] = tuple(data.get("scopes") or ())
        for name in ("connected_at", "refreshed_at", "problem_at"):
            values[name] = dt.datetime.fromisoformat(data[name]) if data.get(name) else None
        return cls(**values)


def status_of(record: ConnectionRecord | None) -> str:
    """:data:`CONNECTED`, :data:`REAUTHORIZATION_NEEDED` or :data:`DISCONNECTED`."""
    return DISCONNECTED if record is None else record.status
