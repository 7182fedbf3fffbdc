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

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # real imports for type checkers and IDEs; lazy at run time
    from .client import DEFAULT_API_BASE_URL as DEFAULT_API_BASE_URL
    from .client import TeamleaderClient as TeamleaderClient
    from .exceptions import TeamleaderAPIError as TeamleaderAPIError
    from .exceptions import TeamleaderAuthError as TeamleaderAuthError
    from .exceptions import TeamleaderAuthExpiredError as TeamleaderAuthExpiredError
    from .exceptions import TeamleaderAuthorizationDenied as TeamleaderAuthorizationDenied
    from .exceptions import TeamleaderBadRequestError as TeamleaderBadRequestError
    from .exceptions import TeamleaderConfigurationError as TeamleaderConfigurationError
    from .exceptions import TeamleaderConnectionError as TeamleaderConnectionError
    from .exceptions import TeamleaderError as TeamleaderError
    from .exceptions import TeamleaderNotConnectedError as TeamleaderNotConnectedError
    from .exceptions import TeamleaderNotFoundError as TeamleaderNotFoundError
    from .exceptions import TeamleaderPermissionError as TeamleaderPermissionError
    from .exceptions import TeamleaderRateLimitError as TeamleaderRateLimitError
    from .exceptions import TeamleaderServerError as TeamleaderServerError
    from .exceptions import TeamleaderStateMismatchError as TeamleaderStateMismatchError
    from .exceptions import TeamleaderTimeoutError as TeamleaderTimeoutError
    from .exceptions import TeamleaderValidationError as TeamleaderValidationError
    from .oauth import DEFAULT_AUTH_BASE_URL as DEFAULT_AUTH_BASE_URL
    from .oauth import AuthorizationURL as AuthorizationURL
    from .oauth import OAuth2Handler as OAuth2Handler
    from .ratelimit import RateLimit as RateLimit
    from .resource import NOT_GIVEN as NOT_GIVEN
    from .token import Token as Token
    from .token_backends import FileTokenBackend as FileTokenBackend
    from .token_backends import MemoryTokenBackend as MemoryTokenBackend
    from .token_backends import TokenBackend as TokenBackend

# Imported on first use (PEP 562), so that loading the package, e.g. for its pytest
# plugin, does not import requests and the whole client up front.
_LAZY = {
    "AuthorizationURL": "oauth",
    "DEFAULT_API_BASE_URL": "client",
    "DEFAULT_AUTH_BASE_URL": "oauth",
    "FileTokenBackend": "token_backends",
    "MemoryTokenBackend": "token_backends",
    "NOT_GIVEN": "resource",
    "OAuth2Handler": "oauth",
    "RateLimit": "ratelimit",
    "TeamleaderAPIError": "exceptions",
    "TeamleaderAuthError": "exceptions",
    "TeamleaderAuthExpiredError": "exceptions",
    "TeamleaderAuthorizationDenied": "exceptions",
    "TeamleaderBadRequestError": "exceptions",
    "TeamleaderClient": "client",
    "TeamleaderConfigurationError": "exceptions",
    "TeamleaderConnectionError": "exceptions",
    "TeamleaderError": "exceptions",
    "TeamleaderNotConnectedError": "exceptions",
    "TeamleaderNotFoundError": "exceptions",
    "TeamleaderPermissionError": "exceptions",
    "TeamleaderRateLimitError": "exceptions",
    "TeamleaderServerError": "exceptions",
    "TeamleaderStateMismatchError": "exceptions",
    "TeamleaderTimeoutError": "exceptions",
    "TeamleaderValidationError": "exceptions",
    "Token": "token",
    "TokenBackend": "token_backends",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'teamleader' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
