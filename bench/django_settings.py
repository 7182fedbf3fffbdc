"""Settings for bench/call_overhead.py --django: a SQLite file, and PostgreSQL when given.

``BENCH_SQLITE_PATH`` is the SQLite file; ``BENCH_POSTGRES_URL`` (optional) adds the
alias ``postgres``. The benchmark creates and drops its own databases.
"""

import os

import environ

SECRET_KEY = "bench"
USE_TZ = True
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "teamleader.django"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["BENCH_SQLITE_PATH"]}}
if os.environ.get("BENCH_POSTGRES_URL"):
    DATABASES["postgres"] = environ.Env.db_url_config(os.environ["BENCH_POSTGRES_URL"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TEAMLEADER = {
    "CLIENT_ID": "bench",
    "CLIENT_SECRET": "bench-secret",
    "REDIRECT_URI": "http://localhost:9999/callback",
    "SCOPES": ["contacts"],
    "API_BASE_URL": os.environ.get("BENCH_API_URL", "http://127.0.0.1:1"),
    "RATE_LIMIT": None,  # thousands of calls a minute; bench/rate_limit.py measures the budget's cost
}
