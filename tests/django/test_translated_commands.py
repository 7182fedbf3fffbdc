"""Commands, the setup command's browser pages, webhook answers and system checks in nl, fr, de.

A command speaks the active language (``LANGUAGE_CODE``, or ``translation.override`` as
here); the setup command's callback server answers from its own threads, so the language
must travel with it.
"""

from __future__ import annotations

import json
import re
import threading

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from teamleader.django.checks import check_webhook_secret, unknown_keys
from teamleader.django.models import TeamleaderToken

from ..factories import TeamleaderTokenFactory
from . import test_setup_command
from .test_health import connect
from .test_health import status as status_in_active_language
from .test_setup_command import WatchedOutput
from .test_translated_admin import REVOKED
from .utils import decide_in_browser

pytestmark = pytest.mark.django_db(transaction=True)
# The setup command's fixtures: a sandbox on a real port, and the settings pointing at it.
sandbox_server = test_setup_command.sandbox_server
setup_env = test_setup_command.setup_env


def status(lang: str, *args: str) -> tuple[int, str]:
    """teamleader_status in ``lang``: its exit status and what it printed."""
    with translation.override(lang):
        return status_in_active_language(*args)


# -- teamleader_status -----------------------------------------------------------------------
def test_status_of_a_connection_in_dutch(teamleader_sandbox):
    connect(teamleader_sandbox)
    row = TeamleaderToken.objects.get()
    code, text = status("nl")
    connected = timezone.localtime(row.connected_at).strftime("%Y-%m-%d %H:%M:%S %Z")
    assert code == 0
    assert text.splitlines() == [
        "Teamleader: gekoppeld",
        f"Gekoppeld als Sofie Peeters <{row.teamleader_user_email}> (account {row.teamleader_account_id}), "
        f"door ops, {connected}",
        f"Toegangstoken verloopt op {timezone.localtime(row.expires_at):%Y-%m-%d %H:%M:%S %Z} (over 60 minuten)",
        "Niet meer vernieuwd sinds het koppelen",
        'Aanroepbudget: niet bijgehouden (TEAMLEADER["RATE_LIMIT"] is None)',
    ]


def test_status_of_a_lost_connection_in_french_keeps_teamleaders_detail():
    TeamleaderTokenFactory(status="reauthorization_needed", problem=REVOKED, problem_at=timezone.now())
    code, text = status("fr")
    assert code == 1
    assert text.startswith("Teamleader\u00a0: à reconnecter\n")
    [line] = [line for line in text.splitlines() if line.startswith("À reconnecter depuis le ")]
    assert line.endswith(
        "\u00a0: Teamleader n'accepte plus le jeton de renouvellement de ce site\u00a0: l'intégration a été supprimée ou "
        "autorisée à nouveau dans Teamleader, ou le jeton a déjà été utilisé. "
        "Détails\u00a0: HTTP 400, invalid_grant: The refresh token is invalid."
    )


def test_status_when_not_connected_in_german_names_the_admin_button():
    code, text = status("de")
    assert code == 2
    assert text.splitlines()[:2] == [
        "Teamleader: nicht verbunden",
        "Verbinden Sie Teamleader mit „python manage.py teamleader_setup“ oder mit „Mit Teamleader verbinden“ "
        "in der Administration.",
    ]


def test_status_check_explains_a_revoked_token_in_the_language(teamleader_sandbox):
    connect(teamleader_sandbox)
    teamleader_sandbox.revoke_tokens()
    code, text = status("nl", "--check")
    assert code == 1
    [check] = [line for line in text.splitlines() if line.startswith("Controle: ")]
    assert check.startswith("Controle: De koppeling werkt niet: Teamleader aanvaardt het vernieuwingstoken")
    assert "klik op “Opnieuw koppelen”" in check
    assert check.endswith("Details: HTTP 400, invalid_grant: The refresh token is invalid.")


def test_status_stays_english_by_default(teamleader_sandbox):
    code, text = status("en")
    assert (code, text.splitlines()[0]) == (2, "Teamleader: not connected")


def test_command_help_is_translated(capsys):
    with translation.override("fr"), pytest.raises(SystemExit):
        call_command("teamleader_status", "--help")
    shown = " ".join(capsys.readouterr().out.split())  # argparse wraps the lines
    assert "Afficher un seul objet JSON, pour les outils de supervision." in shown
    assert "Affiche la connexion Teamleader : son état, qui l'a établie" in shown


def test_webhooks_command_errors_in_the_language(teamleader_sandbox):
    with translation.override("de"), pytest.raises(CommandError) as info:
        call_command("teamleader_webhooks", "register", "--url", "https://crm.example.com/hook/", "deal.wonn")
    assert str(info.value).startswith("Unbekannter Ereignistyp 'deal.wonn' (meinten Sie 'deal.won'?).")
    with translation.override("nl"), pytest.raises(CommandError) as info:
        call_command("teamleader_webhooks", "list")
    assert str(info.value) == (
        "Teamleader is niet gekoppeld. Koppel Teamleader: voer “python manage.py teamleader_setup” uit, of "
        "klik op “Koppelen met Teamleader” op de pagina “Teamleader-koppeling” van de Django-admin."
    )


