"""The admin's Teamleader pages: status, connect, the OAuth callback, test, disconnect.

Thin views over :mod:`teamleader.django.connect`, the service ``teamleader_setup``
uses too. :class:`ConnectionViewsMixin` adds them to a ``ModelAdmin`` through
``get_urls()``, behind ``admin_site.admin_view`` (staff login, CSRF, ``never_cache``);
each view checks the model permission itself. Connecting and disconnecting need
the change permission; the view permission is enough to see the status and to test.
"""

from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext

from teamleader.exceptions import TeamleaderAuthorizationDenied, TeamleaderError
from teamleader.token import mask

from . import labels, oauth_state
from .client import get_oauth_handler, get_token_backend
from .conf import teamleader_settings
from .connect import ConnectionInfo, check_connection, complete_authorization, disconnect
from .explain import explain, explain_problem

__all__ = ["ConnectionViewsMixin", "connected_message"]


def connected_message(info: ConnectionInfo) -> str:
    """``"Connected to Teamleader as … The access token expires at …"`` (local time, active language)."""
    if info.user_label:
        who = gettext("Connected to Teamleader as %(user)s.") % {"user": info.user_label}
    elif info.user_error:
        who = gettext("Connected to Teamleader (could not tell who connected: %(reason)s).") % {
            "reason": info.user_error
        }
    else:
        who = gettext("Connected to Teamleader.")
    expires = timezone.localtime(info.token.expires_at)
    return "{} {}".format(
        who,
        gettext("The access token expires at %(time)s and is refreshed automatically.")
        % {"time": f"{expires:%Y-%m-%d %H:%M:%S %Z}"},
    )


