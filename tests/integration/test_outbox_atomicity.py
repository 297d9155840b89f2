"""The ad and its outbox row commit together or not at all.

The failure is real: a PostgreSQL trigger refuses the outbox insert for ads
whose title carries a marker, so the error happens inside the same
transaction, after the ad row was inserted, exactly where a lost outbox
write would hurt.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from core.ad_input import AdCreate
from core.ads import create_ad
from core.db import transaction
from core.models import Ad, OutboxEntry
from service.app import create_app

MARKER = "OUTBOXFAIL"
AD = {
    "title": f"ثلاجة {MARKER} للبيع",
    "category": "cars",
    "area": "damascus-city",
    "contact_name": "سامر",
    "contact_phone": "0933111222",
}
TRIGGER = f"""
CREATE OR REPLACE FUNCTION souq_test_refuse_outbox() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM ads WHERE id = NEW.ad_id AND title LIKE '%{MARKER}%') THEN
    RAISE EXCEPTION 'outbox insert refused by the atomicity test';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS souq_test_refuse_outbox ON outbox;
CREATE TRIGGER souq_test_refuse_outbox BEFORE INSERT ON outbox
  FOR EACH ROW EXECUTE FUNCTION souq_test_refuse_outbox();
"""


@pytest.fixture(scope="module")
def refusing_outbox(session_factory):
    with session_factory() as session:
        session.execute(text(TRIGGER))
        session.commit()
    yield
    with session_factory() as session:
        session.execute(text("DROP TRIGGER IF EXISTS souq_test_refuse_outbox ON outbox"))
        session.execute(text("DROP FUNCTION IF EXISTS souq_test_refuse_outbox()"))
        session.commit()


def marked_rows(session_factory) -> tuple[int, int]:
    with session_factory() as session:
        ads = session.scalar(select(func.count()).select_from(Ad).where(Ad.title.contains(MARKER)))
        outbox = session.scalar(
            select(func.count()).select_from(OutboxEntry).join(Ad, Ad.id == OutboxEntry.ad_id)
            .where(Ad.title.contains(MARKER))
        )
    return ads, outbox


def test_failed_outbox_insert_rolls_back_the_ad(session_factory, refusing_outbox):
    now = dt.datetime.now(dt.UTC)
    with pytest.raises(DBAPIError, match="refused by the atomicity test"), transaction(session_factory) as session:
        created = create_ad(session, AdCreate.model_validate(AD), now, 30)
        assert created.ad.id is not None  # the ad row was inserted...
    assert marked_rows(session_factory) == (0, 0)  # ...and is gone with its outbox row


def test_any_failure_after_the_insert_leaves_nothing(session_factory):
    now = dt.datetime.now(dt.UTC)
    data = AdCreate.model_validate(AD | {"title": "ثلاجة للبيع فشل لاحق"})
    with pytest.raises(RuntimeError), transaction(session_factory) as session:
        ad_id = create_ad(session, data, now, 30).ad.id
        session.flush()  # ad and outbox row are both in the database, uncommitted
        raise RuntimeError("something after the insert failed")
    with session_factory() as session:
        assert session.get(Ad, ad_id) is None
        assert session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.ad_id == ad_id)) == 0


def test_api_create_with_refused_outbox_is_500_and_leaves_nothing(test_settings, session_factory, refusing_outbox):
    app = create_app(test_settings)  # not TESTING: the app answers the failure itself
    response = app.test_client().post("/api/v1/ads", json=AD)
    assert response.status_code == 500
    assert response.get_json()["error"]["code"]
    assert marked_rows(session_factory) == (0, 0)


def test_api_update_with_refused_outbox_changes_nothing(client, session_factory, test_settings, refusing_outbox):
    created = client.post("/api/v1/ads", json=AD | {"title": "ثلاجة عادية للبيع"}).get_json()
    token = {"X-Manage-Token": created["management_token"]}
    app = create_app(test_settings)
    response = app.test_client().patch(f"/api/v1/ads/{created['id']}", json={"title": f"ثلاجة {MARKER}"},
                                       headers=token)
    assert response.status_code == 500
    with session_factory() as session:
        ad = session.get(Ad, created["id"])
        assert (ad.title, ad.version) == ("ثلاجة عادية للبيع", 1)
