"""Every request checked against Teamleader's OpenAPI description before it is sent.

Teamleader answers 200 to a filter it does not know and returns every record, so a typo
(``filter={"emial": …}``) would silently turn "the contacts with this email" into "all
contacts". :func:`check_request` refuses such a body with a
:class:`~teamleader.exceptions.TeamleaderValidationError` that names the path, what is
allowed there and, when a close name exists, what was probably meant.

The rules are Python functions generated from the spec into :mod:`teamleader.rules` (one
module per resource group, imported on first use); nothing is parsed at run time. Unknown
operations (an API newer than the bundled spec) pass unchecked;
``TeamleaderClient(validate_requests=False)`` turns the check off altogether.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, Callable, Mapping

from ._violations import Problem, explain
from .exceptions import TeamleaderValidationError
from .rules import SPEC_VERSION

__all__ = ["SPEC_VERSION", "check_request", "is_known", "problem_of"]

Validator = Callable[[Any], Any]
_cache: dict[str, Validator | None] = {}


def _no_fields(body: Any) -> None:
    from .rules._shared import SchemaViolation

    if body:
        raise SchemaViolation("", body, "data", {"type": "object", "properties": []}, "additionalProperties")


def _validator(endpoint: str) -> Validator | None:
    try:
        return _cache[endpoint]
    except KeyError:
        pass
    from .rules import NO_BODY, VALIDATORS

    validator: Validator | None = None
    if endpoint in NO_BODY:
        validator = _no_fields
    elif endpoint in VALIDATORS:
        module, name = VALIDATORS[endpoint].split(".")
        validator = getattr(import_module(f"{__package__}.rules.{module}"), name)
    _cache[endpoint] = validator
    return validator


def is_known(endpoint: str) -> bool:
    """Whether the bundled spec describes ``endpoint`` (e.g. ``"contacts.list"``)."""
    return _validator(endpoint) is not None


def _violation() -> type[ValueError]:
    from .rules._shared import SchemaViolation

    return SchemaViolation


def problem_of(endpoint: str, body: Mapping[str, Any] | None) -> Problem | None:
    """What is wrong with ``body`` for ``endpoint``, or ``None`` (also for unknown operations)."""
    validator = _validator(endpoint)
    if validator is None:
        return None
    try:
        validator({} if body is None else body)
    except _violation() as violation:
        return explain(endpoint, violation)
    return None


def check_request(endpoint: str, body: Mapping[str, Any] | None) -> None:
    """Raise :class:`TeamleaderValidationError` if ``body`` breaks ``endpoint``'s rules.

    A known operation's body is checked at every depth: unknown keys, wrong JSON types,
    values outside an enum, missing required fields and ``oneOf`` choices where none or
    several match. Unknown operations pass.
    """
    validator = _validator(endpoint)
    if validator is None:
        return
    try:
        validator({} if body is None else body)
    except _violation() as violation:
        problem = explain(endpoint, violation)
        raise TeamleaderValidationError(
            f"{endpoint}: {problem.message}",
            endpoint=endpoint,
            path=problem.path,
            allowed=problem.allowed,
            suggestion=problem.suggestion,
        ) from violation
