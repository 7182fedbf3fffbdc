"""The client's errors told to a person, in their language.

The core client (:mod:`teamleader`) words its errors in English and never imports Django.
Where the admin or a command shows such an error to a person, :func:`explain` gives, in a
language this app has a catalogue for (nl, fr, de), a translated sentence chosen by the
exception's class and HTTP status that says what happened and what to do, followed by
Teamleader's own technical detail, untranslated (``Details: HTTP 400, invalid_grant: …``).
In English, and in a language without a catalogue, it gives the client's own message,
which says the same in English.

Errors this app raises itself are worded in the active language when raised; they are
:class:`ExplainedError` and pass through unchanged.
"""

from __future__ import annotations

import re
from typing import Callable, Optional

from django.utils.translation import gettext, gettext_noop

from teamleader.exceptions import (
    TeamleaderAPIError,
    TeamleaderAuthError,
    TeamleaderAuthExpiredError,
    TeamleaderAuthorizationDenied,
    TeamleaderBadRequestError,
    TeamleaderConnectionError,
    TeamleaderError,
    TeamleaderNotConnectedError,
    TeamleaderNotFoundError,
    TeamleaderPermissionError,
    TeamleaderRateLimitError,
    TeamleaderServerError,
    TeamleaderStateMismatchError,
    TeamleaderTimeoutError,
)
from teamleader.oauth import TOKEN_ENDPOINT

from . import labels

__all__ = [
    "ExplainedAuthError",
    "ExplainedError",
    "ExplainedStateMismatch",
    "connect_hint",
    "explain",
    "explain_problem",
    "reconnect_hint",
    "technical_detail",
]

SETUP_COMMAND = "python manage.py teamleader_setup"

REFRESH_REFUSED = gettext_noop(
    "Teamleader no longer accepts this site's refresh token: the integration was removed or authorised "
    "again in Teamleader, or the token was already used."
)
CODE_REFUSED = gettext_noop(
    "Teamleader refused the authorization code. Codes are single-use and expire after 10 minutes, and the "
    "redirect URI must match the one used to authorise; start connecting again."
)
TOKEN_REFUSED = gettext_noop("Teamleader refused this site's access token, also after refreshing it.")


def reconnect_hint() -> str:
    """How to connect again, naming the admin's button as it is labelled in the active language."""
    return gettext(
        'Connect again: run "%(command)s", or click "%(button)s" on the "%(page)s" page of the Django admin.'
    ) % {"command": SETUP_COMMAND, "button": labels.RECONNECT, "page": labels.CONNECTION_PAGE}


def connect_hint() -> str:
    """How to connect, naming the admin's button as it is labelled in the active language."""
    return gettext(
        'Connect it: run "%(command)s", or click "%(button)s" on the "%(page)s" page of the Django admin.'
    ) % {"command": SETUP_COMMAND, "button": labels.CONNECT, "page": labels.CONNECTION_PAGE}


Hint = Optional[Callable[[], str]]

#: ``(class, sentence, hint after it)``: the first class the error is an instance of wins,
#: so subclasses come before their bases.
SENTENCES: list[tuple[type[TeamleaderError], str, Hint]] = [
    (
        TeamleaderAuthorizationDenied,
        gettext_noop("Access was denied on Teamleader's authorisation page; nothing was stored."),
        None,
    ),
    (
        TeamleaderStateMismatchError,
        gettext_noop(
            "This answer from Teamleader does not belong to a connection started here from this browser, "
            "so it was ignored and nothing was stored. Start connecting again from the same browser."
        ),
        None,
    ),
    (TeamleaderAuthExpiredError, REFRESH_REFUSED, reconnect_hint),
    (TeamleaderNotConnectedError, gettext_noop("Teamleader is not connected."), connect_hint),
    (
        TeamleaderAuthError,
        gettext_noop(
            "Teamleader's answer to the authorisation could not be used; nothing was stored. "
            "Start connecting again."
        ),
        None,
    ),
    (TeamleaderTimeoutError, gettext_noop("Teamleader did not answer in time; try again later."), None),
    (TeamleaderConnectionError, gettext_noop("Teamleader could not be reached; try again later."), None),
    (
        TeamleaderRateLimitError,
        gettext_noop("The limit of calls to Teamleader per minute was reached; try again in a minute."),
        None,
    ),
    (
        TeamleaderPermissionError,
        gettext_noop(
            "Teamleader does not allow this: the connected Teamleader user or the integration's scopes "
            "lack the permission."
        ),
        None,
    ),
    (TeamleaderNotFoundError, gettext_noop("Teamleader does not know the requested record."), None),
    (TeamleaderBadRequestError, gettext_noop("Teamleader refused the request as invalid."), None),
    (TeamleaderServerError, gettext_noop("Teamleader had a problem on its side; try again later."), None),
    (TeamleaderAPIError, gettext_noop("Teamleader answered with an error."), None),
    (TeamleaderError, gettext_noop("Something went wrong while talking to Teamleader."), None),
]

