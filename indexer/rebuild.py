"""Zero-downtime rebuild: load a fresh concrete index from PostgreSQL, then swap the alias.

Flow: drop a crashed rebuild's leftover -> create the new index already behind
the "rebuilding" alias (so the relay dual-writes from that moment) with
replicas 0 and refresh off -> stream every ad through a server-side cursor
into bulk requests with external versions -> restore settings and refresh ->
catch up on ads changed since the rebuild started -> swap the live alias in one
call -> drop the old indices. Readers keep using the alias throughout.

Restartable: a PostgreSQL advisory lock allows one rebuild per alias at a
time and dies with its connection, so after a crash the next run finds the
leftover index behind the rebuilding alias and drops it before starting over.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from opensearchpy import OpenSearch
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.models import Ad
from indexer import bulk
from indexer.ad_rows import stream_documents
from indexer.index_admin import (
    concrete_name,
    drop_indices,
    indices_of,
    rebuilding_alias,
    swap_alias,
)
from indexer.locks import IndexJobBusy, exclusive
from search_config.loader import index_body

log = logging.getLogger(__name__)

# Ads are stamped `updated_at` by the app before their transaction commits, so
# a change committed just after the rebuild started may carry an earlier stamp.
# The catch-up looks back this far; a few minutes of extra ads is cheap.
CATCH_UP_MARGIN = dt.timedelta(minutes=2)
# Bulk requests built ahead of the one being sent: enough to never keep the
# node waiting, few enough to bound memory (a few MB each).
PREFETCH = 2
LOADING_SETTINGS = {"refresh_interval": "-1", "number_of_replicas": 0}

Progress = Callable[[int, int], None]


class RebuildBusy(IndexJobBusy):
    """Another rebuild of the same alias holds the lock."""


@dataclass
class RebuildReport:
    alias: str
    index: str
    total: int = 0
    loaded: int = 0
    caught_up: int = 0
    failed: dict[int, str] = field(default_factory=dict)
    old_indices: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    leftovers_dropped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def docs_per_s(self) -> float:
        return round(self.loaded / self.seconds, 1) if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["failed"] = {str(k): v for k, v in self.failed.items()}
        data["docs_per_s"] = self.docs_per_s
        return data


def serving_settings(refresh_interval: str) -> dict[str, Any]:
    """The settings a loaded index goes back to: search_config's replicas, our refresh."""
    configured = index_body()["settings"].get("index", {})
    return {"refresh_interval": refresh_interval,
            "number_of_replicas": configured.get("number_of_replicas", 1)}


def leftover_plan(rebuilding: list[str], live: list[str]) -> tuple[list[str], list[str]]:
    """(indices to drop, live indices to merely detach) among a crashed rebuild's leftovers."""
    return ([name for name in rebuilding if name not in live],
            [name for name in rebuilding if name in live])


def clear_leftovers(client: OpenSearch, alias: str) -> list[str]:
    """Drop an index a crashed rebuild left behind the rebuilding alias; returns what went."""
    drop, detach = leftover_plan(indices_of(client, rebuilding_alias(alias)), indices_of(client, alias))
    if detach:
        client.indices.update_aliases(body={"actions": [
            {"remove": {"index": name, "alias": rebuilding_alias(alias)}} for name in detach]})
    drop_indices(client, drop)
    return drop


def load_index(client: OpenSearch, index: str, documents: Iterable[dict[str, Any]],
               report: RebuildReport, progress: Progress | None, catch_up: bool = False) -> None:
    """Bulk-load `documents` into `index`, the next requests read, built and serialised by a
    producer thread (at most PREFETCH ahead) while this one waits on the current request.

    `progress(loaded, total)` is called once per request's worth of documents.
    """
    every = bulk.CHUNK_SIZE
    actions = (bulk.index_action(index, doc) for doc in documents)
    for n, result in enumerate(bulk.write(client, actions, prefetch=PREFETCH), 1):
        if not result.done:
            report.failed[result.id] = result.error or str(result.status)
        elif catch_up:
            report.caught_up += 1
        else:
            report.loaded += 1
        if progress is not None and not catch_up and n % every == 0:
            progress(report.loaded, report.total)
    if progress is not None and not catch_up:
        progress(report.loaded, report.total)


