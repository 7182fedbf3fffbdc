"""The Teamleader connection in the Django admin: one status page with its buttons.

``TeamleaderToken`` is a singleton, so the admin works like django-solo's: no "add"
(its URL leads to the status page), no delete through the generic views (the Disconnect
page does that), and the list shows the single status page, also when no row exists
("Not connected"). The buttons
and their views live in :mod:`teamleader.django.admin_views`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from .admin_views import ConnectionViewsMixin
from .models import TeamleaderToken

__all__ = ["TeamleaderTokenAdmin"]


@admin.register(TeamleaderToken)
class TeamleaderTokenAdmin(ConnectionViewsMixin, admin.ModelAdmin):
    """Status, Connect/Reconnect, Test connection and Disconnect for the site's connection."""

    actions = None
    # Never an editable form: these are what a change page would show, tokens masked.
    fields = readonly_fields = (
        "masked_access_token",
        "masked_refresh_token",
        "expires_at",
        "refreshed_at",
        "scopes",
        "teamleader_user_name",
        "teamleader_user_email",
        "connected_by",
        "connected_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return self.status_view(request, extra_context)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # There is nothing to add: the one connection is made with the status page's
        # Connect button. A bookmarked or typed "add" URL lands there instead of on a 403.
        return HttpResponseRedirect(self.status_url())

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # The status page is the object's page; keep old links (and "View on site" habits) working.
        return HttpResponseRedirect(self.status_url())