#: ``(HTTP 400, invalid_grant: …)`` in a message of the OAuth handler (one level of nested brackets).
_OAUTH_DETAIL = re.compile(r"\((HTTP \d{3}(?:[^()]|\([^()]*\))*)\)")
#: ``users.me failed with HTTP 403: forbidden …`` (teamleader.exceptions.error_for_status).
_API_DETAIL = re.compile(r"HTTP (\d{3}): (.+)", re.DOTALL)


class ExplainedError:
    """Mixed into errors of this app whose message already tells, in the active language, what to do."""


class ExplainedAuthError(ExplainedError, TeamleaderAuthError):
    """A :class:`TeamleaderAuthError` raised by this app, worded in the active language."""


class ExplainedStateMismatch(ExplainedError, TeamleaderStateMismatchError):
    """A :class:`TeamleaderStateMismatchError` raised by this app, worded in the active language."""


def explain(err: BaseException) -> str:
    """What ``err`` means and what to do, in the active language, with Teamleader's detail after it."""
    if isinstance(err, ExplainedError) or not isinstance(err, TeamleaderError):
        return str(err)
    sentence, hint = _sentence(err)
    translated = gettext(sentence)
    if translated == sentence:  # English, or no catalogue: the client's own message says it
        return str(err)
    if hint is not None:
        translated = f"{translated} {hint()}"
    return _with_detail(translated, technical_detail(err))


def explain_problem(problem: str) -> str:
    """A stored ``ConnectionRecord.problem`` (the refused refresh, in the client's English) in the active language."""
    translated = gettext(REFRESH_REFUSED)
    if not problem or translated == REFRESH_REFUSED:
        return problem
    match = _OAUTH_DETAIL.search(problem)
    return _with_detail(translated, match.group(1) if match else problem)


def technical_detail(err: TeamleaderError) -> str:
    """What Teamleader (or the network) said, untranslated: ``"HTTP 400, invalid_grant: …"``, or ``""``."""
    if isinstance(
        err, (TeamleaderAuthorizationDenied, TeamleaderStateMismatchError, TeamleaderNotConnectedError)
    ):
        return ""  # the sentence says everything; the client's message has nothing more technical
    message = str(err)
    oauth = _OAUTH_DETAIL.search(message)
    if oauth:
        return oauth.group(1)
    api = _API_DETAIL.search(message)
    if err.status_code is not None and api:
        where = f"{err.endpoint}, " if err.endpoint else ""
        return f"{where}HTTP {api.group(1)}: {api.group(2)}"
    cause = err.__cause__
    if isinstance(err, TeamleaderConnectionError) and cause is not None and err.endpoint:
        return f"{err.endpoint}: {type(cause).__name__}"
    return message


def _sentence(err: TeamleaderError) -> tuple[str, Hint]:
    """The sentence for ``err``'s class (and status), and the hint that follows it, if any."""
    if type(err) is TeamleaderAuthError and err.status_code:  # refused by Teamleader, not the callback
        return (CODE_REFUSED, None) if err.endpoint == TOKEN_ENDPOINT else (TOKEN_REFUSED, reconnect_hint)
    return next((sentence, hint) for cls, sentence, hint in SENTENCES if isinstance(err, cls))


def _with_detail(explanation: str, detail: str) -> str:
    if not detail:
        return explanation
    # Translators: Teamleader's technical detail, in English, follows the translated explanation.
    return gettext("%(explanation)s Details: %(detail)s.") % {
        "explanation": explanation,
        "detail": detail.strip().rstrip("."),
    }
