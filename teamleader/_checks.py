"""Argument checks shared by the constructors, with messages that say what to pass.

Each rule is a function that returns the value or raises ``ValueError`` with what is
wrong, without the argument's name (``"must be a positive number of seconds, got 0"``).
A constructor runs its rules through :class:`Arguments`, which raises one
:class:`~teamleader.exceptions.TeamleaderConfigurationError` naming every bad argument
in :attr:`~teamleader.exceptions.TeamleaderConfigurationError.problems`. The Django app
builds these constructors from its settings and names its own keys from that mapping,
so each rule lives here and nowhere else.
"""

from __future__ import annotations

import os
from typing import Any, Callable, TypeVar
from urllib.parse import urlsplit

from .exceptions import TeamleaderConfigurationError

T = TypeVar("T")


class Arguments:
    """Runs the rules of one constructor's arguments and reports every problem at once."""

    def __init__(self) -> None:
        self.problems: dict[str, str] = {}

    def check(self, name: str, rule: Callable[[Any], T], value: Any) -> T:
        try:
            return rule(value)
        except ValueError as err:
            self.problems[name] = str(err)
            return value

    def raise_if_any(self) -> None:
        if self.problems:
            raise TeamleaderConfigurationError(
                "; ".join(f"{name} {problem}" for name, problem in self.problems.items()),
                problems=self.problems,
            )


def http_url(value: Any) -> str:
    """An absolute http(s) URL with a host and, if any, a valid port."""
    try:
        parts = urlsplit(value) if isinstance(value, str) else None
        port_ok = parts is not None and (parts.port or 0) >= 0  # .port raises on a bad port
    except ValueError:
        parts, port_ok = None, False
    if parts is None or not port_ok or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"must be an absolute http(s) URL such as 'https://example.com/callback', got {value!r}"
        )
    return value


def positive_seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"must be a positive number of seconds, e.g. 30, got {value!r}")
    return value


def seconds(value: Any) -> float:
    """0 or more seconds."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"must be 0 or more seconds, got {value!r}")
    return value


def whole_number(value: Any) -> int:
    """A whole number, 0 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"must be a whole number, 0 or more, got {value!r}")
    return value


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be True or False, got {value!r}")
    return value


def port(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise ValueError(f"must be a port number from 1 to 65535, got {value!r}")
    return value


def file_path(value: Any) -> Any:
    if not isinstance(value, (str, os.PathLike)) or not str(value).strip():
        raise ValueError(f"must be the path of a file, e.g. '~/.teamleader-token.json', got {value!r}")
    return value


def required_text(what: str) -> Callable[[Any], str]:
    """A non-empty string; the message says what it is, never the value (it may be a secret)."""

    def rule(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"is required: {what}")
        return value

    return rule


def string_list(value: Any) -> tuple[str, ...]:
    """A list (or tuple) of non-empty strings, never a bare string."""
    if isinstance(value, str):
        raise ValueError(f"must be a list of strings, e.g. [{value!r}], not the string {value!r}")
    if not isinstance(value, (list, tuple)) or not all(isinstance(s, str) and s for s in value):
        raise ValueError(f"must be a list of strings such as ['contacts', 'deals'], got {value!r}")
    return tuple(value)


def check_http_url(name: str, value: Any) -> str:
    """``value`` if it is an absolute http(s) URL; else a configuration error naming ``name``."""
    arguments = Arguments()
    arguments.check(name, http_url, value)
    arguments.raise_if_any()
    return value
