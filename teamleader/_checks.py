"""Argument checks shared by the constructors, with messages that say what to pass."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .exceptions import TeamleaderConfigurationError


def check_http_url(name: str, value: Any) -> str:
    """``value`` if it is an absolute http(s) URL; else a configuration error naming ``name``."""
    try:
        parts = urlsplit(value) if isinstance(value, str) else None
        port_ok = parts is not None and (parts.port or 0) >= 0  # .port raises on a bad port
    except ValueError:
        parts, port_ok = None, False
    if parts is None or not port_ok or parts.scheme not in ("http", "https") or not parts.hostname:
        raise TeamleaderConfigurationError(
            f"{name} must be an absolute http(s) URL such as 'https://example.com/callback', got {value!r}"
        )
    return value


def check_timeout(value: Any) -> float:
    """``value`` if it is a positive number of seconds; else a configuration error."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise TeamleaderConfigurationError(f"timeout must be a positive number of seconds, got {value!r}")
    return value
