"""Reconcile: compare ids, versions and content between PostgreSQL and the live index, repair drift.

The outbox makes drift unlikely, not impossible (a restored backup, a hand
edit, a bug). Both sides are streamed in id order (server-side cursor;
search_after on `id`) and merged; the pure `find_drift` names each difference.
Versions alone cannot see a document that holds other content under the same
version (a write refused by the engine, a hand edit), so each side also carries
the digest of the document's content: the database side computes the document
each row would index (the one transform, `indexer.documents`), the index side
reads the digest stored with it.
Repairs are state-based like the relay: re-read the current rows and index
them (equal versions accepted, so a same-version doc with the wrong content is
overwritten); a document whose row no longer exists is deleted, after checking
again that the row is really gone.

One reconcile per alias at a time (a PostgreSQL advisory lock, as the rebuild
takes): two runs at once would compare and repair the same drift twice, and a
late repair of one could undo what the other saw.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from opensearchpy import OpenSearch
from sqlalchemy.orm import Session, sessionmaker

from indexer.ad_rows import documents_for, stream_documents
from indexer.batches import chunked
from indexer.bulk import Action, delete_action, index_action, write
from indexer.index_admin import write_aliases
from indexer.locks import IndexJobBusy, exclusive
from search_config import fields as F

# Ids per search page / per repair bulk: a page of 5,000 small hits is well
# under the default 10,000 result window and ~1 MB of JSON.
PAGE_SIZE = 5000
REPAIR_CHUNK = 500


class ReconcileBusy(IndexJobBusy):
    """Another reconcile of the same alias holds the lock."""


class Entry(NamedTuple):
    id: int
    version: int
    status: str
    digest: str | None = None  # None: not known (a document indexed before digests existed)


class Drift(NamedTuple):
    kind: str  # missing | stale | status | content | ahead | extra
    id: int
    db_version: int | None
    index_version: int | None


@dataclass
class ReconcileReport:
    alias: str
    checked_db: int = 0
    checked_index: int = 0
    drift: list[Drift] = field(default_factory=list)
    repaired: int = 0
    deleted: int = 0
    failed: dict[int, str] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(d.kind for d in self.drift))

    def to_dict(self, sample: int = 20) -> dict[str, Any]:
        return {
            "alias": self.alias, "dry_run": self.dry_run, "checked_db": self.checked_db,
            "checked_index": self.checked_index, "drift": self.counts,
            "sample": [d._asdict() for d in self.drift[:sample]],
            "repaired": self.repaired, "deleted": self.deleted,
            "failed": {str(k): v for k, v in self.failed.items()},
        }


def find_drift(db: Iterable[Entry], index: Iterable[Entry]) -> Iterator[Drift]:
    """Merge two id-ordered streams and name every difference. Pure."""
    db_it, ix_it = iter(db), iter(index)
    a, b = next(db_it, None), next(ix_it, None)
    while a is not None or b is not None:
        if a is not None and (b is None or a.id < b.id):
            yield Drift("missing", a.id, a.version, None)
            a = next(db_it, None)
        elif b is not None and (a is None or b.id < a.id):
            yield Drift("extra", b.id, None, b.version)
            b = next(ix_it, None)
        elif a is not None and b is not None:  # always, by now: the same id on both sides
            if b.version < a.version:
                yield Drift("stale", a.id, a.version, b.version)
            elif b.version > a.version:
                yield Drift("ahead", a.id, a.version, b.version)
            elif b.status != a.status:
                yield Drift("status", a.id, a.version, b.version)
            elif b.digest != a.digest:
                yield Drift("content", a.id, a.version, b.version)
            a, b = next(db_it, None), next(ix_it, None)


def db_entries(session: Session, syp_per_usd: Decimal) -> Iterator[Entry]:
    """Every row's id, version, status and the digest of the document it would index."""
    for doc in stream_documents(session, syp_per_usd, PAGE_SIZE):
        yield Entry(int(doc[F.ID]), int(doc[F.VERSION]), str(doc[F.STATUS]), doc[F.CONTENT_DIGEST])


def index_entries(client: OpenSearch, alias: str) -> Iterator[Entry]:
    """Every document's id, external version and status, in id order (search_after)."""
    after: list[Any] | None = None
    while True:
        body: dict[str, Any] = {
            "size": PAGE_SIZE, "sort": [{F.ID: "asc"}], "_source": [F.STATUS, F.CONTENT_DIGEST],
            "version": True, "query": {"match_all": {}}, "track_total_hits": False,
        }
        if after is not None:
            body["search_after"] = after
        hits = client.search(index=alias, body=body)["hits"]["hits"]
        for hit in hits:
            source = hit["_source"]
            yield Entry(int(hit["_id"]), int(hit["_version"]), str(source.get(F.STATUS)),
                        source.get(F.CONTENT_DIGEST))
        if len(hits) < PAGE_SIZE:
            return
        after = hits[-1]["sort"]


def _counted(entries: Iterator[Entry], report: ReconcileReport, side: str,
             progress: Callable[[int], object] | None = None) -> Iterator[Entry]:
    for entry in entries:
        setattr(report, side, getattr(report, side) + 1)
        if progress is not None:
            progress(getattr(report, side))
        yield entry


def reconcile_index(
    factory: sessionmaker[Session], client: OpenSearch, alias: str, *, syp_per_usd: Decimal,
    dry_run: bool = False, progress: Callable[[int], object] | None = None,
) -> ReconcileReport:
    """Find every difference between PostgreSQL and `alias`; repair unless `dry_run`.

    `progress(rows)` is called with the number of database rows compared so far (what it
    returns is ignored, so a progress bar's own `update` fits). Raises
    `ReconcileBusy` at once while another reconcile of `alias` runs.
    """
    report = ReconcileReport(alias=alias, dry_run=dry_run)
    with exclusive(factory, "reconcile", alias, ReconcileBusy):
        client.indices.refresh(index=alias)
        with factory() as session:
            report.drift = list(find_drift(
                _counted(db_entries(session, syp_per_usd), report, "checked_db", progress),
                _counted(index_entries(client, alias), report, "checked_index")))
        if not dry_run and report.drift:
            repair(factory, client, alias, report, syp_per_usd)
    return report


def repair(factory: sessionmaker[Session], client: OpenSearch, alias: str,
           report: ReconcileReport, syp_per_usd: Decimal) -> None:
    """Re-index the current rows of drifted ids; delete documents whose row is gone."""
    targets = write_aliases(client, alias)
    kinds = {d.id: d.kind for d in report.drift}
    for ids in chunked(sorted(kinds), REPAIR_CHUNK):
        with factory() as session:
            documents = documents_for(session, ids, syp_per_usd)
        present = {doc[F.ID] for doc in documents}
        actions: list[Action] = []
        for target in targets:
            actions += [index_action(target, doc, version_type="external_gte", require_alias=True)
                        for doc in documents]
            actions += [delete_action(target, i) for i in ids if i not in present]
        for result in write(client, actions, refresh=True):
            if not result.done or (result.conflict and kinds.get(result.id) == "missing"):
                # A 409 on a missing document means a plain DELETE left a tombstone newer
                # than the row's version: it can be restored only after index.gc_deletes.
                report.failed[result.id] = result.error or str(result.status)
            elif result.action == "delete":
                report.deleted += result.status == 200
            elif not result.conflict:
                report.repaired += 1
