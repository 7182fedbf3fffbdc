"""The mirror in the admin: read-only lists with search and filters, and two actions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from teamleader.django.mirror.events import process_pending
from teamleader.django.mirror.models import Contact, Deal, WebhookEvent

from ..admin_helpers import messages_of
from .test_webhook_events import post

MODELS = ("contact", "company", "deal", "user", "dealphase", "dealpipeline", "webhookevent", "syncstate")


@pytest.fixture
def account_size():
    return {"companies": 10, "contacts": 120, "deals": 30}


def changelist(model):
    return reverse(f"admin:teamleader_mirror_{model}_changelist")


@pytest.mark.parametrize("model", MODELS)
def test_every_list_renders_read_only(admin_client, mirrored, model):
    response = admin_client.get(changelist(model))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"/admin/teamleader_mirror/{model}/add/" not in page


def test_search_and_filters(admin_client, mirrored):
    contact = Contact.objects.exclude(email="").first()
    page = admin_client.get(changelist("contact"), {"q": contact.email}).content.decode()
    assert contact.last_name in page and "1 result" in page
    page = admin_client.get(changelist("deal"), {"status__exact": "won"}).content.decode()
    links = {
        deal.status: reverse("admin:teamleader_mirror_deal_change", args=[deal.pk])
        for deal in Deal.objects.all()
    }
    assert links["won"] in page and links["lost"] not in page
    phase = Deal.objects.exclude(phase=None).first().phase
    response = admin_client.get(changelist("deal"), {"phase__id__exact": str(phase.pk)})
    assert response.status_code == 200 and phase.name in response.content.decode()


def test_a_record_page_shows_its_data_and_cannot_be_edited(admin_client, mirrored):
    deal = Deal.objects.first()
    page = admin_client.get(reverse("admin:teamleader_mirror_deal_change", args=[deal.pk])).content.decode()
    assert deal.data["web_url"] in page and deal.data["reference"] in page
    assert 'name="_save"' not in page and "Delete" not in page
    response = admin_client.post(
        reverse("admin:teamleader_mirror_deal_change", args=[deal.pk]), {"title": "x"}
    )
    assert response.status_code == 403


def test_sync_selected_fetches_them_again_and_removes_the_gone(admin_client, mirrored):
    changed, gone, same = list(mirrored.state.contacts)[:3]
    mirrored.api("contacts.update", {"id": changed, "first_name": "Renamed"})
    mirrored.api("contacts.delete", {"id": gone})
    mirrored.calls.clear()
    response = admin_client.post(
        changelist("contact"),
        {"action": "sync_selected", "_selected_action": [changed, gone, same]},
        follow=True,
    )
    assert messages_of(response) == [
        ("success", "Synced 3 contacts from Teamleader (calls: 1): 1 changed, 1 removed because Teamleader "
         "no longer has them.")
    ]  # fmt: skip
    assert Contact.objects.get(pk=changed).first_name == "Renamed"
    assert not Contact.objects.filter(pk=gone).exists()
    assert [c["endpoint"] for c in mirrored.calls] == ["contacts.list"]


def test_the_actions_need_the_change_permission(mirrored, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_contact", "view_webhookevent"]))
    viewer = Client()
    viewer.force_login(user)
    assert "sync_selected" not in viewer.get(changelist("contact")).content.decode()
    assert "process_again" not in viewer.get(changelist("webhookevent")).content.decode()
    user.user_permissions.add(Permission.objects.get(codename="change_contact"))
    viewer = Client()
    viewer.force_login(user)
    assert "sync_selected" in viewer.get(changelist("contact")).content.decode()


def test_process_again(admin_client, mirrored):
    contact_id = next(iter(mirrored.state.contacts))
    mirrored.fail_next("contacts.list", 503, times=4)
    post({"type": "contact.updated", "subject": {"type": "contact", "id": contact_id}})
    process_pending()
    event = WebhookEvent.objects.get()
    assert event.state == "failed"
    page = admin_client.get(changelist("webhookevent")).content.decode()
    assert "TeamleaderServerError" in page and "failed" in page
    mirrored.api("contacts.update", {"id": contact_id, "first_name": "Again"})
    response = admin_client.post(
        changelist("webhookevent"), {"action": "process_again", "_selected_action": [event.pk]}, follow=True
    )
    assert messages_of(response) == [("success", "Processed 1 event: 1 done, 0 failed.")]
    assert Contact.objects.get(pk=contact_id).first_name == "Again"
    event.refresh_from_db()
    assert (event.state, event.attempts) == ("done", 2)
    detail = admin_client.get(reverse("admin:teamleader_mirror_webhookevent_change", args=[event.pk]))
    assert contact_id in detail.content.decode()
