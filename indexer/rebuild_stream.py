"""The rebuild's loading path, kept cheap: plain rows -> documents -> one NDJSON body per bulk.

A full rebuild is bound by the OpenSearch node; the Python side must cost it as
little as possible. So ads are read as plain column tuples (no ORM objects, no
identity map), each category's and area's tree parts (paths, names, centroid)
are worked out once instead of once per ad, every body is serialised exactly
once, and `prefetched` builds the next bodies in a background thread while the
current one is being sent.

`DocumentMaker(row)` must equal `indexer.documents.ad_document(row, ...)` for
every row: the unit tests hold the two together.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import threading
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.duplicates import duplicate_key
from core.models import Ad
from core.taxonomy import Tree
from indexer.documents import _names, content_digest, price_in_usd
from search_config import fields as F

T = TypeVar("T")

# Exactly the columns `ad_document` reads (the token hash never reaches the index, and
# the phone only as the 16-bit bucket inside the duplicate key).
ROW_COLUMNS = (Ad.id, Ad.slug, Ad.title, Ad.description, Ad.category_id, Ad.area_id, Ad.lat, Ad.lon,
               Ad.price_amount, Ad.currency, Ad.negotiable, Ad.condition, Ad.images, Ad.created_at,
               Ad.expires_at, Ad.status, Ad.version, Ad.contact_phone)

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def stream_rows(session: Session, batch: int, since: dt.datetime | None = None) -> Iterator[Any]:
    """Every ad (or those changed since `since`) as a plain row, in id order, `batch` rows per fetch."""
    query = select(*ROW_COLUMNS).order_by(Ad.id).execution_options(yield_per=batch)
    if since is not None:
        query = query.where(Ad.updated_at >= since)
    for rows in session.execute(query).partitions():
        yield from rows


class DocumentMaker:
    """`ad_document` for plain rows, with the per-category and per-area parts computed once."""

    def __init__(self, categories: Tree, areas: Tree, syp_per_usd: Decimal) -> None:
        self.categories, self.areas, self.syp_per_usd = categories, areas, syp_per_usd
        self._category: dict[int, tuple[list[int], str]] = {}
        self._area: dict[int, tuple[list[int], str, dict[str, float] | None]] = {}

    def _category_parts(self, category_id: int) -> tuple[list[int], str]:
        parts = self._category.get(category_id)
        if parts is None:
            path = self.categories.path(category_id)
            parts = self._category[category_id] = (path, _names(self.categories, path))
        return parts

    def _area_parts(self, area_id: int) -> tuple[list[int], str, dict[str, float] | None]:
        parts = self._area.get(area_id)
        if parts is None:
            path = self.areas.path(area_id)
            area = self.areas.nodes.get(area_id)
            centroid = ({"lat": area.lat, "lon": area.lon}
                        if area is not None and area.lat is not None and area.lon is not None else None)
            parts = self._area[area_id] = (path, _names(self.areas, path), centroid)
        return parts

    def __call__(self, row: Any) -> dict[str, Any]:
        (ad_id, slug, title, description, category_id, area_id, lat, lon, price_amount, currency,
         negotiable, condition, images, created_at, expires_at, status, version, contact_phone) = row
        category_path, category_name = self._category_parts(category_id)
        area_path, area_name, centroid = self._area_parts(area_id)
        precise = lat is not None and lon is not None
        if precise:
            location: dict[str, float] | None = {"lat": lat, "lon": lon}
        else:
            location = dict(centroid) if centroid is not None else None
        document = {
            F.ID: ad_id,
            F.SLUG: slug,
            F.TITLE: title,
            F.DESCRIPTION: description,
            F.CATEGORY_ID: category_id,
            F.CATEGORY_PATH: list(category_path),
            F.CATEGORY_NAME: category_name,
            F.AREA_ID: area_id,
            F.AREA_PATH: list(area_path),
            F.AREA_NAME: area_name,
            F.PRICE_AMOUNT: float(price_amount) if price_amount is not None else None,
            F.CURRENCY: currency,
            F.PRICE_USD: price_in_usd(price_amount, currency, self.syp_per_usd),
            F.NEGOTIABLE: negotiable,
            F.CONDITION: condition,
            F.HAS_IMAGES: bool(images),
            F.IMAGES: list(images or []),
            F.LOCATION: location,
            F.LOCATION_PRECISE: precise,
            F.CREATED_AT: created_at.isoformat(),
            F.EXPIRES_AT: expires_at.isoformat(),
            F.STATUS: status,
            F.VERSION: version,
            F.DUPLICATE_KEY: duplicate_key(contact_phone, title, description),
        }
        document[F.CONTENT_DIGEST] = content_digest(document)
        return document


def bulk_body(index: str, documents: Iterable[dict[str, Any]]) -> bytes:
    """One bulk request's NDJSON body (external versions), serialised once."""
    encode = _ENCODER.encode
    # The action line differs only in id and version: a template, not an encoder call.
    action = ('{"index":{"_index":' + encode(index).replace("%", "%%")
              + ',"_id":"%d","version":%d,"version_type":"external"}}')
    lines: list[str] = []
    for doc in documents:
        lines.append(action % (doc[F.ID], doc[F.VERSION]))
        lines.append(encode(doc))
    lines.append("")
    return "\n".join(lines).encode("utf-8")


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def prefetched(items: Iterable[T], depth: int = 2, name: str = "prefetch") -> Iterator[T]:
    """Yield `items`, produced by a background thread at most `depth` items ahead.

    The producer's exception is re-raised in the consumer; when the consumer
    stops early (an error of its own, or `close()`), the producer stops at its
    next item and is joined before this generator finishes, so whatever
    `items` holds (a database cursor) is released in the thread that used it.
    """
    handoff: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        source = iter(items)
        try:
            for item in source:
                if not put(item):
                    return
            put(_END)
        except BaseException as exc:  # noqa: BLE001 - handed over to the consumer
            put(_Failed(exc))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while True:
            item = handoff.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()
