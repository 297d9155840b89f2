"""The operator pages through Flask's test client, against the real database, index and worker.

Sign-in with a named token, CSRF on every form, the queue of reported ads,
the ad as users saw it, hide/unhide/dismiss with a reason, the audit log.
"""

from __future__ import annotations

import re
import secrets
import time

import pytest
from sqlalchemy import select

from core.models import OperatorAction, Report
from tests.integration.conftest import TEST_OPERATOR, app_under_test
from tests.integration.test_ads_api import AD, post, stored
from tests.integration.test_web_pages import assert_accessible, assert_security_headers, csrf_token, unique_word
from tests.polling import wait_until

QUEUE_ROW = re.compile(r'<tr data-ad-id="(\d+)">.*?class="report-count">([^<]+)<', re.S)
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def sign_in(client, token: str, **extra: str):
    # The CSRF field from a public form: the sign-in form itself redirects once signed in.
    return client.post("/operator/sign-in", data={"csrf_token": csrf_token(client), "token": token} | extra)


@pytest.fixture()
def operator(app, operator_token):
    """A test client signed in as the session's operator."""
    client = app.test_client()
    assert sign_in(client, operator_token).status_code == 303
    return client


def act(client, ad_id: int, action: str, reason: str | None):
    data = {"csrf_token": csrf_token(client, f"/operator/ads/{ad_id}")}
    if reason is not None:
        data["reason"] = reason
    return client.post(f"/operator/ads/{ad_id}/{action}", data=data)


def reported(client, reasons: list[str], **changes: object) -> dict:
    body, _ = post(client, **changes)
    for reason in reasons:
        assert client.post(f"/api/v1/ads/{body['slug']}/reports",
                           json={"reason": reason, "note": "طلب تحويل مسبق"}).status_code == 201
    return body


def queue_rows(client) -> list[tuple[int, int]]:
    """(ad id, open reports) for every row of every queue page, in page order."""
    rows: list[tuple[int, int]] = []
    for page in range(1, 1000):
        html = client.get(f"/operator/?page={page}").get_data(as_text=True)
        found = [(int(ad_id), int(count.translate(ARABIC_DIGITS))) for ad_id, count in QUEUE_ROW.findall(html)]
        rows += found
        if 'rel="next"' not in html:
            return rows
    raise AssertionError("the queue never ended")


def audit_rows(session_factory, ad_id: int) -> list[OperatorAction]:
    with session_factory() as session:
        return list(session.scalars(select(OperatorAction).where(OperatorAction.ad_id == ad_id)
                                    .order_by(OperatorAction.id)))


@pytest.mark.parametrize("url", ["/operator/", "/operator/log", "/operator/ads/1", "/operator/ads/1?x=1"])
def test_signed_out_pages_send_to_the_sign_in_form(client, url):
    response = client.get(url)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/operator/sign-in?next=")
    assert response.headers["Cache-Control"] == "no-store"


def test_sign_in_page_is_arabic_private_and_labelled(client):
    response = client.get("/operator/sign-in")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "دخول المشرفين" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"] and '<meta name="robots" content="noindex' in html
    assert_accessible(html)
    assert_security_headers(response)


@pytest.mark.parametrize("token", ["", "x" * 32, "\u00ff" * 30, "ك" * 5000, " "])
def test_a_wrong_token_is_a_clear_arabic_403(client, session_factory, token):
    response = sign_in(client, token)
    assert response.status_code == 403
    assert "رمز المشرف غير صحيح" in response.get_data(as_text=True)
    assert client.get("/operator/").status_code == 303


def test_a_management_token_is_not_an_operator_token(client):
    _, owner = post(client)
    assert sign_in(client, owner["X-Manage-Token"]).status_code == 403


def test_sign_in_keeps_the_name_not_the_token_and_is_audited(app, session_factory, operator_token):
    client = app.test_client()
    response = sign_in(client, operator_token)
    assert response.status_code == 303 and response.headers["Location"] == "/operator/"
    with client.session_transaction() as session:
        assert session["operator"] == TEST_OPERATOR
        assert operator_token not in repr(dict(session))
    assert client.get_cookie("session") is not None and operator_token not in client.get_cookie("session").value
    page = client.get("/operator/")
    assert page.status_code == 200 and TEST_OPERATOR in page.get_data(as_text=True)
    with session_factory() as session:
        last = session.scalars(select(OperatorAction).order_by(OperatorAction.id.desc()).limit(1)).one()
    assert (last.operator, last.action, last.ad_id) == (TEST_OPERATOR, "sign_in", None)


