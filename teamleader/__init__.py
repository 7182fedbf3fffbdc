"""teamleader-sdk: a client for the Teamleader Focus API.

Quick start::

    from teamleader import MemoryTokenBackend, OAuth2Handler, TeamleaderClient

    oauth = OAuth2Handler(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, MemoryTokenBackend())
    print(oauth.get_authorization_url())       # open it, approve, copy the ?code=…
    oauth.exchange_code(code)
    with TeamleaderClient(oauth) as client:
        for contact in client.contacts.iterate():
            print(contact.full_name, contact.primary_email)
"""

__version__ = "0.1.0"

from .client import DEFAULT_API_BASE_URL, TeamleaderClient  # noqa: E402
from .exceptions import (  # noqa: E402
    TeamleaderAPIError,
    TeamleaderAuthError,
    TeamleaderAuthExpiredError,
    TeamleaderAuthorizationDenied,
    TeamleaderBadRequestError,
    TeamleaderConfigurationError,
    TeamleaderConnectionError,
    TeamleaderError,
    TeamleaderNotFoundError,
    TeamleaderPermissionError,
    TeamleaderRateLimitError,
    TeamleaderServerError,
    TeamleaderStateMismatchError,
    TeamleaderTimeoutError,
)
from .oauth import DEFAULT_AUTH_BASE_URL, AuthorizationURL, OAuth2Handler  # noqa: E402
from .ratelimit import RateLimit  # noqa: E402
from .resource import NOT_GIVEN  # noqa: E402
from .token import Token  # noqa: E402
from .token_backends import FileTokenBackend, MemoryTokenBackend, TokenBackend  # noqa: E402

__all__ = [
    "__version__",
    "DEFAULT_API_BASE_URL",
    "DEFAULT_AUTH_BASE_URL",
    "NOT_GIVEN",
    "AuthorizationURL",
    "FileTokenBackend",
    "MemoryTokenBackend",
    "OAuth2Handler",
    "RateLimit",
    "TeamleaderAPIError",
    "TeamleaderAuthError",
    "TeamleaderAuthExpiredError",
    "TeamleaderAuthorizationDenied",
    "TeamleaderBadRequestError",
    "TeamleaderClient",
    "TeamleaderConfigurationError",
    "TeamleaderConnectionError",
    "TeamleaderError",
    "TeamleaderNotFoundError",
    "TeamleaderPermissionError",
    "TeamleaderRateLimitError",
    "TeamleaderServerError",
    "TeamleaderStateMismatchError",
    "TeamleaderTimeoutError",
    "Token",
    "TokenBackend",
]
