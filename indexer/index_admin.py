"""Index naming, creation and alias moves: the index lifecycle's small verbs.

Readers and writers only ever use the alias. Concrete indices are named from
the config fingerprint and a timestamp, so `status` can tell whether the live
index was built from the current search_config. While a rebuild loads a new
index, a second "rebuilding" alias points at it so the relay writes to both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from opensearchpy import NotFoundError, OpenSearch

from search_config.loader import fingerprint, index_body


def rebuilding_alias(alias: str) -> str:
    return f"{alias}-rebuilding"


def concrete_name(alias: str, now: dt.datetime, analyzer: str = "custom") -> str:
    return f"{alias}-{fingerprint(analyzer)}-{now.strftime('%Y%m%d%H%M%S%f')}"


def fingerprint_of(index_name: str, alias: str) -> str | None:
    """The config fingerprint baked into a concrete index name, if it follows our naming."""
    rest = index_name[len(alias) + 1:] if index_name.startswith(alias + "-") else ""
    parts = rest.split("-")
    return parts[0] if len(parts) == 2 else None


def indices_of(client: OpenSearch, alias: str) -> list[str]:
    try:
        return sorted(client.indices.get_alias(name=alias))
    except NotFoundError:
        return []


def write_targets(client: OpenSearch, alias: str) -> list[str]:
    """Every index a change must reach: the live one(s) plus one being rebuilt."""
    return sorted(set(indices_of(client, alias)) | set(indices_of(client, rebuilding_alias(alias))))


def create_index(
    client: OpenSearch, name: str, *, overrides: dict[str, Any] | None = None,
    analyzer: str = "custom",
) -> None:
    body = index_body(analyzer)
    body["settings"].setdefault("index", {}).update(overrides or {})
    client.indices.create(index=name, body=body)


def ensure_index(client: OpenSearch, alias: str, now: dt.datetime) -> str:
    """Create the first concrete index and its alias if the alias is missing; returns the live index."""
    live = indices_of(client, alias)
    if live:
        return live[0]
    name = concrete_name(alias, now)
    create_index(client, name)
    client.indices.put_alias(index=name, name=alias)
    client.cluster.health(index=name, wait_for_status="yellow")
    return name


def swap_alias(client: OpenSearch, alias: str, new_index: str) -> list[str]:
    """Point `alias` at `new_index` only, in one atomic call; returns the indices it left."""
    old = [name for name in indices_of(client, alias) if name != new_index]
    actions: list[dict[str, Any]] = [{"add": {"index": new_index, "alias": alias}}]
    actions += [{"remove": {"index": name, "alias": alias}} for name in old]
    if new_index in indices_of(client, rebuilding_alias(alias)):
        actions.append({"remove": {"index": new_index, "alias": rebuilding_alias(alias)}})
    client.indices.update_aliases(body={"actions": actions})
    return old
