"""The webhook event log and the sync's bookkeeping."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["SyncState", "WebhookEvent"]


class WebhookEvent(models.Model):
    """One webhook delivery as Teamleader posted it, and what processing made of it.

    A delivery whose payload equals one still waiting (``pending``) is counted on that
    event (``deliveries``) instead of stored again: processing reads the record's
    current state, so one fetch answers both. ``pending_key`` enforces that across
    processes; it is cleared once the event leaves ``pending``.
    """

    PENDING, PROCESSING, DONE, FAILED = "pending", "processing", "done", "failed"
    STATES = [
        (PENDING, pgettext_lazy("event state", "pending")),
        (PROCESSING, pgettext_lazy("event state", "processing")),
        (DONE, pgettext_lazy("event state", "done")),
        (FAILED, pgettext_lazy("event state", "failed")),
    ]

    received_at = models.DateTimeField(_("received at"), db_index=True)
    event_type = models.CharField(_("type"), max_length=100, db_index=True)
    subject_type = models.CharField(_("subject type"), max_length=50, blank=True)
    subject_id = models.CharField(_("subject ID"), max_length=64, blank=True, db_index=True)
    payload = models.JSONField(_("payload"), default=dict)
    state = models.CharField(_("state"), max_length=20, choices=STATES, default=PENDING, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    deliveries = models.PositiveIntegerField(
        _("deliveries"), default=1, help_text=_("Identical deliveries while pending.")
    )
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    pending_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        indexes = [models.Index(fields=["state", "received_at"], name="tl_mirror_event_state")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.subject_id}".strip()


class SyncState(models.Model):
    """Where ``teamleader_sync`` stands for one resource.

    ``high_water_mark``: the next run asks for records updated since this moment (less
    the overlap). ``pass_*``: the run in progress, saved with every stored page, so a run
    that stopped resumes at the next page.
    """

    resource = models.CharField(_("resource"), max_length=50, primary_key=True)
    high_water_mark = models.DateTimeField(_("high-water mark"), null=True, blank=True)
    last_completed_at = models.DateTimeField(_("last completed at"), null=True, blank=True)
    last_full_at = models.DateTimeField(_("last full sync"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    pass_started_at = models.DateTimeField(_("run started at"), null=True, blank=True)
    pass_since = models.DateTimeField(_("run asks for changes since"), null=True, blank=True)
    pass_page = models.PositiveIntegerField(
        _("pages stored"), default=0, help_text=_("Pages stored by the run in progress.")
    )
    pass_matches = models.PositiveIntegerField(_("records in the run"), null=True, blank=True)
    pass_max_updated_at = models.DateTimeField(_("newest change seen in the run"), null=True, blank=True)

    class Meta:
        ordering = ["resource"]
        verbose_name = _("sync state")
        verbose_name_plural = _("sync states")

    def __str__(self) -> str:
        return self.resource

    @property
    def in_progress(self) -> bool:
        return self.pass_started_at is not None
