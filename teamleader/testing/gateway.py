"""The API's front door: bearer authentication, the rate limit, then the endpoint itself."""

from __future__ import annotations

import logging
import random
from collections import Counter, deque
from typing import Any, Callable

from ..validation import problem_of
from .api import ENDPOINTS
from .api.common import Created
from .api.from_spec import handler_for
from .oauth import OAuthServer
from .ratelimit import SlidingWindowLimiter
from .store import Context, State
from .wire import ApiError, Reply, Request, api_error_reply, json_reply

__all__ = ["ApiGateway"]

logger = logging.getLogger("teamleader.testing")


class ApiGateway:
    """Answers ``POST /<group>.<action>``. Not thread-safe: the sandbox holds its lock."""

    def __init__(
        self,
        *,
        state: State,
        oauth: OAuthServer,
        limiter: SlidingWindowLimiter,
        counts: Counter[str],
        clock: Callable[[], float],
        rng: random.Random,
        max_page_size: int = 100,
    ) -> None:
        self.state = state
        self.oauth = oauth
        self.limiter = limiter
        self.counts = counts
        self.clock = clock
        self.rng = rng
        self.max_page_size = max_page_size
        #: Webhook payloads the account would have sent, oldest first.
        self.events: list[dict[str, Any]] = []
        #: The latest API calls as ``{"endpoint", "body"}``, oldest first.
        self.calls: deque[dict[str, Any]] = deque(maxlen=1000)
        #: Called with each webhook payload as it is recorded (the sandbox queues deliveries).
        self.on_event: Callable[[dict[str, Any]], None] | None = None

    def _user(self, request: Request) -> str | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        return self.oauth.user_for(token)

    def call(self, endpoint: str, request: Request) -> Reply:
        now = self.clock()
        user_id = self._user(request)
        if user_id is None:
            self.counts["unauthorized_calls"] += 1
            title = (
                "Access token is missing"
                if "authorization" not in request.headers
                else "Access token is invalid or expired"
            )
            headers = {**self.limiter.headers(now), "WWW-Authenticate": 'Bearer error="invalid_token"'}
            return api_error_reply(401, title, headers)
        if not self.limiter.hit(now):
            self.counts["rate_limited"] += 1
            headers = {**self.limiter.headers(now), "Retry-After": str(self.limiter.retry_after(now))}
            return api_error_reply(429, "Too many requests, slow down", headers)
        self.counts["api_calls"] += 1
        headers = self.limiter.headers(now)
        handler = ENDPOINTS.get(endpoint) or handler_for(endpoint)
        if handler is None:
            return api_error_reply(404, f"The endpoint {endpoint} does not exist", headers)
        if request.method != "POST":
            return api_error_reply(405, f"{endpoint} must be called with POST", headers)
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            return api_error_reply(400, "The request body must be a JSON object", headers)
        self.calls.append({"endpoint": endpoint, "body": body})
        problem = problem_of(endpoint, body)  # like Teamleader, refuse what the spec does not describe
        if problem is not None:
            return api_error_reply(400, problem.message, headers)
        ctx = Context(now=self.clock, user_id=user_id, rng=self.rng, max_page_size=self.max_page_size)
        try:
            answer = handler(self.state, body, ctx)
        except ApiError as err:
            return api_error_reply(err.status, err.title, headers)
        except Exception:  # a sandbox bug must look like Teamleader's 500, not kill the server
            logger.exception("The sandbox failed on %s", endpoint)
            return api_error_reply(500, "Internal server error", headers)
        self._record_events(ctx)
        if isinstance(answer, Created):
            return json_reply(201, {"data": {"type": answer.type, "id": answer.id}}, headers)
        if answer is None:
            return Reply(204, headers)
        if isinstance(answer, Reply):
            answer.headers = {**headers, **answer.headers}
            return answer
        return json_reply(200, answer, headers)

    def _record_events(self, ctx: Context) -> None:
        account = {"type": "account", "id": self.state.account["id"]}
        for event_type, subject_type, subject_id in ctx.events:
            payload = {"type": event_type, "subject": {"type": subject_type, "id": subject_id}, "account": account}
            self.events.append(payload)
            if self.on_event is not None:
                self.on_event(payload)
