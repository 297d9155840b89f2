"""Pure parts of the index lifecycle: the document transform, bulk results, rebuild planning,
drift detection, status assessment."""

from __future__ import annotations

import datetime as dt
import threading
from collections import namedtuple
from collections.abc import Generator
from decimal import Decimal

import pytest

from core.taxonomy import Node, Tree
from indexer.batches import chunked, prefetched
from indexer.bulk import BulkOutcome, action_lines, delete_action, index_action, read_item
from indexer.documents import AD_FIELDS, DocumentMaker, content_digest
from indexer.index_admin import concrete_name, fingerprint_of, rebuilding_alias
from indexer.index_status import assess
from indexer.locks import lock_key
from indexer.rebuild import leftover_plan, serving_settings
from indexer.reconcile import Drift, Entry, find_drift
from search_config.loader import fingerprint


def test_chunked_keeps_order_and_sizes():
    assert list(chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunked([], 3)) == []


def test_concrete_names_carry_the_config_fingerprint():
    name = concrete_name("t1-ads", dt.datetime(2026, 1, 2, 3, 4, 5, 6))
    assert name.startswith("t1-ads-")
    assert fingerprint_of(name, "t1-ads") == fingerprint()
    assert fingerprint_of("other-index", "t1-ads") is None
    assert rebuilding_alias("t1-ads") == "t1-ads-rebuilding"


def test_leftover_of_a_crashed_rebuild_is_dropped_but_a_live_index_only_detached():
    assert leftover_plan(["a-new"], ["a-old"]) == (["a-new"], [])
    assert leftover_plan(["a-old"], ["a-old"]) == ([], ["a-old"])
    assert leftover_plan([], ["a-old"]) == ([], [])


def test_serving_settings_restore_refresh_and_configured_replicas():
    restored = serving_settings("1s")
    assert restored["refresh_interval"] == "1s"
    assert restored["number_of_replicas"] == 0  # search_config: single node, no replicas


def test_lock_key_is_stable_and_per_job_and_alias():
    assert lock_key("rebuild", "a") == lock_key("rebuild", "a") != lock_key("rebuild", "b")
    assert lock_key("rebuild", "a") != lock_key("reconcile", "a")
    assert -(2**63) <= lock_key("reconcile", "a") < 2**63


def test_find_drift_names_every_kind_of_difference():
    db = [Entry(1, 2, "active"), Entry(2, 3, "active"), Entry(3, 1, "withdrawn"),
          Entry(4, 5, "active"), Entry(6, 1, "active")]
    index = [Entry(1, 2, "active"), Entry(2, 2, "active"), Entry(3, 1, "active"),
             Entry(4, 7, "active"), Entry(5, 1, "active")]
    assert list(find_drift(db, index)) == [
        Drift("stale", 2, 3, 2), Drift("status", 3, 1, 1), Drift("ahead", 4, 5, 7),
        Drift("extra", 5, None, 1), Drift("missing", 6, 1, None),
    ]


def test_find_drift_sees_other_content_under_the_same_version():
    db = [Entry(1, 4, "active", "aaa"), Entry(2, 4, "active", "bbb"), Entry(3, 2, "active", "ccc")]
    index = [Entry(1, 4, "active", "aaa"), Entry(2, 4, "active", "old"), Entry(3, 2, "active", None)]
    assert list(find_drift(db, index)) == [Drift("content", 2, 4, 4), Drift("content", 3, 2, 2)]


def test_find_drift_on_empty_sides():
    assert list(find_drift([], [])) == []
    assert list(find_drift([Entry(1, 1, "active")], [])) == [Drift("missing", 1, 1, None)]
    assert list(find_drift([], [Entry(9, 1, "active")])) == [Drift("extra", 9, None, 1)]


def _facts(**changes):
    facts = {"alias": "a", "indices": ["a-x-1"], "rebuilding": [], "health": "green",
             "index_fingerprint": "x", "config_fingerprint": "x", "docs_active": 3,
             "db_active": 3, "outbox": {"rows": 0, "oldest_age_s": 0.0}}
    facts.update(changes)
    return facts


def test_assess_healthy_index_has_no_findings():
    assert assess(_facts()) == ([], [])


