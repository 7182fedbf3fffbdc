"""The one row that holds the site's Teamleader connection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from teamleader.connection import CONNECTED, REAUTHORIZATION_NEEDED, ConnectionRecord
from teamleader.token import Token, mask


def as_aware(value: dt.datetime | str) -> dt.datetime:
    """A stored time as a timezone-aware datetime, whatever ``USE_TZ`` says."""
    if isinstance(value, str):  # a backend without datetime converters
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:  # stored in UTC (USE_TZ) or in the default time zone
        if settings.USE_TZ:
            return value.replace(tzinfo=dt.timezone.utc)
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


class TeamleaderToken(models.Model):
    """The site's Teamleader connection: the token pair and who connected, a singleton (pk 1).

    ``save()`` pins the primary key, so there is at most one row. Read and write it
    through :class:`~teamleader.django.token_store.DatabaseTokenBackend`, which locks
    the row around a refresh and keeps it out of the caller's transaction.
    """

    SINGLETON_PK = 1
    STATUS_CHOICES = [
        (CONNECTED, pgettext_lazy("status", "Connected")),
        (REAUTHORIZATION_NEEDED, pgettext_lazy("status", "Needs reconnecting")),
    ]

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
    teamleader_account_id = models.CharField(_("Teamleader account ID"), max_length=64, blank=True)
    connected_at = models.DateTimeField(_("connected at"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("last refreshed at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=32, choices=STATUS_CHOICES, default=CONNECTED)
    problem = models.TextField(
        _("problem"), blank=True, help_text=_("Why the connection needs reconnecting.")
    )
    problem_at = models.DateTimeField(_("problem since"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Teamleader connection")
        verbose_name_plural = _("Teamleader connection")

    def __str__(self) -> str:
        who = self.teamleader_user_name or self.teamleader_user_email
        if who:
            return gettext("Teamleader connection (%(user)s)") % {"user": who}
        return gettext("Teamleader connection")

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

    def to_record(self) -> ConnectionRecord:
        """The row as the :class:`~teamleader.connection.ConnectionRecord` backends deal in."""
        return ConnectionRecord(
            token=self.to_token(),
            scopes=tuple(self.scopes or ()),
            user_id=self.teamleader_user_id,
            user_name=self.teamleader_user_name,
            user_email=self.teamleader_user_email,
            account_id=self.teamleader_account_id,
            connected_by=self.connected_by,
            connected_at=_aware_or_none(self.connected_at),
            refreshed_at=_aware_or_none(self.refreshed_at),
            status=self.status or CONNECTED,
            problem=self.problem,
            problem_at=_aware_or_none(self.problem_at),
        )

    @staticmethod
    def fields_for(record: ConnectionRecord) -> dict[str, Any]:
        """Column values that store ``record`` (times as this site's ``USE_TZ`` wants them)."""
        token = record.token
        return {
            "access_token": token.access_token,
            "refresh_token": token.refresh_token,
            "expires_at": _for_db(token.expires_at),
            "token_type": token.token_type,
            "scopes": list(record.scopes),
            "teamleader_user_id": record.user_id[:64],
            "teamleader_user_name": record.user_name[:255],
            "teamleader_user_email": record.user_email[:254],
            "teamleader_account_id": record.account_id[:64],
            "connected_by": record.connected_by[:150],
            "connected_at": _for_db(record.connected_at),
            "refreshed_at": _for_db(record.refreshed_at),
            "status": record.status,
            "problem": record.problem,
            "problem_at": _for_db(record.problem_at),
        }

    @property
    def masked_access_token(self) -> str:
        return mask(self.access_token)

    @property
    def masked_refresh_token(self) -> str:
        return mask(self.refresh_token)


def _aware_or_none(value: dt.datetime | str | None) -> dt.datetime | None:
    return as_aware(value) if value else None


def _for_db(value: dt.datetime | None) -> dt.datetime | None:
    # A site with USE_TZ = False stores naive local times; its backend refuses aware ones.
    if value is None or settings.USE_TZ:
        return value
    return timezone.make_naive(value, timezone.get_default_timezone())
