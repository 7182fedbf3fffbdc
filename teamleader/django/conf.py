"""The ``TEAMLEADER`` settings dict: defaults, a lazy accessor, and settings → arguments.

Settings are read on first use, never at import time, and re-read after Django's
``setting_changed`` signal, so ``override_settings(TEAMLEADER=…)`` works in tests.

Values are checked in one place: the constructors they are handed to. This module only
says which key feeds which constructor argument (:data:`ARGUMENT_KEYS`) and turns a
:class:`~teamleader.exceptions.TeamleaderConfigurationError` into
:class:`TeamleaderImproperlyConfigured` naming the settings key (:func:`setting_errors`).
Building the objects themselves is :mod:`teamleader.django.client`'s job.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Iterator, Mapping

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from teamleader.client import DEFAULT_API_BASE_URL
from teamleader.exceptions import TeamleaderConfigurationError
from teamleader.oauth import DEFAULT_AUTH_BASE_URL

__all__ = [
    "ARGUMENT_KEYS",
    "DEFAULTS",
    "REQUIRED",
    "TeamleaderImproperlyConfigured",
    "error_message",
    "setting_errors",
    "teamleader_settings",
]

REQUIRED = ("CLIENT_ID", "CLIENT_SECRET", "REDIRECT_URI", "SCOPES")

DEFAULTS: dict[str, Any] = {
    "OAUTH_CALLBACK_PORT": 9999,
    "TOKEN_BACKEND": "teamleader.django.token_store.DatabaseTokenBackend",
    # Keyword arguments for the TOKEN_BACKEND class, e.g. {"path": "/var/lib/site/teamleader.json"}.
    "TOKEN_BACKEND_OPTIONS": {},
    "TIMEOUT": 30,
    "AUTH_BASE_URL": DEFAULT_AUTH_BASE_URL,
    "API_BASE_URL": DEFAULT_API_BASE_URL,
    # Absolute URL of the admin's OAuth callback, for sites behind a proxy.
    "ADMIN_REDIRECT_URI": None,
    # Database alias of the token row; None lets the routers decide.
    "DATABASE": None,
    # Secret path segment of the webhook URL (see teamleader.django.webhooks).
    "WEBHOOK_SECRET": None,
    # Check every request against the bundled OpenAPI description before sending it.
    "VALIDATE_REQUESTS": True,
    # The rate budget every process sharing this cache spends together; None turns it off.
    "RATE_LIMIT": {"CALLS": 200, "PERIOD": 60, "CACHE": "default"},
    # Options of the teamleader.django.mirror app, read and checked by that app.
    "MIRROR": {},
}

#: Which ``TEAMLEADER`` key feeds which constructor argument of the core.
ARGUMENT_KEYS = {
    "client_id": "CLIENT_ID",
    "client_secret": "CLIENT_SECRET",
    "redirect_uri": "REDIRECT_URI",
    "scopes": "SCOPES",
    "auth_base_url": "AUTH_BASE_URL",
    "api_base_url": "API_BASE_URL",
    "timeout": "TIMEOUT",
    "port": "OAUTH_CALLBACK_PORT",
    "validate_requests": "VALIDATE_REQUESTS",
}

EXAMPLE = """\
TEAMLEADER = {
    "CLIENT_ID": "your-client-id",
    "CLIENT_SECRET": "your-client-secret",
    "REDIRECT_URI": "http://localhost:9999/callback",  # must match your Marketplace app
    "SCOPES": ["contacts", "deals"],
}"""

_WHAT = {
    "CLIENT_ID": "the OAuth2 client ID of your Teamleader Marketplace integration",
    "CLIENT_SECRET": "the OAuth2 client secret of your Teamleader Marketplace integration",
    "REDIRECT_URI": 'the redirect URI whitelisted in your Marketplace app, e.g. "http://localhost:9999/callback"',
    "SCOPES": 'a list of the scopes your Marketplace app has, e.g. ["contacts", "deals"]',
}


class TeamleaderImproperlyConfigured(TeamleaderConfigurationError, ImproperlyConfigured):
    """The ``TEAMLEADER`` setting is missing, incomplete or invalid.

    :attr:`problems` maps each offending key to what is wrong with it.
    """


def error_message(problems: Mapping[str, str]) -> str:
    lines = "\n".join(f"  - {key} {problem}" for key, problem in problems.items())
    return f"The TEAMLEADER setting needs attention:\n{lines}\nFor example, in settings.py:\n{EXAMPLE}"


def improperly_configured(problems: Mapping[str, str]) -> TeamleaderImproperlyConfigured:
    return TeamleaderImproperlyConfigured(error_message(problems), problems=dict(problems))


@contextlib.contextmanager
def setting_errors(keys: Mapping[str, str] = ARGUMENT_KEYS) -> Iterator[None]:
    """Turn a core constructor's configuration error into one that names the settings keys.

    ``keys`` maps the constructor's argument names to how the settings spell them
    (``{"timeout": "TIMEOUT"}`` gives ``"TIMEOUT" must be a positive number …``).
    """
    try:
        yield
    except TeamleaderImproperlyConfigured:
        raise
    except TeamleaderConfigurationError as err:
        problems = err.problems or {"": str(err)}
        raise improperly_configured(
            {_quote(keys.get(arg, arg)): problem for arg, problem in problems.items()}
        ) from err


def _quote(key: str) -> str:
    return key if not key or key.startswith(("TEAMLEADER[", '"')) else f'"{key}"'


class TeamleaderSettings:
    """``teamleader_settings.CLIENT_ID`` etc.: the settings with defaults filled in.

    Only the shape is checked here (a dict with the required keys); the values are
    checked by the objects built from them.
    """

    def __init__(self) -> None:
        self._values: dict[str, Any] | None = None
        self._lock = threading.RLock()
        self._cache: dict[str, Any] = {}
        #: Bumped whenever the settings are reloaded; cached clients compare it.
        self.generation = 0

    def _load(self) -> dict[str, Any]:
        from django.conf import settings

        raw = getattr(settings, "TEAMLEADER", None)
        if raw is None:
            raise improperly_configured({"settings.TEAMLEADER": "is not set."})
        if not isinstance(raw, dict):
            raise improperly_configured({"settings.TEAMLEADER": f"must be a dict, not {type(raw).__name__}."})
        problems = {}
        for key in REQUIRED:
            if key not in raw:
                problems[f'"{key}"'] = f"is missing: set it to {_WHAT[key]}."
            elif key == "SCOPES" and isinstance(raw[key], (list, tuple)) and not raw[key]:
                problems['"SCOPES"'] = f"is empty: set it to {_WHAT[key]}."
        if problems:
            raise improperly_configured(problems)
        return {**DEFAULTS, **raw}

    @property
    def values(self) -> dict[str, Any]:
        values = self._values
        if values is None:
            with self._lock:
                values = self._values = self._values or self._load()
        return values

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or (name not in DEFAULTS and name not in REQUIRED):
            raise AttributeError(f"no TEAMLEADER setting {name!r}")
        return self.values[name]

    def cached(self, name: str, build: Any) -> Any:
        """``build()``, once per settings generation (e.g. the token backend instance)."""
        try:
            return self._cache[name]
        except KeyError:
            with self._lock:
                if name not in self._cache:
                    self._cache[name] = build()
                return self._cache[name]

    def reload(self) -> None:
        with self._lock:
            self._values = None
            self._cache = {}
            self.generation += 1


teamleader_settings = TeamleaderSettings()


def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "TEAMLEADER":
        teamleader_settings.reload()


setting_changed.connect(_on_setting_changed, dispatch_uid="teamleader.django.conf")
