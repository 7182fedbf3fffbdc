"""The admin's "Connect to Teamleader" button in a real headless Chromium.

Runs against pytest-django's live server and the offline Teamleader sandbox served
over HTTP: log in, click Connect, approve on the sandbox's authorize page, land back
in the admin. Needs Debian's ``chromium`` package (``/usr/bin/chromium``) and the
``playwright`` package; never downloads a browser.
"""

from __future__ import annotations

from teamleader.django.models import TeamleaderToken

from .chromium import ARTIFACTS, BROWSER, chromium_page

pytestmark = BROWSER


def test_connect_to_teamleader_from_the_admin(live_server, admin_user, teamleader_sandbox_server, settings):
    sandbox = teamleader_sandbox_server
    settings.TEAMLEADER = {**settings.TEAMLEADER, "AUTH_BASE_URL": sandbox.url, "API_BASE_URL": sandbox.url}
    status_url = f"{live_server.url}/admin/teamleader_django/teamleadertoken/"

    with chromium_page() as page:
        page.goto(status_url)
        page.fill("#id_username", admin_user.username)
        page.fill("#id_password", "password")  # pytest-django's admin_user
        page.click("input[type=submit]")
        assert page.inner_text("#teamleader-status").strip() == "Not connected"

        page.click("#teamleader-connect")
        page.wait_for_url(f"{sandbox.url}/oauth2/authorize?*")
        assert "Authorize integration" in page.title()
        page.click("button:has-text('Approve')")

        page.wait_for_url(status_url)
        success = page.inner_text(".messagelist .success")
        status = page.inner_text("#teamleader-status").strip()
        button = page.inner_text("#teamleader-connect").strip()
        html = page.content()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "admin-connect.png"), full_page=True)

    assert success.startswith("Connected to Teamleader as ")
    assert "The access token expires at " in success
    assert (status, button.lower()) == ("Connected", "reconnect")
    row = TeamleaderToken.objects.get()
    assert row.connected_by == admin_user.username and row.teamleader_user_email
    assert row.teamleader_user_email in success
    assert row.access_token not in html and row.refresh_token not in html
    assert sandbox.sandbox.stats["code_grants"] == 1


def test_a_lost_connection_shows_red_until_reconnected(
    live_server, admin_user, teamleader_sandbox_server, settings
):
    sandbox = teamleader_sandbox_server
    settings.TEAMLEADER = {**settings.TEAMLEADER, "AUTH_BASE_URL": sandbox.url, "API_BASE_URL": sandbox.url}
    status_url = f"{live_server.url}/admin/teamleader_django/teamleadertoken/"

    with chromium_page() as page:
        page.goto(status_url)
        page.fill("#id_username", admin_user.username)
        page.fill("#id_password", "password")
        page.click("input[type=submit]")
        page.click("#teamleader-connect")
        page.click("button:has-text('Approve')")
        page.wait_for_url(status_url)

        sandbox.sandbox.revoke_tokens()  # the integration is removed in Teamleader
        page.click("#teamleader-test")
        page.wait_for_url(status_url)
        error = page.inner_text(".messagelist .error")
        status = page.inner_text("#teamleader-status").strip()
        color = page.eval_on_selector(".teamleader-lost", "e => getComputedStyle(e).color")
        error_color = page.evaluate(
            """() => { const probe = document.createElement("span"); probe.style.color = "var(--error-fg)";
                       document.body.appendChild(probe); const c = getComputedStyle(probe).color;
                       probe.remove(); return c; }"""
        )
        problem = page.inner_text("#teamleader-problem")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "admin-needs-reconnecting.png"), full_page=True)
        page.goto(f"{live_server.url}/admin/")
        notice = page.inner_text("#teamleader-notice")
        page.screenshot(path=str(ARTIFACTS / "admin-index-notice.png"), full_page=True)

        page.goto(status_url)
        page.click("#teamleader-connect")  # labelled "Reconnect"
        page.click("button:has-text('Approve')")
        page.wait_for_url(status_url)
        status_after = page.inner_text("#teamleader-status").strip()

    assert error.startswith(
        "The connection does not work: Teamleader no longer accepts this site's refresh token"
    )
    assert status.startswith("Needs reconnecting since ")
    assert color == error_color != ""  # the admin's own error colour
    assert "the integration was removed or authorised again in Teamleader" in problem
    assert notice.startswith("Teamleader needs reconnecting since ") and "Reconnect" in notice
    assert status_after == "Connected"
    assert TeamleaderToken.objects.get().status == "connected"
