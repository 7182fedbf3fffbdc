#!/usr/bin/env python
"""Check an installed teamleader-sdk wheel from the outside: ``make dist`` runs it.

    python tools/check_install.py DIST_DIR

Run by a virtualenv that has only the wheel (with the ``django`` extra) installed; a
script's own folder is what Python puts on ``sys.path``, so every import of ``teamleader``
must come from site-packages (checked first). Checks that
the version is the one in the file names of DIST_DIR, that the client and the Django app
import, that the shipped data (request rules, sandbox answers, templates, migrations,
``py.typed``) is there and works: migrations run, the admin's template renders, and a
client calls a sandbox server over HTTP, validating its request on the way.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"check_install: {what}")
    print(f"ok: {what}")


def main(dist: Path) -> None:
    import teamleader
    import teamleader.django

    here = Path(teamleader.__file__).resolve().parent
    check("site-packages" in here.parts, f"teamleader is imported from the installed wheel ({here})")
    version = teamleader.__version__
    names = sorted(path.name for path in dist.iterdir())
    check(
        names == [f"teamleader_sdk-{version}-py3-none-any.whl", f"teamleader_sdk-{version}.tar.gz"],
        f"the sdist and the wheel carry teamleader.__version__ {version} ({', '.join(names)})",
    )
    check((here / "py.typed").is_file(), "py.typed is shipped")

    from teamleader import MemoryTokenBackend, OAuth2Handler, TeamleaderClient, TeamleaderValidationError
    from teamleader.testing import SandboxServer

    with SandboxServer() as server:
        token = server.sandbox.issue_token_object()
        oauth = OAuth2Handler(
            "id", "secret", "http://localhost/", MemoryTokenBackend(token), auth_base_url=server.url
        )
        with TeamleaderClient(oauth, api_base_url=server.url) as client:
            check(bool(client.users.me().full_name), "a client calls the sandbox (answers.json is shipped)")
            try:
                client.contacts.list(filter={"emial": "x"})
            except TeamleaderValidationError as err:
                check(
                    "did you mean 'email'" in str(err), "requests are validated (teamleader/rules is shipped)"
                )
            else:
                check(False, "a misspelt filter is refused")
    check_django(token.access_token)


def check_django(secret: str) -> None:
    import types

    import django
    from django.conf import settings

    urls = types.ModuleType("check_install_urls")  # the project's urls.py
    sys.modules[urls.__name__] = urls
    settings.configure(
        SECRET_KEY="check-install",
        USE_TZ=True,
        ROOT_URLCONF=urls.__name__,
        ALLOWED_HOSTS=["testserver"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=[
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "teamleader.django",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ]
                },
            }
        ],
        TEAMLEADER={
            "CLIENT_ID": "id",
            "CLIENT_SECRET": "secret",
            "REDIRECT_URI": "http://localhost:9999/callback",
            "SCOPES": ["contacts"],
            "WEBHOOK_SECRET": "check-install-webhook-secret-0123456789",
            "RATE_LIMIT": None,  # one process: no budget to share (else W020 on the local-memory cache)
        },
    )
    django.setup()
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import include, path

    from teamleader.django.token_store import DatabaseTokenBackend
    from teamleader.token import Token

    urls.urlpatterns = [
        path("admin/", admin.site.urls),
        path("teamleader/", include("teamleader.django.urls")),
    ]
    call_command("migrate", verbosity=0)
    backend = DatabaseTokenBackend()
    backend.save(Token(secret, "refresh", dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)))
    check(backend.get().access_token == secret, "the shipped migrations create the token table")
    call_command("check", fail_level="WARNING")
    print("ok: manage.py check finds nothing")
    browser = Client()
    browser.force_login(get_user_model().objects.create_superuser("admin", "admin@example.com", "pw"))
    page = browser.get("/admin/teamleader_django/teamleadertoken/")
    check(
        page.status_code == 200
        and b'id="teamleader-status"' in page.content
        and secret.encode() not in page.content,
        "the admin's status page renders from the shipped templates, token masked",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
