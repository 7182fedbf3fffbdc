"""Receive Teamleader's webhooks: a view at a secret URL that sends a signal.

Wiring: include ``teamleader.django.urls`` (``path("teamleader/", include(...))``), set
``TEAMLEADER["WEBHOOK_SECRET"]`` to a long random string, connect a receiver to
:data:`~teamleader.django.signals.teamleader_webhook_received` and register the URL with
``manage.py teamleader_webhooks register --base-url https://your.site deal.won …``.

Teamleader does not sign its webhooks, so the secret path segment is the only proof that
a POST comes from Teamleader. It is compared in constant time. The choices made here:

- A wrong or unset secret gets the site's ordinary 404 page, whatever the method, so a
  stranger cannot tell that the endpoint exists.
- A receiver that raises does not turn the answer into a 500: Django's ``send_robust``
  logs its traceback (logger ``django.dispatch``), this module logs the event type and
  subject id, and Teamleader still gets 204. The failure is ours to fix; a redelivery of
  the same payload would fail the same way, and Teamleader's retry policy is undocumented.
- With ``teamleader.django.mirror`` installed, the delivery is first stored in the mirror's
  event log (one ``INSERT``; identical pending deliveries are counted, not stored twice) and
  processed after the request's transaction commits, never inside the request; the
  signal then carries the stored ``event``. If it cannot be stored the answer is 503,
  so that Teamleader may send it again.
- Logs name the event type and the subject, never the payload or the secret. Django's own
  ``django.request`` warning for a 4xx answer prints the path, secret included, so this
  view logs its 4xx answers itself and marks them as logged. A web server's access log
  still holds the full URL: that is inherent to a secret URL.
"""

from __future__ import annotations

import difflib
import hmac
import json
import logging
import textwrap
from typing import Any, Iterable
from urllib.parse import quote, urlsplit

from django.apps import apps
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.urls import NoReverseMatch, get_resolver, get_urlconf, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from teamleader.token import mask
from teamleader.webhook_types import WEBHOOK_TYPES

from .conf import TeamleaderImproperlyConfigured, teamleader_settings
from .signals import teamleader_webhook_received

__all__ = ["EVENT_TYPES", "MAX_BODY_SIZE", "WebhookView", "check_event_types", "mask_secret", "webhook_url"]

logger = logging.getLogger(__name__)

#: The event types ``webhooks.register`` accepts (the enum of Teamleader's OpenAPI description).
EVENT_TYPES = WEBHOOK_TYPES

#: Largest webhook body accepted; Teamleader's payloads are a few hundred bytes.
MAX_BODY_SIZE = 64 * 1024

#: With this app installed, every delivery is also stored in its event log and processed.
MIRROR_APP = "teamleader.django.mirror"


def _secret() -> str | None:
    return teamleader_settings.WEBHOOK_SECRET or None


def mask_secret(text: str) -> str:
    """``text`` (e.g. a URL) with the webhook secret shown masked (``"a1b2…"``)."""
    secret = _secret()
    if not secret:
        return text
    return text.replace(secret, mask(secret)).replace(quote(secret), mask(secret))


def webhook_url(base_url: str) -> str:
    """The absolute webhook URL of this site, secret included, for ``webhooks.register``.

    ``base_url`` is the site's address as Teamleader reaches it, e.g. ``https://crm.example.com``.
    """
    secret = _secret()
    if not secret:
        raise TeamleaderImproperlyConfigured(
            gettext(
                'TEAMLEADER["WEBHOOK_SECRET"] is not set: set it to a long random string, e.g. the output of '
                "%(command)s."
            )
            % {"command": 'python -c "import secrets; print(secrets.token_urlsafe(32))"'}
        )
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(
            gettext("%(url)s is not a site address such as %(example)s.")
            % {"url": repr(base_url), "example": "'https://crm.example.com'"}
        )
    try:
        path = reverse("teamleader:webhook", args=[secret])
    except NoReverseMatch as err:
        raise TeamleaderImproperlyConfigured(
            gettext("The webhook view is not routed: add %(code)s to your ROOT_URLCONF.")
            % {"code": 'path("teamleader/", include("teamleader.django.urls"))'}
        ) from err
    return base_url.rstrip("/") + path


