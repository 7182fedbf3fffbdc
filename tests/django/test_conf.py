"""Settings validation at startup, lazy settings, and the system checks."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from teamleader.django.conf import teamleader_settings

VALID = {
    "CLIENT_ID": "id",
    "CLIENT_SECRET": "secret",
    "REDIRECT_URI": "http://localhost:9999/callback",
    "SCOPES": ["contacts"],
}


def ready_with(value):
    with override_settings(TEAMLEADER=value):
        apps.get_app_config("teamleader_django").ready()


def test_valid_settings_pass():
    ready_with(VALID)
    with override_settings(TEAMLEADER=VALID):
        assert (teamleader_settings.CLIENT_ID, teamleader_settings.SCOPES) == ("id", ["contacts"])
    assert ids(VALID) == []


def test_missing_keys_are_all_named_with_what_to_write():
    with pytest.raises(ImproperlyConfigured) as info:
        ready_with({"CLIENT_ID": "id"})
    message = str(info.value)
    for key in ("CLIENT_SECRET", "REDIRECT_URI", "SCOPES"):
        assert f'"{key}" is missing' in message
    assert '"CLIENT_ID"' not in message.split("For example")[0]
    assert 'TEAMLEADER = {\n    "CLIENT_ID": "your-client-id",' in message


def test_no_setting_at_all():
    with override_settings():
        from django.conf import settings

        del settings.TEAMLEADER
        with pytest.raises(ImproperlyConfigured, match="settings.TEAMLEADER is not set"):
            apps.get_app_config("teamleader_django").ready()


@pytest.mark.parametrize(
    "change, needle",
    [
        (
            {"SCOPES": "contacts"},
            "\"SCOPES\" must be a list of strings, e.g. ['contacts'], not the string 'contacts'",
        ),
        ({"SCOPES": ["contacts", 3]}, "\"SCOPES\" must be a list of strings such as ['contacts', 'deals']"),
        (
            {"OAUTH_CALLBACK_PORT": 70000},
            '"OAUTH_CALLBACK_PORT" must be a port number from 1 to 65535, got 70000',
        ),
        ({"OAUTH_CALLBACK_PORT": 0}, '"OAUTH_CALLBACK_PORT" must be a port number'),
        ({"OAUTH_CALLBACK_PORT": "9999"}, '"OAUTH_CALLBACK_PORT" must be a port number'),
        ({"TIMEOUT": 0}, '"TIMEOUT" must be a positive number of seconds'),
        ({"TIMEOUT": -5}, '"TIMEOUT" must be a positive number of seconds'),
        ({"REDIRECT_URI": "localhost:9999/callback"}, '"REDIRECT_URI" must be an absolute http(s) URL'),
        ({"REDIRECT_URI": "/callback"}, '"REDIRECT_URI" must be an absolute http(s) URL'),
        (
            {"REDIRECT_URI": "http://localhost:99999/callback"},
            '"REDIRECT_URI" must be an absolute http(s) URL',
        ),
        ({"REDIRECT_URI": "http://localhost:abc/callback"}, '"REDIRECT_URI" must be an absolute http(s) URL'),
        ({"REDIRECT_URI": "http://[::1/callback"}, '"REDIRECT_URI" must be an absolute http(s) URL'),
        ({"SCOPES": []}, '"SCOPES" is empty'),
        (
            {"TOKEN_BACKEND": "myproject.nowhere.Backend"},
            "\"TOKEN_BACKEND\" 'myproject.nowhere.Backend' cannot be imported",
        ),
        ({"API_BASE_URL": "api.local"}, '"API_BASE_URL" must be an absolute http(s) URL'),
        ({"CLIENT_SECRET": ""}, '"CLIENT_SECRET" is required: the OAuth2 client secret'),
    ],
)
def test_wrong_types_are_named(change, needle):
    with pytest.raises(ImproperlyConfigured) as info:
        ready_with({**VALID, **change})
    assert needle in str(info.value)


def test_not_a_dict():
    with pytest.raises(ImproperlyConfigured, match="must be a dict, not list"):
        ready_with([("CLIENT_ID", "x")])


def test_secret_is_not_echoed_in_errors():
    with pytest.raises(ImproperlyConfigured) as info:
        ready_with({**VALID, "CLIENT_SECRET": "super-secret-value", "SCOPES": "contacts"})
    assert "super-secret-value" not in str(info.value)


def test_settings_are_lazy_and_follow_override_settings():
    assert teamleader_settings.CLIENT_ID == "test-client-id"
    assert teamleader_settings.TIMEOUT == 30
    assert teamleader_settings.OAUTH_CALLBACK_PORT == 9999
    assert teamleader_settings.AUTH_BASE_URL == "https://focus.teamleader.eu"
    assert teamleader_settings.API_BASE_URL == "https://api.focus.teamleader.eu"
    with override_settings(TEAMLEADER={**VALID, "TIMEOUT": 5, "API_BASE_URL": "http://127.0.0.1:1234"}):
        assert teamleader_settings.CLIENT_ID == "id"
        assert teamleader_settings.TIMEOUT == 5
        assert teamleader_settings.API_BASE_URL == "http://127.0.0.1:1234"
    assert teamleader_settings.CLIENT_ID == "test-client-id"


def test_invalid_override_raises_on_use():
    from teamleader.django import get_client

    with override_settings(TEAMLEADER={**VALID, "SCOPES": "contacts"}):
        with pytest.raises(ImproperlyConfigured, match='"SCOPES" must be a list of strings'):
            get_client()


def ids(value, *, rate_limit_cache_warning=False):
    """The check ids for ``value``; W020 (the default local-memory cache) only when asked for."""
    with override_settings(TEAMLEADER=value):
        found = [m.id for m in run_checks(tags=["teamleader"])]
    return found if rate_limit_cache_warning else [i for i in found if i != "teamleader.W020"]


def test_checks_are_quiet_for_the_documented_example():
    assert ids(VALID) == []


def test_w001_redirect_port_differs_from_callback_port():
    assert ids({**VALID, "REDIRECT_URI": "http://localhost:8000/callback"}) == ["teamleader.W001"]
    assert ids({**VALID, "REDIRECT_URI": "http://127.0.0.1:8000/cb", "OAUTH_CALLBACK_PORT": 8000}) == []


def test_w002_plain_http_to_a_remote_host():
    assert ids({**VALID, "REDIRECT_URI": "http://crm.example.com/callback"}) == ["teamleader.W002"]
    assert ids({**VALID, "REDIRECT_URI": "https://crm.example.com/callback"}) == []
    assert ids({**VALID, "API_BASE_URL": "http://api.example.com"}) == ["teamleader.W002"]
    assert ids({**VALID, "API_BASE_URL": "http://127.0.0.1:8765"}) == []


def test_e001_when_settings_break_after_startup():
    assert ids({**VALID, "TIMEOUT": "30"}) == ["teamleader.E001"]


def test_database_must_be_a_configured_alias():
    with pytest.raises(
        ImproperlyConfigured,
        match="\"DATABASE\" must name an alias of settings.DATABASES \\(default\\), got 'tokens'",
    ):
        ready_with({**VALID, "DATABASE": "tokens"})
    ready_with({**VALID, "DATABASE": "default"})


def test_an_unknown_key_is_a_warning_with_a_did_you_mean_not_a_failure():
    ready_with({**VALID, "CLIENTID": "x", "TIME_OUT": 5})
    with override_settings(TEAMLEADER={**VALID, "CLIENTID": "x", "TIME_OUT": 5}):
        found = [m for m in run_checks(tags=["teamleader"]) if m.id == "teamleader.W003"]
    assert [m.msg for m in found] == [
        'TEAMLEADER has the unknown key "CLIENTID"; it is ignored.',
        'TEAMLEADER has the unknown key "TIME_OUT"; it is ignored.',
    ]
    assert found[0].hint.startswith('Did you mean "CLIENT_ID"?')
    assert found[1].hint.startswith('Did you mean "TIMEOUT"?')


def test_every_problem_is_named_at_once_each_with_its_key():
    with pytest.raises(ImproperlyConfigured) as info:
        ready_with(
            {
                **VALID,
                "TIMEOUT": 0,
                "API_BASE_URL": "api.local",
                "TOKEN_BACKEND": "django.contrib.auth.models.User",
            }
        )
    message = str(info.value)
    assert '"TIMEOUT" must be a positive number of seconds, e.g. 30, got 0' in message
    assert '"API_BASE_URL" must be an absolute http(s) URL' in message
    assert (
        "\"TOKEN_BACKEND\" 'django.contrib.auth.models.User' is not a subclass of teamleader.TokenBackend"
        in message
    )


@pytest.mark.parametrize(
    "change, needle",
    [
        (
            {"TOKEN_BACKEND": "teamleader.token_backends.FileTokenBackend"},
            '"TOKEN_BACKEND_OPTIONS" do not fit FileTokenBackend: FileTokenBackend.__init__() missing 1 required',
        ),
        (
            {
                "TOKEN_BACKEND": "teamleader.token_backends.FileTokenBackend",
                "TOKEN_BACKEND_OPTIONS": {"path": ""},
            },
            'TEAMLEADER["TOKEN_BACKEND_OPTIONS"]["path"] must be the path of a file',
        ),
        (
            {"TOKEN_BACKEND_OPTIONS": ["using", "default"]},
            '"TOKEN_BACKEND_OPTIONS" must be a dict of keyword',
        ),
        (
            {"TOKEN_BACKEND_OPTIONS": {"cache_seconds": -1}},
            'TEAMLEADER["TOKEN_BACKEND_OPTIONS"]["cache_seconds"] must',
        ),
        ({"WEBHOOK_SECRET": 42}, '"WEBHOOK_SECRET" must be a string or None, got int'),
        ({"ADMIN_REDIRECT_URI": "/admin/callback"}, '"ADMIN_REDIRECT_URI" must be an absolute http(s) URL'),
    ],
)
def test_backend_and_other_settings_are_named(change, needle):
    with pytest.raises(ImproperlyConfigured) as info:
        ready_with({**VALID, **change})
    assert needle in str(info.value)


def test_file_and_memory_backends_work_from_settings(tmp_path):
    from teamleader.django.client import get_token_backend

    from ..conftest import make_token

    path = tmp_path / "teamleader.json"
    file_settings = {
        **VALID,
        "TOKEN_BACKEND": "teamleader.token_backends.FileTokenBackend",
        "TOKEN_BACKEND_OPTIONS": {"path": str(path)},
    }
    with override_settings(TEAMLEADER=file_settings):
        token = make_token()
        get_token_backend().save(token)
        assert path.exists() and get_token_backend().get() == token
    with override_settings(
        TEAMLEADER={**VALID, "TOKEN_BACKEND": "teamleader.token_backends.MemoryTokenBackend"}
    ):
        token = make_token()
        get_token_backend().save(token)
        assert get_token_backend().get() == token  # the same instance keeps it


def test_request_validation_follows_the_setting():
    from teamleader.django import get_client

    assert get_client().validate_requests is True
    with override_settings(TEAMLEADER={**VALID, "VALIDATE_REQUESTS": False}):
        assert get_client().validate_requests is False
    with pytest.raises(ImproperlyConfigured, match="\"VALIDATE_REQUESTS\" must be True or False, got 'no'"):
        ready_with({**VALID, "VALIDATE_REQUESTS": "no"})
