"""The dashboard's data: the mirror of Teamleader kept by ``teamleader.django.mirror``.

Reading it costs no API call and no rate budget; ``teamleader_sync`` fills it and webhooks
keep it current (the sandbox sends them too). After this site changes a record in
Teamleader it reads it back at once (:func:`refreshed`), rather than waiting for the webhook.
"""

from __future__ import annotations

import logging

from django.db.models import Count, Max
from django.http import HttpRequest
from teamleader import TeamleaderError
from teamleader.django.mirror.fetch import refresh
from teamleader.django.mirror.models import Contact, Deal, SyncState, WebhookEvent
from teamleader.django.mirror.resources import MIRROR_EVENT_TYPES
from teamleader.django.mirror.sync import sync
from teamleader.django.webhooks import webhook_url

logger = logging.getLogger(__name__)


def refreshed(resource: str, record_id: str) -> None:
    """Read one record back into the mirror; a failure only waits for the webhook instead."""
    try:
        refresh(resource, [record_id])
    except TeamleaderError as err:
        logger.warning("Could not refresh %s %s in the mirror: %s", resource, record_id, err)


def status() -> dict[str, object]:
    """What the dashboard says about the mirror, and a version that changes with its data."""
    contacts = Contact.objects.aggregate(n=Count("pk"), last=Max("synced_at"))
    deals = Deal.objects.aggregate(n=Count("pk"), last=Max("synced_at"))
    last_sync = SyncState.objects.aggregate(last=Max("last_completed_at"))["last"]
    version = "|".join(str(v) for v in (contacts["n"], contacts["last"], deals["n"], deals["last"]))
    return {
        "contacts": contacts["n"],
        "deals": deals["n"],
        "last_sync": last_sync,
        "events_done": WebhookEvent.objects.filter(state="done").count(),
        "events_failed": WebhookEvent.objects.filter(state="failed").count(),
        "version": version,
    }


def fill(request: HttpRequest, *, register_webhooks: bool) -> str:
    """Sync everything; with ``register_webhooks``, also ask Teamleader to post changes here."""
    results = sync()
    text = "; ".join(result.summary() for result in results)
    if register_webhooks:
        from teamleader.django import get_client

        url = webhook_url(request.build_absolute_uri("/"))
        get_client().webhooks.register(url=url, types=list(MIRROR_EVENT_TYPES))
        text += ". Webhooks registered: changes in Teamleader now reach this site."
    return text
