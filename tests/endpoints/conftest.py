"""A client against ``https://api.test`` whose every POST answers from ``responses``."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import responses

from teamleader import MemoryTokenBackend, OAuth2Handler, TeamleaderClient, Token

API = "https://api.test"


def answer(request):
    """A list answer for list endpoints, one record for the rest."""
    action = request.url.rsplit(".", 1)[-1]
    data = (
        [] if action.startswith("list") else {"type": "record", "id": "0b1c0e3e-0000-4000-8000-000000000001"}
    )
    return 200, {}, json.dumps({"data": data})


@pytest.fixture
def api(rsps):
    """``(client, rsps)``: a real client; every POST to ``https://api.test/…`` is answered and recorded."""
    token = Token(
        access_token="a" * 40,
        refresh_token="r" * 40,
        expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1),
    )
    oauth = OAuth2Handler("id", "secret", "http://localhost/cb", MemoryTokenBackend(token))
    rsps.add_callback(responses.POST, re.compile(re.escape(API) + r"/.*"), callback=answer)
    with TeamleaderClient(oauth, api_base_url=API) as client:
        yield client, rsps
