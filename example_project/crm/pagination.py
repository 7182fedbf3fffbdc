"""Previous/next links for a list shown a page at a time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict


@dataclass(frozen=True)
class Pager:
    """One list's page number, read from ``?<param>=N``, and links to its neighbours.

    It reads one row more than a page holds to know whether there is a next page, so
    a large table costs no ``COUNT(*)``.
    """

    query: QueryDict
    param: str
    size: int = 10
    number: int = 1
    has_next: bool = False

    @classmethod
    def from_query(cls, query: QueryDict, param: str, size: int = 10) -> Pager:
        try:
            number = max(1, int(query.get(param, 1)))
        except ValueError:
            number = 1
        return cls(query=query, param=param, size=size, number=number)

    def page_of(self, queryset: QuerySet[Any]) -> tuple[list[Any], Pager]:
        """This page's rows, and this pager knowing whether a next page exists."""
        start = (self.number - 1) * self.size
        rows = list(queryset[start : start + self.size + 1])
        return rows[: self.size], replace(self, has_next=len(rows) > self.size)

    def _url(self, number: int) -> str:
        query = self.query.copy()
        query[self.param] = str(number)
        return f"?{query.urlencode()}"

    @property
    def previous_url(self) -> str | None:
        return self._url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self._url(self.number + 1) if self.has_next else None
