"""Signals sent by the Teamleader Django app.

``teamleader_webhook_received`` is sent once for every webhook delivery that
:class:`~teamleader.django.webhooks.WebhookView` accepts, with these keyword arguments:

``sender``
    The view class, :class:`~teamleader.django.webhooks.WebhookView` (or your subclass of it).
``event_type``
    The event, e.g. ``"deal.won"`` (``payload["type"]``). Any string Teamleader sends
    is passed on, including types newer than this package.
``subject``
    The record the event is about, ``{"type": "deal", "id": "…"}``, or ``None`` when
    the payload has no ``subject`` object.
``account``
    The Teamleader account, ``{"type": "account", "id": "…"}``, or ``None``.
``payload``
    The whole JSON object Teamleader posted.
``request``
    The :class:`~django.http.HttpRequest`.

Receivers run inside the request, so keep them short and hand slow work to a task
queue (e.g. ``transaction.on_commit(lambda: sync_deal.delay(subject["id"]))``). A
receiver that raises is logged and the delivery is still answered 204 (see
:mod:`teamleader.django.webhooks`). Webhooks carry no delivery id: make receivers
idempotent. Connect them in your ``AppConfig.ready()``::

    from django.dispatch import receiver
    from teamleader.django.signals import teamleader_webhook_received

    @receiver(teamleader_webhook_received)
    def on_teamleader_event(sender, event_type, subject, **kwargs):
        if event_type == "deal.won":
            ...
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["teamleader_webhook_received"]

teamleader_webhook_received = Signal()
