"""TEAMLEADER["MIRROR"]: defaults, errors that name the key, and the system checks."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from teamleader.django.mirror.conf import mirror_settings as read_settings


def check_ids():
    return sorted(m.id for m in run_checks(tags=["teamleader"]) if m.id.startswith("teamleader_mirror"))


def test_defaults(settings):
    assert "MIRROR" not in settings.TEAMLEADER
    current = read_settings()
    assert (current.processing, current.overlap) == ("thread", 60.0)
    assert check_ids() == []


@pytest.mark.parametrize(
    "value, message",
    [
        ({"PROCESSING": "redis"}, 'TEAMLEADER["MIRROR"]["PROCESSING"] must be "thread"'),
        ({"OVERLAP": -1}, 'TEAMLEADER["MIRROR"]["OVERLAP"] must be a number of seconds (0 or more), got -1.'),
        ({"OVERLAP": "60"}, 'TEAMLEADER["MIRROR"]["OVERLAP"] must be a number'),
        (
            {"PROCESS": None},
            "TEAMLEADER[\"MIRROR\"] has unknown keys 'PROCESS'; the known keys are PROCESSING, OVERLAP.",
        ),
        ("thread", 'TEAMLEADER["MIRROR"] must be a dict'),
    ],
)
def test_a_wrong_value_names_the_key(mirror_settings, settings, value, message):
    mirror_settings()
    settings.TEAMLEADER = {**settings.TEAMLEADER, "MIRROR": value}
    with pytest.raises(ImproperlyConfigured) as info:
        read_settings()
    assert message in str(info.value)
    assert check_ids() == ["teamleader_mirror.E002"]


def test_the_mirror_needs_the_teamleader_app(settings):
    settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if a != "teamleader.django"]
    assert "teamleader_mirror.E001" in check_ids()


def test_celery_processing_without_celery(mirror_settings, monkeypatch):
    import importlib.util

    mirror_settings(PROCESSING="celery")
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "celery" else real(name, *a)
    )
    messages = [m for m in run_checks(tags=["teamleader"]) if m.id == "teamleader_mirror.E003"]
    assert messages and 'pip install "teamleader-sdk[celery]"' in messages[0].hint
