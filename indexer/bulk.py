"""The one bulk writer, and the one reading of what each action in it came to.

Every write to the index (relay, rebuild, reconcile's repairs) goes through
`write`, built on the client's `streaming_bulk`: it chunks the actions into
requests of `CHUNK_SIZE` (and at most `MAX_REQUEST_BYTES`) and yields each
action's result, which `read_item` turns into an `ItemResult`.

Documents carry the ad's full current state with `version = ads.version`
(external versioning): the index keeps whichever is newest, so replays and
out-of-order deliveries are harmless, and a version conflict (409: that version
or a newer one is already there) means the work is already done. Any other
failed action is reported, for its caller to retry; a request that failed as a
whole (engine down, timeout, refused body) raises `SearchUnavailable`.

Each action is serialised once, with orjson, on the thread that makes it: with
`prefetch`, a producer thread builds and serialises the next chunks while this
thread waits on the current request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

import orjson
from opensearchpy import OpenSearch
from opensearchpy.exceptions import TransportError
from opensearchpy.helpers import streaming_bulk

from core.search_errors import SearchUnavailable
from indexer.batches import chunked, prefetched
from search_config import fields as F

# 1,000 documents (~2-3 MB of JSON) per bulk request: the range where a single
# node's bulk throughput flattens out; larger requests only add memory. Read
# at call time, so a drill can shrink it to stretch a rebuild over seconds.
CHUNK_SIZE = 1000
MAX_REQUEST_BYTES = 20 * 1024 * 1024
# All a bulk response needs to carry back: per action, its id, status and error type.
RESPONSE_FILTER = "items.*._id,items.*.status,items.*.error.type"

# (action line, source or None): the two NDJSON lines of one bulk action, as dicts.
Action = tuple[dict[str, Any], dict[str, Any] | None]


def index_action(target: str, document: dict[str, Any], *, version_type: str = "external",
                 require_alias: bool = False) -> Action:
    """Index `document` into `target` at its own version.

    With `require_alias`, `target` must be an alias: a write racing an alias
    swap fails (and is retried) instead of auto-creating an index under a
    dropped name. `external_gte` also accepts the version already there, so a
    repair can overwrite a document that holds other content under it.
    """
    meta: dict[str, Any] = {"_index": target, "_id": str(document[F.ID]),
                            "version": document[F.VERSION], "version_type": version_type}
    if require_alias:
        meta["require_alias"] = True
    return {"index": meta}, document


def delete_action(target: str, ad_id: int) -> Action:
    return {"delete": {"_index": target, "_id": str(ad_id)}}, None


@dataclass(frozen=True)
class ItemResult:
    id: int
    action: str  # index | delete
    status: int
    error: str | None  # the engine's error type, if it gave one
    done: bool  # written, or nothing left to do (a newer version is there; nothing to delete)

    @property
    def conflict(self) -> bool:
        return self.status == 409


def read_item(item: dict[str, Any]) -> ItemResult:
    """What one action of a bulk response came to. Pure: the only reader of bulk results."""
    ((action, result),) = item.items()
    status = int(result.get("status", 500))
    error = result.get("error")
    if isinstance(error, dict):
        error = error.get("type")
    done = 200 <= status < 300 or status == 409 or (action == "delete" and status == 404)
    return ItemResult(int(result["_id"]), action, status,
                      str(error) if error is not None else (None if done else str(status)), done)


@dataclass
class BulkOutcome:
    """Per ad: done once every action for it is done, failed if any failed."""

    done: set[int] = field(default_factory=set)
    failed: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, results: Iterable[ItemResult]) -> BulkOutcome:
        outcome = cls()
        for result in results:
            if result.done:
                outcome.done.add(result.id)
            else:
                outcome.failed[result.id] = result.error or str(result.status)
        outcome.done -= set(outcome.failed)
        return outcome


def action_lines(action: Action) -> tuple[str, str | None]:
    meta, source = action
    return (orjson.dumps(meta).decode(),
            orjson.dumps(source).decode() if source is not None else None)


def _as_given(lines: tuple[str, str | None]) -> tuple[str, str | None]:
    return lines


def write(client: OpenSearch, actions: Iterable[Action], *, refresh: bool = False,
          chunk_size: int | None = None, prefetch: int = 0, **request: Any) -> Iterator[ItemResult]:
    """Send `actions` in bulk requests; yield each action's result, in order.

    `prefetch` > 0 builds (and serialises) that many chunks ahead in a
    producer thread, for a long stream read from a database cursor. Raises
    `SearchUnavailable` when a request fails as a whole; the results yielded
    before it stand.
    """
    size = chunk_size or CHUNK_SIZE
    lines: Iterator[tuple[str, str | None]] = map(action_lines, actions)
    chunks = None
    if prefetch:
        chunks = prefetched(chunked(lines, size), prefetch, name="bulk-feed")
        lines = (line for chunk in chunks for line in chunk)
    results = streaming_bulk(
        client, lines, chunk_size=size, max_chunk_bytes=MAX_REQUEST_BYTES,
        expand_action_callback=_as_given, raise_on_error=False, raise_on_exception=True,
        refresh="true" if refresh else "false", filter_path=RESPONSE_FILTER, **request)
    try:
        with closing(results):
            for _ok, item in results:
                yield read_item(item)
    except TransportError as exc:
        raise SearchUnavailable(f"bulk request failed: {exc}") from exc
    finally:
        if chunks is not None:
            chunks.close()


def index_documents(client: OpenSearch, targets: list[str], documents: list[dict[str, Any]], *,
                    require_alias: bool = False, refresh: bool = False) -> BulkOutcome:
    """Index `documents` into every one of `targets`; an ad is done once all accepted it."""
    actions = [index_action(target, doc, require_alias=require_alias)
               for target in targets for doc in documents]
    return BulkOutcome.of(write(client, actions, refresh=refresh))
