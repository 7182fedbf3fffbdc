"""Settings of the example site, read from the environment (and an optional ``.env``).

Without ``TEAMLEADER_CLIENT_ID`` the site talks to the offline sandbox
(``python -m teamleader.testing``) at ``TEAMLEADER_SANDBOX_URL``; with it, to the real
Teamleader Focus. See ``.env.example``.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables already in the environment win over the file.
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("DJANGO_SECRET_KEY", default="example-project-insecure-key-for-local-use-only")
DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "teamleader.django",
    "teamleader.django.mirror",  # Teamleader's contacts, companies and deals as models (the dashboard)
    "crm",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
# The example's pages are for staff; they sign in on the admin's login page.
LOGIN_URL = "admin:login"
WSGI_APPLICATION = "config.wsgi.application"

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
                "crm.context_processors.teamleader",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Teamleader's rate budget (TEAMLEADER["RATE_LIMIT"]) is kept in the default cache, here
# Django's local-memory one: enough for the demo's one runserver process, which is why
# teamleader.W020 is silenced. A site with several workers points CACHES at Redis instead:
#   CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://…"}}
SILENCED_SYSTEM_CHECKS = ["teamleader.W020"]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("DJANGO_TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "teamleader": {"handlers": ["console"], "level": env("TEAMLEADER_LOG_LEVEL", default="INFO")},
    },
}

# -- Teamleader -----------------------------------------------------------------------
# With TEAMLEADER_CLIENT_ID set, the site talks to the real Teamleader Focus and the
# secret is required too. Without it, the site uses the sandbox, which accepts any
# client id and secret.
USE_REAL_TEAMLEADER = bool(env("TEAMLEADER_CLIENT_ID", default=""))
TEAMLEADER_SANDBOX_URL = (
    None if USE_REAL_TEAMLEADER else env("TEAMLEADER_SANDBOX_URL", default="http://127.0.0.1:8765")
)

TEAMLEADER = {
    "CLIENT_ID": env("TEAMLEADER_CLIENT_ID") if USE_REAL_TEAMLEADER else "example-project",
    "CLIENT_SECRET": env("TEAMLEADER_CLIENT_SECRET") if USE_REAL_TEAMLEADER else "sandbox-accepts-any-secret",
    "REDIRECT_URI": env("TEAMLEADER_REDIRECT_URI", default="http://localhost:9999/callback"),
    "SCOPES": env.list("TEAMLEADER_SCOPES", default=["contacts", "companies", "deals", "users"]),
    "OAUTH_CALLBACK_PORT": env.int("TEAMLEADER_OAUTH_CALLBACK_PORT", default=9999),
    # The secret part of the webhook URL (teamleader/webhook/<secret>/). The sandbox gets a
    # fixed one; for a real account set your own: python -c "import secrets; print(secrets.token_urlsafe(32))"
    "WEBHOOK_SECRET": env(
        "TEAMLEADER_WEBHOOK_SECRET",
        default=None if USE_REAL_TEAMLEADER else "example-sandbox-webhook-secret-not-for-production",
    ),
}
if TEAMLEADER_SANDBOX_URL:
    TEAMLEADER["AUTH_BASE_URL"] = TEAMLEADER["API_BASE_URL"] = TEAMLEADER_SANDBOX_URL
