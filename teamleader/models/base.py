"""Attribute access over Teamleader's JSON records, keeping the raw dict."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Generic, Iterator, Mapping, TypeVar, overload

__all__ = ["Model", "Field", "Money", "Page"]

T = TypeVar("T")
M = TypeVar("M", bound="Model")


def _wrap(value: Any) -> Any:
    if isinstance(value, Mapping):
        return Model(value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


class Field(Generic[T]):
    """A declared field: reads ``raw[key]`` through ``parse``, ``default`` when absent.

    A field never raises on missing or oddly shaped data: ``parse`` failures give the
    default, so a record Teamleader changes tomorrow still loads today.
    """

    def __init__(
        self,
        key: str | None = None,
        *,
        parse: Callable[[Any], T] | None = None,
        default: Callable[[], Any] | None = None,
    ) -> None:
        self.key = key
        self.parse = parse
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = self.key or name
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> Field[T]: ...
    @overload
    def __get__(self, obj: Model, owner: type) -> T: ...
    def __get__(self, obj: Model | None, owner: type) -> Any:
        if obj is None:
            return self
        value = obj.raw.get(self.key)  # type: ignore[arg-type]
        if value is None:
            return self.default() if self.default else None
        if self.parse is None:
            return _wrap(value)
        try:
            return self.parse(value)
        except (TypeError, ValueError, KeyError, InvalidOperation):
            return self.default() if self.default else None


class Model:
    """A Teamleader record with attribute access.

    Declared fields (see the subclasses) are parsed; every other key of the record is
    reachable as an attribute too (nested objects as :class:`Model`), and ``raw``
    holds the dict exactly as Teamleader sent it. ``record["key"]`` and
    ``record.get("key")`` work as on the dict, but give declared fields parsed, as the
    attribute does: Django templates try ``record["key"]`` first, and
    ``{{ deal.closed_at|date }}`` should see a datetime, not a string.
    """

    __slots__ = ("_raw",)
    #: Declared fields by JSON key, this class's and its bases'.
    _fields: dict[str, Field[Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = dict(cls._fields)
        fields.update({f.key: f for f in vars(cls).values() if isinstance(f, Field) and f.key})
        cls._fields = fields

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._raw: dict[str, Any] = dict(data) if data else {}

    @property
    def raw(self) -> dict[str, Any]:
        """The record as Teamleader returned it."""
        return self._raw

    @property
    def id(self) -> str | None:
        return self._raw.get("id")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return _wrap(self._raw[name])
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__} has no field {name!r} "
                f"(fields present: {', '.join(sorted(self._raw)) or 'none'})"
            ) from None

    def __getitem__(self, key: str) -> Any:
        value = self._raw[key]
        field = self._fields.get(key)
        return field.__get__(self, type(self)) if field is not None else value

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self._raw else default

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Model):
            return type(self) is type(other) and self._raw == other._raw
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        label = self._label()
        parts = [f"id={self.id!r}"] if self.id is not None else []
        if label:
            parts.append(repr(label))
        return f"<{type(self).__name__} {' '.join(parts)}>" if parts else f"<{type(self).__name__}>"

    def _label(self) -> str | None:
        for key in ("name", "title", "full_name"):
            value = self._raw.get(key)
            if isinstance(value, str):
                return value
        return None

    def __getstate__(self) -> dict[str, Any]:
        return self._raw

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._raw = state


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


@dataclass(frozen=True)
class Money:
    """An amount in a currency, as Teamleader's ``{"amount", "currency"}`` objects."""

    amount: Decimal
    currency: str

    @classmethod
    def parse(cls, value: Mapping[str, Any]) -> Money:
        return cls(amount=_decimal(value["amount"]), currency=str(value["currency"]))

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class Page(list[M]):
    """One page of a list answer: the records, plus ``meta`` and ``included``."""

    def __init__(self, items: list[M], payload: Mapping[str, Any] | None = None) -> None:
        super().__init__(items)
        payload = payload or {}
        self.meta: dict[str, Any] = dict(payload.get("meta") or {})
        self.included: dict[str, Any] = dict(payload.get("included") or {})

    @property
    def matches(self) -> int | None:
        """``meta.matches``: the total number of records, when Teamleader sent it."""
        value = self.meta.get("matches")
        return value if isinstance(value, int) else None
