"""Bulk indexing with external versions: replays and out-of-order deliveries are harmless.

Every document is the ad's full current state with `version = ads.version`;
OpenSearch keeps whichever is newest, and a 409 (the index already holds that
version or a newer one) means the work is already done.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from opensearchpy import OpenSearch

from search_config import fields as F


@dataclass
class BulkOutcome:
    done: set[int] = field(default_factory=set)
    failed: dict[int, str] = field(default_factory=dict)


def bulk_actions(
    index: str, documents: Iterable[dict[str, Any]], require_alias: bool = False
) -> list[dict[str, Any]]:
    """The NDJSON lines of one bulk request, as dicts (action, source, action, source...).

    With `require_alias`, `index` must be an alias: a write racing an alias swap
    fails (and is retried) instead of auto-creating an index under a dropped name.
    """
    lines: list[dict[str, Any]] = []
    for doc in documents:
        action: dict[str, Any] = {
            "_index": index, "_id": str(doc[F.ID]),
            "version": doc[F.VERSION], "version_type": "external",
        }
        if require_alias:
            action["require_alias"] = True
        lines.append({"index": action})
        lines.append(doc)
    return lines


def index_documents(
    client: OpenSearch, indices: list[str], documents: list[dict[str, Any]], refresh: bool = False
) -> BulkOutcome:
    """Index `documents` into every index of `indices`; an ad is done once all accepted it."""
    outcome = BulkOutcome()
    if not documents or not indices:
        return outcome
    lines: list[dict[str, Any]] = []
    for index in indices:
        lines.extend(bulk_actions(index, documents))
    response = client.bulk(body=lines, refresh="true" if refresh else "false")
    return outcome_of(response, [doc[F.ID] for doc in documents])


# All a bulk response needs to carry back: 409s and failures by id.
RESPONSE_FILTER = "errors,items.index._id,items.index.status,items.index.error.type"


def send_body(client: OpenSearch, body: bytes, ids: list[int], refresh: bool = False) -> BulkOutcome:
    """Send one pre-serialised bulk body (`ids`: the ads it indexes) with the same outcome rules."""
    if not ids:
        return BulkOutcome()
    response = client.bulk(body=body, refresh="true" if refresh else "false",
                           filter_path=RESPONSE_FILTER)
    return outcome_of(response, ids)


def outcome_of(response: dict[str, Any], ids: Iterable[int]) -> BulkOutcome:
    """Done and failed ads of a bulk response; a 409 (that version or newer is there) is done."""
    failed: dict[int, str] = {}
    for item in response["items"]:
        result = item["index"]
        status = result.get("status", 500)
        if status >= 300 and status != 409:
            failed[int(result["_id"])] = str(result.get("error", {}).get("type", status))
    return BulkOutcome(done={int(ad_id) for ad_id in ids} - set(failed), failed=failed)
