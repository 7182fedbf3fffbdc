"""Fixtures for the Django app's tests."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client


@pytest.fixture
def staff_client(django_user_model):
    """``staff_client("view", "change")``: a logged-in staff user with those permissions on the model."""

    def make(*actions: str) -> Client:
        user = django_user_model.objects.create_user("staff", password="unused", is_staff=True)
        for action in actions:
            user.user_permissions.add(Permission.objects.get(codename=f"{action}_teamleadertoken"))
        client = Client()
        client.force_login(user)
        return client

    return make
