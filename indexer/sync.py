"""State-based sync: "make the index match the database for these ad ids".

Idempotent by construction: it re-reads the current rows and indexes full
documents with their versions, whatever message or outbox row asked for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from opensearchpy import OpenSearch
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Ad
from core.taxonomy import Tree, load_areas, load_categories
from indexer.bulk import BulkOutcome, index_documents
from indexer.documents import ad_document


def documents_for(
    session: Session, ad_ids: Iterable[int], syp_per_usd: Decimal,
    trees: tuple[Tree, Tree] | None = None,
) -> list[dict]:
    ids = sorted(set(ad_ids))
    if not ids:
        return []
    categories, areas = trees or (load_categories(session), load_areas(session))
    ads = session.scalars(select(Ad).where(Ad.id.in_(ids)).order_by(Ad.id))
    return [ad_document(ad, categories, areas, syp_per_usd) for ad in ads]


def sync_ads(
    session: Session, client: OpenSearch, indices: list[str], ad_ids: Iterable[int],
    syp_per_usd: Decimal, refresh: bool = False,
) -> BulkOutcome:
    """Index the current state of `ad_ids` into `indices`; ids with no row count as done."""
    wanted = set(ad_ids)
    documents = documents_for(session, wanted, syp_per_usd)
    outcome = index_documents(client, indices, documents, refresh=refresh)
    outcome.done |= wanted - {doc["id"] for doc in documents}
    return outcome
