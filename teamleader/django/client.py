"""``get_client()``: a configured :class:`~teamleader.TeamleaderClient` from settings."""

from __future__ import annotations

import threading

from django.utils.module_loading import import_string

from teamleader.client import TeamleaderClient
from teamleader.oauth import OAuth2Handler
from teamleader.token_backends import TokenBackend

from .conf import TeamleaderImproperlyConfigured, teamleader_settings

__all__ = ["REAUTHORIZE_HINT", "get_client", "get_oauth_handler", "get_token_backend"]

REAUTHORIZE_HINT = (
    'Re-run `python manage.py teamleader_setup` (or use "Connect to Teamleader" in the Django admin) '
    "to obtain a fresh token pair."
)

_local = threading.local()


def get_token_backend() -> TokenBackend:
    """A new instance of ``TEAMLEADER["TOKEN_BACKEND"]``."""
    path = teamleader_settings.TOKEN_BACKEND
    try:
        backend_class = import_string(path)
    except ImportError as err:
        raise TeamleaderImproperlyConfigured(
            f'TEAMLEADER["TOKEN_BACKEND"] {path!r} cannot be imported: {err}'
        ) from err
    return backend_class()


def get_oauth_handler(*, redirect_uri: str | None = None) -> OAuth2Handler:
    """An :class:`~teamleader.OAuth2Handler` built from settings.

    ``redirect_uri`` replaces ``TEAMLEADER["REDIRECT_URI"]`` (the admin passes the
    URL of its own callback view).
    """
    s = teamleader_settings
    return OAuth2Handler(
        s.CLIENT_ID,
        s.CLIENT_SECRET,
        redirect_uri or s.REDIRECT_URI,
        get_token_backend(),
        scopes=s.SCOPES,
        auth_base_url=s.AUTH_BASE_URL,
        timeout=s.TIMEOUT,
        reauthorize_hint=REAUTHORIZE_HINT,
    )


def get_client() -> TeamleaderClient:
    """The Teamleader client for this thread, built from ``settings.TEAMLEADER``.

    Cheap to call per request or per task: each thread keeps one client (and so one
    connection pool), rebuilt when the settings change. The client holds no token:
    every call reads the stored token through the token backend (one query), so it
    always uses the newest pair and refreshes it when it is about to expire.
    """
    client: TeamleaderClient | None = getattr(_local, "client", None)
    if (
        client is None
        or client.closed
        or getattr(_local, "generation", None) != teamleader_settings.generation
    ):
        if client is not None:
            client.close()  # settings changed: release the old connection pool
        client = TeamleaderClient(
            get_oauth_handler(),
            api_base_url=teamleader_settings.API_BASE_URL,
            timeout=teamleader_settings.TIMEOUT,
        )
        _local.client = client
        _local.generation = teamleader_settings.generation
    return client
