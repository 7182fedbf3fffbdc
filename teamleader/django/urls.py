"""URLs to include in your project: ``path("teamleader/", include("teamleader.django.urls"))``.

``teamleader:webhook`` is where Teamleader posts webhooks: ``webhook/<secret>/`` (see
:mod:`teamleader.django.webhooks`).
"""

from __future__ import annotations

from django.urls import path

from .webhooks import WebhookView

app_name = "teamleader"

urlpatterns = [
    path("webhook/<str:secret>/", WebhookView.as_view(), name="webhook"),
]
