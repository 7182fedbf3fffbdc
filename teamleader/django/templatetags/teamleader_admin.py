"""``{% teamleader_connection_notice %}``: a notice on the admin index while the connection is lost."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from .. import labels
from ..client import get_token_backend

register = template.Library()


@register.inclusion_tag("admin/teamleader_django/connection_notice.html", takes_context=True)
def teamleader_connection_notice(context: Any) -> dict[str, Any]:
    """The stored connection when it needs reconnecting and the user may see it; else nothing."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("teamleader_django.view_teamleadertoken"):
        return {"connection": None}
    record = get_token_backend().read()
    if record is None or not record.needs_reauthorization:
        return {"connection": None}
    site = getattr(request, "current_app", None) or "admin"
    try:
        url = reverse(f"{site}:teamleader_django_teamleadertoken_changelist")
    except NoReverseMatch:
        url = None
    can_reconnect = user.has_perm("teamleader_django.change_teamleadertoken")
    return {
        "connection": record,
        "status_url": url,
        "can_reconnect": can_reconnect,
        "labels": labels.for_template(),
    }
