"""Pushing a local :class:`~crm.models.Signup` to Teamleader as a contact."""

from __future__ import annotations

import logging

from teamleader import NOT_GIVEN, TeamleaderError
from teamleader.django import get_client

from .models import Signup

logger = logging.getLogger(__name__)

#: Tag on every contact created from a signup, to find them in Teamleader.
SIGNUP_TAG = "website signup"


def push_signup(signup_id: int) -> bool:
    """Create the signup's contact in Teamleader and store the contact's id on the row.

    Returns whether the signup is in Teamleader now. A failure is logged and kept in
    ``sync_error`` (shown in the admin) instead of raised: the local row stays saved,
    and saving it again, or the admin action, tries once more.
    """
    signup = Signup.objects.filter(pk=signup_id).first()
    if signup is None:
        return False
    if signup.teamleader_id:
        return True
    try:
        contact = get_client().contacts.add(
            first_name=signup.first_name or NOT_GIVEN,
            last_name=signup.last_name,
            emails=[{"type": "primary", "email": signup.email}],
            tags=[SIGNUP_TAG],
        )
    except TeamleaderError as err:
        logger.warning("Signup %s was not pushed to Teamleader: %s", signup.pk, err)
        Signup.objects.filter(pk=signup.pk).update(sync_error=str(err))
        return False
    # update(), not save(): saving would send post_save again.
    Signup.objects.filter(pk=signup.pk).update(teamleader_id=contact.id, sync_error="")
    return True
