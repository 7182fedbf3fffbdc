from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class TeamleaderConfig(AppConfig):
    """Validates ``settings.TEAMLEADER`` at startup and registers the system checks."""

    name = "teamleader.django"
    label = "teamleader_django"
    verbose_name = "Teamleader"
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from django.conf import settings

        from . import checks as teamleader_checks
        from .conf import TeamleaderImproperlyConfigured, error_message, validate

        problems = validate(getattr(settings, "TEAMLEADER", None))
        if problems:
            raise TeamleaderImproperlyConfigured(error_message(problems))
        checks.register(teamleader_checks.check_settings, "teamleader")
        checks.register(teamleader_checks.check_webhook_secret, checks.Tags.urls)
