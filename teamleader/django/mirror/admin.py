"""The mirror in the admin: read-only lists of the records, the event log and the sync state.

Records cannot be added, edited or deleted here (Teamleader owns them); "Sync selected
from Teamleader" fetches the selected ones again (``filter.ids``, 100 a call) and removes
those Teamleader no longer has. The event log's "Process again" runs the selected events
now. Both actions need the model's change permission.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from teamleader.exceptions import TeamleaderError

from ..explain import explain
from . import models
from .events import process
from .fetch import refresh
from .resources import RESOURCES

__all__ = ["EventAdmin", "MirroredAdmin", "SyncStateAdmin"]


def _pretty(value: Any) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True))


class ReadOnlyAdmin(admin.ModelAdmin):
    """View-only pages: no add, no edit, no delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def may_act(self, request: HttpRequest) -> bool:
        """The actions change the mirror: they need the model's change permission."""
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


class MirroredAdmin(ReadOnlyAdmin):
    """A mirrored record: its columns, its Teamleader data, and a link to it in Teamleader."""

    actions = ["sync_selected"]
    readonly_fields = ("teamleader_link", "pretty_data")
    show_full_result_count = False  # no COUNT(*) of a large table on every page

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:  # type: ignore[override]
        columns = [f.name for f in self.opts.fields if f.name not in ("data",)]
        return [*columns, "teamleader_link", "pretty_data"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.get_fields(request, obj)

    @admin.display(description=_("In Teamleader"))
    def teamleader_link(self, obj: Any) -> str:
        url = obj.data.get("web_url") if isinstance(obj.data, dict) else None
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            return "-"
        return format_html('<a href="{}" rel="noopener">{}</a>', url, url)

    @admin.display(description=_("Teamleader data"))
    def pretty_data(self, obj: Any) -> str:
        return _pretty(obj.data)

    def has_sync_permission(self, request: HttpRequest) -> bool:
        return self.may_act(request)

    @admin.action(description=_("Sync selected from Teamleader"), permissions=["sync"])
    def sync_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        resource = next(r for r in RESOURCES if r.model is self.model)
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        from .. import get_client

        try:
            result = refresh(resource, ids, get_client())
        except TeamleaderError as err:
            text = gettext("Teamleader did not answer as expected: %(error)s") % {"error": explain(err)}
            self.message_user(request, text, messages.ERROR)
            return
        values = {
            "count": len(ids),
            "name": self.opts.verbose_name if len(ids) == 1 else self.opts.verbose_name_plural,
            "calls": result.calls,
            "changed": len(result.created) + len(result.updated),
            "removed": len(result.deleted),
        }
        if result.deleted:
            text = gettext(
                "Synced %(count)s %(name)s from Teamleader (calls: %(calls)s): %(changed)s changed, "
                "%(removed)s removed because Teamleader no longer has them."
            )
        else:
            text = gettext(
                "Synced %(count)s %(name)s from Teamleader (calls: %(calls)s): %(changed)s changed."
            )
        self.message_user(request, text % values, messages.SUCCESS)


@admin.register(models.Contact)
class ContactAdmin(MirroredAdmin):
    list_display = ("last_name", "first_name", "email", "status", "updated_at", "synced_at")
    list_filter = ("status",)
    search_fields = ("last_name", "first_name", "email", "=id")


@admin.register(models.Company)
class CompanyAdmin(MirroredAdmin):
    list_display = ("name", "email", "vat_number", "status", "updated_at", "synced_at")
    list_filter = ("status",)
    search_fields = ("name", "email", "vat_number", "=id")


@admin.register(models.Deal)
class DealAdmin(MirroredAdmin):
    list_display = (
        "title",
        "reference",
        "status",
        "phase",
        "amount",
        "currency",
        "responsible_user",
        "updated_at",
    )
    list_filter = (
        "status",
        ("pipeline", admin.RelatedOnlyFieldListFilter),
        ("phase", admin.RelatedOnlyFieldListFilter),
        ("responsible_user", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("phase", "responsible_user")
    search_fields = ("title", "reference", "=id", "=customer_id")


@admin.register(models.User)
class UserAdmin(MirroredAdmin):
    list_display = ("first_name", "last_name", "email", "status")
    list_filter = ("status",)
    search_fields = ("first_name", "last_name", "email", "=id")


@admin.register(models.DealPipeline)
class DealPipelineAdmin(MirroredAdmin):
    list_display = ("name", "synced_at")
    search_fields = ("name",)


@admin.register(models.DealPhase)
class DealPhaseAdmin(MirroredAdmin):
    list_display = ("name", "probability", "position", "synced_at")
    search_fields = ("name",)


@admin.register(models.WebhookEvent)
class EventAdmin(ReadOnlyAdmin):
    """The webhook event log: what arrived, what became of it, and "Process again"."""

    actions = ["process_again"]
    list_display = (
        "received_at",
        "event_type",
        "subject_id",
        "state",
        "attempts",
        "deliveries",
        "short_error",
    )
    list_filter = ("state", "event_type", "subject_type")
    search_fields = ("=subject_id", "event_type")
    fields = readonly_fields = (
        "received_at",
        "event_type",
        "subject_type",
        "subject_id",
        "state",
        "attempts",
        "deliveries",
        "claimed_at",
        "processed_at",
        "last_error",
        "pretty_payload",
    )

    @admin.display(description=_("last error"))
    def short_error(self, obj: models.WebhookEvent) -> str:
        return obj.last_error[:80] + ("…" if len(obj.last_error) > 80 else "")

    @admin.display(description=_("payload"))
    def pretty_payload(self, obj: models.WebhookEvent) -> str:
        return _pretty(obj.payload)

    def has_process_permission(self, request: HttpRequest) -> bool:
        return self.may_act(request)

    @admin.action(description=_("Process again"), permissions=["process"])
    def process_again(self, request: HttpRequest, queryset: QuerySet[models.WebhookEvent]) -> None:
        outcome = process(list(queryset.values_list("pk", flat=True)))
        level = messages.WARNING if outcome.failed else messages.SUCCESS
        values = {"processed": outcome.processed, "done": outcome.done, "failed": outcome.failed}
        skipped = queryset.count() - outcome.processed
        if skipped > 0:
            text = ngettext(
                "Processed %(processed)s events: %(done)s done, %(failed)s failed; %(skipped)s was being "
                "processed elsewhere and was left alone.",
                "Processed %(processed)s events: %(done)s done, %(failed)s failed; %(skipped)s were being "
                "processed elsewhere and were left alone.",
                skipped,
            ) % {**values, "skipped": skipped}
        else:
            text = ngettext(
                "Processed %(processed)s event: %(done)s done, %(failed)s failed.",
                "Processed %(processed)s events: %(done)s done, %(failed)s failed.",
                outcome.processed,
            ) % values
        self.message_user(request, text, level)


@admin.register(models.SyncState)
class SyncStateAdmin(ReadOnlyAdmin):
    """Where ``teamleader_sync`` stands, resource by resource."""

    actions = None
    list_display = (
        "resource",
        "high_water_mark",
        "last_completed_at",
        "last_full_at",
        "pass_page",
        "last_error",
    )
