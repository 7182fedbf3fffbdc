"""Django integration: settings, a database token store, ``get_client()``, setup and admin.

Add ``"teamleader.django"`` to ``INSTALLED_APPS`` and a ``TEAMLEADER`` dict to your
settings; then ``from teamleader.django import get_client``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from teamleader.client import TeamleaderClient

__all__ = ["get_client"]


def get_client() -> TeamleaderClient:
    """The configured Teamleader client for this thread (see :mod:`teamleader.django.client`)."""
    from .client import get_client as _get_client

    return _get_client()


def __getattr__(name: str) -> Any:
    if name == "DatabaseTokenBackend":  # convenience: teamleader.django.DatabaseTokenBackend
        from .token_store import DatabaseTokenBackend

        return DatabaseTokenBackend
    raise AttributeError(name)
