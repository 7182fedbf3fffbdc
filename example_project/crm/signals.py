"""Receivers: a saved signup becomes a Teamleader contact."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Signup
from .sync import push_signup


@receiver(post_save, sender=Signup, dispatch_uid="crm.push_signup_to_teamleader")
def push_signup_to_teamleader(sender: type[Signup], instance: Signup, raw: bool = False, **kw: Any) -> None:
    """Once the row is committed, create its contact in Teamleader (if not done yet).

    After the commit, not inside the transaction: a rolled-back save must not leave a
    contact behind in Teamleader, and a token refresh inside a transaction that is
    later rolled back would lose the rotated token.
    """
    if raw or instance.teamleader_id:  # raw: loaddata
        return
    transaction.on_commit(partial(push_signup, instance.pk))
