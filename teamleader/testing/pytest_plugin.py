"""pytest fixtures for code that talks to Teamleader (loaded through the ``pytest11`` entry point).

``teamleader_sandbox``: a fresh :class:`~teamleader.testing.Sandbox` that answers every
``requests`` call to ``https://focus.teamleader.eu`` and ``https://api.focus.teamleader.eu``
(needs ``responses``); other hosts fail fast. ``teamleader_sandbox_server``: a running
:class:`~teamleader.testing.SandboxServer` on 127.0.0.1 (``.url``, ``.sandbox``).
Options for either: ``@pytest.mark.teamleader_sandbox(access_token_lifetime=60, rate_limit=5)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

import pytest

if TYPE_CHECKING:
    from .sandbox import Sandbox
    from .server import SandboxServer


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "teamleader_sandbox(**options): Sandbox options for the teamleader_sandbox fixtures "
        "(e.g. access_token_lifetime=60, rate_limit=5, client_id='…').",
    )


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("teamleader_sandbox")
    return dict(marker.kwargs) if marker is not None else {}


@pytest.fixture
def teamleader_sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A fresh sandbox intercepting the real Teamleader URLs for ``requests``."""
    from .sandbox import Sandbox

    sandbox = Sandbox(**_options(request))
    with sandbox.mock():
        yield sandbox


@pytest.fixture
def teamleader_sandbox_server(request: pytest.FixtureRequest) -> Iterator[SandboxServer]:
    """A fresh sandbox served over HTTP on 127.0.0.1 with a free port."""
    from .server import SandboxServer

    with SandboxServer(**_options(request)) as server:
        yield server
