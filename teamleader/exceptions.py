"""The exception hierarchy of teamleader-sdk.

Every error the client raises on purpose derives from :class:`TeamleaderError`, so
``except TeamleaderError`` catches API failures, authorisation problems and network
trouble alike. Mistakes in the calling code are the exception to that rule:
:class:`TeamleaderConfigurationError` and :class:`TeamleaderValidationError` are
``ValueError`` subclasses and stay outside the tree, so a broad ``except TeamleaderError`` never
hides a misconfiguration or a request that breaks the API's description.

No message, ``str()`` or ``repr()`` of these exceptions contains an access token, a
refresh token or the client secret: they are built from the endpoint, the HTTP status
and the error titles that Teamleader returns.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "TeamleaderError",
    "TeamleaderAPIError",
    "TeamleaderBadRequestError",
    "TeamleaderPermissionError",
    "TeamleaderNotFoundError",
    "TeamleaderRateLimitError",
    "TeamleaderServerError",
    "TeamleaderAuthError",
    "TeamleaderAuthExpiredError",
    "TeamleaderNotConnectedError",
    "TeamleaderAuthorizationDenied",
    "TeamleaderStateMismatchError",
    "TeamleaderConnectionError",
    "TeamleaderTimeoutError",
    "TeamleaderConfigurationError",
    "TeamleaderValidationError",
    "error_for_status",
]


class TeamleaderError(Exception):
    """Base class of every error raised by the Teamleader client.

    :ivar status_code: the HTTP status of the failed answer, or ``None``.
    :ivar endpoint: the endpoint that was called, e.g. ``"contacts.info"``.
    :ivar errors: the ``errors`` list of Teamleader's error body (may be empty).
    :ivar response: the :class:`requests.Response`, when there was one.
    """

    #: Whether trying again later may succeed (network trouble, 5xx, 429).
    transient = False

    def __init__(
        self,
        message: str = "",
        *,
        status_code: int | None = None,
        endpoint: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        response: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.endpoint = endpoint
        self.errors = list(errors or [])
        self.response = response

    @property
    def titles(self) -> list[str]:
        """The human-readable ``title`` of every error Teamleader returned."""
        return error_titles(self.errors)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, status_code={self.status_code!r}, "
            f"endpoint={self.endpoint!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep exceptions picklable (Celery results, multiprocessing) without the response;
        # subclasses' extra attributes (retry_after, ...) travel in the state.
        state = {k: v for k, v in self.__dict__.items() if k != "response"}
        return (_rebuild, (type(self), self.message, self.status_code, self.endpoint, self.errors), state)


def _rebuild(
    cls: type[TeamleaderError], message: str, status: Any, endpoint: Any, errors: Any
) -> TeamleaderError:
    return cls(message, status_code=status, endpoint=endpoint, errors=errors)


class TeamleaderAPIError(TeamleaderError):
    """Teamleader answered a request with an error status."""


class TeamleaderBadRequestError(TeamleaderAPIError):
    """HTTP 400 or 422: Teamleader refused the request body (see :attr:`titles`)."""


class TeamleaderPermissionError(TeamleaderAPIError):
    """HTTP 403: the connected user or the integration's scopes do not allow this."""


class TeamleaderNotFoundError(TeamleaderAPIError):
    """HTTP 404: no such record (or no such endpoint)."""


