"""A token backend that locks only the save, like existing Teamleader SDKs.

Used as a control in the race tests: the harness must be able to see the failure
this project prevents.
"""

from __future__ import annotations

import contextlib

from teamleader.django.token_store import DatabaseTokenBackend


class SaveOnlyLockBackend(DatabaseTokenBackend):
    """Saves under ``select_for_update`` but refreshes without any lock."""

    def lock(self):
        return contextlib.nullcontext(self.read())