def test_sign_in_goes_back_to_the_page_asked_for_and_only_to_ours(app, operator_token):
    for wanted, landing in (("/operator/log", "/operator/log"), ("https://evil.example/operator/", "/operator/"),
                            ("//evil.example/operator/", "/operator/"), ("/ad/x", "/operator/")):
        client = app.test_client()
        response = sign_in(client, operator_token, next=wanted)
        assert response.headers["Location"] == landing, wanted


def test_forms_without_csrf_are_refused(app, operator, operator_token, session_factory):
    body = reported(operator, ["fraud"])
    fresh = app.test_client()
    assert fresh.post("/operator/sign-in", data={"token": operator_token}).status_code == 400
    assert fresh.get("/operator/").status_code == 303  # not signed in by it
    for data in ({"reason": "احتيال"}, {"reason": "احتيال", "csrf_token": "forged"}):
        response = operator.post(f"/operator/ads/{body['id']}/hide", data=data)
        assert response.status_code == 400 and "انتهت صلاحية النموذج" in response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == "no-store"
    assert operator.post("/operator/sign-out").status_code == 400
    assert stored(session_factory, body["id"]).status == "active"
    assert audit_rows(session_factory, body["id"]) == []
    assert operator.get("/operator/").status_code == 200  # still signed in


def test_a_rotated_or_removed_token_signs_the_browser_out(test_settings, app, operator):
    cookie = operator.get_cookie("session").value
    for tokens in (f"{TEST_OPERATOR}:{secrets.token_urlsafe(24)}", f"someone:{secrets.token_urlsafe(24)}"):
        other = app_under_test(test_settings.with_overrides(operator_tokens=tokens)).test_client()
        other.set_cookie("session", cookie)
        assert other.get("/operator/").status_code == 303
    same = app.test_client()
    same.set_cookie("session", cookie)
    assert same.get("/operator/").status_code == 200


def test_a_session_ends_after_a_shift(app, operator, operator_token):
    from service.web.operator_auth import SESSION_HOURS, seal

    since = int(time.time()) - SESSION_HOURS * 3600 - 1
    with app.test_request_context():
        sealed = seal(TEST_OPERATOR, since, operator_token)
    with operator.session_transaction() as session:
        session.update({"operator_since": since, "operator_seal": sealed})
    assert operator.get("/operator/").status_code == 303


def test_sign_out_ends_the_session_and_is_audited(operator, session_factory):
    response = operator.post("/operator/sign-out", data={"csrf_token": csrf_token(operator, "/operator/")})
    assert response.status_code == 303 and "out=1" in response.headers["Location"]
    assert "خرجت من صفحات الإشراف" in operator.get(response.headers["Location"]).get_data(as_text=True)
    assert operator.get("/operator/").status_code == 303
    with session_factory() as session:
        last = session.scalars(select(OperatorAction).order_by(OperatorAction.id.desc()).limit(1)).one()
    assert (last.operator, last.action) == (TEST_OPERATOR, "sign_out")


def test_the_queue_is_most_reported_first_with_reasons_and_ages(operator):
    three = reported(operator, ["fraud", "fraud", "spam"], title="ساعة رولكس أصلية بسعر مغري")
    one = reported(operator, ["offensive"])
    two_early = reported(operator, ["duplicate", "other"])
    two_late = reported(operator, ["sold", "sold"])
    rows = queue_rows(operator)
    counts = [count for _, count in rows]
    assert counts == sorted(counts, reverse=True)  # the whole queue, across pages
    position = {ad_id: n for n, (ad_id, _) in enumerate(rows)}
    assert position[three["id"]] < position[two_early["id"]] < position[two_late["id"]] < position[one["id"]]
    assert dict(rows)[three["id"]] == 3
    html = operator.get("/operator/").get_data(as_text=True)
    if f'data-ad-id="{three["id"]}"' in html:  # on the first page unless other tests reported more
        row = html.split(f'data-ad-id="{three["id"]}"')[1].split("</tr>")[0]
        assert "احتيال × ٢" in row and "إعلان مزعج" in row and "الآن" in row and "ساعة رولكس" in row
    assert_accessible(html)


