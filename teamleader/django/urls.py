"""URLs to include in your project: ``path("teamleader/", include("teamleader.django.urls"))``."""

from __future__ import annotations

app_name = "teamleader"

urlpatterns: list = []
