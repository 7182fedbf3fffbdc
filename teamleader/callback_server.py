"""A short-lived local HTTP server that receives Teamleader's OAuth redirect.

Used by ``manage.py teamleader_setup`` and usable from any script: it listens on the
redirect URI's path, hands each callback to a ``complete(params)`` function (which
checks the state and exchanges the code), tells the person in the browser what
happened, and stops at the first callback that settles the flow. Requests for other
paths (``/favicon.ico``) and callbacks with a wrong state are answered and ignored.
The pages are in English unless a :class:`PageTexts` in another language is passed.
"""

from __future__ import annotations

import html
import http.server
import threading
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from ._checks import Arguments
from ._checks import port as check_port
from .exceptions import TeamleaderAuthorizationDenied, TeamleaderError, TeamleaderStateMismatchError

__all__ = ["CallbackServer", "CallbackOutcome", "PageTexts"]


@dataclass
class CallbackOutcome:
    """How the flow ended: ``result`` of ``complete()``, or the ``error`` it raised."""

    result: Any = None
    error: BaseException | None = None


@dataclass(frozen=True)
class PageTexts:
    """The words of the pages the browser shows; English unless given in another language.

    ``lang`` is the pages' language tag. ``describe_error(err)`` words an error raised by
    ``complete`` (by default ``str(err)``, the client's English message).
    ``teamleader_setup`` passes them in the site's language.
    """

    lang: str = "en"
    connected: str = "Connected"
    close_tab: str = "You can close this tab."
    access_denied: str = "Access denied"
    connection_failed: str = "Connection failed"
    see_terminal: str = "See the terminal for what to do next."
    unexpected_error: str = "An unexpected error occurred; see the terminal."
    not_accepted: str = "Not accepted"
    already_done: str = "Already done"
    already_done_message: str = "This setup has already finished; you can close this tab."
    not_found: str = "Not found"
    not_found_message: str = "This address only receives Teamleader's redirect."
    describe_error: Callable[[BaseException], str] = str


PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1f2933}}
h1{{font-size:1.4rem}} .ok{{color:#137333}} .bad{{color:#b3261e}}</style></head>
<body><h1 class="{css}">{title}</h1><p>{message}</p></body></html>"""


class CallbackServer:
    """Serve ``redirect_path`` on ``host:port`` until a callback settles the flow.

    ``complete(params)`` receives the callback's query parameters. Its return value
    ends the flow successfully; :class:`TeamleaderStateMismatchError` is answered
    with an error page and the server keeps waiting; any other exception ends the
    flow with that error. ``success_message(result)`` words the success page, ``texts``
    the rest of the pages (:class:`PageTexts`); ``on_ignored(reason)`` hears of each
    callback that was answered and ignored, worded by ``texts.describe_error``.
    """

    def __init__(
        self,
        complete: Callable[[dict[str, str]], Any],
        *,
        redirect_path: str = "/callback",
        host: str = "127.0.0.1",
        port: int = 9999,
        success_message: Callable[[Any], str] | None = None,
        on_ignored: Callable[[str], None] | None = None,
        texts: PageTexts | None = None,
    ) -> None:
        arguments = Arguments()
        port = arguments.check("port", check_port, port)
        arguments.raise_if_any()
        self.complete = complete
        self.redirect_path = redirect_path or "/"
        self.host = host
        self.port = port
        self.success_message = success_message or (lambda result: "Teamleader is connected.")
        self.on_ignored = on_ignored or (lambda reason: None)
        self.texts = texts or PageTexts()
        self._done = threading.Event()
        self._outcome = CallbackOutcome()
        self._httpd: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> CallbackServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        """Bind and serve in a background thread. Raises ``OSError`` if the port is taken."""
        self._httpd = http.server.ThreadingHTTPServer((self.host, self.port), self._handler_class())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="teamleader-callback", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def wait(self, timeout: float | None = None) -> CallbackOutcome:
        """Block until the flow is settled; raises ``TimeoutError`` after ``timeout`` s."""
        if not self._done.wait(timeout):
            raise TimeoutError(f"no callback arrived within {timeout} s")
        return self._outcome

    def _settle(self, params: dict[str, str]) -> tuple[tuple[int, str, str, str], CallbackOutcome | None]:
        """Run ``complete`` for one callback.

        Returns the page to answer (status, css class, title, message) and the outcome
        that ends the flow, or ``None`` to keep waiting. The caller ends the flow only
        once the page is sent: the process may exit right after.
        """
        texts = self.texts
        if self._done.is_set():
            return (409, "bad", texts.already_done, texts.already_done_message), None
        try:
            result = self.complete(params)
        except TeamleaderStateMismatchError as err:
            reason = texts.describe_error(err)
            self.on_ignored(reason)
            return (400, "bad", texts.not_accepted, reason), None
        except TeamleaderAuthorizationDenied as err:
            page = (200, "bad", texts.access_denied, f"{texts.describe_error(err)} {texts.close_tab}")
            return page, CallbackOutcome(error=err)
        except TeamleaderError as err:
            page = (502, "bad", texts.connection_failed, f"{texts.describe_error(err)} {texts.see_terminal}")
            return page, CallbackOutcome(error=err)
        except Exception as err:  # noqa: BLE001 - reported in the terminal, not the browser
            page = (500, "bad", texts.connection_failed, texts.unexpected_error)
            return page, CallbackOutcome(error=err)
        page = (200, "ok", texts.connected, f"{self.success_message(result)} {texts.close_tab}")
        return page, CallbackOutcome(result=result)

    def _finish(self, outcome: CallbackOutcome) -> None:
        self._outcome = outcome
        self._done.set()

    def _handler_class(self) -> type[http.server.BaseHTTPRequestHandler]:
        server = self
        settle_lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                if parts.path.rstrip("/") != server.redirect_path.rstrip("/"):
                    self._page(404, "bad", server.texts.not_found, server.texts.not_found_message)
                    return
                params = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                with settle_lock:  # one callback at a time: a code is exchanged at most once
                    page, outcome = server._settle(params)
                    self._page(*page)
                    self.wfile.flush()
                    if outcome is not None:
                        server._finish(outcome)

            def _page(self, status: int, css: str, title: str, message: str) -> None:
                body = PAGE.format(
                    lang=html.escape(server.texts.lang),
                    css=css,
                    title=html.escape(title),
                    message=html.escape(message),
                ).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # the query string holds the authorization code: never log it

        return Handler
