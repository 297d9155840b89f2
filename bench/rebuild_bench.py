"""`souq bench rebuild`: docs/s of the project's rebuild vs a raw bulk load, same node, same run.

The rebuild (`indexer.rebuild.rebuild_index`) reads every ad from PostgreSQL,
builds documents, bulk-loads a new index, catches up and swaps the alias. The
raw baseline sends the very same documents, serialised beforehand (untimed),
as bulk requests of the same size into a scratch index with the same settings,
then refreshes: the engine's own ceiling. Target (issue 6): rebuild >= 0.8x raw.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from typing import Any

from opensearchpy import OpenSearch

from core.config import Settings
from core.db import make_database, make_session_factory
from core.opensearch import ads_alias, make_client
from indexer.ad_rows import stream_documents
from indexer.batches import chunked
from indexer.bulk import CHUNK_SIZE
from indexer.rebuild import LOADING_SETTINGS, rebuild_index, serving_settings
from search_config import fields as F
from search_config.loader import index_body

Progress = Callable[[int, int], None]
BULK_TIMEOUT_S = 120  # a 1,000-document request on a busy 2-core node can take seconds


def _raw_bodies(settings: Settings) -> tuple[list[bytes], int]:
    """Every ad's document as NDJSON bulk bodies of CHUNK_SIZE documents (built before timing)."""
    database = make_database(settings)
    bodies: list[bytes] = []
    count = 0
    try:
        with make_session_factory(database)() as session:
            for chunk in chunked(stream_documents(session, settings.syp_per_usd, CHUNK_SIZE), CHUNK_SIZE):
                lines = []
                for doc in chunk:
                    lines.append(json.dumps({"index": {"_id": str(doc[F.ID]), "version": doc[F.VERSION],
                                                       "version_type": "external"}}))
                    lines.append(json.dumps(doc, ensure_ascii=False))
                bodies.append(("\n".join(lines) + "\n").encode("utf-8"))
                count += len(chunk)
    finally:
        database.dispose()
    return bodies, count


def raw_bulk_load(client: OpenSearch, index: str, bodies: list[bytes], settings: Settings,
                  progress: Progress | None = None, total: int = 0) -> float:
    """Seconds to create `index`, bulk-load `bodies`, restore serving settings and refresh."""
    body = index_body()
    body["settings"].setdefault("index", {}).update(LOADING_SETTINGS)
    started = time.monotonic()
    client.indices.create(index=index, body=body)
    client.cluster.health(index=index, wait_for_status="yellow", request_timeout=40)
    done = 0
    for data in bodies:
        response = client.bulk(body=data, index=index, request_timeout=BULK_TIMEOUT_S)
        if response.get("errors"):
            failed = [item for item in response["items"] if item["index"].get("status", 500) >= 300]
            raise RuntimeError(f"raw bulk load: {len(failed)} documents failed, e.g. {failed[0]}")
        done += len(response["items"])
        if progress is not None:
            progress(done, total)
    client.indices.put_settings(index=index, body={"index": serving_settings(settings.refresh_interval)})
    client.indices.refresh(index=index, request_timeout=BULK_TIMEOUT_S)
    return time.monotonic() - started


def run_rebuild_bench(settings: Settings, progress: Progress | None = None) -> dict[str, Any]:
    """Rebuild the bench alias, then raw-load the same documents; returns the figures."""
    client = make_client(settings, timeout=BULK_TIMEOUT_S)
    alias = ads_alias(settings)
    database = make_database(settings)
    try:
        report = rebuild_index(make_session_factory(database), client, alias, syp_per_usd=settings.syp_per_usd,
                               refresh_interval=settings.refresh_interval,
                               now=lambda: dt.datetime.now(dt.UTC), progress=progress)
    finally:
        database.dispose()
    bodies, count = _raw_bodies(settings)
    scratch = f"{settings.index_prefix}-rawbulk-{int(time.time())}"
    try:
        raw_seconds = raw_bulk_load(client, scratch, bodies, settings, progress, count)
        raw_count = client.count(index=scratch)["count"]
    finally:
        client.indices.delete(index=scratch, ignore_unavailable=True)
    rebuild_rate = report.loaded / report.seconds if report.seconds else 0.0
    raw_rate = count / raw_seconds if raw_seconds else 0.0
    return {
        "docs": report.loaded, "raw_docs": raw_count,
        "rebuild_seconds": report.seconds, "raw_seconds": round(raw_seconds, 3),
        "rebuild_docs_per_s": round(rebuild_rate, 1), "raw_docs_per_s": round(raw_rate, 1),
        "ratio": round(rebuild_rate / raw_rate, 3) if raw_rate else None,
        "bulk_docs_per_request": CHUNK_SIZE, "index": report.index,
        "rebuild_report": {k: v for k, v in report.to_dict().items() if k in ("total", "loaded", "caught_up")},
    }
