"""How ``teamleader_sync`` shows its progress: a tqdm bar on a terminal, else nothing until the summary.

tqdm is optional (``pip install "teamleader-sdk[mirror]"``): without it, or when output
is not a terminal (cron, CI logs), only the one summary line per resource is written.
"""

from __future__ import annotations

import importlib.util
from typing import Any, TextIO

from django.utils.translation import gettext

from .resources import Resource
from .sync import SyncResult

__all__ = ["Bars", "has_tqdm"]


def has_tqdm() -> bool:
    return importlib.util.find_spec("tqdm") is not None


class Bars:
    """One tqdm bar per resource, counting records (the total is ``meta.matches`` when known)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.bar: Any = None

    def start(self, resource: Resource, resumed_at: int) -> None:
        from tqdm import tqdm

        label = resource.name
        if resumed_at:
            label += " " + gettext("(from page %(page)s)") % {"page": resumed_at + 1}
        unit = " " + gettext("records")
        self.bar = tqdm(desc=label, unit=unit, file=self.stream, leave=False, dynamic_ncols=True)

    def page(self, resource: Resource, fetched: int, total: int | None) -> None:
        if self.bar is None:
            return
        if total is not None and self.bar.total != total:
            self.bar.total = total
        self.bar.n = fetched
        self.bar.refresh()

    def finish(self, result: SyncResult) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
