"""The in-process face: ``responses`` callbacks that hand ``requests`` calls to a sandbox."""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import urlsplit

from .wire import api_error_reply

if TYPE_CHECKING:
    import responses
    from requests import PreparedRequest

    from .sandbox import Sandbox

__all__ = ["activate", "mock"]

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
_AUTH_PATHS = ("/oauth2/", "/_sandbox/")


def _origin(url: str) -> tuple[str, str]:
    """``("https://host", "/optional/prefix")`` of a base URL."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"{url!r} is not an absolute URL such as 'https://api.focus.teamleader.eu'")
    return f"{parts.scheme}://{parts.netloc}", parts.path.rstrip("/")


def activate(sandbox: Sandbox, rsps: responses.RequestsMock, *, base_url: str, api_base_url: str) -> None:
    """Register callbacks on ``rsps`` for every request to ``base_url`` and ``api_base_url``.

    When the two differ, the first answers only ``/oauth2/…`` (and ``/_sandbox/…``) and the
    second only the API, as Teamleader's two hosts do.
    """
    auth, api = _origin(base_url), _origin(api_base_url)
    roles = {auth: "both"} if auth == api else {auth: "auth", api: "api"}

    for (origin, prefix), role in roles.items():

        def callback(request: PreparedRequest, prefix: str = prefix, role: str = role) -> tuple[Any, ...]:
            parts = urlsplit(request.url or "")
            path = parts.path[len(prefix) :] if parts.path.startswith(prefix) else parts.path
            path = path or "/"
            is_auth_path = path.startswith(_AUTH_PATHS)
            if (role == "auth" and not is_auth_path) or (role == "api" and path.startswith("/oauth2/")):
                return api_error_reply(404, f"Not found: {path}").as_tuple()
            body = request.body
            if body is not None and not isinstance(body, (bytes, str)):
                body = b"".join(body)  # a generator body
            return sandbox.handle(request.method or "GET", path, parts.query, dict(request.headers), body)

        pattern = re.compile(rf"^{re.escape(origin + prefix)}(/.*)?(\?.*)?$")
        for method in _METHODS:
            rsps.add_callback(method, pattern, callback=callback, content_type=None)
    sandbox.base_url, sandbox.api_base_url = base_url.rstrip("/"), api_base_url.rstrip("/")


@contextmanager
def mock(sandbox: Sandbox, *, base_url: str, api_base_url: str) -> Iterator[Sandbox]:
    """Within the block, ``requests`` calls to both URLs reach ``sandbox``; others fail fast."""
    import responses

    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        activate(sandbox, rsps, base_url=base_url, api_base_url=api_base_url)
        yield sandbox
