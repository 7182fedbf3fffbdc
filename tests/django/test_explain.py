"""The client's English errors told to a person in their language, with Teamleader's detail kept."""

from __future__ import annotations

import pytest
import requests
import responses
from django.utils import translation

from teamleader import MemoryTokenBackend, OAuth2Handler, TeamleaderClient
from teamleader.django.explain import ExplainedAuthError, explain, explain_problem, technical_detail
from teamleader.exceptions import (
    TeamleaderAPIError,
    TeamleaderAuthError,
    TeamleaderConnectionError,
    TeamleaderNotConnectedError,
    TeamleaderRateLimitError,
    TeamleaderServerError,
    error_for_status,
)

from ..conftest import API, TOKEN_URL, make_token


def failure(rsps, status: int, body: dict | None = None) -> TeamleaderAPIError:
    """What the client raises when users.me answers ``status``."""
    rsps.add(responses.POST, f"{API}/users.me", status=status, json=body or {})
    handler = OAuth2Handler("id", "secret", "http://localhost/cb", MemoryTokenBackend(make_token()))
    with TeamleaderClient(handler, rate_limiter=None, max_retries=0) as api:
        with pytest.raises(TeamleaderAPIError) as info:
            api.call("users.me")
    return info.value


def test_english_keeps_the_clients_own_message(rsps):
    err = failure(rsps, 403, {"errors": [{"title": "Forbidden", "detail": "missing scope deals"}]})
    with translation.override("en"):
        assert explain(err) == str(err)
    with translation.override("es"):  # no catalogue: the client's English, not a half translation
        assert explain(err) == str(err)


@pytest.mark.parametrize(
    ("status", "body", "sentence", "detail"),
    [
        (
            403,
            {"errors": [{"title": "Forbidden", "detail": "missing scope deals"}]},
            "Teamleader staat dit niet toe: de gekoppelde Teamleader-gebruiker of de scopes van de integratie "
            "hebben die toestemming niet.",
            "users.me, HTTP 403: Forbidden (missing scope deals)",
        ),
        (
            404,
            {},
            "Teamleader kent het gevraagde record niet.",
            "users.me, HTTP 404: not found",
        ),
        (
            500,
            {},
            "Teamleader had een probleem aan zijn kant; probeer het later opnieuw.",
            "users.me, HTTP 500: internal server error",
        ),
        (
            422,
            {"errors": [{"title": "name is required"}]},
            "Teamleader weigerde het verzoek als ongeldig.",
            "users.me, HTTP 422: name is required",
        ),
    ],
)
def test_api_errors_by_status(rsps, status, body, sentence, detail):
    err = failure(rsps, status, body)
    with translation.override("nl"):
        assert explain(err) == f"{sentence} Details: {detail}."


def test_a_refused_code_is_told_apart_from_a_refused_access_token(rsps):
    rsps.add(
        responses.POST, TOKEN_URL, status=400, json={"error": "invalid_grant", "error_description": "Expired"}
    )
    handler = OAuth2Handler("id", "secret", "http://localhost/cb", MemoryTokenBackend())
    with pytest.raises(TeamleaderAuthError) as refused_code:
        handler.exchange_code("def50200-code")
    refused_token = error_for_status(401, endpoint="users.me")
    with translation.override("fr"):
        code_text, token_text = explain(refused_code.value), explain(refused_token)
    assert code_text == (
        "Teamleader a refusé le code d'autorisation. Les codes sont à usage unique et expirent après 10 minutes, "
        "et l'URI de redirection doit être celle utilisée lors de l'autorisation\u00a0; recommencez la connexion. "
        "Détails\u00a0: HTTP 400, invalid_grant: Expired."
    )
    assert token_text.startswith(
        "Teamleader a refusé le jeton d'accès de ce site, même après l'avoir renouvelé."
    )
    assert "«\u00a0Reconnecter\u00a0»" in token_text and token_text.endswith(
        "Détails\u00a0: users.me, HTTP 401: unauthorised (the access token was refused)."
    )


def test_nothing_stored_names_the_connect_button():
    handler = OAuth2Handler("id", "secret", "http://localhost/cb", MemoryTokenBackend())
    with pytest.raises(TeamleaderNotConnectedError) as info:
        handler.get_access_token()
    assert isinstance(info.value, TeamleaderAuthError)  # still caught where an auth error is
    with translation.override("de"):
        assert explain(info.value) == (
            "Teamleader ist nicht verbunden. Verbinden Sie Teamleader: Führen Sie „python manage.py "
            "teamleader_setup“ aus oder klicken Sie auf der Seite „Teamleader-Verbindung“ der "
            "Django-Administration auf „Mit Teamleader verbinden“."
        )


def test_network_and_budget_errors_keep_what_the_network_said():
    try:
        raise TeamleaderConnectionError("users.me: could not reach Teamleader", endpoint="users.me") from (
            requests.ConnectionError("refused")
        )
    except TeamleaderConnectionError as err:
        unreachable = err
    spent = TeamleaderRateLimitError(
        "users.me: the rate budget of 200 calls per 60 s is spent", endpoint="users.me"
    )
    assert technical_detail(unreachable) == "users.me: ConnectionError"
    with translation.override("nl"):
        assert explain(unreachable).startswith("Teamleader was niet bereikbaar; probeer het later opnieuw.")
        assert explain(spent).endswith("Details: users.me: the rate budget of 200 calls per 60 s is spent.")


def test_errors_this_app_worded_itself_pass_through():
    with translation.override("nl"):
        assert explain(ExplainedAuthError("Al vertaald.")) == "Al vertaald."
        assert explain(ValueError("not a Teamleader error")) == "not a Teamleader error"
        assert explain(TeamleaderServerError("boom")).endswith("Details: boom.")


def test_a_stored_problem_is_told_in_the_language_with_teamleaders_words():
    problem = (
        "Teamleader no longer accepts this site's refresh token (HTTP 400, invalid_grant: The refresh token is "
        "invalid (reused)): the integration was removed or authorised again in Teamleader, or the token was "
        "already used."
    )
    with translation.override("de"):
        assert explain_problem(problem) == (
            "Teamleader akzeptiert das Refresh-Token dieser Website nicht mehr: Die Integration wurde in "
            "Teamleader entfernt oder erneut autorisiert, oder das Token wurde bereits verwendet. "
            "Details: HTTP 400, invalid_grant: The refresh token is invalid (reused)."
        )
        assert explain_problem("refused").endswith("Details: refused.")  # whatever was stored, kept
        assert explain_problem("") == ""
    assert explain_problem(problem) == problem  # English: as stored
