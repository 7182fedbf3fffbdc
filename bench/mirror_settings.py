"""Settings for bench/mirror.py: the mirror on a SQLite file (or DATABASE_URL), events processed by hand."""

import os

import environ

SECRET_KEY = "bench"
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "teamleader.django",
    "teamleader.django.mirror",
]
DATABASES = {
    "default": environ.Env().db(
        "DATABASE_URL",
        default=f"sqlite:///{os.path.join(os.environ.get('BENCH_DB_DIR', '.'), 'mirror.sqlite3')}",
    )
}
ROOT_URLCONF = "bench.mirror_urls"
ALLOWED_HOSTS = ["*"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
_SANDBOX = os.environ.get("BENCH_SANDBOX_URL", "http://127.0.0.1:1")
TEAMLEADER = {
    "CLIENT_ID": "bench",
    "CLIENT_SECRET": "bench-secret",
    "REDIRECT_URI": "http://localhost:9999/callback",
    "SCOPES": ["contacts", "companies", "deals", "users"],
    "AUTH_BASE_URL": _SANDBOX,
    "API_BASE_URL": _SANDBOX,
    "WEBHOOK_SECRET": "bench-webhook-secret-0123456789abcdef",
    # Events wait for process_pending(), which the benchmark times on its own.
    "MIRROR": {"PROCESSING": None},
}