@pytest.mark.parametrize("query", ["page=0", "page=abc", "page=-1", "page=" + "9" * 40, "page=10001"])
def test_bad_page_numbers_are_400_pages(operator, query):
    for url in ("/operator/", "/operator/log"):
        response = operator.get(f"{url}?{query}")
        assert response.status_code == 400 and 'dir="rtl"' in response.get_data(as_text=True)


def test_a_page_past_the_end_is_empty_not_an_error(operator):
    assert "لا توجد بلاغات مفتوحة" in operator.get("/operator/?page=9999").get_data(as_text=True)


def test_the_ad_view_shows_it_as_users_saw_it_with_its_reports(operator):
    body = reported(operator, ["fraud", "spam"], title="آيفون ١٥ برو جديد مختوم",
                    description="ضمان سنة\nشحن مجاني", price="١٢٠٠", currency="USD",
                    images=["/static/img/placeholder.svg"])
    response = operator.get(f"/operator/ads/{body['id']}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for shown in ("آيفون ١٥ برو جديد مختوم", "ضمان سنة", "١٬٢٠٠ دولار", "أم خالد", body["contact_phone_masked"],
                  "/static/img/placeholder.svg", "طلب تحويل مسبق", "احتيال", "(مفتوح)", "أخفِ الإعلان",
                  "ارفض البلاغات", f'href="/ad/{body["slug"]}"'):
        assert shown in html, shown
    assert "أعد إظهار الإعلان" not in html
    assert response.headers["Cache-Control"] == "no-store" and "noindex" in response.headers["X-Robots-Tag"]
    assert_accessible(html)
    for ref in ("999999999999", "9" * 40, "not-a-ref!", "%00"):
        assert operator.get(f"/operator/ads/{ref}").status_code == 404


def test_hide_with_a_reason_takes_the_ad_off_the_site_and_out_of_search(operator, client, session_factory, worker):
    tag = unique_word()
    body = reported(operator, ["fraud"], title=f"سيارة تويوتا {tag} للبيع", contact_phone="0955 777 888")

    def search_ids() -> list[int]:
        return [hit["id"] for hit in client.get("/api/v1/search", query_string={"q": tag}).get_json()["results"]]

    wait_until(lambda: body["id"] in search_ids(), timeout=30, what="the ad indexed")
    response = act(operator, body["id"], "hide", "  احتيال: يطلب دفعة مقدماً  ")
    assert response.status_code == 303 and response.headers["Location"] == f"/operator/ads/{body['id']}?done=hide"
    page = operator.get(response.headers["Location"]).get_data(as_text=True)
    assert "أُخفي الإعلان" in page and "مخفي" in page and "أعد إظهار الإعلان" in page
    assert f"سيارة تويوتا {tag}" in page  # still shown to the operator
    assert client.get(f"/ad/{body['slug']}").status_code == 404
    wait_until(lambda: body["id"] not in search_ids(), timeout=30, what="the hidden ad gone from search")
    [row] = audit_rows(session_factory, body["id"])
    assert (row.operator, row.action, row.reason) == (TEST_OPERATOR, "hide", "احتيال: يطلب دفعة مقدماً")
    with session_factory() as session:
        assert {r.action_id for r in session.scalars(select(Report).where(Report.ad_id == body["id"]))} == {row.id}
    assert body["id"] not in dict(queue_rows(operator))
    log = operator.get("/operator/log").get_data(as_text=True)
    entry = log.split(f'data-action-id="{row.id}"')[1].split("</tr>")[0]
    assert TEST_OPERATOR in entry and "إخفاء" in entry and "احتيال: يطلب دفعة مقدماً" in entry
    assert f'href="/operator/ads/{body["id"]}"' in entry

    response = act(operator, body["id"], "unhide", "تحقّقنا: البائع حقيقي")
    assert response.status_code == 303
    assert client.get(f"/ad/{body['slug']}").status_code == 200
    wait_until(lambda: body["id"] in search_ids(), timeout=30, what="the restored ad back in search")
    assert [r.action for r in audit_rows(session_factory, body["id"])] == ["hide", "unhide"]


