from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class TeamleaderConfig(AppConfig):
    """Checks ``settings.TEAMLEADER`` at startup and registers the system checks."""

    name = "teamleader.django"
    label = "teamleader_django"
    verbose_name = "Teamleader"
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from . import checks as teamleader_checks
        from .client import settings_problems
        from .conf import improperly_configured, teamleader_settings

        # Everything the settings feed is built once, so that every missing or invalid key
        # is named now, at startup, not at the first API call.
        problems = settings_problems()
        if problems:
            raise improperly_configured(problems)
        teamleader_settings.reload()  # stay lazy: what runs later reads the settings afresh
        checks.register(teamleader_checks.check_settings, "teamleader")
        checks.register(teamleader_checks.check_rate_limit_cache, "teamleader", checks.Tags.caches)
        checks.register(teamleader_checks.check_webhook_secret, checks.Tags.urls)
        self._show_notice_on_admin_index()

    @staticmethod
    def _show_notice_on_admin_index() -> None:
        """The admin index warns while the connection needs reconnecting (unless the site has its own index)."""
        from django.apps import apps

        if not apps.is_installed("django.contrib.admin"):
            return
        from django.contrib import admin

        if admin.site.index_template is None:
            admin.site.index_template = "admin/teamleader_django/index.html"
