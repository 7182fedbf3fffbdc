from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from teamleader.django.client import get_token_backend

from .teamleader_errors import CONNECT_URL


def teamleader(request: HttpRequest) -> dict[str, Any]:
    """Who the site is connected to Teamleader as (queried only if a template asks)."""
    return {
        "teamleader_connection": SimpleLazyObject(lambda: get_token_backend().read()),
        "teamleader_connect_url": CONNECT_URL,
        "teamleader_sandbox_url": settings.TEAMLEADER_SANDBOX_URL,
    }
