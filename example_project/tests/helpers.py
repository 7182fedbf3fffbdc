"""Small assertions shared by the tests."""

from __future__ import annotations


def endpoints(sandbox) -> list[str]:
    return [call["endpoint"] for call in sandbox.calls]


def deal_with_status(sandbox, *statuses: str) -> dict:
    return next(deal for deal in sandbox.state.deals.values() if deal["status"] in statuses)


def assert_no_secrets(content: bytes, token) -> None:
    text = content.decode()
    for secret in (token.access_token, token.refresh_token, "example-secret-never-shown"):
        assert secret not in text
