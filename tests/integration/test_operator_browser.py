"""An operator in a real headless Chromium: sign in, find a reported ad, hide it with a reason, see the log.

Same server and browser fixtures as test_browser.py; screenshots land in
build/screenshots/operator-*.png for a human look at the RTL layout.
"""

from __future__ import annotations

import re

import pytest

from tests.integration.conftest import TEST_OPERATOR
from tests.integration.test_browser import DESKTOP, PHONE, browser, live_server, new_page, shot, unique_word  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.fixture()
def reported_ad(app) -> dict:
    """An ad, reported twice through the API, with a word of its own in the title."""
    client = app.test_client()
    tag = unique_word()
    ad = {"title": f"ساعة رولكس {tag} أصلية بنصف السعر", "description": "الدفع مقدماً بالتحويل فقط.",
          "category": "cars", "area": "aleppo-city", "price": "٣٠٠", "currency": "USD",
          "contact_name": "أبو فادي", "contact_phone": "0933 202 303"}
    body = client.post("/api/v1/ads", json=ad).get_json()
    for reason, note in (("fraud", "يطلب تحويلاً قبل المعاينة"), ("spam", "")):
        reported = client.post(f"/api/v1/ads/{body['slug']}/reports", json={"reason": reason, "note": note})
        assert reported.status_code == 201
    return body | {"tag": tag}


def test_an_operator_hides_a_reported_ad_and_sees_it_in_the_log(browser, live_server, reported_ad, operator_token):  # noqa: F811
    problems: list[str] = []
    page = new_page(browser, DESKTOP, problems)
    tag = reported_ad["tag"]

    page.goto(live_server + "/operator/")
    assert "/operator/sign-in" in page.url and page.locator("html").get_attribute("dir") == "rtl"
    page.fill("#token", "not-the-operator-token-at-all")
    page.get_by_role("button", name="دخول").click()
    assert "رمز المشرف غير صحيح" in page.locator("#sign-in-error").inner_text()
    shot(page, "operator-sign-in-error")
    page.fill("#token", operator_token)
    page.get_by_role("button", name="دخول").click()
    assert page.url.rstrip("/").endswith("/operator")
    assert page.locator(".operator-name").inner_text() == TEST_OPERATOR

    def queue_row():
        # Walk the queue's pages: other tests' reports may rank above this ad.
        while True:
            row = page.locator(f'tr[data-ad-id="{reported_ad["id"]}"]')
            if row.count():
                return row
            following = page.locator('a[rel="next"]')
            assert following.count(), "the reported ad is not in the queue"
            following.click()

    row = queue_row()
    assert row.locator(".report-count").inner_text() == "٢"
    assert "احتيال" in row.inner_text() and "الآن" in row.inner_text()
    shot(page, "operator-queue")

    row.get_by_role("link").click()
    assert tag in page.locator("h1").inner_text()
    assert "يطلب تحويلاً قبل المعاينة" in page.locator("#reports").inner_text()
    assert "٣٠٠ دولار" in page.locator(".ad-price").inner_text() and "أبو فادي" in page.content()
    shot(page, "operator-ad")

    page.get_by_role("button", name="أخفِ الإعلان").click()  # no reason: the browser keeps the form
    assert "/hide" not in page.url
    page.fill("#hide-reason", "احتيال: يطلب الدفع مقدماً")
    page.get_by_role("button", name="أخفِ الإعلان").click()
    assert "أُخفي الإعلان" in page.locator("#done").inner_text()
    assert page.locator("#ad-status").inner_text() == "مخفي"
    assert page.get_by_role("button", name="أعد إظهار الإعلان").is_visible()
    shot(page, "operator-ad-hidden")

    page.get_by_role("link", name="سجل الإجراءات").click()
    entry = page.locator("#audit-log tbody tr").first
    text = entry.inner_text()
    assert TEST_OPERATOR in text and "إخفاء" in text and "احتيال: يطلب الدفع مقدماً" in text and tag in text
    shot(page, "operator-log")

    phone = new_page(browser, PHONE, problems)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(live_server + "/operator/log")
    assert phone.locator("#audit-log").is_visible()
    shot(phone, "operator-log-phone")
    phone.context.close()

    public = page.goto(f"{live_server}/ad/{reported_ad['slug']}")
    assert public is not None and public.status == 404

    page.goto(live_server + "/operator/")
    page.get_by_role("button", name="تسجيل الخروج").click()
    assert "خرجت من صفحات الإشراف" in page.content()

    blocked = [p for p in problems if re.search(r"Content Security Policy|Refused", p)]
    assert not blocked, blocked
    page.context.close()
