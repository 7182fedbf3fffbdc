"""Minimal settings for bench/call_overhead.py --django: SQLite in memory."""

import os

SECRET_KEY = "bench"
USE_TZ = True
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "teamleader.django"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TEAMLEADER = {
    "CLIENT_ID": "bench",
    "CLIENT_SECRET": "bench-secret",
    "REDIRECT_URI": "http://localhost:9999/callback",
    "SCOPES": ["contacts"],
    "API_BASE_URL": os.environ.get("BENCH_API_URL", "http://127.0.0.1:1"),
}
