"""Saving a Signup pushes it to Teamleader as a contact and keeps the contact's id."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from crm.models import Signup
from crm.sync import SIGNUP_TAG


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """``with on_commit(execute=True):`` runs the callbacks the block's commits would run."""
    return django_capture_on_commit_callbacks


def test_saving_a_signup_creates_the_contact(sandbox, token, on_commit):
    with on_commit(execute=True):
        signup = Signup.objects.create(first_name="Grace", last_name="Hopper", email="grace@example.com")
    signup.refresh_from_db()
    contact = sandbox.state.contacts[signup.teamleader_id]
    assert (contact["first_name"], contact["last_name"]) == ("Grace", "Hopper")
    assert contact["emails"] == [{"type": "primary", "email": "grace@example.com"}]
    assert contact["tags"] == [SIGNUP_TAG]
    assert signup.sync_error == ""


def test_the_push_waits_for_the_commit(sandbox, token, on_commit):
    with on_commit(execute=True):
        try:
            with transaction.atomic():
                Signup.objects.create(last_name="Rolled Back", email="gone@example.com")
                raise RuntimeError
        except RuntimeError:
            pass
    assert not any(c["last_name"] == "Rolled Back" for c in sandbox.state.contacts.values())
    assert sandbox.stats["api_calls"] == 0


def test_saving_again_does_not_create_a_second_contact(sandbox, token, on_commit):
    with on_commit(execute=True):
        signup = Signup.objects.create(last_name="Lamarr", email="hedy@example.com")
    signup.refresh_from_db()
    count = len(sandbox.state.contacts)
    with on_commit(execute=True):
        signup.first_name = "Hedy"
        signup.save()
    assert len(sandbox.state.contacts) == count


def test_without_a_connection_the_signup_is_kept_with_the_error(sandbox, db, on_commit):
    with on_commit(execute=True):
        signup = Signup.objects.create(last_name="Lovelace", email="ada@example.com")
    signup.refresh_from_db()
    assert signup.teamleader_id == ""
    assert "No Teamleader token is stored" in signup.sync_error


def test_the_admin_add_form_pushes_the_signup(admin_client, sandbox, token, on_commit):
    with on_commit(execute=True):
        response = admin_client.post(
            reverse("admin:crm_signup_add"),
            {"first_name": "Katherine", "last_name": "Johnson", "email": "kj@example.com"},
        )
    assert response.status_code == 302
    signup = Signup.objects.get()
    assert sandbox.state.contacts[signup.teamleader_id]["last_name"] == "Johnson"


def test_the_admin_action_retries_failed_pushes(admin_client, sandbox, token, on_commit):
    sandbox.fail_next("contacts.add", 403)
    with on_commit(execute=True):
        signup = Signup.objects.create(last_name="Lovelace", email="ada@example.com")
    signup.refresh_from_db()
    assert signup.teamleader_id == "" and "HTTP 403" in signup.sync_error

    response = admin_client.post(
        reverse("admin:crm_signup_changelist"),
        {"action": "push_to_teamleader", "_selected_action": [signup.pk]},
        follow=True,
    )
    signup.refresh_from_db()
    assert signup.teamleader_id in sandbox.state.contacts
    assert signup.sync_error == ""
    assert "Pushed 1 signup(s) to Teamleader." in response.content.decode()
