from __future__ import annotations

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class MirrorConfig(AppConfig):
    """Teamleader's contacts, companies and deals as Django models, kept current."""

    name = "teamleader.django.mirror"
    label = "teamleader_mirror"
    verbose_name = _("Teamleader mirror")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .checks import check_mirror

        checks.register(check_mirror, "teamleader")
