"""``manage.py teamleader_setup``: connect this site to Teamleader from a terminal."""

from __future__ import annotations

import errno
import sys
import webbrowser
from typing import Any
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from teamleader.callback_server import CallbackServer
from teamleader.exceptions import TeamleaderAuthorizationDenied, TeamleaderConfigurationError, TeamleaderError

from ...checks import unreachable_callback_port
from ...client import get_callback_server, get_oauth_handler, get_token_backend, settings_problems
from ...conf import TeamleaderImproperlyConfigured, error_message
from ...connect import ConnectionInfo, complete_authorization, connect_from_paste

CONNECTED_BY = "manage.py teamleader_setup"


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = (
        "Connect this site to Teamleader: open the authorisation page, catch the redirect on a "
        "temporary local server, and store the token pair in the database."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--port", type=int, help="Port of the local callback server (default: OAUTH_CALLBACK_PORT)."
        )
        parser.add_argument(
            "--bind", default="127.0.0.1", help="Address the callback server listens on (default 127.0.0.1)."
        )
        parser.add_argument(
            "--timeout", type=float, default=300, help="Give up after this many seconds (default 300)."
        )
        parser.add_argument(
            "--no-browser", action="store_true", help="Print the URL but do not open a browser."
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Replace an existing connection without asking.",
        )
        parser.add_argument(
            "--manual",
            action="store_true",
            help="For servers the browser cannot reach: print the URL, then paste the redirected URL (or the code).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # 1. Validate the TEAMLEADER settings dict (and this command's options).
        problems = settings_problems()
        if problems:
            raise CommandError(error_message(problems))
        if options["timeout"] <= 0:
            raise CommandError("--timeout must be a positive number of seconds.")
        stdin = options.get("stdin") or sys.stdin
        if options["interactive"]:
            self._confirm_replacing(stdin)
        # 2. Build the authorization URL (it carries a fresh, unguessable state).
        handler = get_oauth_handler()
        self.backend_name = type(handler.token_backend).__name__
        url = handler.get_authorization_url()
        server = None if options["manual"] else self._callback_server(handler, url, options)
        # 3. Print it (and open it).
        self.stdout.write("Open this URL in a browser and authorise the app:\n")
        self.stdout.write(f"  {url}\n")
        self.stdout.flush()  # the URL must show at once, also through a pipe
        try:
            if server is None:
                info = self._manual(handler, url.state, stdin)
            else:
                info = self._wait_for_callback(server, url, options)
        except TeamleaderAuthorizationDenied as err:
            raise CommandError(f"{err} Run the command again to connect.") from err
        except TeamleaderError as err:
            raise CommandError(str(err)) from err
        # 8. Confirm, with the expiry in local time.
        self._confirm(info)

    def _callback_server(self, handler: Any, url: Any, options: dict[str, Any]) -> CallbackServer:
        """The callback server, not started yet; refuses a port Teamleader's redirect cannot reach."""

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
                success_message=lambda info: (
                    "Teamleader is connected" + (f" as {info.user_label}." if info.user_label else ".")
                ),
                on_ignored=lambda reason: self.stderr.write(
                    self.style.WARNING(f"Ignored a callback: {reason}")
                ),
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
                f"REDIRECT_URI {handler.redirect_uri} points at port {redirect_port}, but the callback server "
                f"would listen on {option}: Teamleader sends the browser to REDIRECT_URI, so the callback could "
                f"never arrive. Use --port {redirect_port}, or change the port in REDIRECT_URI (and in your "
                "Marketplace app), or use --manual."
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
                    f"Port {port} is already in use, so the callback server cannot start. Stop the program "
                    "using it, or pass --port with a free port (REDIRECT_URI and your Marketplace app must "
                    "use the same port), or use --manual."
                ) from err
            raise CommandError(f"Cannot listen on {options['bind']}:{port}: {err}") from err
        try:
            if not options["no_browser"]:
                webbrowser.open(url)
            self.stdout.write(
                f"Waiting for Teamleader's redirect on http://{options['bind']}:{server.port}{server.redirect_path} "
                f"(gives up after {options['timeout']:g} s; Ctrl+C to cancel)..."
            )
            self.stdout.flush()
            # 5-7. Capture the ?code=… callback, exchange it, save the pair (in complete_authorization).
            try:
                outcome = server.wait(options["timeout"])
            except TimeoutError as err:
                raise CommandError(
                    f"No callback arrived within {options['timeout']:g} s; nothing was stored. Run the command "
                    "again, or use --manual if the browser cannot reach this machine."
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
        who = f" as {record.user_label}" if record.user_label else ""
        state = " It needs reconnecting." if record.needs_reauthorization else ""
        self.stdout.write(
            f"This site is already connected to Teamleader{who}.{state} Replace that connection? [y/N] ",
            ending="",
        )
        self.stdout.flush()
        if stdin.readline().strip().lower() not in ("y", "yes"):
            raise CommandError("Nothing was changed: the current connection stays.")

    def _manual(self, handler: Any, state: str, stdin: Any) -> ConnectionInfo:
        self.stdout.write(
            "After approving, your browser is sent to the redirect URI (the page may fail to load: that is fine).\n"
            "Paste the full URL from the address bar (or just the code) and press Enter:"
        )
        self.stdout.flush()
        line = stdin.readline().strip()
        if not line:
            raise CommandError("Nothing was pasted; nothing was stored.")
        return connect_from_paste(handler, line, expected_state=state, connected_by=CONNECTED_BY)

    def _confirm(self, info: ConnectionInfo) -> None:
        expires = timezone.localtime(info.token.expires_at)
        minutes = max(0, round(info.token.expires_in / 60))
        self.stdout.write(
            self.style.SUCCESS(f"Teamleader is connected; the token pair is saved ({self.backend_name}).")
        )
        self.stdout.write(
            f"The access token expires at {expires:%Y-%m-%d %H:%M:%S %Z} (in {minutes} minutes) "
            "and is refreshed automatically."
        )
        if info.user_label:
            self.stdout.write(f"Connected as {info.user_label}.")
        elif info.user_error:
            self.stdout.write(f"Could not tell who connected ({info.user_error}).")
