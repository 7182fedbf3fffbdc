"""The admin's connection page and its messages in Dutch, French and German.

The site's language is ``LANGUAGE_CODE`` (the test settings keep English, and there is no
LocaleMiddleware): each test switches it as a site would. The labels are those of the
shipped catalogues, so a wrong or missing translation fails here.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from teamleader.django.models import TeamleaderToken

from ..factories import TeamleaderTokenFactory
from .admin_helpers import DISCONNECT, STATUS, TEST, messages_of
from .test_admin_oauth import come_back, start

pytestmark = pytest.mark.django_db

REVOKED = (
    "Teamleader no longer accepts this site's refresh token (HTTP 400, invalid_grant: The refresh token is "
    "invalid): the integration was removed or authorised again in Teamleader, or the token was already used."
)
#: What a person sees, per language: the buttons, the status words, the help texts.
WORDS = {
    "nl": {
        "connect": "Koppelen met Teamleader",
        "reconnect": "Opnieuw koppelen",
        "test": "Koppeling testen",
        "disconnect": "Ontkoppelen",
        "page": "Teamleader-koppeling",
        "connected": "Gekoppeld",
        "not_connected": "Niet gekoppeld",
        "lost": "Moet opnieuw gekoppeld worden</strong> sinds",
        "connect_help": "Teamleader vraagt u de integratie goed te keuren",
        "reconnect_help": "Tot dan mislukt elke aanroep naar Teamleader.",
        "revoked": "Teamleader aanvaardt het vernieuwingstoken van deze site niet meer",
    },
    "fr": {
        "connect": "Se connecter à Teamleader",
        "reconnect": "Reconnecter",
        "test": "Tester la connexion",
        "disconnect": "Déconnecter",
        "page": "Connexion Teamleader",
        "connected": "Connecté",
        "not_connected": "Non connecté",
        "lost": "À reconnecter</strong> depuis le",
        "connect_help": "Teamleader vous demande d'approuver l'intégration",
        "reconnect_help": "D'ici là, chaque appel à Teamleader échoue.",
        "revoked": "Teamleader n&#x27;accepte plus le jeton de renouvellement de ce site",
    },
    "de": {
        "connect": "Mit Teamleader verbinden",
        "reconnect": "Neu verbinden",
        "test": "Verbindung testen",
        "disconnect": "Trennen",
        "page": "Teamleader-Verbindung",
        "connected": "Verbunden",
        "not_connected": "Nicht verbunden",
        "lost": "Muss neu verbunden werden</strong> seit",
        "connect_help": "Teamleader bittet Sie, die Integration zu genehmigen",
        "reconnect_help": "Bis dahin schlägt jeder Aufruf an Teamleader fehl.",
        "revoked": "Teamleader akzeptiert das Refresh-Token dieser Website nicht mehr",
    },
}
LANGUAGES = pytest.mark.parametrize("lang", list(WORDS))


def page_in(client, lang: str, url: str = STATUS) -> str:
    with override_settings(LANGUAGE_CODE=lang):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@LANGUAGES
def test_not_connected_page(admin_client, lang):
    words, page = WORDS[lang], page_in(admin_client, lang)
    assert f'lang="{lang}"' in page
    assert f">{words['connect']}</button>" in page
    assert words["not_connected"] in page and words["connect_help"] in page
    # The help names the button as it is labelled.
    assert words["connect"] in page.split('id="teamleader-status"')[1]
    assert "Connect to Teamleader" not in page and "Not connected" not in page
    assert f"<title>{words['page']} |" in page


@LANGUAGES
def test_connected_page(admin_client, lang):
    TeamleaderTokenFactory()
    words, page = WORDS[lang], page_in(admin_client, lang)
    assert f">{words['reconnect']}</button>" in page
    assert f'id="teamleader-test">{words["test"]}</button>' in page
    assert f'id="teamleader-disconnect">{words["disconnect"]}</a>' in page
    assert f"{words['connected']}\n" in page
    assert "Test connection" not in page and "Not since connecting" not in page


@LANGUAGES
def test_needs_reconnecting_page_explains_in_the_language_and_keeps_teamleaders_detail(admin_client, lang):
    TeamleaderTokenFactory(status="reauthorization_needed", problem=REVOKED, problem_at=timezone.now())
    words, page = WORDS[lang], page_in(admin_client, lang)
    problem = page.split('id="teamleader-problem">')[1].split("</div>")[0]
    assert words["revoked"] in problem
    assert "HTTP 400, invalid_grant: The refresh token is invalid" in problem  # Teamleader's words, as said
    assert "no longer accepts" not in problem  # not the English sentence as well
    assert words["reconnect"] in problem and words["reconnect_help"] in problem
    assert words["lost"] in page
    index = page_in(admin_client, lang, reverse("admin:index"))
    notice = index.split('id="teamleader-notice"')[1].split("</ul>")[0]
    assert (
        words["reconnect"] in notice and words["page"] in notice and "&ldquo;Reconnect&rdquo;" not in notice
    )


def test_english_stays_the_default(admin_client, settings):
    assert settings.LANGUAGE_CODE == "en-us"
    page = admin_client.get(STATUS).content.decode()
    assert "Connect to Teamleader</button>" in page and "Not connected" in page


# -- the messages after the buttons ----------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "nl",
            "Gekoppeld met Teamleader als {user}. Het toegangstoken verloopt op {time} en wordt automatisch",
        ),
        (
            "fr",
            "Connecté à Teamleader en tant que {user}. Le jeton d'accès expire le {time} et est renouvelé",
        ),
    ],
)
def test_connecting_says_so_in_the_language(admin_client, teamleader_sandbox, lang, expected):
    with override_settings(LANGUAGE_CODE=lang):
        params = start(admin_client)
        response = come_back(
            admin_client, teamleader_sandbox.approve(params["redirect_uri"], params["state"])
        )
    row = TeamleaderToken.objects.get()
    user = f"{row.teamleader_user_name} <{row.teamleader_user_email}>"
    time = timezone.localtime(row.expires_at).strftime("%Y-%m-%d %H:%M:%S %Z")
    [(level, text)] = messages_of(response)
    assert level == "success" and text.startswith(expected.format(user=user, time=time))


def test_a_denied_connection_says_so_in_the_language(admin_client, teamleader_sandbox):
    with override_settings(LANGUAGE_CODE="de"):
        params = start(admin_client)
        response = come_back(admin_client, teamleader_sandbox.deny(params["redirect_uri"], params["state"]))
    assert messages_of(response) == [
        (
            "warning",
            "Der Zugriff wurde auf der Autorisierungsseite von Teamleader verweigert; es wurde nichts gespeichert.",
        )
    ]


def test_an_expired_attempt_names_the_button_as_labelled(admin_client, teamleader_sandbox):
    TeamleaderTokenFactory()
    with override_settings(LANGUAGE_CODE="fr"):
        params = start(admin_client)
        session = admin_client.session
        session["teamleader_oauth"]["started_at"] -= 3600
        session.save()
        response = come_back(
            admin_client, teamleader_sandbox.approve(params["redirect_uri"], params["state"])
        )
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert text == (
        "La tentative de connexion a expiré\u00a0: Teamleader doit répondre dans un délai de 10 minutes. "
        "Rien n'a été enregistré\u00a0; cliquez à nouveau sur «\u00a0Reconnecter\u00a0»."
    )


@pytest.mark.parametrize(
    ("lang", "works"),
    [
        ("nl", "De koppeling werkt: Teamleader antwoordde als"),
        ("fr", "La connexion fonctionne\u00a0: Teamleader"),
    ],
)
def test_test_connection_answers_in_the_language(admin_client, teamleader_sandbox, lang, works):
    token = teamleader_sandbox.issue_token_object()
    TeamleaderTokenFactory(
        access_token=token.access_token, refresh_token=token.refresh_token, expires_at=token.expires_at
    )
    with override_settings(LANGUAGE_CODE=lang):
        [(level, text)] = messages_of(admin_client.post(TEST, follow=True))
    assert level == "success" and text.startswith(works)


def test_a_revoked_connection_is_explained_with_the_translated_button_and_teamleaders_detail(
    admin_client, teamleader_sandbox
):
    token = teamleader_sandbox.issue_token_object()
    TeamleaderTokenFactory(
        access_token=token.access_token, refresh_token=token.refresh_token, expires_at=token.expires_at
    )
    teamleader_sandbox.revoke_tokens()
    with override_settings(LANGUAGE_CODE="nl"):
        response = admin_client.post(TEST, follow=True)
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert text == (
        "De koppeling werkt niet: Teamleader aanvaardt het vernieuwingstoken van deze site niet meer: de "
        "integratie werd in Teamleader verwijderd of opnieuw geautoriseerd, of het token werd al gebruikt. "
        "Koppel opnieuw: voer “python manage.py teamleader_setup” uit, of klik op “Opnieuw koppelen” op de "
        "pagina “Teamleader-koppeling” van de Django-admin. "
        "Details: HTTP 400, invalid_grant: The refresh token is invalid."
    )
    # The hint names the button the page shows.
    assert ">Opnieuw koppelen</button>" in response.content.decode()


def test_network_trouble_is_explained_in_the_language(admin_client, teamleader_sandbox, settings):
    token = teamleader_sandbox.issue_token_object()
    TeamleaderTokenFactory(
        access_token=token.access_token, refresh_token=token.refresh_token, expires_at=token.expires_at
    )
    settings.TEAMLEADER = {**settings.TEAMLEADER, "API_BASE_URL": "https://api.unreachable.invalid"}
    with override_settings(LANGUAGE_CODE="de"):
        [(level, text)] = messages_of(admin_client.post(TEST, follow=True))
    assert (level, text) == (
        "error",
        "Teamleader war nicht erreichbar; versuchen Sie es später erneut. "
        "Details: users.me: ConnectionError. Es wurde nichts geändert.",
    )


@pytest.mark.parametrize(
    ("lang", "question", "button", "done"),
    [
        ("nl", "Deze site ontkoppelen van Teamleader", "Ja, ontkoppelen", "Ontkoppeld van Teamleader"),
        ("fr", "Déconnecter ce site de Teamleader", "Oui, déconnecter", "Déconnecté de Teamleader"),
    ],
)
def test_disconnecting_in_the_language(admin_client, lang, question, button, done):
    TeamleaderTokenFactory()
    page = page_in(admin_client, lang, DISCONNECT)
    assert question in page and f'value="{button}"' in page
    with override_settings(LANGUAGE_CODE=lang):
        response = admin_client.post(DISCONNECT, follow=True)
        [(level, text)] = messages_of(response)
        assert level == "success" and text.startswith(done)
        [(level, text)] = messages_of(admin_client.post(DISCONNECT, follow=True))
    assert level == "info" and "Teamleader" in text and "nothing to disconnect" not in text
