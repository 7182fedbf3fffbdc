"""``get_client()`` and the other objects built from ``settings.TEAMLEADER``.

Each setting becomes a constructor argument here, and the constructor checks it; a
bad value raises :class:`~teamleader.django.conf.TeamleaderImproperlyConfigured`
naming the key (see :func:`~teamleader.django.conf.setting_errors`).
:func:`settings_problems` builds everything once to report every problem at startup.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from django.utils.module_loading import import_string

from teamleader.callback_server import CallbackServer
from teamleader.client import TeamleaderClient
from teamleader.connection import ConnectionRecord
from teamleader.oauth import OAuth2Handler
from teamleader.token_backends import MemoryTokenBackend, TokenBackend

from .conf import (
    ARGUMENT_KEYS,
    TeamleaderImproperlyConfigured,
    improperly_configured,
    setting_errors,
    teamleader_settings,
)
from .rate_limit import get_rate_limiter
from .signals import teamleader_connection_lost, teamleader_token_refreshed

__all__ = [
    "CONNECT_HINT",
    "REAUTHORIZE_HINT",
    "get_callback_server",
    "get_client",
    "get_oauth_handler",
    "get_token_backend",
    "settings_problems",
]

REAUTHORIZE_HINT = (
    'Connect again: run "python manage.py teamleader_setup", or click "Reconnect" on the Teamleader '
    "connection page of the Django admin."
)
CONNECT_HINT = (
    'Connect it: run "python manage.py teamleader_setup", or click "Connect to Teamleader" on the '
    "Teamleader connection page of the Django admin."
)

_local = threading.local()


def get_token_backend() -> TokenBackend:
    """The ``TEAMLEADER["TOKEN_BACKEND"]`` instance: one per settings generation, shared by threads."""
    return teamleader_settings.cached("token_backend", _build_token_backend)


def _build_token_backend() -> TokenBackend:
    path = teamleader_settings.TOKEN_BACKEND
    options = teamleader_settings.TOKEN_BACKEND_OPTIONS
    if not isinstance(path, str):
        raise improperly_configured(
            {'"TOKEN_BACKEND"': f"must be a dotted path to a TokenBackend class, got {path!r}."}
        )
    try:
        backend_class = import_string(path)
    except ImportError as err:
        raise improperly_configured({'"TOKEN_BACKEND"': f"{path!r} cannot be imported ({err})."}) from err
    if not isinstance(backend_class, type) or not issubclass(backend_class, TokenBackend):
        raise improperly_configured(
            {'"TOKEN_BACKEND"': f"{path!r} is not a subclass of teamleader.TokenBackend."}
        )
    if not isinstance(options, dict):
        raise improperly_configured(
            {'"TOKEN_BACKEND_OPTIONS"': f"must be a dict of keyword arguments for {path}, got {options!r}."}
        )
    with setting_errors({name: f'TEAMLEADER["TOKEN_BACKEND_OPTIONS"]["{name}"]' for name in options}):
        try:
            return backend_class(**options)
        except TypeError as err:
            raise improperly_configured(
                {'"TOKEN_BACKEND_OPTIONS"': f"do not fit {backend_class.__name__}: {err}."}
            ) from err


def get_oauth_handler(*, redirect_uri: str | None = None) -> OAuth2Handler:
    """An :class:`~teamleader.OAuth2Handler` built from settings.

    ``redirect_uri`` replaces ``TEAMLEADER["REDIRECT_URI"]`` (the admin passes
    ``ADMIN_REDIRECT_URI`` or the URL of its own callback view).
    """
    return _build_oauth_handler(get_token_backend(), redirect_uri)


class SiteOAuth2Handler(OAuth2Handler):
    """The OAuth handler of the site: tells the rest of the site, by signals, what happened."""

    def on_refreshed(self, record: ConnectionRecord) -> None:
        teamleader_token_refreshed.send_robust(sender=type(self), record=record)

    def on_connection_lost(self, record: ConnectionRecord) -> None:
        teamleader_connection_lost.send_robust(sender=type(self), record=record)


def _build_oauth_handler(backend: TokenBackend, redirect_uri: str | None = None) -> OAuth2Handler:
    s = teamleader_settings
    keys = dict(ARGUMENT_KEYS)
    if redirect_uri is not None:
        keys["redirect_uri"] = (
            "ADMIN_REDIRECT_URI" if redirect_uri == s.ADMIN_REDIRECT_URI else "redirect_uri"
        )
    with setting_errors(keys):
        return SiteOAuth2Handler(
            s.CLIENT_ID,
            s.CLIENT_SECRET,
            redirect_uri or s.REDIRECT_URI,
            backend,
            scopes=s.SCOPES,
            auth_base_url=s.AUTH_BASE_URL,
            timeout=s.TIMEOUT,
            reauthorize_hint=REAUTHORIZE_HINT,
            connect_hint=CONNECT_HINT,
        )


def _build_client(handler: OAuth2Handler) -> TeamleaderClient:
    with setting_errors():
        return TeamleaderClient(
            handler,
            api_base_url=teamleader_settings.API_BASE_URL,
            timeout=teamleader_settings.TIMEOUT,
            validate_requests=teamleader_settings.VALIDATE_REQUESTS,
            rate_limiter=get_rate_limiter(),
        )


def get_client() -> TeamleaderClient:
    """The Teamleader client for this thread, built from ``settings.TEAMLEADER``.

    Cheap to call per request or per task: each thread keeps one client (and so one
    connection pool), rebuilt when the settings change. The client holds no token:
    every call asks the token backend, which always gives the newest pair (see
    :mod:`teamleader.django.token_store`), refreshed when it is about to expire.
    """
    client: TeamleaderClient | None = getattr(_local, "client", None)
    if (
        client is None
        or client.closed
        or getattr(_local, "generation", None) != teamleader_settings.generation
    ):
        if client is not None:
            client.close()  # settings changed: release the old connection pool
        client = _build_client(get_oauth_handler())
        _local.client = client
        _local.generation = teamleader_settings.generation
    return client


def get_callback_server(complete: Any, *, port: int | None = None, **kwargs: Any) -> CallbackServer:
    """The ``teamleader_setup`` callback server, on ``OAUTH_CALLBACK_PORT`` unless ``port`` is given.

    A bad ``port`` passed in raises the core's ``TeamleaderConfigurationError`` (it is not a setting).
    """
    if port is not None:
        return CallbackServer(complete, port=port, **kwargs)
    with setting_errors():
        return CallbackServer(complete, port=teamleader_settings.OAUTH_CALLBACK_PORT, **kwargs)


def settings_problems() -> dict[str, str]:
    """Every problem of ``settings.TEAMLEADER``, each keyed by the setting it is about.

    Builds what the settings feed (the token backend, the OAuth handler, the client, the
    callback server), so each value is checked by the constructor that uses it.
    """
    try:
        teamleader_settings.values  # noqa: B018 - the shape: a dict with the required keys
    except TeamleaderImproperlyConfigured as err:
        return err.problems
    problems: dict[str, str] = {}

    def attempt(build: Callable[[], Any], fallback: Any = None) -> Any:
        try:
            return build()
        except TeamleaderImproperlyConfigured as err:
            problems.update(err.problems)
            return fallback

    # A broken backend or handler must not hide the other problems: check the rest with stand-ins.
    backend = attempt(get_token_backend, MemoryTokenBackend())
    stand_in = OAuth2Handler("client-id", "client-secret", "http://localhost/", MemoryTokenBackend())
    handler = attempt(lambda: _build_oauth_handler(backend), stand_in)
    client = attempt(lambda: _build_client(handler))
    if client is not None:
        client.close()
    attempt(lambda: get_callback_server(None))
    attempt(get_rate_limiter)
    if teamleader_settings.ADMIN_REDIRECT_URI is not None:
        attempt(lambda: _build_oauth_handler(backend, teamleader_settings.ADMIN_REDIRECT_URI))
    secret = teamleader_settings.WEBHOOK_SECRET
    if secret is not None and not isinstance(secret, str):
        problems['"WEBHOOK_SECRET"'] = f"must be a string or None, got {type(secret).__name__}."
    return problems