def test_assess_errors_and_warnings():
    errors, _ = assess(_facts(indices=[]))
    assert errors and "no index" in errors[0]
    assert assess(_facts(health="red"))[0] == ["cluster health is red"]
    assert assess(_facts(search_error="refused"))[0][0].startswith("OpenSearch unreachable")
    _, warnings = assess(_facts(index_fingerprint="old"))
    assert "rebuild" in warnings[0]
    _, warnings = assess(_facts(docs_active=2))
    assert "reconcile" in warnings[0]
    # A backlog explains a count difference: no drift warning while rows wait.
    assert assess(_facts(docs_active=2, outbox={"rows": 5, "oldest_age_s": 1.0})) == ([], [])
    _, warnings = assess(_facts(outbox={"rows": 5, "oldest_age_s": 600.0}))
    assert "worker" in warnings[0]


def _trees() -> tuple[Tree, Tree]:
    categories = Tree(nodes={1: Node(1, "cars", None, "سيارات", "Cars"),
                             2: Node(2, "sedan", 1, "سيدان", "Sedans")})
    areas = Tree(nodes={10: Node(10, "homs", None, "حمص", "Homs", kind="governorate",
                                 alt_names=("حمص المحروسة",), lat=34.7, lon=36.7),
                        11: Node(11, "waer", 10, "الوعر", "Al-Waer", kind="district"),
                        12: Node(12, "nowhere", None, "لا مكان", "Nowhere", kind="governorate")})
    return categories, areas


Row = namedtuple("Row", AD_FIELDS)  # type: ignore[misc]  # fields from AD_FIELDS, named at run time


def _row(**changes):
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    values = dict(id=7, slug="ad-7", title="سيارة للبيع", description="نظيفة جداً", category_id=2,
                  area_id=11, lat=None, lon=None, price_amount=Decimal("1500000.50"), currency="SYP",
                  negotiable=True, condition="used", images=["a.jpg"], created_at=when,
                  expires_at=when + dt.timedelta(days=30), status="active", version=3,
                  contact_phone="0944123456")
    values.update(changes)
    return Row(**values)


ROW_CHANGES = [
    {}, {"lat": 33.5, "lon": 36.3}, {"area_id": 12}, {"area_id": 10, "category_id": 1},
    {"price_amount": None}, {"currency": "USD", "price_amount": Decimal("120")}, {"images": None},
    {"images": []}, {"condition": None, "status": "withdrawn", "version": 9}, {"category_id": 99},
]


def test_the_transform_gives_every_field():
    categories, areas = _trees()
    doc = DocumentMaker(categories, areas, Decimal("13000"))(_row(area_id=10))
    assert doc["category_path"] == [1, 2] and doc["category_name"] == "سيارات Cars سيدان Sedans"
    assert doc["area_path"] == [10] and "حمص المحروسة" in doc["area_name"]
    assert doc["location"] == {"lat": 34.7, "lon": 36.7} and doc["location_precise"] is False
    assert doc["price_amount"] == 1500000.5 and doc["price_usd"] == round(1500000.5 / 13000, 4)
    assert doc["created_at"] == "2026-01-02T03:04:05+00:00" and doc["has_images"] is True
    assert doc["content_digest"] == content_digest(doc) and len(doc["content_digest"]) == 64


@pytest.mark.parametrize("changes", ROW_CHANGES)
def test_the_transform_is_pure(changes):
    """The same row gives the same document: from a fresh maker, from its tree cache, and from
    the row as a plain tuple (the rebuild stream) or as a named row (a by-id read)."""
    categories, areas = _trees()
    row = _row(**changes)
    first = DocumentMaker(categories, areas, Decimal("13000"))(row)
    make = DocumentMaker(categories, areas, Decimal("13000"))
    for _ in range(2):  # the second time from the per-category/area cache
        assert make(row) == first
        assert make(tuple(row)) == first


def test_documents_share_no_mutable_parts():
    categories, areas = _trees()
    make = DocumentMaker(categories, areas, Decimal("13000"))
    row = _row(area_id=10)  # located at its area's centroid
    expected = DocumentMaker(categories, areas, Decimal("13000"))(row)
    first = make(row)
    first["area_path"].append(0)
    first["location"]["lat"] = 0.0
    first["images"].append("b.jpg")
    assert make(row) == expected
    assert row.images == ["a.jpg"]


