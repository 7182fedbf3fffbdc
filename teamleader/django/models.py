"""The one row that holds the site's Teamleader connection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teamleader.token import Token, mask


def as_aware(value: dt.datetime | str) -> dt.datetime:
    """A stored expiry as a timezone-aware datetime, whatever ``USE_TZ`` says."""
    if isinstance(value, str):  # a backend without datetime converters
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:  # stored in UTC (USE_TZ) or in the default time zone
        if settings.USE_TZ:
            return value.replace(tzinfo=dt.timezone.utc)
        return timezone.make_aware(value)
    return value


class TeamleaderToken(models.Model):
    """The site's Teamleader token pair and who connected it: a singleton (pk 1).

    ``save()`` pins the primary key, so there is at most one row. Read and write it
    through :class:`~teamleader.django.token_store.DatabaseTokenBackend`, which locks
    the row around a refresh.
    """

    SINGLETON_PK = 1

    id = models.PositiveSmallIntegerField(primary_key=True, editable=False)
    access_token = models.TextField(_("access token"))
    refresh_token = models.TextField(_("refresh token"))
    expires_at = models.DateTimeField(_("access token expires at"))
    token_type = models.CharField(_("token type"), max_length=20, default="Bearer")
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    teamleader_user_id = models.CharField(_("Teamleader user ID"), max_length=64, blank=True)
    teamleader_user_name = models.CharField(_("Teamleader user"), max_length=255, blank=True)
    teamleader_user_email = models.EmailField(_("Teamleader user email"), blank=True)
    connected_by = models.CharField(
        _("connected by"),
        max_length=150,
        blank=True,
        help_text=_("The Django user or command that connected."),
    )
    connected_at = models.DateTimeField(_("connected at"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("last refreshed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Teamleader connection")
        verbose_name_plural = _("Teamleader connection")

    def __str__(self) -> str:
        who = self.teamleader_user_name or self.teamleader_user_email
        return f"Teamleader connection ({who})" if who else "Teamleader connection"

    def __repr__(self) -> str:
        return (
            f"<TeamleaderToken access_token={mask(self.access_token)!r} "
            f"refresh_token={mask(self.refresh_token)!r} expires_at={self.expires_at!r}>"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def load(cls, using: str | None = None) -> TeamleaderToken | None:
        """The row, or ``None`` when Teamleader is not connected."""
        return cls.objects.using(using).filter(pk=cls.SINGLETON_PK).first()

    def to_token(self) -> Token:
        return Token(
            access_token=self.access_token,
            refresh_token=self.refresh_token,
            expires_at=as_aware(self.expires_at),
            token_type=self.token_type or "Bearer",
        )

    @property
    def masked_access_token(self) -> str:
        return mask(self.access_token)

    @property
    def masked_refresh_token(self) -> str:
        return mask(self.refresh_token)
