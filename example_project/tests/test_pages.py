"""Every page renders against the sandbox, and says what to do when it cannot."""

from __future__ import annotations

import pytest
from django.urls import reverse
from teamleader.django.models import TeamleaderToken

from helpers import assert_no_secrets, deal_with_status, endpoints

CONNECT_URL = "/admin/teamleader_django/teamleadertoken/"


def newest_contacts(sandbox) -> list[dict]:
    return sorted(sandbox.state.contacts.values(), key=lambda c: c["added_at"], reverse=True)


def test_pages_need_a_login(client, db):
    for url in (reverse("crm:dashboard"), reverse("crm:contact_create"), reverse("crm:deal", args=["x"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_dashboard_lists_contacts_and_deals_from_the_mirror(admin_client, sandbox, mirrored):
    response = admin_client.get(reverse("crm:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    first, eleventh = newest_contacts(sandbox)[0], newest_contacts(sandbox)[10]
    assert first["last_name"] in html and first["emails"][0]["email"] in html
    assert eleventh["last_name"] not in html  # page 1 holds ten
    newest_deal = max(sandbox.state.deals.values(), key=lambda d: d["created_at"])
    assert reverse("crm:deal", args=[newest_deal["id"]]) in html
    assert sandbox.state.phases[newest_deal["current_phase"]["id"]]["name"] in html
    assert "?contacts=2" in html and "?deals=2" in html
    assert "Previous" not in html
    assert f"{len(sandbox.state.contacts)} contacts and {len(sandbox.state.deals)} deals" in html
    assert endpoints(sandbox) == []  # read from the site's own database
    assert_no_secrets(response.content, mirrored)


def test_dashboard_pages_through_each_list_separately(admin_client, sandbox, mirrored):
    response = admin_client.get(reverse("crm:dashboard"), {"contacts": "2", "deals": "1"})
    html = response.content.decode()
    assert newest_contacts(sandbox)[10]["last_name"] in html
    assert newest_contacts(sandbox)[0]["last_name"] not in html
    assert "?contacts=1&amp;deals=1" in html  # previous keeps the other list's page
    assert "?contacts=3&amp;deals=1" in html


def test_dashboard_after_the_last_page(admin_client, sandbox, mirrored):
    response = admin_client.get(reverse("crm:dashboard"), {"contacts": "7"})  # 60 contacts: 6 pages
    html = response.content.decode()
    assert "No more contacts." in html
    assert "?contacts=6" in html and "?contacts=8" not in html


def test_dashboard_ignores_a_bad_page_number(admin_client, sandbox, mirrored):
    response = admin_client.get(reverse("crm:dashboard"), {"contacts": "abc", "deals": "-3"})
    assert response.status_code == 200
    assert newest_contacts(sandbox)[0]["last_name"] in response.content.decode()


def test_an_empty_mirror_offers_to_copy_teamleader(admin_client, sandbox, token):
    html = admin_client.get(reverse("crm:dashboard")).content.decode()
    assert "The mirror is empty." in html and "Copy from Teamleader" in html
    response = admin_client.post(reverse("crm:mirror_sync"), follow=True)
    html = response.content.decode()
    assert "Synced from Teamleader: users (full): " in html
    assert "Webhooks registered: changes in Teamleader now reach this site." in html
    assert f"{len(sandbox.state.contacts)} contacts and {len(sandbox.state.deals)} deals" in html
    (url,) = sandbox.state.webhooks
    assert url == "http://testserver/teamleader/webhook/example-sandbox-webhook-secret-not-for-production/"
    assert {"deal.won", "contact.added", "company.deleted"} <= set(sandbox.state.webhooks[url])


def test_the_status_version_changes_with_the_mirror(admin_client, sandbox, mirrored):
    before = admin_client.get(reverse("crm:mirror_status")).json()["version"]
    assert admin_client.get(reverse("crm:mirror_status")).json()["version"] == before
    deal = deal_with_status(sandbox, "open", "new")
    admin_client.post(reverse("crm:deal_win", args=[deal["id"]]))
    assert admin_client.get(reverse("crm:mirror_status")).json()["version"] != before


def test_open_deal_page_offers_win_and_lose(admin_client, sandbox, token):
    deal = deal_with_status(sandbox, "open")
    response = admin_client.get(reverse("crm:deal", args=[deal["id"]]))
    assert response.status_code == 200
    html = response.content.decode()
    assert deal["title"] in html
    company = sandbox.state.companies[deal["lead"]["customer"]["id"]]
    assert company["name"] in html
    assert sandbox.state.phases[deal["current_phase"]["id"]]["name"] in html
    assert reverse("crm:deal_win", args=[deal["id"]]) in html
    assert reverse("crm:deal_lose", args=[deal["id"]]) in html
    for reason in sandbox.state.lost_reasons.values():
        assert f'value="{reason["id"]}"' in html
    assert html.count("csrfmiddlewaretoken") == 2
    assert_no_secrets(response.content, token)
    expected = ["companies.info", "dealPhases.list", "deals.info", "lostReasons.list"]
    assert sorted(endpoints(sandbox)) == expected


def test_lost_deal_page_shows_the_reason(admin_client, sandbox, token):
    deal = deal_with_status(sandbox, "lost")
    reason = sandbox.state.lost_reasons[deal["lost_reason"]["reason"]["id"]]
    response = admin_client.get(reverse("crm:deal", args=[deal["id"]]))
    html = response.content.decode()
    assert "This deal was lost" in html and reason["name"] in html
    assert "Mark as won" not in html


def test_won_deal_page(admin_client, sandbox, token):
    deal = deal_with_status(sandbox, "won")
    html = admin_client.get(reverse("crm:deal", args=[deal["id"]])).content.decode()
    assert "This deal was won" in html and "Mark as lost" not in html


def test_contact_form_renders(admin_client, sandbox, token):
    response = admin_client.get(reverse("crm:contact_create"))
    assert response.status_code == 200
    assert 'name="last_name"' in response.content.decode()
    assert endpoints(sandbox) == []  # showing the form needs no Teamleader call


def test_header_says_who_is_connected(admin_client, sandbox, token):
    TeamleaderToken.objects.update(teamleader_user_name="Sofie Peeters")
    html = admin_client.get(reverse("crm:dashboard")).content.decode()
    assert "Teamleader: Sofie Peeters" in html and "Sandbox" in html


@pytest.mark.parametrize(
    "method, url_name, args", [("post", "crm:mirror_sync", []), ("get", "crm:deal", ["any-id"])]
)
def test_not_connected_shows_the_call_to_action(admin_client, sandbox, db, method, url_name, args):
    response = getattr(admin_client, method)(reverse(url_name, args=args))
    assert response.status_code == 503
    html = response.content.decode()
    assert "Connect this site to Teamleader" in html
    assert f'href="{CONNECT_URL}"' in html
    assert sandbox.stats["api_calls"] == 0


def test_the_call_to_action_leads_to_the_connect_button(admin_client, sandbox, db):
    response = admin_client.get(CONNECT_URL)
    assert response.status_code == 200
    assert 'id="teamleader-connect"' in response.content.decode()


def test_the_dashboard_shows_the_mirror_even_without_a_connection(admin_client, sandbox, mirrored):
    sandbox.revoke_tokens()
    response = admin_client.get(reverse("crm:dashboard"))
    assert (
        response.status_code == 200 and newest_contacts(sandbox)[0]["last_name"] in response.content.decode()
    )


def test_expired_connection_asks_to_connect_again(admin_client, sandbox, token):
    sandbox.revoke_tokens()  # as after a sandbox restart, or an uninstalled integration
    deal = deal_with_status(sandbox, "open")
    response = admin_client.get(reverse("crm:deal", args=[deal["id"]]))
    assert response.status_code == 503
    html = response.content.decode()
    assert "The Teamleader connection has expired" in html
    assert f'href="{CONNECT_URL}"' in html
    assert sandbox.stats["rejected_refreshes"] == 1
    assert_no_secrets(response.content, token)


def test_unknown_deal_is_a_friendly_404(admin_client, sandbox, token):
    response = admin_client.get(reverse("crm:deal", args=["00000000-0000-0000-0000-000000000000"]))
    assert response.status_code == 404
    assert "Not found in Teamleader" in response.content.decode()


def test_other_teamleader_errors_are_explained(admin_client, sandbox, token):
    sandbox.fail_next("deals.info", 403)
    deal = deal_with_status(sandbox, "open")
    response = admin_client.get(reverse("crm:deal", args=[deal["id"]]))
    assert response.status_code == 502
    html = response.content.decode()
    assert "Teamleader could not complete this request" in html
    assert "deals.info failed with HTTP 403" in html
    assert_no_secrets(response.content, token)


def test_teamleader_out_of_reach_is_called_that(admin_client, sandbox, token, settings):
    settings.TEAMLEADER = {**settings.TEAMLEADER, "API_BASE_URL": "https://api.unreachable.invalid"}
    deal = deal_with_status(sandbox, "open")
    html = admin_client.get(reverse("crm:deal", args=[deal["id"]])).content.decode()
    assert "Could not reach Teamleader: nothing answered" in html
    assert "Teamleader answered with an error" not in html
