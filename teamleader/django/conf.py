"""The ``TEAMLEADER`` settings dict: defaults, validation and a lazy accessor.

Settings are read on first use, never at import time, and re-read after Django's
``setting_changed`` signal, so ``override_settings(TEAMLEADER=…)`` works in tests.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from teamleader._checks import check_http_url
from teamleader.client import DEFAULT_API_BASE_URL
from teamleader.exceptions import TeamleaderConfigurationError
from teamleader.oauth import DEFAULT_AUTH_BASE_URL

__all__ = ["DEFAULTS", "REQUIRED", "TeamleaderImproperlyConfigured", "teamleader_settings", "validate"]

REQUIRED = ("CLIENT_ID", "CLIENT_SECRET", "REDIRECT_URI", "SCOPES")

DEFAULTS: dict[str, Any] = {
    "OAUTH_CALLBACK_PORT": 9999,
    "TOKEN_BACKEND": "teamleader.django.token_store.DatabaseTokenBackend",
    "TIMEOUT": 30,
    "AUTH_BASE_URL": DEFAULT_AUTH_BASE_URL,
    "API_BASE_URL": DEFAULT_API_BASE_URL,
    # Absolute URL of the admin's OAuth callback, for sites behind a proxy.
    "ADMIN_REDIRECT_URI": None,
    # Database alias for the token row; None lets the routers decide.
    "DATABASE": None,
    # Secret path segment of the webhook URL (see teamleader.django.webhooks).
    "WEBHOOK_SECRET": None,
}

EXAMPLE = """\
TEAMLEADER = {
    "CLIENT_ID": "your-client-id",
    "CLIENT_SECRET": "your-client-secret",
    "REDIRECT_URI": "http://localhost:9999/callback",  # must match your Marketplace app
    "SCOPES": ["contacts", "deals"],
}"""


class TeamleaderImproperlyConfigured(TeamleaderConfigurationError, ImproperlyConfigured):
    """The ``TEAMLEADER`` setting is missing, incomplete or invalid."""


def _is_http_url(value: Any) -> bool:
    try:
        check_http_url("url", value)
    except TeamleaderConfigurationError:
        return False
    return True


def validate(raw: Any) -> list[str]:
    """Every problem of a ``TEAMLEADER`` value, each naming the key and what to write."""
    if raw is None:
        return ["settings.TEAMLEADER is not set."]
    if not isinstance(raw, dict):
        return [f"settings.TEAMLEADER must be a dict, not {type(raw).__name__}."]
    problems = []
    for key, what in (
        ("CLIENT_ID", "the OAuth2 client ID of your Teamleader Marketplace integration"),
        ("CLIENT_SECRET", "the OAuth2 client secret of your Teamleader Marketplace integration"),
    ):
        value = raw.get(key)
        if key not in raw:
            problems.append(f'"{key}" is missing: set it to {what}.')
        elif not isinstance(value, str) or not value.strip():
            problems.append(f'"{key}" must be a non-empty string: {what}.')
    if "REDIRECT_URI" not in raw:
        problems.append(
            '"REDIRECT_URI" is missing: set it to the redirect URI whitelisted in your Marketplace app, '
            'e.g. "http://localhost:9999/callback".'
        )
    elif not _is_http_url(raw["REDIRECT_URI"]):
        problems.append(
            f'"REDIRECT_URI" must be an absolute http(s) URL such as "http://localhost:9999/callback", '
            f"got {raw['REDIRECT_URI']!r}."
        )
    if "SCOPES" not in raw:
        problems.append('"SCOPES" is missing: set it to a list of scopes, e.g. ["contacts", "deals"].')
    else:
        scopes = raw["SCOPES"]
        if isinstance(scopes, str):
            problems.append(
                f'"SCOPES" must be a list of strings, e.g. [{scopes!r}], not the string {scopes!r}.'
            )
        elif not scopes:
            problems.append(
                '"SCOPES" is empty: list the scopes your Marketplace app has, e.g. ["contacts", "deals"].'
            )
        elif not isinstance(scopes, (list, tuple)) or not all(isinstance(s, str) and s for s in scopes):
            problems.append(
                f'"SCOPES" must be a list of scope strings such as ["contacts", "deals"], got {scopes!r}.'
            )
    port = raw.get("OAUTH_CALLBACK_PORT", DEFAULTS["OAUTH_CALLBACK_PORT"])
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        problems.append(f'"OAUTH_CALLBACK_PORT" must be a port number from 1 to 65535, got {port!r}.')
    timeout = raw.get("TIMEOUT", DEFAULTS["TIMEOUT"])
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        problems.append(f'"TIMEOUT" must be a positive number of seconds, e.g. 30, got {timeout!r}.')
    for key in ("AUTH_BASE_URL", "API_BASE_URL"):
        if key in raw and not _is_http_url(raw[key]):
            problems.append(
                f'"{key}" must be an absolute http(s) URL such as {DEFAULTS[key]!r}, got {raw[key]!r}.'
            )
    admin_uri = raw.get("ADMIN_REDIRECT_URI")
    if admin_uri is not None and not _is_http_url(admin_uri):
        problems.append(
            f'"ADMIN_REDIRECT_URI" must be an absolute http(s) URL (or None to use the admin\'s own '
            f"callback URL), got {admin_uri!r}."
        )
    backend = raw.get("TOKEN_BACKEND", DEFAULTS["TOKEN_BACKEND"])
    if not isinstance(backend, str):
        problems.append(f'"TOKEN_BACKEND" must be a dotted path to a TokenBackend class, got {backend!r}.')
    else:
        try:
            import_string(backend)
        except ImportError as err:
            problems.append(f'"TOKEN_BACKEND" {backend!r} cannot be imported ({err}).')
    for key in ("DATABASE", "WEBHOOK_SECRET"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            problems.append(f'"{key}" must be a string or None, got {raw[key]!r}.')
    database = raw.get("DATABASE")
    if isinstance(database, str):
        from django.conf import settings

        if database not in settings.DATABASES:
            problems.append(
                f'"DATABASE" must name an alias of settings.DATABASES ({", ".join(settings.DATABASES)}), '
                f"got {database!r}."
            )
    unknown = sorted(set(raw) - set(REQUIRED) - set(DEFAULTS))
    if unknown:
        problems.append(
            f"unknown keys {', '.join(map(repr, unknown))}; the known keys are {', '.join(REQUIRED + tuple(DEFAULTS))}."
        )
    return problems


def error_message(problems: list[str]) -> str:
    lines = "\n".join(f"  - {p}" for p in problems)
    return f"The TEAMLEADER setting needs attention:\n{lines}\nFor example, in settings.py:\n{EXAMPLE}"


class TeamleaderSettings:
    """``teamleader_settings.CLIENT_ID`` etc.: validated values with defaults filled in."""

    def __init__(self) -> None:
        self._values: dict[str, Any] | None = None
        self._lock = threading.Lock()
        #: Bumped whenever the settings are reloaded; cached clients compare it.
        self.generation = 0

    def _load(self) -> dict[str, Any]:
        from django.conf import settings

        raw = getattr(settings, "TEAMLEADER", None)
        problems = validate(raw)
        if problems:
            raise TeamleaderImproperlyConfigured(error_message(problems))
        values = {**DEFAULTS, **raw}
        values["SCOPES"] = list(values["SCOPES"])
        return values

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

    def reload(self) -> None:
        with self._lock:
            self._values = None
            self.generation += 1


teamleader_settings = TeamleaderSettings()


def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "TEAMLEADER":
        teamleader_settings.reload()


setting_changed.connect(_on_setting_changed, dispatch_uid="teamleader.django.conf")
