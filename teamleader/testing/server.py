"""The network face: a threaded HTTP server answering exactly like Teamleader would."""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .sandbox import Sandbox

__all__ = ["SandboxServer"]

logger = logging.getLogger("teamleader.testing")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "TeamleaderSandbox/1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        path, _, query = self.path.partition("?")
        status, headers, payload = self.server.sandbox.handle(
            self.command, path, query, dict(self.headers.items()), body
        )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        # The path only: query strings carry authorization codes, and tokens travel in
        # headers and bodies, which are never logged.
        logger.info("%s %s -> %s", self.command, self.path.partition("?")[0], code)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s - " + format, self.address_string(), *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        super().__init__(address, _Handler)


class SandboxServer:
    """A :class:`Sandbox` behind a real socket; ``port=0`` picks a free port.

    Use ``with SandboxServer() as server: ... server.url ...`` or ``start()``/``stop()``.
    Options other than ``sandbox``, ``host`` and ``port`` go to a new :class:`Sandbox`.
    """

    def __init__(
        self, sandbox: Sandbox | None = None, *, host: str = "127.0.0.1", port: int = 0, **options: Any
    ) -> None:
        if sandbox is not None and options:
            raise TypeError("pass either a sandbox or sandbox options, not both")
        self.sandbox = sandbox if sandbox is not None else Sandbox(**options)
        self._server = _Server((host, port), self.sandbox)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The base URL, for both ``AUTH_BASE_URL`` and ``API_BASE_URL``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> SandboxServer:
        """Serve in a daemon thread; returns ``self``."""
        if self._thread is None:
            # A short poll interval makes stop() quick; the cost is a few idle wake-ups.
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="teamleader-sandbox",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        self._server.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
