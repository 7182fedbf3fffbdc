"""Turning Teamleader failures into pages a person can act on."""

from __future__ import annotations

import logging
from functools import wraps
from typing import Any, Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from teamleader import (
    TeamleaderAuthError,
    TeamleaderAuthExpiredError,
    TeamleaderConnectionError,
    TeamleaderError,
    TeamleaderNotFoundError,
)

logger = logging.getLogger(__name__)

#: The admin page of teamleader.django that holds the "Connect to Teamleader" button.
CONNECT_URL = reverse_lazy("admin:teamleader_django_teamleadertoken_changelist")

View = Callable[..., HttpResponse]


def handles_teamleader_errors(view: View) -> View:
    """Answer a failed Teamleader call with a page that says what to do next.

    No connection stored, or Teamleader refused it: a "connect" page pointing at the
    admin's Connect button (503). Anything else Teamleader-related: a short error
    page (404 for a missing record, else 502). Error messages never contain tokens.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except TeamleaderAuthError as err:
            context = {"expired": isinstance(err, TeamleaderAuthExpiredError), "connect_url": CONNECT_URL}
            return render(request, "crm/not_connected.html", context, status=503)
        except TeamleaderError as err:
            not_found = isinstance(err, TeamleaderNotFoundError)
            if not not_found:
                logger.warning("Teamleader call failed in %s: %s", request.path, err)
            context = {
                "error": err,
                "not_found": not_found,
                "unreachable": isinstance(err, TeamleaderConnectionError),
            }
            return render(request, "crm/teamleader_error.html", context, status=404 if not_found else 502)

    return wrapper
