"""Win, lose and create-contact change the sandbox's account; writes need POST and CSRF."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from helpers import deal_with_status, endpoints


def test_win_a_deal(admin_client, sandbox, token):
    deal = deal_with_status(sandbox, "open", "new")
    response = admin_client.post(reverse("crm:deal_win", args=[deal["id"]]), follow=True)
    assert sandbox.state.deals[deal["id"]]["status"] == "won"
    assert response.redirect_chain == [(reverse("crm:deal", args=[deal["id"]]), 302)]
    html = response.content.decode()
    assert "The deal is marked as won in Teamleader." in html
    assert "This deal was won" in html


def test_lose_a_deal_with_a_reason(admin_client, sandbox, token):
    deal = deal_with_status(sandbox, "open", "new")
    reason = next(iter(sandbox.state.lost_reasons.values()))
    response = admin_client.post(
        reverse("crm:deal_lose", args=[deal["id"]]),
        {"reason_id": reason["id"], "extra_info": "Went with an in-house team"},
        follow=True,
    )
    stored = sandbox.state.deals[deal["id"]]
    assert stored["status"] == "lost"
    assert stored["lost_reason"] == {"reason": {"type": "lostReason", "id": reason["id"]},
                                     "remark": "Went with an in-house team"}
    html = response.content.decode()
    assert "The deal is marked as lost in Teamleader." in html
    assert reason["name"] in html


def test_lose_without_remark_sends_no_extra_info(admin_client, sandbox, token):
    deal = deal_with_status(sandbox, "open", "new")
    reason = next(iter(sandbox.state.lost_reasons.values()))
    admin_client.post(reverse("crm:deal_lose", args=[deal["id"]]), {"reason_id": reason["id"]})
    lose = next(call for call in sandbox.calls if call["endpoint"] == "deals.lose")
    assert lose["body"] == {"id": deal["id"], "reason_id": reason["id"]}


def test_lose_needs_a_reason(admin_client, sandbox, token):
    deal = deal_with_status(sandbox, "open", "new")
    response = admin_client.post(reverse("crm:deal_lose", args=[deal["id"]]), {"reason_id": ""}, follow=True)
    assert "Choose why the deal was lost." in response.content.decode()
    assert sandbox.state.deals[deal["id"]]["status"] == deal["status"]
    assert "deals.lose" not in endpoints(sandbox)


def test_lose_in_an_account_without_lost_reasons(admin_client, sandbox, token):
    sandbox.state.lost_reasons.clear()
    deal = deal_with_status(sandbox, "open", "new")
    page = admin_client.get(reverse("crm:deal", args=[deal["id"]])).content.decode()
    assert 'type="hidden" name="reason_id"' in page
    admin_client.post(reverse("crm:deal_lose", args=[deal["id"]]), {"reason_id": ""})
    assert sandbox.state.deals[deal["id"]]["status"] == "lost"
    lose = next(call for call in sandbox.calls if call["endpoint"] == "deals.lose")
    assert lose["body"] == {"id": deal["id"]}


def test_lose_rejects_a_reason_teamleader_does_not_have(admin_client, sandbox, token):
    deal = deal_with_status(sandbox, "open", "new")
    admin_client.post(reverse("crm:deal_lose", args=[deal["id"]]), {"reason_id": "made-up"})
    assert "deals.lose" not in endpoints(sandbox)


def test_writes_refuse_get(admin_client, sandbox, token):
    deal = deal_with_status(sandbox, "open", "new")
    assert admin_client.get(reverse("crm:deal_win", args=[deal["id"]])).status_code == 405
    assert admin_client.get(reverse("crm:deal_lose", args=[deal["id"]])).status_code == 405
    assert sandbox.state.deals[deal["id"]]["status"] == deal["status"]


def test_writes_need_the_csrf_token(admin_user, sandbox, token):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    deal = deal_with_status(sandbox, "open", "new")
    assert client.post(reverse("crm:deal_win", args=[deal["id"]])).status_code == 403
    assert client.post(reverse("crm:contact_create"), {"last_name": "Lovelace"}).status_code == 403
    assert endpoints(sandbox) == []


def test_win_when_not_connected_shows_the_call_to_action(admin_client, sandbox, db):
    deal = deal_with_status(sandbox, "open", "new")
    response = admin_client.post(reverse("crm:deal_win", args=[deal["id"]]))
    assert response.status_code == 503
    assert "Connect this site to Teamleader" in response.content.decode()
    assert sandbox.state.deals[deal["id"]]["status"] == deal["status"]


def test_create_a_contact(admin_client, sandbox, token):
    before = set(sandbox.state.contacts)
    response = admin_client.post(
        reverse("crm:contact_create"),
        {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "phone": "+32 470 123456"},
        follow=True,
    )
    (new_id,) = set(sandbox.state.contacts) - before
    contact = sandbox.state.contacts[new_id]
    assert (contact["first_name"], contact["last_name"]) == ("Ada", "Lovelace")
    assert contact["emails"] == [{"type": "primary", "email": "ada@example.com"}]
    assert contact["telephones"] == [{"type": "phone", "number": "+32 470 123456"}]
    assert response.redirect_chain == [(reverse("crm:dashboard"), 302)]
    html = response.content.decode()
    assert "Ada Lovelace was added to Teamleader." in html
    assert html.index("Ada Lovelace</td>") < html.index('id="deals"')  # newest first on the dashboard


def test_create_a_contact_with_only_a_last_name(admin_client, sandbox, token):
    admin_client.post(reverse("crm:contact_create"), {"last_name": "Hopper"})
    add = next(call for call in sandbox.calls if call["endpoint"] == "contacts.add")
    assert add["body"] == {"last_name": "Hopper"}


def test_contact_form_errors_are_shown_before_calling_teamleader(admin_client, sandbox, token):
    response = admin_client.post(reverse("crm:contact_create"), {"first_name": "Ada", "email": "not-email"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"last_name", "email"}
    assert endpoints(sandbox) == []


def test_teamleader_refusing_the_contact_keeps_the_form(admin_client, sandbox, token):
    sandbox.fail_next("contacts.add", 400)
    before = len(sandbox.state.contacts)
    response = admin_client.post(reverse("crm:contact_create"), {"last_name": "Lovelace"})
    assert response.status_code == 200
    assert "Teamleader refused the contact: Injected failure" in response.content.decode()
    assert response.context["form"]["last_name"].value() == "Lovelace"
    assert len(sandbox.state.contacts) == before


def test_a_won_deal_is_read_back_into_the_mirror_at_once(admin_client, sandbox, mirrored):
    from teamleader.django.mirror.models import Deal

    deal = deal_with_status(sandbox, "open", "new")
    admin_client.post(reverse("crm:deal_win", args=[deal["id"]]))
    assert Deal.objects.get(pk=deal["id"]).is_won
    assert endpoints(sandbox) == ["deals.win", "deals.list"]  # one call reads it back
    assert next(c for c in sandbox.calls if c["endpoint"] == "deals.list")["body"]["filter"] == {"ids": [deal["id"]]}
