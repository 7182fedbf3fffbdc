"""System checks for settings that work but are probably not what you want (in the active language)."""

from __future__ import annotations

import difflib
import re
from typing import Any
from urllib.parse import urlsplit

from django.core import checks
from django.utils.translation import gettext, ngettext

from .conf import DEFAULTS, REQUIRED, error_message, teamleader_settings

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def is_local_host(host: str | None) -> bool:
    return (host or "").lower() in LOCAL_HOSTS or (host or "").lower().endswith(".localhost")


def unreachable_callback_port(redirect_uri: str, listening_port: int) -> int | None:
    """The port of a local ``redirect_uri`` when the setup's callback server would listen on another.

    Teamleader sends the browser to the redirect URI, so a callback server on any other
    port of this machine never gets it.
    """
    redirect = urlsplit(redirect_uri)
    port = redirect.port or (443 if redirect.scheme == "https" else 80)
    return port if is_local_host(redirect.hostname) and port != listening_port else None


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """E001 for settings that cannot work (changed after startup), else the softer findings."""
    from django.conf import settings

    from .client import settings_problems

    raw = getattr(settings, "TEAMLEADER", None)
    found = unknown_keys(raw)
    problems = settings_problems()
    if problems:  # ready() refuses these at startup; here they were changed afterwards
        return [checks.Error(error_message(problems), id="teamleader.E001"), *found]
    values = teamleader_settings.values
    port = unreachable_callback_port(values["REDIRECT_URI"], values["OAUTH_CALLBACK_PORT"])
    if port is not None:
        found.append(
            checks.Warning(
                gettext(
                    "REDIRECT_URI points at port %(port)s of this machine, but teamleader_setup listens on "
                    "OAUTH_CALLBACK_PORT %(listens)s: the callback would never arrive."
                )
                % {"port": port, "listens": values["OAUTH_CALLBACK_PORT"]},
                hint=gettext(
                    'Set "OAUTH_CALLBACK_PORT": %(port)s, or change the port in REDIRECT_URI (and in your '
                    "Marketplace app) to match."
                )
                % {"port": port},
                id="teamleader.W001",
            )
        )
    for key in ("REDIRECT_URI", "ADMIN_REDIRECT_URI", "AUTH_BASE_URL", "API_BASE_URL"):
        url = values.get(key)
        if url and urlsplit(url).scheme == "http" and not is_local_host(urlsplit(url).hostname):
            found.append(
                checks.Warning(
                    gettext(
                        "%(key)s uses plain http to %(host)s: authorization codes and tokens would cross the "
                        "network unencrypted."
                    )
                    % {"key": key, "host": urlsplit(url).hostname},
                    hint=gettext("Use an https:// URL for %(key)s.") % {"key": key},
                    id="teamleader.W002",
                )
            )
    return found