# -- teamleader_setup's pages in the browser ---------------------------------------------------------
class SetupIn:
    """``teamleader_setup`` in a thread whose active language is ``lang`` (the site's stays English)."""

    def __init__(self, lang: str) -> None:
        self.stdout, self.stderr = WatchedOutput(), WatchedOutput()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(lang,))
        self.thread.start()

    def _run(self, lang: str) -> None:
        from django.db import connections

        try:
            with translation.override(lang):
                call_command(
                    "teamleader_setup",
                    "--no-browser",
                    "--timeout",
                    "30",
                    stdout=self.stdout,
                    stderr=self.stderr,
                )
        except BaseException as err:  # noqa: BLE001 - inspected by the test
            self.error = err
        finally:
            connections.close_all()

    def finish(self) -> BaseException | None:
        self.thread.join(30)
        assert not self.thread.is_alive()
        return self.error


def test_setup_pages_and_output_speak_the_commands_language(setup_env, sandbox_server):
    cmd = SetupIn("fr")
    url = cmd.stdout.wait_for(r"(http\S+/oauth2/authorize\?\S+)").group(1)
    cmd.stdout.wait_for("En attente de la redirection de Teamleader")
    forged = decide_in_browser(url.replace("state=", "state=forged"), "approve")
    assert forged.status_code == 400 and "<title>Non accepté</title>" in forged.text
    assert "ne correspond à aucune connexion lancée ici" in forged.text
    page = decide_in_browser(url, "approve")
    assert page.status_code == 200 and '<html lang="fr">' in page.text
    assert "<title>Connecté</title>" in page.text
    assert re.search(
        r"Teamleader est connecté en tant que Sofie Peeters &lt;\S+&gt;\. Vous pouvez fermer", page.text
    )
    assert cmd.finish() is None
    assert "Un callback a été ignoré\u00a0: Cette réponse de Teamleader" in cmd.stderr.getvalue()
    out = cmd.stdout.getvalue()
    assert "Ouvrez cette URL dans un navigateur et autorisez l'application\u00a0:" in out
    assert "Teamleader est connecté\u00a0; la paire de jetons est enregistrée (DatabaseTokenBackend)." in out
    assert re.search(r"Connecté en tant que Sofie Peeters <\S+>\.", out)


def test_a_denial_is_explained_in_the_page_and_the_error(setup_env, sandbox_server):
    cmd = SetupIn("nl")
    url = cmd.stdout.wait_for(r"(http\S+/oauth2/authorize\?\S+)").group(1)
    cmd.stdout.wait_for("Wachten op de doorverwijzing")
    page = decide_in_browser(url, "deny")
    assert "<title>Toegang geweigerd</title>" in page.text
    denied = "De toegang werd geweigerd op de autorisatiepagina van Teamleader; er is niets opgeslagen."
    assert f"{denied} U kunt dit tabblad sluiten." in page.text
    error = cmd.finish()
    assert isinstance(error, CommandError)
    assert str(error) == f"{denied} Voer het commando opnieuw uit om te koppelen."
    assert not TeamleaderToken.objects.exists()


# -- the webhook's answers and the system checks -------------------------------------------------------
def test_webhook_answers_in_the_sites_language(settings):
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "teamleader.django.mirror"]
    url = reverse("teamleader:webhook", args=[settings.TEAMLEADER["WEBHOOK_SECRET"]])
    with override_settings(LANGUAGE_CODE="fr"):
        response = Client().post(url, data="not json", content_type="application/json")
        typeless = Client().post(url, data=json.dumps({"subject": {}}), content_type="application/json")
    assert (response.status_code, response.content.decode()) == (400, "Le corps n'est pas du JSON.")
    assert typeless.content.decode() == 'Le corps doit être un objet JSON avec un "type".'


def test_system_checks_in_the_language(settings):
    with translation.override("de"):
        [warning] = unknown_keys({**settings.TEAMLEADER, "CLIENTID": "x"})
        assert warning.msg == 'TEAMLEADER enthält den unbekannten Schlüssel "CLIENTID"; er wird ignoriert.'
        assert warning.hint.startswith('Meinten Sie "CLIENT_ID"? Die bekannten Schlüssel sind CLIENT_ID, ')
        settings.TEAMLEADER = {**settings.TEAMLEADER, "WEBHOOK_SECRET": "short"}
        [short] = check_webhook_secret()
    assert short.id == "teamleader.W011"
    assert short.msg.startswith('TEAMLEADER["WEBHOOK_SECRET"] hat nur 5 Zeichen;')
    assert short.hint.endswith("Mindestens 24 Zeichen.")
