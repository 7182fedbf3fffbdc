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

from django.utils.translation import gettext

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
    """What is wrong with a ``TEAMLEADER["MIRROR"]`` value, each naming the key (in the active language)."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        return [
            gettext('TEAMLEADER["MIRROR"] must be a dict such as %(example)s, got %(value)s.')
            % {"example": repr(DEFAULTS), "value": repr(raw)}
        ]
    found = []
    unknown = sorted(set(raw) - set(DEFAULTS))
    if unknown:
        found.append(
            gettext('TEAMLEADER["MIRROR"] has unknown keys %(keys)s; the known keys are %(known)s.')
            % {"keys": ", ".join(map(repr, unknown)), "known": ", ".join(DEFAULTS)}
        )
    if raw.get("PROCESSING", DEFAULTS["PROCESSING"]) not in PROCESSING_MODES:
        found.append(
            gettext(
                'TEAMLEADER["MIRROR"]["PROCESSING"] must be "thread" (default: a background thread in the '
                'web process), "celery" (a Celery task) or None (run "%(command)s" yourself), got %(value)s.'
            )
            % {"command": "manage.py teamleader_webhooks process", "value": repr(raw["PROCESSING"])}
        )
    overlap = raw.get("OVERLAP", DEFAULTS["OVERLAP"])
    if isinstance(overlap, bool) or not isinstance(overlap, (int, float)) or overlap < 0:
        found.append(
            gettext('TEAMLEADER["MIRROR"]["OVERLAP"] must be a number of seconds (0 or more), got %(value)s.')
            % {"value": repr(overlap)}
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
