"""An offline Teamleader Focus for tests and development (no Django needed).

``Sandbox`` holds the emulated account: the OAuth2 server (consent page, single-use
codes, rotating refresh tokens), all 290 API operations (contacts, companies, deals,
products, invoices, tasks, … kept as records; the rest answered from the spec),
Teamleader's error bodies and rate limit, and deterministic seed data. Two
faces share one sandbox: ``sandbox.mock()`` (``responses``, in-process) and
``SandboxServer`` / ``python -m teamleader.testing`` (real HTTP). The pytest fixtures
``teamleader_sandbox`` and ``teamleader_sandbox_server`` come with the package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .sandbox import Sandbox
    from .server import SandboxServer

__all__ = ["Sandbox", "SandboxServer"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so loading the pytest plugin costs nothing.
    if name == "Sandbox":
        from .sandbox import Sandbox

        return Sandbox
    if name == "SandboxServer":
        from .server import SandboxServer

        return SandboxServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
