"""factory-boy factories for the Django app's models."""

from __future__ import annotations

import datetime as dt
import secrets

import factory
from django.utils import timezone

from teamleader.django.models import TeamleaderToken


class TeamleaderTokenFactory(factory.django.DjangoModelFactory):
    """A connected site; ``TeamleaderTokenFactory(expired=True)`` for one due for refresh."""

    class Meta:
        model = TeamleaderToken
        django_get_or_create = ("id",)

    class Params:
        expired = factory.Trait(
            expires_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=5))
        )

    id = TeamleaderToken.SINGLETON_PK
    access_token = factory.LazyFunction(lambda: "at-" + secrets.token_hex(24))
    refresh_token = factory.LazyFunction(lambda: "rt-" + secrets.token_hex(24))
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=1))
    scopes = factory.LazyFunction(lambda: ["contacts", "companies", "deals", "users"])
    teamleader_user_id = "u-1"
    teamleader_user_name = "Ada Lovelace"
    teamleader_user_email = "ada@example.com"
    connected_by = "admin"
    connected_at = factory.LazyFunction(timezone.now)
