"""Every ads endpoint against the real database: ownership, moderation, expiry, and the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.ad_input import AdCreate, AdUpdate
from core.ads import create_ad, expire_due, renew_ad, set_hidden, update_ad, withdraw_ad
from core.models import Ad, OutboxEntry, Report

AD = {
    "title": "غسالة سامسونج ٨ كيلو",
    "description": "استعمال خفيف\nمع الكفالة",
    "category": "cars",
    "area": "damascus-city",
    "price": "٢٥٠٠٠٠",
    "currency": "syp",
    "contact_name": "أم خالد",
    "contact_phone": "٠٩٤٤ ١٢٣ ٤٥٦",
}
WHY = {"reason": "اختبار الإشراف"}  # operator actions need a reason


def post(client, **changes):
    response = client.post("/api/v1/ads", json=AD | changes)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return body, {"X-Manage-Token": body["management_token"]}


def stored(session_factory, ad_id: int) -> Ad:
    with session_factory() as session:
        ad = session.get(Ad, ad_id)
        session.expunge(ad)
        return ad


def test_create_normalises_input_and_hides_the_phone(client, session_factory):
    body, _ = post(client)
    assert body["price"] == {"amount": "250000", "currency": "SYP"}
    assert body["contact_phone_masked"].startswith("0944") and "123" not in body["contact_phone_masked"]
    assert body["status"] == "active" and body["version"] == 1
    assert body["location"]["from_area"] is True
    assert body["manage_url"].endswith(body["management_token"])
    ad = stored(session_factory, body["id"])
    assert ad.contact_phone == "0944123456" and ad.token_hash != body["management_token"]


def test_create_writes_one_outbox_row_in_the_same_transaction(client, session_factory):
    body, _ = post(client)
    with session_factory() as session:
        entries = session.scalars(select(OutboxEntry).where(OutboxEntry.ad_id == body["id"])).all()
    assert len(entries) == 1


def test_public_reads_take_the_slug_not_the_sequential_id(client):
    body, token = post(client)
    response = client.get(f"/api/v1/ads/{body['slug']}")
    assert response.status_code == 200 and response.get_json()["id"] == body["id"]
    # Counting ids walks nothing: the id is no public ref (its owner may still use it).
    assert client.get(f"/api/v1/ads/{body['id']}").status_code == 404
    assert client.post(f"/api/v1/ads/{body['id']}/contact").status_code == 404
    assert client.patch(f"/api/v1/ads/{body['id']}", json={"negotiable": True}, headers=token).status_code == 200
    assert client.get("/api/v1/ads/999999999999").status_code == 404
    assert client.get("/api/v1/ads/" + "9" * 40).status_code == 404


@pytest.mark.parametrize("method, path, kwargs", [
    ("patch", "", {"json": {"title": "عنوان جديد تماماً"}}),
    ("delete", "", {}),
    ("post", "/renew", {}),
])
def test_missing_or_wrong_token_changes_nothing(client, session_factory, method, path, kwargs):
    body, _ = post(client)
    before = stored(session_factory, body["id"])
    url = f"/api/v1/ads/{body['slug']}{path}"
    missing = getattr(client, method)(url, **kwargs)
    assert missing.status_code == 401 and missing.get_json()["error"]["code"] == "token_required"
    other, _ = post(client)
    for token in ("x" * 32, other["management_token"]):
        wrong = getattr(client, method)(url, headers={"X-Manage-Token": token}, **kwargs)
        assert wrong.status_code == 403, wrong.get_json()
    after = stored(session_factory, body["id"])
    assert (after.version, after.title, after.status, after.expires_at) == (
        before.version, before.title, before.status, before.expires_at)


def test_patch_changes_fields_and_bumps_version_with_an_outbox_row(client, session_factory):
    body, token = post(client)
    response = client.patch(f"/api/v1/ads/{body['slug']}", headers=token,
                            json={"price": "1,500", "currency": "USD", "lat": "٣٣.٥١", "lon": 36.29})
    assert response.status_code == 200, response.get_json()
    changed = response.get_json()
    assert changed["version"] == 2 and changed["price"] == {"amount": "1500", "currency": "USD"}
    assert changed["location"] == {"lat": 33.51, "lon": 36.29, "approximate": True, "from_area": False}


def test_patch_rejects_removing_required_fields_without_change(client, session_factory):
    body, token = post(client)
    for patch, field in (({"title": None}, "title"), ({"lat": 33.5}, "lat"), ({"category": "vehicles"}, "category")):
        response = client.patch(f"/api/v1/ads/{body['slug']}", headers=token, json=patch)
        assert response.status_code == 422, response.get_json()
        assert field in response.get_json()["error"]["fields"]
    assert stored(session_factory, body["id"]).version == 1


def test_withdraw_is_soft_idempotent_and_blocks_renewal_and_contact(client, session_factory):
    body, token = post(client)
    url = f"/api/v1/ads/{body['slug']}"
    first = client.delete(url, headers=token)
    assert first.status_code == 200 and first.get_json()["status"] == "withdrawn"
    assert first.get_json()["version"] == 2
    again = client.delete(url, headers=token)
    assert again.status_code == 200 and again.get_json()["version"] == 2
    renew = client.post(f"{url}/renew", headers=token)
    assert renew.status_code == 409 and "status" in renew.get_json()["error"]["fields"]
    assert client.post(f"{url}/contact").status_code == 409
    assert stored(session_factory, body["id"]).status == "withdrawn"


def _age(session_factory, ad_id: int, days: int) -> None:
    with session_factory() as session:
        ad = session.get(Ad, ad_id)
        ad.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
        session.commit()


def test_expire_due_marks_expired_and_renew_brings_it_back(client, session_factory):
    body, token = post(client)
    _age(session_factory, body["id"], 1)
    with session_factory() as session:
        expired_ids = expire_due(session, dt.datetime.now(dt.UTC))
        session.commit()
    assert body["id"] in expired_ids
    ad = stored(session_factory, body["id"])
    assert ad.status == "expired" and ad.version == 2
    assert client.post(f"/api/v1/ads/{body['slug']}/contact").status_code == 409

    response = client.post(f"/api/v1/ads/{body['slug']}/renew", headers=token)
    assert response.status_code == 200, response.get_json()
    renewed = response.get_json()
    assert renewed["status"] == "active" and renewed["version"] == 3
    expires = dt.datetime.fromisoformat(renewed["expires_at"])
    assert expires > dt.datetime.now(dt.UTC) + dt.timedelta(days=29)


def test_expire_due_leaves_current_ads_alone(client, session_factory):
    body, _ = post(client)
    with session_factory() as session:
        assert body["id"] not in expire_due(session, dt.datetime.now(dt.UTC))
        session.rollback()
    assert stored(session_factory, body["id"]).status == "active"


def test_contact_reveals_the_full_phone(client):
    body, _ = post(client)
    response = client.post(f"/api/v1/ads/{body['slug']}/contact")
    assert response.status_code == 200
    assert response.get_json() == {"id": body["id"], "contact_name": "أم خالد", "contact_phone": "0944123456"}
    assert response.headers["Cache-Control"] == "no-store"


def test_report_is_stored_without_touching_the_ad(client, session_factory):
    body, _ = post(client)
    response = client.post(f"/api/v1/ads/{body['slug']}/reports",
                           json={"reason": "fraud", "note": " يطلب\u200f تحويل "})
    assert response.status_code == 201, response.get_json()
    report = response.get_json()
    assert report["reason"] == "fraud" and report["note"] == "يطلب تحويل"
    with session_factory() as session:
        assert session.get(Report, report["id"]).ad_id == body["id"]
    assert stored(session_factory, body["id"]).version == 1


def test_operator_guard(client):
    body, token = post(client)
    for url, method in ((f"/api/v1/operator/ads/{body['id']}/hide", "post"),
                        (f"/api/v1/operator/ads/{body['id']}/unhide", "post"),
                        ("/api/v1/operator/reports", "get")):
        assert getattr(client, method)(url).status_code == 401
        assert getattr(client, method)(url, headers={"X-Operator-Token": "nope"}).status_code == 403
        # The ad's own management token is not an operator token.
        assert getattr(client, method)(url, headers={"X-Operator-Token": token["X-Manage-Token"]}).status_code == 403
    assert client.get(f"/api/v1/ads/{body['slug']}").get_json()["status"] == "active"


def test_with_no_operator_configured_the_web_does_not_start(test_settings):
    from core.config import InsecureSettings
    from tests.integration.conftest import app_under_test

    with pytest.raises(InsecureSettings, match="SOUQ_OPERATOR_TOKENS is not set"):
        app_under_test(test_settings.with_overrides(operator_tokens=""))


def test_operator_hides_and_unhides(client, session_factory, operator_headers):
    body, token = post(client)
    url = f"/api/v1/operator/ads/{body['id']}"
    hidden = client.post(f"{url}/hide", headers=operator_headers, json=WHY)
    assert hidden.status_code == 200 and hidden.get_json()["status"] == "hidden"
    assert hidden.get_json()["version"] == 2
    assert client.get(f"/api/v1/ads/{body['slug']}").status_code == 404
    assert client.post(f"/api/v1/ads/{body['slug']}/contact").status_code == 404
    assert client.post(f"/api/v1/ads/{body['slug']}/renew", headers=token).status_code == 409
    assert client.post(f"{url}/hide", headers=operator_headers, json=WHY).status_code == 409
    shown = client.post(f"{url}/unhide", headers=operator_headers, json=WHY)
    assert shown.status_code == 200 and shown.get_json()["status"] == "active"
    assert shown.get_json()["version"] == 3
    assert client.post(f"{url}/unhide", headers=operator_headers, json=WHY).status_code == 409
    assert client.get(f"/api/v1/ads/{body['slug']}").status_code == 200


def test_withdrawn_ad_cannot_be_hidden_and_revived(client, operator_headers):
    body, token = post(client)
    client.delete(f"/api/v1/ads/{body['slug']}", headers=token)
    assert client.post(f"/api/v1/operator/ads/{body['id']}/hide", headers=operator_headers,
                       json=WHY).status_code == 409


def test_operator_lists_reports_paged(client, operator_headers):
    body, _ = post(client)
    for reason in ("spam", "duplicate", "other"):
        client.post(f"/api/v1/ads/{body['slug']}/reports", json={"reason": reason})
    response = client.get("/api/v1/operator/reports?size=2", headers=operator_headers)
    assert response.status_code == 200
    page = response.get_json()
    assert page["size"] == 2 and len(page["reports"]) == 2 and page["total"] >= 3
    assert page["reports"][0]["reason"] == "other" and page["reports"][0]["ad"]["id"] == body["id"]
    second = client.get("/api/v1/operator/reports?size=2&page=2", headers=operator_headers).get_json()
    assert second["reports"][0]["reason"] == "spam" or second["total"] > 3
    bad = client.get("/api/v1/operator/reports?size=1000", headers=operator_headers)
    assert bad.status_code == 400 and "size" in bad.get_json()["error"]["fields"]


def test_every_api_write_bumps_the_version(client, operator_headers):
    body, token = post(client)
    url = f"/api/v1/ads/{body['slug']}"
    steps = [
        lambda: client.patch(url, headers=token, json={"negotiable": True}),
        lambda: client.post(f"/api/v1/operator/ads/{body['id']}/hide", headers=operator_headers, json=WHY),
        lambda: client.post(f"/api/v1/operator/ads/{body['id']}/unhide", headers=operator_headers, json=WHY),
        lambda: client.post(f"{url}/renew", headers=token),
        lambda: client.delete(url, headers=token),
    ]
    for number, step in enumerate(steps, start=2):
        response = step()
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["version"] == number


def _outbox_ids(session, ad_id: int) -> set[int]:
    return set(session.scalars(select(OutboxEntry.id).where(OutboxEntry.ad_id == ad_id)))


def test_every_core_write_adds_an_outbox_row_in_its_transaction(session_factory):
    """Checked before commit: a relay cannot see (and drain) uncommitted rows, so counts are exact."""
    now = dt.datetime.now(dt.UTC)
    with session_factory() as session:
        created = create_ad(session, AdCreate.model_validate(AD), now, 30)
        ad = created.ad
        seen = _outbox_ids(session, ad.id)
        assert len(seen) == 1 and ad.version == 1
        writes = [
            lambda: update_ad(session, ad, AdUpdate(title="عنوان آخر للإعلان"), now),
            lambda: set_hidden(session, ad, True, now),
            lambda: set_hidden(session, ad, False, now),
            lambda: expire_due(session, now + dt.timedelta(days=31)),
            lambda: renew_ad(session, ad, now, 30),
            lambda: withdraw_ad(session, ad, now),
        ]
        for version, write in enumerate(writes, start=2):
            write()
            session.flush()
            session.refresh(ad)
            ids = _outbox_ids(session, ad.id)
            assert ad.version == version and len(ids - seen) == 1, (version, ids, seen)
            seen = ids
        session.rollback()


def test_taxonomy_health_and_openapi(client):
    categories = client.get("/api/v1/categories").get_json()["categories"]
    assert any(node["slug"] == "vehicles" for node in categories)
    areas = client.get("/api/v1/areas").get_json()["areas"]
    assert len(areas) >= 14
    assert client.get("/api/v1/health").get_json() == {"status": "ok"}
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    for path in ("/ads", "/ads/{ref}", "/ads/{ref}/contact", "/ads/{ref}/reports", "/ads/{ref}/renew",
                 "/operator/ads/{ref}/hide", "/operator/ads/{ref}/dismiss", "/operator/reports",
                 "/operator/actions", "/categories", "/areas", "/search"):
        assert path in document["paths"], path


def test_the_worker_expires_due_ads(client, session_factory, test_settings, worker):
    """The periodic task, run by a real Celery worker (never eager), marks overdue ads expired."""
    from celery import Celery

    from tests.polling import wait_until

    body, _ = post(client)
    _age(session_factory, body["id"], 2)
    broker = Celery("souq-test", broker=test_settings.redis_url)
    broker.send_task("souq.expire_ads", queue=test_settings.celery_queue)
    wait_until(lambda: stored(session_factory, body["id"]).status == "expired", timeout=60,
               what="the worker to expire the overdue ad")
    assert stored(session_factory, body["id"]).version == 2