class TeamleaderRateLimitError(TeamleaderAPIError):
    """HTTP 429 that persisted after the client waited and retried.

    :ivar retry_after: seconds until Teamleader expects to accept calls again, if known.
    """

    transient = True

    def __init__(self, message: str = "", *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class TeamleaderServerError(TeamleaderAPIError):
    """HTTP 5xx: a failure on Teamleader's side; usually worth trying again later."""

    transient = True


class TeamleaderAuthError(TeamleaderError):
    """Authorisation failed: no token stored, a token rejected, or an OAuth step refused."""


class TeamleaderAuthExpiredError(TeamleaderAuthError):
    """The stored refresh token was rejected: the integration must be authorised again.

    The stored token is left as it was; the message says how to re-authorise.
    """


class TeamleaderNotConnectedError(TeamleaderAuthError):
    """No token pair is stored: the integration was never connected, or was disconnected."""


class TeamleaderAuthorizationDenied(TeamleaderAuthError):
    """The person in the browser refused access (``?error=access_denied``)."""


class TeamleaderStateMismatchError(TeamleaderAuthError):
    """An OAuth callback carried a missing or wrong ``state``: it was not ours."""


class TeamleaderConnectionError(TeamleaderError):
    """Teamleader could not be reached (DNS, refused connection, TLS, reset)."""

    transient = True


class TeamleaderTimeoutError(TeamleaderConnectionError):
    """Teamleader did not answer within the configured timeout."""


class TeamleaderConfigurationError(ValueError):
    """The client was configured wrongly (a missing or invalid argument).

    Deliberately not a :class:`TeamleaderError`: a misconfiguration is a bug to fix,
    not a failure to handle. :attr:`problems` maps each bad argument to what is wrong
    with it (``{"timeout": "must be a positive number of seconds, got 0"}``), so that a
    layer above (the Django settings) can name its own key for each.
    """

    def __init__(self, message: str = "", *, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = dict(problems or {})


class TeamleaderValidationError(ValueError):
    """A request that does not match Teamleader's OpenAPI description; nothing was sent.

    Raised before sending, for an unknown key in a body or a filter, a wrong JSON type, a
    value outside an enum, a missing required field, or a ``oneOf`` where none or several
    choices fit. Like :class:`TeamleaderConfigurationError` it is a bug to fix, not a
    failure to handle, so it is not a :class:`TeamleaderError`.

    :ivar endpoint: the operation, e.g. ``"contacts.list"``.
    :ivar path: where in the body, e.g. ``"filter.emial"`` (``""`` for the body itself).
    :ivar allowed: what is allowed there (field names, enum values or types).
    :ivar suggestion: the allowed name or value closest to what was given, or ``None``.
    """

    def __init__(
        self,
        message: str,
        *,
        endpoint: str,
        path: str,
        allowed: list[Any] | None = None,
        suggestion: Any = None,
    ) -> None:
        super().__init__(message)
        self.endpoint, self.path, self.suggestion = endpoint, path, suggestion
        self.allowed = list(allowed or [])

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_validation, (str(self), self.__dict__))


def _rebuild_validation(message: str, state: dict[str, Any]) -> TeamleaderValidationError:
    return TeamleaderValidationError(message, **state)


def error_titles(errors: list[dict[str, Any]] | None) -> list[str]:
    """The ``title`` of every entry of a Teamleader ``errors`` list that has one."""
    return [str(e["title"]) for e in errors or () if isinstance(e, dict) and e.get("title")]


def error_reasons(errors: list[dict[str, Any]] | None) -> list[str]:
    """Each error entry in words: its ``title``, with its ``detail`` or ``message`` when that adds to it."""
    reasons = []
    for entry in errors or ():
        if not isinstance(entry, dict):
            continue
        title = str(entry.get("title") or "").strip()
        more = next((str(entry[k]).strip() for k in ("detail", "message") if entry.get(k)), "")
        text = f"{title} ({more})" if title and more and more not in title else title or more
        if text:
            reasons.append(text)
    return reasons


_STATUS_CLASSES: dict[int, type[TeamleaderError]] = {
    400: TeamleaderBadRequestError,
    401: TeamleaderAuthError,
    403: TeamleaderPermissionError,
    404: TeamleaderNotFoundError,
    422: TeamleaderBadRequestError,
    429: TeamleaderRateLimitError,
}


def error_for_status(
    status_code: int,
    *,
    endpoint: str,
    errors: list[dict[str, Any]] | None = None,
    response: Any = None,
    detail: str | None = None,
    **kwargs: Any,
) -> TeamleaderError:
    """Build the exception that matches an HTTP error status.

    This is the one place where HTTP statuses become exception classes. The message
    keeps what Teamleader said: each error's title and detail, else ``detail`` (a body's
    ``message`` or ``error_description``), else a phrase for the status. Extra keyword
    arguments go to the exception class (``retry_after`` for a 429).
    """
    if status_code in _STATUS_CLASSES:
        cls = _STATUS_CLASSES[status_code]
    elif status_code >= 500:
        cls = TeamleaderServerError
    else:
        cls = TeamleaderAPIError
    reason = "; ".join(error_reasons(errors)) or detail or _REASONS.get(status_code, "error")
    message = f"{endpoint} failed with HTTP {status_code}: {reason}"
    return cls(
        message, status_code=status_code, endpoint=endpoint, errors=errors, response=response, **kwargs
    )


_REASONS = {
    400: "bad request",
    401: "unauthorised (the access token was refused)",
    403: "forbidden (check the integration's scopes)",
    404: "not found",
    422: "unprocessable request",
    429: "rate limit exceeded",
    500: "internal server error",
    502: "bad gateway",
    503: "service unavailable",
    504: "gateway timeout",
}
