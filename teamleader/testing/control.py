"""``/_sandbox/…``: reading and steering a sandbox from another process (tests, browsers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .wire import Reply, Request, json_reply

if TYPE_CHECKING:
    from .sandbox import Sandbox

__all__ = ["control"]


def control(sandbox: Sandbox, request: Request) -> Reply:
    """Answer a control request. The caller holds the sandbox's lock.

    ``GET /_sandbox/stats`` and ``GET /_sandbox/events`` read; ``POST`` to
    ``/_sandbox/expire_access_tokens``, ``/_sandbox/revoke_tokens``,
    ``/_sandbox/advance`` ``{"seconds": N}`` and ``/_sandbox/fail_next``
    ``{"target", "status", "times", "after"}`` steer (all answer 204).
    """
    action = request.path.removeprefix("/_sandbox/").strip("/")
    if request.method == "GET":
        if action == "stats":
            return json_reply(200, sandbox.stats)
        if action == "events":
            return json_reply(200, {"data": sandbox.events})
        return json_reply(404, {"error": f"unknown sandbox resource {action!r}"})
    if request.method != "POST":
        return json_reply(405, {"error": "use GET or POST"})
    try:
        body = request.form_or_json()
        if action == "expire_access_tokens":
            sandbox.expire_access_tokens()
        elif action == "revoke_tokens":
            sandbox.revoke_tokens()
        elif action == "reset_stats":
            sandbox.reset_stats()
        elif action == "advance":
            sandbox.advance(float(body["seconds"]))
        elif action == "fail_next":
            after = body.get("after") in (True, 1, "1", "true")
            sandbox.fail_next(
                str(body["target"]),
                int(body.get("status", 500)),
                times=int(body.get("times", 1)),
                after=after,
            )
        else:
            return json_reply(404, {"error": f"unknown sandbox action {action!r}"})
    except (KeyError, TypeError, ValueError) as err:
        return json_reply(400, {"error": f"bad sandbox request: {err}"})
    return Reply(204)
