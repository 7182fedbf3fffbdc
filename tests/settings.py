"""Settings for the test suite. ``DATABASE_URL`` picks the database (default SQLite)."""

import os
import tempfile

import environ

env = environ.Env()

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
USE_TZ = True
TIME_ZONE = "Europe/Brussels"
ALLOWED_HOSTS = ["*"]

DATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///:memory:")}
DATABASES["default"].setdefault("TEST", {})
# TEAMLEADER_TEST_ISOLATION="repeatable read": the race tests' workers run at that level.
ISOLATION = env("TEAMLEADER_TEST_ISOLATION", default="")
if ISOLATION and DATABASES["default"]["ENGINE"].endswith("mysql"):
    DATABASES["default"].setdefault("OPTIONS", {})["isolation_level"] = ISOLATION
elif ISOLATION and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    from psycopg import IsolationLevel

    DATABASES["default"].setdefault("OPTIONS", {})["isolation_level"] = IsolationLevel[
        ISOLATION.upper().replace(" ", "_")
    ]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not :memory:, so that several connections (threads) share one database.
    DATABASES["default"]["TEST"]["NAME"] = os.path.join(
        tempfile.gettempdir(), f"teamleader-sdk-tests-{os.getpid()}.sqlite3"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "teamleader.django",
    "teamleader.django.mirror",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "tests.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

TEAMLEADER = {
    "CLIENT_ID": "test-client-id",
    "CLIENT_SECRET": "test-client-secret-never-shown",
    "REDIRECT_URI": "http://localhost:9999/callback",
    "SCOPES": ["contacts", "companies", "deals", "users"],
    "WEBHOOK_SECRET": "test-webhook-secret-0123456789",
    # The suite makes thousands of calls a minute against mocks and the sandbox (which keeps
    # Teamleader's limit itself); the rate budget's own tests turn it on.
    "RATE_LIMIT": None,
}
# TEAMLEADER_TEST_CACHE_URL: a Redis cache (and so a shared rate budget), for the fleet test's workers.
if env("TEAMLEADER_TEST_CACHE_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("TEAMLEADER_TEST_CACHE_URL"),
        }
    }
# Child processes started by the tests (e.g. ``manage.py teamleader_setup``) point the
# app at a sandbox through this JSON object.
TEAMLEADER.update(env.json("TEAMLEADER_TEST_OVERRIDES", default={}))
