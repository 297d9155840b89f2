"""Pure parts of the index lifecycle: rebuild planning, drift detection, status assessment."""

from __future__ import annotations

import datetime as dt

from indexer.index_admin import concrete_name, fingerprint_of, rebuilding_alias
from indexer.index_status import assess
from indexer.rebuild import chunked, leftover_plan, lock_key, serving_settings
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


def test_lock_key_is_stable_and_per_alias():
    assert lock_key("a") == lock_key("a") != lock_key("b")
    assert -(2**63) <= lock_key("a") < 2**63


def test_find_drift_names_every_kind_of_difference():
    db = [Entry(1, 2, "active"), Entry(2, 3, "active"), Entry(3, 1, "withdrawn"),
          Entry(4, 5, "active"), Entry(6, 1, "active")]
    index = [Entry(1, 2, "active"), Entry(2, 2, "active"), Entry(3, 1, "active"),
             Entry(4, 7, "active"), Entry(5, 1, "active")]
    assert list(find_drift(db, index)) == [
        Drift("stale", 2, 3, 2), Drift("status", 3, 1, 1), Drift("ahead", 4, 5, 7),
        Drift("extra", 5, None, 1), Drift("missing", 6, 1, None),
    ]


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
