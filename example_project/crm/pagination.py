"""Previous/next links for a Teamleader list shown a page at a time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.http import QueryDict


@dataclass(frozen=True)
class Pager:
    """One list's page number, read from ``?<param>=N``, and links to its neighbours.

    ``contacts.list`` and ``deals.list`` send no total (Teamleader documents
    ``meta.matches`` only for a few endpoints), so a full page means there may be a
    next one; the page after the last full one is simply empty.
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

    @property
    def body(self) -> dict[str, int]:
        """The ``page`` argument of a ``*.list`` call."""
        return {"size": self.size, "number": self.number}

    def after(self, items: list[Any]) -> Pager:
        """This pager, knowing how many records its page held."""
        return replace(self, has_next=len(items) >= self.size)

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