def rebuild_index(
    factory: sessionmaker[Session], client: OpenSearch, alias: str, *, syp_per_usd: Decimal,
    refresh_interval: str, now: Callable[[], dt.datetime], keep_old: bool = False,
    progress: Progress | None = None,
) -> RebuildReport:
    """Build a new concrete index for `alias` from PostgreSQL and swap it in atomically."""
    started = time.monotonic()
    with exclusive(factory, "rebuild", alias, RebuildBusy):
        try:
            report = _rebuild_locked(factory, client, alias, syp_per_usd, refresh_interval, now,
                                     keep_old, progress)
        except Exception:
            _drop_after_failure(client, alias)
            raise
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _drop_after_failure(client: OpenSearch, alias: str) -> None:
    """Best effort: the live index was never touched; the next run drops what is left."""
    try:
        clear_leftovers(client, alias)
    except Exception as exc:
        log.warning("rebuild %s: could not drop the partial index (%s); the next run will", alias, exc)


def _rebuild_locked(
    factory: sessionmaker[Session], client: OpenSearch, alias: str, syp_per_usd: Decimal,
    refresh_interval: str, now: Callable[[], dt.datetime], keep_old: bool,
    progress: Progress | None,
) -> RebuildReport:
    leftovers = clear_leftovers(client, alias)
    start = now()
    index = concrete_name(alias, start)
    report = RebuildReport(alias=alias, index=index, leftovers_dropped=leftovers)
    body = index_body()
    body["settings"].setdefault("index", {}).update(LOADING_SETTINGS)
    # Created already behind the rebuilding alias: from its first moment the
    # relay writes every change into it too, and a crash leaves it findable.
    body["aliases"] = {rebuilding_alias(alias): {}}
    client.indices.create(index=index, body=body)
    client.cluster.health(index=index, wait_for_status="yellow", request_timeout=40)
    log.info("rebuild %s: loading %s", alias, index)
    with factory() as session:
        report.total = int(session.scalar(select(func.count(Ad.id))) or 0)
        load_index(client, index, stream_documents(session, syp_per_usd, bulk.CHUNK_SIZE), report,
                   progress)
    client.indices.put_settings(index=index, body={"index": serving_settings(refresh_interval)})
    client.indices.refresh(index=index)
    with factory() as session:
        changed = stream_documents(session, syp_per_usd, bulk.CHUNK_SIZE,
                                   since=start - CATCH_UP_MARGIN)
        load_index(client, index, changed, report, None, catch_up=True)
    if report.failed:
        raise RuntimeError(f"rebuild {index}: {len(report.failed)} ads failed to index, "
                           f"e.g. {next(iter(report.failed.items()))}; the live index is untouched")
    client.indices.refresh(index=index)
    client.cluster.health(index=index, wait_for_status="yellow", request_timeout=40)
    report.old_indices = swap_alias(client, alias, index)
    if not keep_old:
        drop_indices(client, report.old_indices)
        report.dropped = list(report.old_indices)
    log.info("rebuild %s: now on %s (%d ads, %d caught up)", alias, index, report.loaded,
             report.caught_up)
    return report


def missing_fields(client: OpenSearch, alias: str) -> list[str]:
    """Top-level fields of the configured mapping that the live index lacks.

    The mapping is strict, so a document with a field the live index does not
    know is refused: after an upgrade that adds a field, the relay would fail
    every write until the index is rebuilt from the new shape.
    """
    wanted = set(index_body()["mappings"]["properties"])
    live: set[str] = set()
    for mapping in client.indices.get_mapping(index=alias).values():
        live |= set(mapping["mappings"].get("properties", {}))
    return sorted(wanted - live)
