"""Relay, rebuild and reconcile store IDENTICAL documents for the same ads.

The same ads go into three aliases by the three paths: the relay drains the
outbox into the first, a rebuild loads the second, and reconcile repairs the
third (empty but for one deliberately wrong document). Every ad's `_source`
must then be the same in all three, field for field and type for type
(content digest included), and equal to what the transform makes of its row.
A scratch database of this test's own keeps the session's worker from
relaying its outbox rows elsewhere first.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from core.ad_input import AdCreate, AdUpdate
from core.ads import create_ad, update_ad, withdraw_ad
from core.config import Settings
from core.db import make_database, make_session_factory, transaction
from core.models import Ad, OutboxEntry
from core.opensearch import ads_alias
from indexer.ad_rows import documents_for
from indexer.documents import content_digest
from indexer.index_admin import ensure_index
from indexer.rebuild import rebuild_index
from indexer.reconcile import reconcile_index
from indexer.relay import drain_outbox
from tests.integration.conftest import scratch_database
from tests.integration.pipeline_fixtures import AD, now

# Ads that exercise every branch of the transform: own point or area centroid,
# SYP or USD or no price, images or none, a condition or none, edited, withdrawn.
VARIANTS: list[dict[str, object]] = [
    {},
    {"lat": "33.51", "lon": "36.29", "price": "2500000", "currency": "SYP", "condition": "used"},
    {"category": "mobile-phones", "area": "aleppo-city", "price": None, "images": ["/static/ads/a.jpg"]},
    {"title": "شقة للإيجار في حلب", "category": "apartments-for-rent", "area": "aleppo-city", "price": "300",
     "negotiable": True, "condition": "new", "description": "٣ غرف\nإطلالة جميلة"},
    {"title": "غسالة أوتوماتيك", "category": "fridges", "price": "1234.56", "currency": "USD"},
]


@pytest.fixture(scope="module")
def own(test_settings: Settings) -> Iterator[tuple[Settings, object]]:
    name = f"souq_{test_settings.index_prefix}_paths"
    with scratch_database(test_settings, name) as settings:
        database = make_database(settings)
        try:
            yield settings, make_session_factory(database)
        finally:
            database.dispose()


def _alias(settings: Settings, path: str) -> str:
    return ads_alias(settings.with_overrides(index_prefix=f"{settings.index_prefix}-{path}{secrets.token_hex(2)}"))


def _sources(client, alias: str, ids: list[int]) -> dict[int, dict]:
    docs = client.mget(index=alias, body={"ids": [str(i) for i in ids]})["docs"]
    return {int(doc["_id"]): doc["_source"] for doc in docs if doc.get("found")}


def test_relay_rebuild_and_reconcile_store_identical_documents(own, search_client):
    settings, factory = own
    syp = settings.syp_per_usd
    with transaction(factory) as session:
        ads = [create_ad(session, AdCreate(**(AD | {"contact_phone": f"0933{n:06d}"} | variant)), now(), 30).ad
               for n, variant in enumerate(VARIANTS)]
        ids = [ad.id for ad in ads]
    with transaction(factory) as session:
        update_ad(session, session.get_one(Ad, ids[0]), AdUpdate(title="سيارة هيونداي معدلة", price="8500"), now())
        withdraw_ad(session, session.get_one(Ad, ids[1]), now())

    relayed, rebuilt, reconciled = (_alias(settings, p) for p in ("relay", "rebuild", "reconcile"))
    try:
        # 1. The relay: the outbox rows of these ads, drained into their own alias.
        ensure_index(search_client, relayed, now())
        result = drain_outbox(factory, search_client, relayed, 100, syp, now)
        assert result.failed_ads == 0 and result.indexed_ads == len(ids)
        with factory() as session:
            assert session.scalars(select(OutboxEntry.id)).all() == []

        # 2. The rebuild: a new index loaded from PostgreSQL.
        report = rebuild_index(factory, search_client, rebuilt, syp_per_usd=syp,
                               refresh_interval=settings.refresh_interval, now=now)
        assert report.loaded == len(ids) and report.failed == {}

        # 3. Reconcile: an empty alias but for one wrong document at the row's own version.
        ensure_index(search_client, reconciled, now())
        with factory() as session:
            right = documents_for(session, [ids[2]], syp)[0]
        wrong = right | {"title": "عنوان خاطئ", "price_usd": 1.0}
        wrong["content_digest"] = content_digest(wrong)
        search_client.index(index=reconciled, id=str(ids[2]), body=wrong, version=right["version"],
                            version_type="external", refresh=True)
        fixed = reconcile_index(factory, search_client, reconciled, syp_per_usd=syp)
        assert {(d.kind, d.id) for d in fixed.drift} == (
            {("missing", i) for i in ids if i != ids[2]} | {("content", ids[2])})
        assert fixed.failed == {} and fixed.repaired == len(ids)

        with factory() as session:
            expected = {doc["id"]: doc for doc in documents_for(session, ids, syp)}
        stored = {alias: _sources(search_client, alias, ids) for alias in (relayed, rebuilt, reconciled)}
        for alias, sources in stored.items():
            assert set(sources) == set(ids), alias
            for ad_id in ids:
                # JSON text, not dict equality: 1 == 1.0 in Python, but not to the engine.
                assert json.dumps(sources[ad_id]) == json.dumps(expected[ad_id]), (alias, ad_id)
                assert sources[ad_id]["content_digest"] == content_digest(sources[ad_id])
        assert expected[ids[0]]["version"] == 2 and expected[ids[1]]["status"] == "withdrawn"
        assert expected[ids[1]]["location_precise"] and not expected[ids[2]]["location_precise"]
    finally:
        search_client.indices.delete(index=",".join(f"{a}-*" for a in (relayed, rebuilt, reconciled)),
                                     ignore_unavailable=True, expand_wildcards="all")
