"""What a hostile reader could take or steer: contacts of gone ads, links, cookies, headers, read rates.

Each test reproduces a finding of the hostile test of a running instance: a
forged Host header chose the management link's host, gone ads still showed
their poster's name and most phone digits, the session cookie had no
SameSite, JSON answers had no nosniff, and single-ad reads were unlimited.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

import pytest

from core.ads import expire_due
from core.db import transaction
from service.app import create_app
from tests.integration.test_ads_api import AD, _age, post
from tests.integration.test_web_pages import ad_form, manage_url


def test_the_management_link_uses_the_configured_host_not_the_request_s(client, test_settings):
    evil = {"Host": "evil.example"}
    body = client.post("/api/v1/ads", json={
        "title": "طاولة خشب سنديان", "category": "cars", "area": "damascus-city",
        "contact_name": "سامر", "contact_phone": "0944 555 666"}, headers=evil).get_json()
    assert body["manage_url"].startswith(test_settings.public_base_url + "/manage/")
    form = client.get("/post", headers=evil).get_data(as_text=True)
    field = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert field, "the form carries its CSRF token"
    token = field.group(1)
    page = client.post("/post", data=ad_form() | {"csrf_token": token}, headers=evil)
    assert page.status_code == 201
    html = page.get_data(as_text=True)
    assert "evil.example" not in html
    assert f'href="{test_settings.public_base_url}/manage/' in html and "#token=" in manage_url(html)


@pytest.mark.parametrize("gone", ["withdrawn", "expired"])
def test_gone_ads_show_no_contact_data(client, session_factory, gone):
    body, token = post(client, contact_name="أبو يوسف الحلبي")
    if gone == "withdrawn":
        assert client.delete(f"/api/v1/ads/{body['slug']}", headers=token).status_code == 200
    else:
        _age(session_factory, body["id"], 1)
        with transaction(session_factory) as session:
            assert body["id"] in expire_due(session, dt.datetime.now(dt.UTC))
    public = client.get(f"/api/v1/ads/{body['slug']}").get_json()
    assert public["status"] == gone
    assert public["contact_name"] is None and public["contact_phone_masked"] is None
    page = client.get(f"/ad/{body['slug']}").get_data(as_text=True)
    assert "أبو يوسف الحلبي" not in page and "0944" not in page
    # Its owner still sees them.
    owner = client.patch(f"/api/v1/ads/{body['slug']}", json={"negotiable": True}, headers=token).get_json()
    assert owner["contact_name"] == "أبو يوسف الحلبي" and owner["contact_phone_masked"].startswith("0944")


def test_live_ads_still_show_name_and_masked_phone(client):
    body, _ = post(client, contact_name="أم علي")
    public = client.get(f"/api/v1/ads/{body['slug']}").get_json()
    assert public["contact_name"] == "أم علي" and public["contact_phone_masked"].startswith("0944")


def test_json_answers_say_nosniff_and_the_session_cookie_is_samesite(client):
    for response in (client.get("/api/v1/health"), client.get("/api/v1/ads/nosuchad1"),
                     client.get("/api/v1/search", query_string={"q": "سيارة"})):
        assert response.headers["X-Content-Type-Options"] == "nosniff", response.status_code
    page = client.get("/post")
    cookie = page.headers.get("Set-Cookie", "")
    assert cookie and "SameSite=Lax" in cookie and "HttpOnly" in cookie


def test_single_ad_reads_are_rate_limited_per_address(test_settings):
    # The session's own index (the ad page also searches for similar ads); addresses of
    # this test's own, so no other test's counters mix in.
    settings = test_settings.with_overrides(rate_limits_enabled=True, rate_limit_read="3 per minute")
    app = create_app(settings)
    app.config["TESTING"] = True
    client = app.test_client()
    poster, walker, other = (f"198.18.{secrets.randbelow(250)}.{n}" for n in (1, 2, 3))
    body = client.post("/api/v1/ads", json=AD, environ_base={"REMOTE_ADDR": poster}).get_json()
    walking = {"REMOTE_ADDR": walker}
    api = [client.get(f"/api/v1/ads/{body['slug']}", environ_base=walking).status_code for _ in range(4)]
    assert api == [200, 200, 200, 429]
    pages = [client.get(f"/ad/{body['slug']}", environ_base=walking).status_code for _ in range(4)]
    assert pages[:3] == [200, 200, 200] and pages[3] == 429
    assert client.get(f"/api/v1/ads/{body['slug']}", environ_base={"REMOTE_ADDR": other}).status_code == 200
