"""Moderation through the operator API: every action needs a reason and leaves an audit row.

Against the real database: the audit row, the change to the ad and the
settling of its reports commit together or not at all.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from core.models import Ad, OperatorAction, OutboxEntry, Report
from core.moderation import act_on_ad
from tests.integration.conftest import TEST_OPERATOR
from tests.integration.test_ads_api import post, stored

OPERATOR_API = "/api/v1/operator"


def actions_on(session_factory, ad_id: int) -> list[OperatorAction]:
    with session_factory() as session:
        return list(session.scalars(select(OperatorAction).where(OperatorAction.ad_id == ad_id)
                                    .order_by(OperatorAction.id)))


def reports_of(session_factory, ad_id: int) -> list[Report]:
    with session_factory() as session:
        return list(session.scalars(select(Report).where(Report.ad_id == ad_id).order_by(Report.id)))


def report(client, slug: str, reason: str = "fraud") -> None:
    assert client.post(f"/api/v1/ads/{slug}/reports", json={"reason": reason}).status_code == 201


@pytest.mark.parametrize("action", ["hide", "unhide", "dismiss"])
@pytest.mark.parametrize("kwargs, status", [
    ({}, 422),                                           # no body at all
    ({"json": {}}, 422),
    ({"json": {"reason": ""}}, 422),
    ({"json": {"reason": " \u200f\t "}}, 422),           # blank once cleaned
    ({"json": {"reason": "x" * 501}}, 422),
    ({"json": {"reason": "x" * 5000}}, 422),
    ({"json": {"reason": 5}}, 422),
    ({"json": {"reason": None}}, 422),
])
def test_an_action_without_a_usable_reason_is_a_4xx_naming_reason(
    client, session_factory, operator_headers, action, kwargs, status,
):
    body, _ = post(client)
    response = client.post(f"{OPERATOR_API}/ads/{body['id']}/{action}", headers=operator_headers, **kwargs)
    assert response.status_code == status, response.get_json()
    assert "reason" in response.get_json()["error"]["fields"]
    assert stored(session_factory, body["id"]).version == 1
    assert actions_on(session_factory, body["id"]) == []


def test_malformed_bodies_are_4xx_and_change_nothing(client, session_factory, operator_headers):
    body, _ = post(client)
    url = f"{OPERATOR_API}/ads/{body['id']}/hide"
    assert client.post(url, headers=operator_headers, data="reason=x",
                       content_type="application/x-www-form-urlencoded").status_code == 415
    assert client.post(url, headers=operator_headers, data="{", content_type="application/json").status_code == 400
    extra = client.post(url, headers=operator_headers, json={"reason": "مخالف", "operator": "someone-else"})
    assert extra.status_code == 422 and "operator" in extra.get_json()["error"]["fields"]
    assert stored(session_factory, body["id"]).status == "active"
    assert actions_on(session_factory, body["id"]) == []


def test_hide_and_unhide_are_audited_with_the_operator_name_and_settle_reports(
    client, session_factory, operator_headers,
):
    body, _ = post(client)
    report(client, body["slug"], "fraud")
    report(client, body["slug"], "spam")
    hidden = client.post(f"{OPERATOR_API}/ads/{body['id']}/hide", headers=operator_headers,
                         json={"reason": "  احتيال:   يطلب تحويلاً مسبقاً "})
    assert hidden.status_code == 200, hidden.get_json()
    answer = hidden.get_json()
    assert answer["status"] == "hidden" and answer["version"] == 2
    assert answer["operator_action"]["operator"] == TEST_OPERATOR
    assert answer["operator_action"]["reason"] == "احتيال: يطلب تحويلاً مسبقاً"
    [row] = actions_on(session_factory, body["id"])
    assert (row.operator, row.action, row.reason, row.id) == (
        TEST_OPERATOR, "hide", "احتيال: يطلب تحويلاً مسبقاً", answer["operator_action"]["id"])
    assert {r.action_id for r in reports_of(session_factory, body["id"])} == {row.id}

    shown = client.post(f"{OPERATOR_API}/ads/{body['id']}/unhide", headers=operator_headers,
                        json={"reason": "البلاغ غير صحيح بعد التحقق"})
    assert shown.status_code == 200 and shown.get_json()["status"] == "active"
    assert [a.action for a in actions_on(session_factory, body["id"])] == ["hide", "unhide"]

    log = client.get(f"{OPERATOR_API}/actions?size=5", headers=operator_headers).get_json()
    assert [(a["action"], a["ad_id"]) for a in log["actions"][:2]] == [("unhide", body["id"]), ("hide", body["id"])]
    assert log["total"] >= 2


def test_refused_actions_leave_no_audit_row(client, session_factory, operator_headers):
    body, token = post(client)
    why = {"reason": "مخالف"}
    assert client.post(f"{OPERATOR_API}/ads/{body['id']}/unhide", headers=operator_headers, json=why).status_code == 409
    dismissed = client.post(f"{OPERATOR_API}/ads/{body['id']}/dismiss", headers=operator_headers, json=why)
    assert dismissed.status_code == 409
    client.delete(f"/api/v1/ads/{body['slug']}", headers=token)
    assert client.post(f"{OPERATOR_API}/ads/{body['id']}/hide", headers=operator_headers, json=why).status_code == 409
    assert client.post(f"{OPERATOR_API}/ads/999999999999/hide", headers=operator_headers, json=why).status_code == 404
    assert actions_on(session_factory, body["id"]) == []


def test_dismiss_settles_open_reports_and_leaves_the_ad_as_it_is(client, session_factory, operator_headers):
    body, _ = post(client)
    report(client, body["slug"], "wrong_category")
    with session_factory() as session:
        outbox_before = len(session.scalars(select(OutboxEntry.id).where(OutboxEntry.ad_id == body["id"])).all())
    response = client.post(f"{OPERATOR_API}/ads/{body['id']}/dismiss", headers=operator_headers,
                           json={"reason": "الفئة صحيحة"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json() | {"id": 0, "created_at": ""} == {
        "id": 0, "operator": TEST_OPERATOR, "action": "dismiss", "ad_id": body["id"],
        "reason": "الفئة صحيحة", "created_at": ""}
    ad = stored(session_factory, body["id"])
    assert (ad.status, ad.version) == ("active", 1)
    assert all(r.action_id == response.get_json()["id"] for r in reports_of(session_factory, body["id"]))
    with session_factory() as session:
        outbox_after = len(session.scalars(select(OutboxEntry.id).where(OutboxEntry.ad_id == body["id"])).all())
    assert outbox_after <= outbox_before  # nothing new to index (the relay may have drained the first)
    again = client.post(f"{OPERATOR_API}/ads/{body['id']}/dismiss", headers=operator_headers, json={"reason": "مكرر"})
    assert again.status_code == 409
    # A report filed after the dismissal is open again.
    report(client, body["slug"], "fraud")
    assert [r.action_id is None for r in reports_of(session_factory, body["id"])] == [False, True]


def test_the_audit_row_and_the_hide_commit_together(client, session_factory):
    """A failing audit insert (a name too long for its column) takes the hide down with it."""
    body, _ = post(client)
    now = dt.datetime.now(dt.UTC)
    with session_factory() as session:
        ad = session.get(Ad, body["id"])
        with pytest.raises(DBAPIError):
            act_on_ad(session, ad, "hide", "n" * 41, "مخالف", now)
        session.rollback()
    assert stored(session_factory, body["id"]).status == "active"
    assert stored(session_factory, body["id"]).version == 1
    assert actions_on(session_factory, body["id"]) == []


def test_action_log_paging_is_checked(client, operator_headers):
    for query in ("page=0", "size=101", "page=abc"):
        response = client.get(f"{OPERATOR_API}/actions?{query}", headers=operator_headers)
        assert response.status_code == 400 and query.split("=")[0] in response.get_json()["error"]["fields"]
    assert client.get(f"{OPERATOR_API}/actions").status_code == 401


def test_migration_0004_keeps_earlier_reports_open_and_downgrades(stack, base_settings):
    import secrets

    from alembic import command
    from sqlalchemy import create_engine, text

    from core.migrate import alembic_config, upgrade

    name = f"souq_mig{secrets.token_hex(4)}"
    server = base_settings.database_url.rsplit("/", 1)[0]
    admin = create_engine(server + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    database = create_engine(f"{server}/{name}")
    try:
        upgrade(f"{server}/{name}", "0003")
        with database.begin() as conn:
            conn.execute(text("INSERT INTO categories (slug, name_ar, name_en, position) VALUES ('c', 'c', 'c', 0)"))
            conn.execute(text("INSERT INTO areas (slug, name_ar, name_en, kind, alt_names, lat, lon, population)"
                              " VALUES ('a', 'a', 'a', 'city', '[]', 33.5, 36.3, 0)"))
            conn.execute(text(
                "INSERT INTO ads (slug, title, description, category_id, area_id, currency, negotiable,"
                " contact_name, contact_phone, images, status, created_at, updated_at, expires_at, version,"
                " token_hash) SELECT 's1', 't', '', (SELECT id FROM categories), (SELECT id FROM areas),"
                " 'SYP', false, 'n', '0944123456', '[]', 'active', now(), now(), now(), 1, 'h'"))
            conn.execute(text("INSERT INTO reports (ad_id, reason, note) SELECT id, 'spam', '' FROM ads"))
        upgrade(f"{server}/{name}", "0004")
        with database.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM reports WHERE action_id IS NULL")) == 1
            assert conn.scalar(text("SELECT count(*) FROM operator_actions")) == 0
        command.downgrade(alembic_config(f"{server}/{name}"), "0003")
        with database.connect() as conn:
            assert conn.scalar(text("SELECT to_regclass('operator_actions')")) is None
            assert conn.scalar(text("SELECT count(*) FROM reports")) == 1
    finally:
        database.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