def check_rate_limit_cache(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """W020: the rate budget lives in a per-process cache; W021: in one that counts unreliably."""
    from .rate_limit import counts_atomically, rate_limit_settings, shares_budget

    try:
        config = rate_limit_settings()
        if config is None:
            return []
        shared, atomic = shares_budget(config["CACHE"]), counts_atomically(config["CACHE"])
    except Exception:  # noqa: BLE001 - a broken RATE_LIMIT is teamleader.E001's to report
        return []
    if shared and not atomic:
        return [
            checks.Warning(
                gettext(
                    'TEAMLEADER["RATE_LIMIT"] keeps the rate budget in the cache %(cache)s, whose incr() is a read '
                    "and a write: processes taking the last slots at once overspend the budget and run into HTTP "
                    "429 (and the database cache counts inside the callers' transactions)."
                )
                % {"cache": repr(config["CACHE"])},
                hint=gettext('Point "CACHE" at Redis (%(example)s) or Memcached.')
                % {"example": "django.core.cache.backends.redis.RedisCache"},
                id="teamleader.W021",
            )
        ]
    if shared:
        return []
    return [
        checks.Warning(
            gettext(
                'TEAMLEADER["RATE_LIMIT"] keeps the rate budget in the cache %(cache)s, which every process '
                "keeps for itself (local memory or dummy): each process would spend Teamleader's %(calls)s "
                "calls per %(period)s s on its own and together they run into HTTP 429."
            )
            % {"cache": repr(config["CACHE"]), "calls": config["CALLS"], "period": config["PERIOD"]},
            hint=gettext(
                'Point "CACHE" at a cache all processes share, e.g. %(example)s, or set '
                'TEAMLEADER["RATE_LIMIT"] = None if this site runs in one process.'
            )
            % {"example": "django.core.cache.backends.redis.RedisCache"},
            id="teamleader.W020",
        )
    ]


def unknown_keys(raw: Any) -> list[Any]:
    """W003: a key the app does not know is ignored, which is rarely what was meant."""
    if not isinstance(raw, dict):
        return []
    known = (*REQUIRED, *DEFAULTS)
    found = []
    for key in sorted(set(raw) - set(known), key=str):
        close = difflib.get_close_matches(str(key).upper(), known, n=1)
        hint = gettext("The known keys are %(keys)s.") % {"keys": ", ".join(known)}
        if close:
            hint = gettext('Did you mean "%(key)s"?') % {"key": close[0]} + " " + hint
        found.append(
            checks.Warning(
                gettext('TEAMLEADER has the unknown key "%(key)s"; it is ignored.') % {"key": key},
                hint=hint,
                id="teamleader.W003",
            )
        )
    return found


#: Shortest ``WEBHOOK_SECRET`` accepted without a warning (``secrets.token_urlsafe(32)`` gives 43).
MIN_WEBHOOK_SECRET_LENGTH = 24
SECRET_COMMAND = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


def secret_hint() -> str:
    return gettext("Use a long random string, e.g. %(command)s.") % {"command": SECRET_COMMAND}


def check_webhook_secret(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """The webhook URL is routed but its secret is unset, short, or awkward in a URL."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("teamleader:webhook", args=["x"])
    except (NoReverseMatch, ImproperlyConfigured):
        return []  # webhooks not used
    raw = getattr(settings, "TEAMLEADER", None)
    secret = raw.get("WEBHOOK_SECRET") if isinstance(raw, dict) else None
    if not secret:
        return [
            checks.Warning(
                gettext(
                    'teamleader.django.urls is included but TEAMLEADER["WEBHOOK_SECRET"] is not set: '
                    "every webhook delivery will be answered 404."
                ),
                hint=secret_hint() + " " + gettext("Or silence teamleader.W010 if you do not use webhooks."),
                id="teamleader.W010",
            )
        ]
    if not isinstance(secret, str):
        return []  # reported by check_settings
    found = []
    if len(secret) < MIN_WEBHOOK_SECRET_LENGTH:
        found.append(
            checks.Warning(
                ngettext(
                    'TEAMLEADER["WEBHOOK_SECRET"] has only %(length)s character; it is the only proof that a '
                    "webhook comes from Teamleader, which does not sign them.",
                    'TEAMLEADER["WEBHOOK_SECRET"] has only %(length)s characters; it is the only proof that a '
                    "webhook comes from Teamleader, which does not sign them.",
                    len(secret),
                )
                % {"length": len(secret)},
                hint=secret_hint()
                + " "
                + gettext("At least %(length)s characters.") % {"length": MIN_WEBHOOK_SECRET_LENGTH},
                id="teamleader.W011",
            )
        )
    if not re.fullmatch(r"[A-Za-z0-9._~-]+", secret):
        found.append(
            checks.Warning(
                gettext(
                    'TEAMLEADER["WEBHOOK_SECRET"] has characters other than letters, digits and "-_.~": they '
                    'are escaped in the URL, and a "/" makes the webhook URL unreachable.'
                ),
                hint=secret_hint(),
                id="teamleader.W012",
            )
        )
    return found