def check_event_types(types: Iterable[str]) -> list[str]:
    """``types`` without repeats; ``ValueError`` naming unknown ones and listing the valid ones."""
    types = list(dict.fromkeys(types))
    unknown = [t for t in types if t not in EVENT_TYPES]
    if not unknown:
        return types
    named = []
    for event_type in unknown:
        close = difflib.get_close_matches(event_type, EVENT_TYPES, n=1)
        if close:
            named.append(
                gettext("%(type)s (did you mean %(close)s?)")
                % {"type": repr(event_type), "close": repr(close[0])}
            )
        else:
            named.append(repr(event_type))
    valid = textwrap.fill(", ".join(EVENT_TYPES), width=100, break_on_hyphens=False)
    raise ValueError(
        gettext("Unknown event type %(types)s. Valid types:\n%(valid)s")
        % {"types": ", ".join(named), "valid": valid}
    )


def _object(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _logged(request: HttpRequest, response: HttpResponse, reason: str) -> HttpResponse:
    logger.warning(
        "Teamleader webhook: answered %s to a %s (%s).", response.status_code, request.method, reason
    )
    # Stops django.request from logging the path, which holds the secret (see log_response).
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _plain(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@method_decorator(csrf_exempt, name="dispatch")
class WebhookView(View):
    """``POST <prefix>/webhook/<secret>/``: check the secret, read the JSON, send the signal, answer 204."""

    http_method_names = ["post"]

    def dispatch(self, request: HttpRequest, *args: Any, secret: str = "", **kwargs: Any) -> HttpResponseBase:
        expected = _secret()
        # Bytes, because compare_digest refuses non-ASCII str (the path segment is anyone's guess).
        if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
            return self.not_found(request, "WEBHOOK_SECRET is not set" if not expected else "wrong secret")
        return super().dispatch(request, *args, **kwargs)

    def not_found(self, request: HttpRequest, reason: str) -> HttpResponse:
        """The site's own 404 page, as for any unknown URL."""
        # Like raising Http404, but without django.request logging the path.
        handler: Any = get_resolver(get_urlconf()).resolve_error_handler(404)
        return _logged(request, handler(request, exception=Http404()), reason)

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _logged(request, HttpResponseNotAllowed(["POST"]), "only POST is allowed")

    def read_body(self, request: HttpRequest) -> bytes | None:
        """The request body, or ``None`` when it is larger than :data:`MAX_BODY_SIZE`."""
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_SIZE:  # refused before reading a byte
            return None
        try:
            return request.body
        except RequestDataTooBig:  # DATA_UPLOAD_MAX_MEMORY_SIZE is lower still
            return None

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        body = self.read_body(request)
        if body is None:
            return _logged(request, _plain(413, gettext("Body too large.")), "body too large")
        try:
            payload = json.loads(body)
        except ValueError:
            return _logged(request, _plain(400, gettext("Body is not JSON.")), "body is not JSON")
        if not isinstance(payload, dict) or not isinstance(payload.get("type"), str) or not payload["type"]:
            answer = gettext('Body must be a JSON object with a "type".')
            return _logged(request, _plain(400, answer), "no event type")

        event_type, subject = payload["type"], _object(payload.get("subject"))
        label = f"{event_type!r} for {(subject or {}).get('type')!r} {(subject or {}).get('id')!r}"
        event = None
        if apps.is_installed(MIRROR_APP):
            from .mirror.events import record_delivery

            try:
                event, _ = record_delivery(payload)
            except DatabaseError as err:
                # 503: Teamleader may deliver it again. Logged here, so the URL (and its secret) is not.
                logger.error("Teamleader webhook %s could not be stored: %s", label, type(err).__name__)
                answer = gettext("Could not store the event; try again.")
                return _logged(request, _plain(503, answer), "not stored")
        results = teamleader_webhook_received.send_robust(
            sender=type(self),
            event_type=event_type,
            subject=subject,
            account=_object(payload.get("account")),
            payload=payload,
            request=request,
            event=event,
        )
        logger.info("Teamleader webhook %s received.", label)
        for receiver, result in results:
            if isinstance(result, Exception):
                logger.error(
                    "Receiver %s failed on Teamleader webhook %s (%s); answered 204 anyway, "
                    "traceback in the django.dispatch log.",
                    getattr(receiver, "__qualname__", repr(receiver)),
                    label,
                    type(result).__name__,
                )
        return HttpResponse(status=204)
