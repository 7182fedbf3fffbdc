"""Connecting the site to Teamleader: the one service behind the command and the admin.

``teamleader_setup`` and the admin's "Connect to Teamleader" button both obtain an
:class:`~teamleader.OAuth2Handler` from :func:`~teamleader.django.client.get_oauth_handler`,
send the user to its authorization URL, and finish with :func:`complete_authorization`
(or :func:`connect_from_paste` for what the user pasted by hand). Neither has OAuth logic of
its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Mapping

from django.utils import timezone

from teamleader.exceptions import TeamleaderError
from teamleader.oauth import OAuth2Handler
from teamleader.token import Token

from .client import get_client, get_token_backend
from .conf import teamleader_settings
from .models import TeamleaderToken
from .token_store import DatabaseTokenBackend

__all__ = [
    "ConnectionInfo",
    "complete_authorization",
    "connect_from_paste",
    "connect_with_code",
    "check_connection",
    "disconnect",
    "record_connection",
]

logger = logging.getLogger("teamleader")


@dataclass
class ConnectionInfo:
    """What a finished connection looks like, for the confirmation message."""

    token: Token
    scopes: list[str] = field(default_factory=list)
    user_id: str = ""
    user_name: str = ""
    user_email: str = ""
    user_error: str = ""

    @property
    def user_label(self) -> str:
        """``"Ada Lovelace <ada@example.com>"``, or ``""`` when unknown."""
        if self.user_name and self.user_email:
            return f"{self.user_name} <{self.user_email}>"
        return self.user_name or self.user_email


def complete_authorization(
    handler: OAuth2Handler, callback: str | Mapping[str, Any], *, expected_state: str, connected_by: str
) -> ConnectionInfo:
    """Check the callback's state, exchange its code, store the token and who connected."""
    token = handler.handle_callback(callback, expected_state=expected_state)
    return record_connection(token, connected_by=connected_by)


def connect_with_code(handler: OAuth2Handler, code: str, *, connected_by: str) -> ConnectionInfo:
    """Exchange a code the user pasted by hand (no state to check), then record it."""
    token = handler.exchange_code(code.strip())
    return record_connection(token, connected_by=connected_by)


def connect_from_paste(
    handler: OAuth2Handler, pasted: str, *, expected_state: str, connected_by: str
) -> ConnectionInfo:
    """Finish from what the user pasted: the redirected URL (its state is checked) or the bare code."""
    if "=" in pasted:  # a URL or a query string
        return complete_authorization(
            handler, pasted, expected_state=expected_state, connected_by=connected_by
        )
    return connect_with_code(handler, pasted, connected_by=connected_by)


def record_connection(token: Token, *, connected_by: str) -> ConnectionInfo:
    """After a code exchange: ask ``users.me`` who connected (when the scopes allow) and store it."""
    scopes = list(teamleader_settings.SCOPES)
    info = ConnectionInfo(token=token, scopes=scopes)
    if "users" in scopes:
        try:
            me = get_client().users.me()
        except TeamleaderError as err:
            info.user_error = str(err)
            logger.info("Connected to Teamleader, but users.me failed: %s", err)
        else:
            info.user_id = me.id or ""
            info.user_name = me.full_name
            info.user_email = me.email or ""
    else:
        info.user_error = 'add the "users" scope to see who connected'
    backend = get_token_backend()
    if isinstance(backend, DatabaseTokenBackend):
        TeamleaderToken.objects.using(backend.db).filter(pk=TeamleaderToken.SINGLETON_PK).update(
            scopes=scopes,
            teamleader_user_id=info.user_id,
            teamleader_user_name=info.user_name,
            teamleader_user_email=info.user_email,
            connected_by=connected_by[:150],
            connected_at=timezone.now(),
            refreshed_at=None,
        )
    return info


def disconnect() -> None:
    """Forget the stored tokens (Teamleader keeps the integration installed)."""
    get_token_backend().clear()


def check_connection() -> tuple[bool, str]:
    """Call ``users.me`` and say in plain words whether the connection works."""
    try:
        me = get_client().users.me()
    except TeamleaderError as err:
        return False, f"The connection does not work: {err}"
    who = me.full_name or me.email or me.id or "an unnamed user"
    return True, f"The connection works: Teamleader answered as {who}" + (
        f" <{me.email}>." if me.email else "."
    )
