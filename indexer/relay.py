"""The relay: drains the outbox into OpenSearch in batches.

Flow: lease a batch of outbox rows (short transaction) -> coalesce by ad ->
re-read the ads and bulk-index them into every write target -> delete the rows
OpenSearch acknowledged, release the rest. A crash anywhere leaves rows in the
outbox, so the worst case is indexing an ad twice, which versions make harmless.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from opensearchpy import OpenSearch
from opensearchpy.exceptions import TransportError
from sqlalchemy.orm import Session, sessionmaker

from core.db import transaction
from core.outbox import claim_batch, release_entries, remove_entries
from core.search_errors import SearchUnavailable
from indexer.ad_rows import documents_for
from indexer.bulk import BulkOutcome, index_documents
from indexer.index_admin import ensure_index, write_aliases
from search_config import fields as F

# Long enough for a slow bulk of one batch; short enough that a killed
# worker's rows are retried within seconds.
LEASE = dt.timedelta(seconds=30)


def index_through_aliases(
    session: Session, client: OpenSearch, aliases: list[str], ad_ids: set[int], syp_per_usd: Decimal,
) -> BulkOutcome:
    """Index the current state of `ad_ids` through every alias; ids with no row count as done.

    `require_alias` turns a write that races an alias swap into a retryable
    failure instead of silently auto-creating an index under a dropped name.
    """
    documents = documents_for(session, ad_ids, syp_per_usd)
    outcome = index_documents(client, aliases, documents, require_alias=True)
    outcome.done |= set(ad_ids) - {doc[F.ID] for doc in documents}
    return outcome


@dataclass
class RelayResult:
    claimed: int = 0
    indexed_ads: int = 0
    failed_ads: int = 0
    removed_entries: int = 0

    def add(self, other: RelayResult) -> None:
        self.claimed += other.claimed
        self.indexed_ads += other.indexed_ads
        self.failed_ads += other.failed_ads
        self.removed_entries += other.removed_entries


def relay_batch(
    factory: sessionmaker[Session], client: OpenSearch, alias: str, batch_size: int,
    syp_per_usd: Decimal, now: Callable[[], dt.datetime],
) -> RelayResult:
    """Lease, index and settle one batch of outbox rows."""
    with transaction(factory) as session:
        claimed = claim_batch(session, batch_size, now(), LEASE)
    if not claimed:
        return RelayResult()
    entry_ids_by_ad: dict[int, list[int]] = {}
    for entry_id, ad_id in claimed:
        entry_ids_by_ad.setdefault(ad_id, []).append(entry_id)
    try:
        aliases = write_aliases(client, alias)
        if not aliases:
            ensure_index(client, alias, now())
            aliases = [alias]
        with transaction(factory) as session:
            outcome = index_through_aliases(
                session, client, aliases, set(entry_ids_by_ad), syp_per_usd)
    except (TransportError, SearchUnavailable) as exc:
        # The engine is down (or refused the request whole): every row stays for a retry.
        with transaction(factory) as session:
            release_entries(session, [entry_id for entry_id, _ in claimed])
        if isinstance(exc, SearchUnavailable):
            raise
        raise SearchUnavailable(str(exc)) from exc
    done_entries = [e for ad_id in outcome.done for e in entry_ids_by_ad.get(ad_id, [])]
    failed_entries = [e for ad_id in outcome.failed for e in entry_ids_by_ad.get(ad_id, [])]
    with transaction(factory) as session:
        removed = remove_entries(session, done_entries)
        release_entries(session, failed_entries)
    return RelayResult(len(claimed), len(outcome.done), len(outcome.failed), removed)


def drain_outbox(
    factory: sessionmaker[Session], client: OpenSearch, alias: str, batch_size: int,
    syp_per_usd: Decimal, now: Callable[[], dt.datetime], max_batches: int = 20,
) -> RelayResult:
    """Relay batches until the outbox is empty (or `max_batches`, to keep a task bounded)."""
    total = RelayResult()
    for _ in range(max_batches):
        result = relay_batch(factory, client, alias, batch_size, syp_per_usd, now)
        total.add(result)
        if result.claimed < batch_size:
            break
    return total
