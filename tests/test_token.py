"""Token: expiry arithmetic and a repr that never shows a token."""

from __future__ import annotations

import datetime as dt

import pytest

from teamleader import Token
from teamleader.token import mask

UTC = dt.timezone.utc


def test_repr_and_str_mask_both_tokens():
    token = Token("access-" + "a" * 40, "refresh-" + "r" * 40, dt.datetime(2030, 1, 1, tzinfo=UTC))
    for text in (repr(token), str(token), f"{token}", repr([token])):
        assert "a" * 40 not in text and "r" * 40 not in text
        assert "acce…" in text and "refr…" in text
        assert "2030-01-01T00:00:00+00:00" in text


def test_short_secrets_are_fully_hidden():
    assert mask("abcdefgh") == "…"
    assert mask("") == ""
    assert mask("x" * 20) == "xxxx…"


def test_is_expired_uses_the_leeway():
    now = dt.datetime(2030, 1, 1, 12, tzinfo=UTC)
    token = Token("a", "r", now + dt.timedelta(seconds=90))
    assert not token.is_expired(leeway=60, now=now)
    assert token.is_expired(leeway=120, now=now)
    assert token.is_expired(leeway=0, now=now + dt.timedelta(seconds=91))


def test_expires_at_must_be_timezone_aware():
    with pytest.raises(ValueError, match="timezone-aware"):
        Token("a", "r", dt.datetime(2030, 1, 1))


def test_from_response_computes_expiry_from_expires_in():
    now = dt.datetime(2030, 1, 1, tzinfo=UTC)
    token = Token.from_response(
        {"token_type": "Bearer", "expires_in": 3600, "access_token": "A", "refresh_token": "R"}, now=now
    )
    assert token == Token("A", "R", now + dt.timedelta(hours=1))


def test_from_response_names_what_is_missing():
    with pytest.raises(ValueError, match="refresh_token"):
        Token.from_response({"access_token": "A", "expires_in": 3600})


def test_dict_round_trip_keeps_the_offset():
    token = Token("A", "R", dt.datetime(2030, 1, 1, 13, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    assert Token.from_dict(token.to_dict()) == token
