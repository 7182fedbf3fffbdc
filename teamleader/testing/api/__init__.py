"""The emulated API endpoints, one module per resource group, gathered in :data:`ENDPOINTS`."""

from __future__ import annotations

from typing import Any, Callable

from ..store import Context, State
from . import catalog, companies, contacts, deal_settings, deals, selling, users, webhooks, work

__all__ = ["ENDPOINTS", "Handler"]

#: A handler answers a dict (200), a :class:`~.common.Created` (201) or ``None`` (204),
#: or raises :class:`~teamleader.testing.wire.ApiError`.
Handler = Callable[[State, "dict[str, Any]", Context], Any]

ENDPOINTS: dict[str, Handler] = {
    **contacts.ENDPOINTS,
    **companies.ENDPOINTS,
    **deals.ENDPOINTS,
    **deal_settings.ENDPOINTS,
    **users.ENDPOINTS,
    **webhooks.ENDPOINTS,
    **catalog.ENDPOINTS,
    **selling.ENDPOINTS,
    **work.ENDPOINTS,
}
