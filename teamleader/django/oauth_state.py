"""The OAuth ``state`` of a connection started in the admin, kept in the user's session.

One attempt per session: starting again replaces it. It is taken out of the session
when the callback arrives, before anything else happens, so it works once and a
replayed callback finds nothing. It expires after 10 minutes, the lifetime of a
Teamleader authorization code. The callback's ``state`` is compared with it in
constant time by :meth:`teamleader.OAuth2Handler.handle_callback`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, MutableMapping

from django.utils.translation import gettext, ngettext

from . import labels
from .explain import ExplainedStateMismatch

__all__ = ["MAX_AGE", "SESSION_KEY", "PendingAuthorization", "remember", "take"]

SESSION_KEY = "teamleader_oauth"
#: Seconds an admin connection attempt stays valid.
MAX_AGE = 600


@dataclass(frozen=True)
class PendingAuthorization:
    """A connection attempt: its state and the redirect URI the code is bound to."""

    state: str
    redirect_uri: str
    started_at: float


def remember(session: MutableMapping[str, Any], state: str, redirect_uri: str) -> None:
    """Keep ``state`` (from ``OAuth2Handler.get_authorization_url()``) for the callback."""
    session[SESSION_KEY] = {"state": state, "redirect_uri": redirect_uri, "started_at": time.time()}


def take(
    session: MutableMapping[str, Any], *, max_age: float = MAX_AGE, button: str | None = None
) -> PendingAuthorization:
    """Remove the pending attempt from the session and return it, if it is still valid.

    Raises :class:`~teamleader.exceptions.TeamleaderStateMismatchError` when there is
    none (never started here, or already used) or when it is too old, worded in the
    active language; ``button`` is the label of the button to click again (by default
    "Connect to Teamleader").
    """
    raw = session.pop(SESSION_KEY, None)
    if not isinstance(raw, dict) or not raw.get("state") or not raw.get("redirect_uri"):
        raise ExplainedStateMismatch(
            gettext(
                "This answer from Teamleader was not expected: no connection was started from this "
                "browser, or it was already completed. Nothing was stored."
            )
        )
    pending = PendingAuthorization(
        str(raw["state"]), str(raw["redirect_uri"]), float(raw.get("started_at") or 0)
    )
    if not 0 <= time.time() - pending.started_at <= max_age:
        minutes = max_age / 60
        raise ExplainedStateMismatch(
            ngettext(
                "The connection attempt expired: Teamleader must answer within %(minutes)s minute. "
                'Nothing was stored; click "%(button)s" again.',
                "The connection attempt expired: Teamleader must answer within %(minutes)s minutes. "
                'Nothing was stored; click "%(button)s" again.',
                math.ceil(minutes),
            )
            % {"minutes": f"{minutes:g}", "button": button or labels.CONNECT}
        )
    return pending
