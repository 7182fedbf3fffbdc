"""``TEAMLEADER["MIRROR"]``: the mirror's few settings, read on every use (so tests can override them).

.. code-block:: python

    TEAMLEADER = {
        ...,
        "MIRROR": {
            "PROCESSING": "thread",  # or "celery", or None (cron: manage.py teamleader_webhooks process)
            "OVERLAP": 60,           # seconds a sync looks back before its high-water mark
        },
    }
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..conf import TeamleaderImproperlyConfigured

__all__ = ["DEFAULTS", "PROCESSING_MODES", "MirrorSettings", "mirror_settings", "problems"]

DEFAULTS: dict[str, Any] = {"PROCESSING": "thread", "OVERLAP": 60}
#: How webhook events are processed after the delivery is stored.
PROCESSING_MODES = ("thread", "celery", None)


@dataclass(frozen=True)
class MirrorSettings:
    processing: str | None
    overlap: float


def _raw() -> Any:
    from django.conf import settings

    return (getattr(settings, "TEAMLEADER", None) or {}).get("MIRROR")


def problems(raw: Any) -> list[str]:
    """What is wrong with a ``TEAMLEADER["MIRROR"]`` value, each naming the key."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        return [f'TEAMLEADER["MIRROR"] must be a dict such as {DEFAULTS!r}, got {raw!r}.']
    found = []
    unknown = sorted(set(raw) - set(DEFAULTS))
    if unknown:
        found.append(
            f'TEAMLEADER["MIRROR"] has unknown keys {", ".join(map(repr, unknown))}; '
            f"the known keys are {', '.join(DEFAULTS)}."
        )
    if raw.get("PROCESSING", DEFAULTS["PROCESSING"]) not in PROCESSING_MODES:
        found.append(
            'TEAMLEADER["MIRROR"]["PROCESSING"] must be "thread" (default: a background thread in the '
            'web process), "celery" (a Celery task) or None (run `manage.py teamleader_webhooks process` '
            f"yourself), got {raw['PROCESSING']!r}."
        )
    overlap = raw.get("OVERLAP", DEFAULTS["OVERLAP"])
    if isinstance(overlap, bool) or not isinstance(overlap, (int, float)) or overlap < 0:
        found.append(
            f'TEAMLEADER["MIRROR"]["OVERLAP"] must be a number of seconds (0 or more), got {overlap!r}.'
        )
    return found


def mirror_settings() -> MirrorSettings:
    """The current mirror settings; ``ImproperlyConfigured`` naming the key when one is wrong."""
    raw = _raw()
    found = problems(raw)
    if found:
        raise TeamleaderImproperlyConfigured(" ".join(found))
    values = {**DEFAULTS, **(raw or {})}
    return MirrorSettings(processing=values["PROCESSING"], overlap=float(values["OVERLAP"]))
