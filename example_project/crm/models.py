"""A local record that becomes a Teamleader contact when it is saved."""

from __future__ import annotations

from django.db import models


class Signup(models.Model):
    """Someone who left their details on the website (or was typed into the admin).

    Saving a signup that has no Teamleader id yet creates the contact in Teamleader
    (see ``crm.signals``) and stores the contact's id in ``teamleader_id``.
    """

    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    teamleader_id = models.CharField("Teamleader contact ID", max_length=64, blank=True, editable=False)
    sync_error = models.TextField("last push error", blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
