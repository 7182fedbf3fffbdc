"""System checks of the mirror app: its place in ``INSTALLED_APPS`` and its settings."""

from __future__ import annotations

import importlib.util
from typing import Any

from django.core.checks import CheckMessage, Error
from django.utils.translation import gettext


def check_mirror(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from django.conf import settings

    from .conf import _raw, problems

    messages: list[CheckMessage] = []
    apps = list(settings.INSTALLED_APPS)
    if "teamleader.django" not in apps:
        messages.append(
            Error(
                gettext("teamleader.django.mirror needs teamleader.django."),
                hint=gettext('Add "teamleader.django" to INSTALLED_APPS, before "teamleader.django.mirror".'),
                id="teamleader_mirror.E001",
            )
        )
    raw = _raw()
    messages.extend(Error(text, id="teamleader_mirror.E002") for text in problems(raw))
    if (
        isinstance(raw, dict)
        and raw.get("PROCESSING") == "celery"
        and importlib.util.find_spec("celery") is None
    ):
        messages.append(
            Error(
                gettext('TEAMLEADER["MIRROR"]["PROCESSING"] is "celery" but Celery is not installed.'),
                hint=gettext('%(command)s, or choose "thread" or None.')
                % {"command": 'pip install "teamleader-sdk[celery]"'},
                id="teamleader_mirror.E003",
            )
        )
    return messages
