"""``manage.py teamleader_setup``: connect this site to Teamleader from a terminal."""

from __future__ import annotations

import errno
import sys
import webbrowser
from typing import Any
from urllib.parse import urlsplit

from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext

from teamleader.callback_server import CallbackServer
from teamleader.exceptions import TeamleaderAuthorizationDenied, TeamleaderConfigurationError, TeamleaderError

from ...callback_pages import connected_sentence, in_language, page_texts
from ...checks import unreachable_callback_port
from ...client import get_callback_server, get_oauth_handler, get_token_backend, settings_problems
from ...conf import TeamleaderImproperlyConfigured, error_message
from ...connect import ConnectionInfo, complete_authorization, connect_from_paste
from ...explain import explain
from ..base import TranslatedCommand

CONNECTED_BY = "manage.py teamleader_setup"


class Command(TranslatedCommand):
    stealth_options = ("stdin",)
    help = gettext_noop(
        "Connect this site to Teamleader: open the authorisation page, catch the redirect on a "
        "temporary local server, and store the token pair in the database."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--port",
            type=int,
            help=gettext("Port of the local callback server (default: OAUTH_CALLBACK_PORT)."),
        )
        parser.add_argument(
            "--bind",
            default="127.0.0.1",
            help=gettext("Address the callback server listens on (default 127.0.0.1)."),
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=300,
            help=gettext("Give up after this many seconds (default 300)."),
        )
        parser.add_argument(
            "--no-browser", action="store_true", help=gettext("Print the URL but do not open a browser.")
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=gettext("Replace an existing connection without asking."),
        )
        parser.add_argument(
            "--manual",
            action="store_true",
            help=gettext(
                "For servers the browser cannot reach: print the URL, then paste the redirected URL (or the code)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # 1. Validate the TEAMLEADER settings dict (and this command's options).
        problems = settings_problems()
        if problems:
            raise CommandError(error_message(problems))
        if options["timeout"] <= 0:
            raise CommandError(gettext("--timeout must be a positive number of seconds."))
        stdin = options.get("stdin") or sys.stdin
        if options["interactive"]:
            self._confirm_replacing(stdin)
        # 2. Build the authorization URL (it carries a fresh, unguessable state).
        handler = get_oauth_handler()
        self.backend_name = type(handler.token_backend).__name__
        url = handler.get_authorization_url()
        server = None if options["manual"] else self._callback_server(handler, url, options)
        # 3. Print it (and open it).
        self.stdout.write(gettext("Open this URL in a browser and authorise the app:") + "\n")
        self.stdout.write(f"  {url}\n")
        self.stdout.flush()  # the URL must show at once, also through a pipe
        try:
            if server is None:
                info = self._manual(handler, url.state, stdin)
            else:
                info = self._wait_for_callback(server, url, options)
        except TeamleaderAuthorizationDenied as err:
            again = gettext("Run the command again to connect.")
            raise CommandError(f"{explain(err)} {again}") from err
        except TeamleaderError as err:
            raise CommandError(explain(err)) from err
        # 8. Confirm, with the expiry in local time.
        self._confirm(info)

    def _callback_server(self, handler: Any, url: Any, options: dict[str, Any]) -> CallbackServer:
        """The callback server, not started yet; refuses a port Teamleader's redirect cannot reach."""

        @in_language
        def complete(params: dict[str, str]) -> ConnectionInfo:
            try:
                return complete_authorization(
                    handler, params, expected_state=url.state, connected_by=CONNECTED_BY
                )
            finally:
                connections.close_all()  # this runs in the server's thread: close its connections

        redirect = urlsplit(handler.redirect_uri)
        try:
            server = get_callback_server(
                complete,
                port=options["port"],
                redirect_path=redirect.path or "/",
                host=options["bind"],
                success_message=in_language(connected_sentence),
                on_ignored=in_language(self._ignored),
                texts=page_texts(),
            )
        except TeamleaderImproperlyConfigured as err:
            raise CommandError(error_message(err.problems)) from err
        except TeamleaderConfigurationError as err:  # --port
            raise CommandError(f"--port {err.problems['port']}.") from err
        redirect_port = unreachable_callback_port(handler.redirect_uri, server.port)
        if redirect_port is not None:
            option = (
                f"--port {server.port}"
                if options["port"] is not None
                else f"OAUTH_CALLBACK_PORT {server.port}"
            )
            raise CommandError(
                gettext(
                    "REDIRECT_URI %(uri)s points at port %(port)s, but the callback server would listen on "
                    "%(option)s: Teamleader sends the browser to REDIRECT_URI, so the callback could never "
                    "arrive. Use --port %(port)s, or change the port in REDIRECT_URI (and in your Marketplace "
                    "app), or use --manual."
                )
                % {"uri": handler.redirect_uri, "port": redirect_port, "option": option}
            )
        return server

    def _wait_for_callback(self, server: CallbackServer, url: Any, options: dict[str, Any]) -> ConnectionInfo:
        port = server.port
        # 4. Start a temporary HTTP server on OAUTH_CALLBACK_PORT.
        try:
            server.start()
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise CommandError(
                    gettext(
                        "Port %(port)s is already in use, so the callback server cannot start. Stop the "
                        "program using it, or pass --port with a free port (REDIRECT_URI and your Marketplace "
                        "app must use the same port), or use --manual."
                    )
                    % {"port": port}
                ) from err
            raise CommandError(
                gettext("Cannot listen on %(address)s: %(error)s")
                % {"address": f"{options['bind']}:{port}", "error": err}
            ) from err
        try:
            if not options["no_browser"]:
                webbrowser.open(url)
            self.stdout.write(
                gettext(
                    "Waiting for Teamleader's redirect on %(url)s (gives up after %(seconds)s s; Ctrl+C to cancel)..."
                )
                % {
                    "url": f"http://{options['bind']}:{server.port}{server.redirect_path}",
                    "seconds": f"{options['timeout']:g}",
                }
            )
            self.stdout.flush()
            # 5-7. Capture the ?code=… callback, exchange it, save the pair (in complete_authorization).
            try:
                outcome = server.wait(options["timeout"])
            except TimeoutError as err:
                raise CommandError(
                    gettext(
                        "No callback arrived within %(seconds)s s; nothing was stored. Run the command again, "
                        "or use --manual if the browser cannot reach this machine."
                    )
                    % {"seconds": f"{options['timeout']:g}"}
                ) from err
        finally:
            server.stop()
        if outcome.error is not None:
            raise outcome.error
        return outcome.result

    def _confirm_replacing(self, stdin: Any) -> None:
        """Ask before a new connection replaces the one stored (``--noinput`` skips this)."""
        record = get_token_backend().read()
        if record is None:
            return
        if record.user_label:
            said = gettext("This site is already connected to Teamleader as %(user)s.") % {
                "user": record.user_label
            }
        else:
            said = gettext("This site is already connected to Teamleader.")
        if record.needs_reauthorization:
            said += " " + gettext("It needs reconnecting.")
        question = gettext("Replace that connection? [y/N]")
        self.stdout.write(f"{said} {question} ", ending="")
        self.stdout.flush()
        yes = {"y", "yes", pgettext("answer", "y"), pgettext("answer", "yes")}
        if stdin.readline().strip().lower() not in yes:
            raise CommandError(gettext("Nothing was changed: the current connection stays."))

    def _manual(self, handler: Any, state: str, stdin: Any) -> ConnectionInfo:
        self.stdout.write(
            gettext(
                "After approving, your browser is sent to the redirect URI (the page may fail to load: that "
                "is fine)."
            )
            + "\n"
            + gettext("Paste the full URL from the address bar (or just the code) and press Enter:")
        )
        self.stdout.flush()
        line = stdin.readline().strip()
        if not line:
            raise CommandError(gettext("Nothing was pasted; nothing was stored."))
        return connect_from_paste(handler, line, expected_state=state, connected_by=CONNECTED_BY)

    def _confirm(self, info: ConnectionInfo) -> None:
        expires = timezone.localtime(info.token.expires_at)
        minutes = max(0, round(info.token.expires_in / 60))
        self.stdout.write(
            self.style.SUCCESS(
                gettext("Teamleader is connected; the token pair is saved (%(backend)s).")
                % {"backend": self.backend_name}
            )
        )
        self.stdout.write(
            ngettext(
                "The access token expires at %(time)s (in %(minutes)s minute) and is refreshed automatically.",
                "The access token expires at %(time)s (in %(minutes)s minutes) and is refreshed automatically.",
                minutes,
            )
            % {"time": f"{expires:%Y-%m-%d %H:%M:%S %Z}", "minutes": minutes}
        )
        if info.user_label:
            self.stdout.write(gettext("Connected as %(user)s.") % {"user": info.user_label})
        elif info.user_error:
            self.stdout.write(
                gettext("Could not tell who connected (%(reason)s).") % {"reason": info.user_error}
            )

    def _ignored(self, reason: str) -> None:
        self.stderr.write(self.style.WARNING(gettext("Ignored a callback: %(reason)s") % {"reason": reason}))
