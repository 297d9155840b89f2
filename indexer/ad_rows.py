"""Ads as the document transform reads them: plain column tuples straight from PostgreSQL.

Every indexing path reads ads here and turns them into documents with the one
`indexer.documents.DocumentMaker`: the relay and reconcile's repairs by id,
the rebuild and reconcile's comparison as a stream. Plain rows, not ORM
objects: no identity map, no attribute instrumentation, which is what keeps a
full rebuild cheap on the Python side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Ad
from core.taxonomy import load_areas, load_categories
from indexer.documents import AD_FIELDS, DocumentMaker

ROW_COLUMNS = tuple(getattr(Ad, name) for name in AD_FIELDS)


def document_maker(session: Session, syp_per_usd: Decimal) -> DocumentMaker:
    """The transform with the taxonomy trees as they are now."""
    return DocumentMaker(load_categories(session), load_areas(session), syp_per_usd)


def stream_rows(session: Session, batch: int, since: dt.datetime | None = None) -> Iterator[Any]:
    """Every ad (or those changed since `since`) as a plain row, in id order, `batch` rows per fetch
    through a server-side cursor."""
    query = select(*ROW_COLUMNS).order_by(Ad.id).execution_options(yield_per=batch)
    if since is not None:
        query = query.where(Ad.updated_at >= since)
    for rows in session.execute(query).partitions():
        yield from rows


def stream_documents(session: Session, syp_per_usd: Decimal, batch: int,
                     since: dt.datetime | None = None) -> Iterator[dict[str, Any]]:
    """Every ad (or those changed since `since`) as its document, in id order."""
    make = document_maker(session, syp_per_usd)
    for row in stream_rows(session, batch, since):
        yield make(row)


def documents_for(session: Session, ad_ids: Iterable[int], syp_per_usd: Decimal) -> list[dict[str, Any]]:
    """The current documents of those of `ad_ids` that still have a row, in id order."""
    ids = sorted(set(ad_ids))
    if not ids:
        return []
    make = document_maker(session, syp_per_usd)
    rows = session.execute(select(*ROW_COLUMNS).where(Ad.id.in_(ids)).order_by(Ad.id))
    return [make(row) for row in rows]
