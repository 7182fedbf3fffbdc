"""Requests and answers as the sandbox sees them: parsing bodies, building replies."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode

__all__ = [
    "ApiError",
    "OAuthError",
    "Reply",
    "Request",
    "api_error_reply",
    "html_reply",
    "json_reply",
    "redirect_reply",
]


@dataclass
class Request:
    """One incoming HTTP request, already split into its parts."""

    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    @classmethod
    def build(
        cls,
        method: str,
        path: str,
        query: str | Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | str | None = None,
    ) -> Request:
        path, _, inline_query = path.partition("?")
        if isinstance(query, Mapping):
            params = {str(k): str(v) for k, v in query.items()}
        else:
            params = dict(parse_qsl(query or inline_query, keep_blank_values=True))
        if isinstance(body, str):
            body = body.encode()
        return cls(
            method=method.upper(),
            path=path or "/",
            query=params,
            headers={str(k).lower(): str(v) for k, v in (headers or {}).items()},
            body=body or b"",
        )

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def form_or_json(self) -> dict[str, Any]:
        """The body as a dict, whether sent as JSON or as an HTML form.

        Raises ``ValueError`` when the body is neither.
        """
        if not self.body.strip():
            return {}
        text = self.body.decode("utf-8")
        if self.content_type == "application/json" or text.lstrip().startswith("{"):
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("the JSON body must be an object")
            return data
        return dict(parse_qsl(text, keep_blank_values=True))

    def json(self) -> dict[str, Any]:
        """The body as a JSON object (empty body: ``{}``); ``ValueError`` otherwise."""
        if not self.body.strip():
            return {}
        data = json.loads(self.body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("the JSON body must be an object")
        return data


@dataclass
class Reply:
    """One answer: status, headers and body bytes."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    #: Seconds to wait (outside the sandbox's lock) before the answer leaves.
    delay: float = 0.0

    def as_tuple(self) -> tuple[int, dict[str, str], bytes]:
        return self.status, dict(self.headers), self.body


class ApiError(Exception):
    """An API failure, answered with Teamleader's ``{"errors": [...]}`` body."""

    def __init__(self, status: int, title: str) -> None:
        super().__init__(title)
        self.status = status
        self.title = title


class OAuthError(Exception):
    """A token-endpoint failure, answered with an OAuth ``{"error": ...}`` body."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


def json_reply(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Reply:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return Reply(status, {"Content-Type": "application/json", **(headers or {})}, body)


def api_error_reply(status: int, title: str, headers: Mapping[str, str] | None = None) -> Reply:
    return json_reply(status, {"errors": [{"title": title, "status": status}]}, headers)


def html_reply(status: int, html: str) -> Reply:
    return Reply(status, {"Content-Type": "text/html; charset=utf-8"}, html.encode("utf-8"))


def redirect_reply(uri: str, params: Mapping[str, str | None]) -> Reply:
    """A 302 to ``uri`` with ``params`` added to its query string."""
    separator = "&" if "?" in uri else "?"
    location = uri + separator + urlencode({k: v for k, v in params.items() if v is not None})
    return Reply(302, {"Location": location, "Cache-Control": "no-store"}, b"")