class ConnectionViewsMixin:
    """Connect, callback, test and disconnect views for the Teamleader connection admin."""

    status_template = "admin/teamleader_django/teamleadertoken/status.html"
    disconnect_template = "admin/teamleader_django/teamleadertoken/disconnect_confirmation.html"

    admin_site: Any
    model: Any
    opts: Any

    def get_urls(self) -> list[Any]:
        views: list[tuple[str, Callable[[HttpRequest], HttpResponse]]] = [
            ("connect", self.connect_view),
            ("callback", self.callback_view),
            ("test", self.test_connection_view),
            ("disconnect", self.disconnect_view),
        ]
        extra = [
            path(f"{name}/", self.admin_site.admin_view(view), name=self.teamleader_url_name(name))
            for name, view in views
        ]
        return extra + super().get_urls()  # type: ignore[misc]

    # -- helpers ----------------------------------------------------------------------
    def teamleader_url_name(self, name: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{name}"

    def teamleader_url(self, name: str) -> str:
        return reverse(f"admin:{self.teamleader_url_name(name)}", current_app=self.admin_site.name)

    def status_url(self) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist", current_app=self.admin_site.name
        )

    def teamleader_redirect_uri(self, request: HttpRequest) -> str:
        """``TEAMLEADER["ADMIN_REDIRECT_URI"]``, else the absolute URL of the callback view."""
        return teamleader_settings.ADMIN_REDIRECT_URI or request.build_absolute_uri(
            self.teamleader_url("callback")
        )

    def connection_status(self) -> dict[str, Any]:
        """What the status page shows, read through the token backend; tokens only masked."""
        backend = get_token_backend()
        record = backend.read()
        token = record.token if record is not None else None
        return {
            "connected": record is not None,
            "needs_reconnecting": record is not None and record.needs_reauthorization,
            "connection": record,
            "expires_at": token.expires_at if token else None,
            "expired": token.is_expired(0) if token else False,
            "masked_access_token": mask(token.access_token) if token else "",
            "masked_refresh_token": mask(token.refresh_token) if token else "",
            "problem": explain_problem(record.problem) if record is not None else "",
            "scopes": (record.scopes if record is not None and record.scopes else teamleader_settings.SCOPES),
            "backend_name": type(backend).__name__,
            "history_object_id": self.model.SINGLETON_PK,
            "labels": labels.for_template(),
            "connect_label": labels.RECONNECT if record is not None else labels.CONNECT,
        }

    def connect_button_label(self) -> str:
        """What the connect button says now: "Reconnect" once something is stored (active language)."""
        return str(labels.RECONNECT if get_token_backend().read() is not None else labels.CONNECT)

    def _require_change_permission(self, request: HttpRequest) -> None:
        if not self.has_change_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied

    # -- views ------------------------------------------------------------------------
    def status_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """The one page of the singleton: connected or not, by whom, until when; the buttons."""
        if not self.has_view_or_change_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        can_change = self.has_change_permission(request)  # type: ignore[attr-defined]
        context = {
            **self.admin_site.each_context(request),
            **self.connection_status(),
            "opts": self.opts,
            "title": labels.CONNECTION_PAGE,
            "has_change_permission": can_change,
            "redirect_uri": self.teamleader_redirect_uri(request),
            "setup_redirect_uri": teamleader_settings.REDIRECT_URI,
            "connect_url": self.teamleader_url("connect"),
            "test_url": self.teamleader_url("test"),
            "disconnect_url": self.teamleader_url("disconnect"),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.status_template, context)

    def connect_view(self, request: HttpRequest) -> HttpResponse:
        """POST: remember a fresh state in the session and send the user to Teamleader."""
        self._require_change_permission(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        redirect_uri = self.teamleader_redirect_uri(request)
        url = get_oauth_handler(redirect_uri=redirect_uri).get_authorization_url()
        oauth_state.remember(request.session, url.state, redirect_uri)
        return HttpResponseRedirect(url)

    def callback_view(self, request: HttpRequest) -> HttpResponse:
        """Where Teamleader sends the user back: check the state, exchange the code, store it."""
        self._require_change_permission(request)
        try:
            # Taken out of the session first: a replayed callback finds no state.
            pending = oauth_state.take(request.session, button=self.connect_button_label())
            handler = get_oauth_handler(redirect_uri=pending.redirect_uri)
            info = complete_authorization(
                handler, request.GET, expected_state=pending.state, connected_by=request.user.get_username()
            )
        except TeamleaderAuthorizationDenied as err:
            messages.warning(request, explain(err))
        except TeamleaderError as err:
            messages.error(request, explain(err))
        else:
            self._log_connection(request, info)
            messages.success(request, connected_message(info))
        return HttpResponseRedirect(self.status_url())

    def test_connection_view(self, request: HttpRequest) -> HttpResponse:
        """POST: call ``users.me`` and report the answer or the error."""
        if not self.has_view_or_change_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        ok, message = check_connection()
        (messages.success if ok else messages.error)(request, message)
        return HttpResponseRedirect(self.status_url())

    def disconnect_view(self, request: HttpRequest) -> HttpResponse:
        """GET: a confirmation page. POST: forget the stored tokens."""
        self._require_change_permission(request)
        status = self.connection_status()
        if not status["connected"]:
            messages.info(request, gettext("Teamleader is not connected; there is nothing to disconnect."))
            return HttpResponseRedirect(self.status_url())
        if request.method == "POST":
            self.log_deletions(request, [self._log_object()])  # type: ignore[attr-defined]
            disconnect()
            messages.success(
                request,
                gettext(
                    "Disconnected from Teamleader: the stored tokens were deleted. The integration stays "
                    "installed in Teamleader until you uninstall it there."
                ),
            )
            return HttpResponseRedirect(self.status_url())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            **status,
            "title": gettext("Disconnect from Teamleader?"),
            "status_url": self.status_url(),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.disconnect_template, context)

    def _log_connection(self, request: HttpRequest, info: ConnectionInfo) -> None:
        if info.user_label:
            message = gettext("Connected to Teamleader as %(user)s.") % {"user": info.user_label}
        else:
            message = gettext("Connected to Teamleader.")
        self.log_change(request, self._log_object(), message)  # type: ignore[attr-defined]

    def _log_object(self) -> Any:
        """What the admin's history records the connection under, whichever backend stores it."""
        return self.model(pk=self.model.SINGLETON_PK)
