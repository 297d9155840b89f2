"""Index naming, creation and alias moves: the index lifecycle's small verbs.

Readers and writers only ever use the alias. Concrete indices are named from
the config fingerprint and a timestamp, so `status` can tell whether the live
index was built from the current search_config. While a rebuild loads a new
index, a second "rebuilding" alias points at it so the relay writes to both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from opensearchpy import OpenSearch

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


def _aliased(client: OpenSearch, names: list[str]) -> dict[str, list[str]]:
    """{alias: [indices]} for those of `names` that exist (a missing one is no error)."""
    found = client.indices.get_alias(name=",".join(names), ignore=404)
    out: dict[str, list[str]] = {name: [] for name in names}
    for index, entry in found.items():
        if not isinstance(entry, dict) or "aliases" not in entry:
            continue  # the "error"/"status" keys of a partial answer
        for name in entry["aliases"]:
            if name in out:
                out[name].append(index)
    return {name: sorted(indices) for name, indices in out.items()}


def indices_of(client: OpenSearch, alias: str) -> list[str]:
    return _aliased(client, [alias])[alias]


def write_aliases(client: OpenSearch, alias: str) -> list[str]:
    """The aliases a change must be written through: the live one, plus the rebuilding one.

    Writing through aliases (with `require_alias`) rather than concrete names
    means a write racing a swap can never auto-create a dropped index: it fails
    and is retried against the aliases as they are then.
    """
    found = _aliased(client, [alias, rebuilding_alias(alias)])
    return [name for name, indices in found.items() if indices]


def drop_indices(client: OpenSearch, names: list[str]) -> None:
    for name in names:
        client.indices.delete(index=name, ignore_unavailable=True)


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