@pytest.mark.parametrize("reason", [None, "", "   ", "\u200f\u200e", "ك" * 501, "ك" * 20_000])
def test_an_action_without_a_usable_reason_is_refused_in_arabic(operator, session_factory, reason):
    body = reported(operator, ["spam"])
    for action in ("hide", "dismiss"):
        response = act(operator, body["id"], action, reason)
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and "اكتب سبب الإجراء" in html
        assert f'id="{action}-error"' in html
    assert stored(session_factory, body["id"]).version == 1
    assert audit_rows(session_factory, body["id"]) == []


def test_actions_that_do_not_fit_are_409_pages(operator, session_factory):
    body, owner = post(operator)
    assert act(operator, body["id"], "unhide", "سبب").status_code == 409
    response = act(operator, body["id"], "dismiss", "سبب")
    assert response.status_code == 409 and "لا توجد بلاغات مفتوحة" in response.get_data(as_text=True)
    operator.delete(f"/api/v1/ads/{body['slug']}", headers=owner)
    assert act(operator, body["id"], "hide", "سبب").status_code == 409
    assert audit_rows(session_factory, body["id"]) == []
    token = csrf_token(operator, "/operator/")
    unknown = (f"/operator/ads/{body['id']}/delete", "/operator/ads/999999999999/hide",
               f"/operator/ads/{'9' * 40}/hide")
    for url in unknown:
        assert operator.post(url, data={"csrf_token": token, "reason": "سبب"}).status_code == 404


def test_dismiss_closes_the_reports_and_leaves_the_ad(operator, session_factory):
    body = reported(operator, ["wrong_category"])
    response = act(operator, body["id"], "dismiss", "الفئة صحيحة")
    assert response.status_code == 303
    assert "رُفضت البلاغات" in operator.get(response.headers["Location"]).get_data(as_text=True)
    ad = stored(session_factory, body["id"])
    assert (ad.status, ad.version) == ("active", 1)
    assert [r.action for r in audit_rows(session_factory, body["id"])] == ["dismiss"]
    assert body["id"] not in dict(queue_rows(operator))


def test_the_audit_log_is_newest_first_and_paged(operator, session_factory):
    body, tag = reported(operator, ["fraud"]), unique_word()
    act(operator, body["id"], "hide", f"{tag} hide")
    act(operator, body["id"], "unhide", f"{tag} unhide")
    html = operator.get("/operator/log").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'data-action-id="(\d+)"', html)]
    assert ids == sorted(ids, reverse=True) and len(ids) <= 50
    assert html.index(f"{tag} unhide") < html.index(f"{tag} hide")
    with session_factory() as session:
        total = len(session.scalars(select(OperatorAction.id)).all())
    assert ('rel="next"' in html) == (total > 50)
    if total > 50:
        later = operator.get("/operator/log?page=2").get_data(as_text=True)
        assert max(int(i) for i in re.findall(r'data-action-id="(\d+)"', later)) < min(ids)
    assert_accessible(html)


def test_a_hostile_reason_is_escaped_in_the_log_and_on_the_ad(operator):
    body = reported(operator, ["offensive"])
    assert act(operator, body["id"], "hide", '<script>alert(1)</script>"><img src=x>').status_code == 303
    for url in ("/operator/log", f"/operator/ads/{body['id']}"):
        html = operator.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x>" not in html and "&lt;script&gt;" in html


def test_wrong_tokens_are_rate_limited_and_right_ones_are_not_counted(test_settings, operator_token):
    settings = test_settings.with_overrides(
        rate_limits_enabled=True, index_prefix=f"{test_settings.index_prefix}op{secrets.token_hex(3)}",
        rate_limit_operator_sign_in="2 per minute",
    )
    client = app_under_test(settings).test_client()
    for _ in range(3):
        assert sign_in(client, operator_token).status_code == 303
    assert [sign_in(client, "x" * 30).status_code for _ in range(2)] == [403, 403]
    limited = sign_in(client, operator_token)
    assert limited.status_code == 429 and "طلبات كثيرة" in limited.get_data(as_text=True)
    assert client.get("/operator/sign-in").status_code in (200, 303)  # the form itself stays readable


def test_the_reused_ad_markup_still_serves_the_public_page(client):
    body, _ = post(client, **{"contact_phone": AD["contact_phone"]})
    html = client.get(f"/ad/{body['slug']}").get_data(as_text=True)
    assert "أظهر رقم الهاتف" in html and body["title"] in html and "الوصف" in html