def test_content_digest_follows_content_not_version():
    categories, areas = _trees()
    digest = lambda row: DocumentMaker(categories, areas, Decimal("13000"))(row)["content_digest"]  # noqa: E731
    assert digest(_row()) == digest(_row(version=99))
    assert digest(_row()) != digest(_row(title="سيارة للبيع مستعملة"))
    assert digest(_row()) != digest(_row(status="withdrawn"))
    assert digest(_row()) != digest(_row(price_amount=Decimal("1500001")))


def test_bulk_actions_carry_external_versions_and_serialise_as_utf8():
    doc = {"id": 1, "version": 4, "title": "بيت"}
    assert index_action("ix", doc) == (
        {"index": {"_index": "ix", "_id": "1", "version": 4, "version_type": "external"}}, doc)
    assert index_action("ix", doc, version_type="external_gte", require_alias=True)[0] == {
        "index": {"_index": "ix", "_id": "1", "version": 4, "version_type": "external_gte",
                  "require_alias": True}}
    assert delete_action("ix", 9) == ({"delete": {"_index": "ix", "_id": "9"}}, None)
    meta, source = action_lines(index_action("ix", doc))
    assert meta == '{"index":{"_index":"ix","_id":"1","version":4,"version_type":"external"}}'
    assert source == '{"id":1,"version":4,"title":"بيت"}'  # UTF-8, not \u escapes
    assert action_lines(delete_action("ix", 9))[1] is None


def test_reading_bulk_results_counts_conflicts_as_done():
    items = [{"index": {"_id": "1", "status": 201}},
             {"index": {"_id": "2", "status": 409, "error": {"type": "version_conflict_engine_exception"}}},
             {"index": {"_id": "3", "status": 429, "error": {"type": "es_rejected_execution_exception"}}},
             {"delete": {"_id": "4", "status": 404}},
             {"delete": {"_id": "5", "status": 200}},
             {"index": {"_id": "6", "status": 404, "error": {"type": "index_not_found_exception"}}},
             {"index": {"_id": "7", "status": 500}}]
    results = [read_item(item) for item in items]
    assert [(r.id, r.done) for r in results] == [(1, True), (2, True), (3, False), (4, True),
                                                 (5, True), (6, False), (7, False)]
    assert results[1].conflict and results[1].error == "version_conflict_engine_exception"
    assert results[6].error == "500"
    outcome = BulkOutcome.of(results)
    assert outcome.done == {1, 2, 4, 5}
    assert outcome.failed == {3: "es_rejected_execution_exception", 6: "index_not_found_exception",
                              7: "500"}


def test_an_ad_is_done_only_when_every_target_took_it():
    """The relay writes each ad through two aliases during a rebuild: one refusal keeps its row."""
    outcome = BulkOutcome.of([read_item({"index": {"_id": "1", "status": 200}}),
                              read_item({"index": {"_id": "1", "status": 429}}),
                              read_item({"index": {"_id": "2", "status": 201}}),
                              read_item({"index": {"_id": "2", "status": 409}})])
    assert outcome.done == {2} and outcome.failed == {1: "429"}


def test_prefetched_keeps_order_and_runs_ahead_in_another_thread():
    threads: list[str] = []

    def items():
        for i in range(10):
            threads.append(threading.current_thread().name)
            yield i

    assert list(prefetched(items(), depth=2, name="producer")) == list(range(10))
    assert set(threads) == {"producer"}


def test_prefetched_hands_the_producers_error_to_the_consumer():
    def items():
        yield 1
        raise ValueError("database gone")

    got = []
    with pytest.raises(ValueError, match="database gone"):
        for item in prefetched(items()):
            got.append(item)
    assert got == [1]


def test_prefetched_stops_and_closes_the_producer_when_the_consumer_stops():
    produced, closed = [], threading.Event()

    def items():
        try:
            for i in range(1000):
                produced.append(i)
                yield i
        finally:
            closed.set()

    stream = prefetched(items(), depth=2)
    assert isinstance(stream, Generator)  # a generator function: the consumer may close it
    assert next(stream) == 0
    stream.close()  # the consumer failed: e.g. a bulk request raised
    assert closed.is_set()  # closed before close() returned: the thread was joined
    assert len(produced) <= 5  # bounded: it never ran far ahead
