"""Signals sent by the Teamleader Django app (and its mirror, see ``teamleader_mirror_changed``).

The connection's health, each with the keyword argument ``record``, the
:class:`~teamleader.connection.ConnectionRecord` as stored (tokens masked in its repr):

``teamleader_connected``
    A connection was made (``teamleader_setup`` or the admin's Connect button), after
    who connected was stored.
``teamleader_token_refreshed``
    This process refreshed the token pair and stored it (about once an hour).
``teamleader_connection_lost``
    Teamleader refused the refresh token: someone must connect again. Sent once, by the
    process that saw the refusal, not for every call that fails after it; the same event
    is logged at ERROR on the ``teamleader`` logger, so Django's ``AdminEmailHandler`` can
    mail the site's admins.
``teamleader_disconnected``
    The stored connection was deleted (the admin's Disconnect); ``record`` is what was
    stored, or ``None``.

Receivers run after the token store's lock is released and are called with
``send_robust``: one that raises is logged and changes nothing. They run in the caller's
transaction, if any (``ATOMIC_REQUESTS``, a task in ``atomic()``): database writes a
receiver makes roll back with a failed request. Wrap such work in
``transaction.on_commit()``, or hand it to a task queue.

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
``event``
    The stored :class:`~teamleader.django.mirror.models.WebhookEvent` when
    ``teamleader.django.mirror`` is installed (an identical delivery still pending is
    that same event), else ``None``.

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

__all__ = [
    "teamleader_connected",
    "teamleader_connection_lost",
    "teamleader_disconnected",
    "teamleader_mirror_changed",
    "teamleader_token_refreshed",
    "teamleader_webhook_received",
]

teamleader_webhook_received = Signal()
teamleader_connected = Signal()
teamleader_token_refreshed = Signal()
teamleader_connection_lost = Signal()
teamleader_disconnected = Signal()

#: Sent by ``teamleader.django.mirror`` after mirrored records changed and the change was
#: committed: ``sender`` and ``model`` are the mirror's model class (e.g.
#: ``teamleader.django.mirror.models.Deal``), ``ids`` the Teamleader ids (strings) and
#: ``action`` one of ``"created"``, ``"updated"`` or ``"deleted"``. Sent by the sync (once per
#: page and action) and by webhook processing (once per batch and action); records fetched
#: again without a change are not announced. Receivers run in the process that wrote the
#: change (a web worker's background thread, a Celery worker, ``manage.py``): keep them quick::
#:
#:     @receiver(teamleader_mirror_changed, sender=Deal)
#:     def on_deals(sender, ids, action, **kwargs):
#:         if action != "deleted":
#:             for deal in Deal.objects.filter(pk__in=ids, status="won"):
#:                 ...
teamleader_mirror_changed = Signal()
