"""Connecting the site to Teamleader: the one service behind the command and the admin.

``teamleader_setup`` and the admin's "Connect to Teamleader" button both obtain an
:class:`~teamleader.OAuth2Handler` from :func:`~teamleader.django.client.get_oauth_handler`,
send the user to its authorization URL, and finish with :func:`complete_authorization`
(or :func:`connect_from_paste` for what the user pasted by hand). Neither has OAuth logic of
its own.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Mapping

from django.utils.translation import gettext

from teamleader.connection import ConnectionRecord
from teamleader.exceptions import TeamleaderAuthError, TeamleaderConnectionError, TeamleaderError
from teamleader.oauth import OAuth2Handler
from teamleader.token import Token

from .client import get_client, get_token_backend
from .conf import teamleader_settings
from .explain import ExplainedAuthError, explain
from .signals import teamleader_connected, teamleader_disconnected

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

#: What an authorization code looks like: one long URL-safe word (Teamleader's start "def50200").
CODE = re.compile(r"[A-Za-z0-9._~+/=-]{16,}")


@dataclass
class ConnectionInfo:
    """A finished connection, for the confirmation message: the stored record, and why
    the Teamleader user is unknown when it is."""

    record: ConnectionRecord
    user_error: str = ""

    @property
    def token(self) -> Token:
        return self.record.token

    @property
    def user_label(self) -> str:
        """``"Ada Lovelace <ada@example.com>"``, or ``""`` when unknown."""
        return self.record.user_label


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
    """Finish from what the user pasted: the redirected URL (its state is checked) or the bare code.

    Anything else is refused before a request is sent, with a ``TeamleaderAuthError`` that
    says what to paste (in the active language).
    """
    pasted = pasted.strip()
    if "://" in pasted or "=" in pasted:  # a URL or a query string
        return complete_authorization(
            handler, pasted, expected_state=expected_state, connected_by=connected_by
        )
    if not CODE.fullmatch(pasted):
        raise ExplainedAuthError(
            gettext(
                "What was pasted is neither the URL your browser was sent back to (it starts with http and "
                "holds ?code=…&state=…) nor an authorization code (one long word of letters and digits); "
                "nothing was sent to Teamleader. Run the command again and paste the whole address."
            )
        )
    return connect_with_code(handler, pasted, connected_by=connected_by)


def record_connection(token: Token, *, connected_by: str) -> ConnectionInfo:
    """After a code exchange: ask ``users.me`` who connected (when the scopes allow) and store it.

    The exchange stored a fresh record (the pair, the scopes, when); this adds who
    connected through the token backend, so any backend keeps it.
    """
    backend = get_token_backend()
    details: dict[str, Any] = {"connected_by": connected_by[:150]}
    user_error = ""
    if "users" in teamleader_settings.SCOPES:  # what the exchange stored; a snapshot read could be older
        try:
            me = get_client().users.me()
        except TeamleaderError as err:
            user_error = explain(err)
            logger.info("Connected to Teamleader, but users.me failed: %s", err)
        else:
            details.update(
                user_id=me.id or "",
                user_name=me.full_name,
                user_email=me.email or "",
                account_id=me.account_id or "",
            )
    else:
        user_error = gettext('add the "users" scope to see who connected')
    record = backend.update(**details) or ConnectionRecord(token)
    get_client().oauth.forget_connection_details()  # the account is known now: spend its budget
    teamleader_connected.send_robust(sender=ConnectionInfo, record=record)
    return ConnectionInfo(record=record, user_error=user_error)


def disconnect() -> None:
    """Forget the stored tokens (Teamleader keeps the integration installed)."""
    backend = get_token_backend()
    record = backend.read()
    backend.clear()
    teamleader_disconnected.send_robust(sender=ConnectionInfo, record=record)


def check_connection() -> tuple[bool, str]:
    """Call ``users.me`` and say in plain words whether the connection works.

    An explicit test: a refresh token Teamleader refused before is tried once more, so
    the stored state (connected, or needs reconnecting) is what Teamleader says now.
    """
    client = get_client()
    try:
        record = client.oauth.token_backend.read()
        if record is not None and record.needs_reauthorization:
            client.oauth.refresh(retry_refused=True)
        me = client.users.me()
    except TeamleaderConnectionError as err:
        # Translators: the error says Teamleader could not be reached and to try again later.
        return False, gettext("%(error)s. Nothing was changed; try again in a minute.") % {
            "error": explain(err).rstrip(".")
        }
    except TeamleaderAuthError as err:
        return False, gettext("The connection does not work: %(error)s") % {"error": explain(err)}
    except TeamleaderError as err:
        return False, gettext("Teamleader answered the test with an error: %(error)s") % {
            "error": explain(err)
        }
    who = me.full_name or me.email or me.id or gettext("an unnamed user")
    if me.email:
        return True, gettext("The connection works: Teamleader answered as %(user)s <%(email)s>.") % {
            "user": who,
            "email": me.email,
        }
    return True, gettext("The connection works: Teamleader answered as %(user)s.") % {"user": who}
