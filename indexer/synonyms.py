"""Reload search-time synonyms (search_config/synonyms.txt) without a reindex.

Where it sits: an operator verb (`souq search synonyms reload`) beside the
rebuild. Synonyms live only in the search analysers, so documents never need
reprocessing; but analysis settings are static in OpenSearch, and core has no
"reload search analyzers" API (that is a plugin), so some index must be
(re)created or closed to change them. The options, and why this one:

- close / update settings / open: simple, but every search on the alias fails
  while the index is closed and its shards recover (seconds), and a rule the
  engine rejects leaves the live index closed: an outage.
- full rebuild from PostgreSQL: safe, but minutes of work for a text file.
- clone (chosen): block writes on the live index, flush, `_clone` it into a new
  concrete index whose settings carry the new synonyms (a clone hard-links the
  segments, so it takes about as long as opening an index and no extra disk),
  swap the alias in one atomic call, drop the old index. Searches never fail.
  The cost: writes are refused for those seconds; the relay writes through the
  alias with `require_alias`, so a refused or raced write stays in the outbox
  and is retried against the new index. A rule the engine rejects fails the
  clone and leaves the live index as it was (writes unblocked again).

The reload refuses when a rebuild is running (it creates its index from the
current config anyway) and when the live index was built from a config that
differs in more than the synonyms: then only a rebuild makes it current.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from opensearchpy import OpenSearch

from indexer.index_admin import concrete_name, fingerprint_of, indices_of, rebuilding_alias, swap_alias
from search_config.loader import body_fingerprint, index_body

SYNONYM_FILTER = "souq_synonyms"
SYNONYMS_SETTING = f"index.analysis.filter.{SYNONYM_FILTER}.synonyms"
WRITE_BLOCK = "index.blocks.write"
# A clone copies only the analysis settings; the others it must be given, except
# those that name or place the source itself.
NOT_COPIED = ("index.analysis.", "index.uuid", "index.creation_date", "index.provided_name",
              "index.version.", "index.blocks.", "index.routing", "index.resize.", "index.number_of_shards")
# The engine waits up to 30 s (its default) for the clone's primary to start;
# opening a clone takes well under a second for a small index, a few for a large one.
CLONE_TIMEOUT_S = 60.0


class SynonymReloadRefused(RuntimeError):
    """The reload cannot be done safely now; the message says what to do instead."""


def configured_synonyms() -> list[str]:
    """The synonym rules of search_config, as the index body carries them."""
    return list(index_body()["settings"]["analysis"]["filter"][SYNONYM_FILTER]["synonyms"])


def _flat_settings(client: OpenSearch, index: str) -> dict[str, Any]:
    return dict(client.indices.get_settings(index=index, flat_settings=True)[index]["settings"])


def live_synonyms(client: OpenSearch, index: str) -> list[str]:
    """The synonym rules the live index's search analysers use now."""
    rules = _flat_settings(client, index).get(SYNONYMS_SETTING, [])
    return [rules] if isinstance(rules, str) else list(rules)


def _live_index(client: OpenSearch, alias: str) -> str:
    live = indices_of(client, alias)
    if len(live) != 1:
        raise SynonymReloadRefused(f"alias {alias} points at {live or 'no index'}; expected exactly one")
    if indices_of(client, rebuilding_alias(alias)):
        raise SynonymReloadRefused("a rebuild is running; its new index already uses the configured synonyms")
    if str(_flat_settings(client, live[0]).get(WRITE_BLOCK, "false")).lower() == "true":
        raise SynonymReloadRefused(f"{live[0]} is write-blocked: another reload or maintenance is running")
    return live[0]


def _check_only_synonyms_differ(alias: str, index: str, current: list[str]) -> None:
    """The live index must be the configured body with its own synonyms, or cloning would lie."""
    body = index_body()
    body["settings"]["analysis"]["filter"][SYNONYM_FILTER]["synonyms"] = current
    if fingerprint_of(index, alias) != body_fingerprint(body):
        raise SynonymReloadRefused(
            f"{index} was built from a search_config that differs in more than synonyms: "
            "run `souq search rebuild` (it picks up the synonyms too)")


def _switch_to_clone(client: OpenSearch, alias: str, live: str, target: str, rules: list[str]) -> None:
    """Block writes, flush, clone `live` into `target` with `rules`, move the alias; undo on failure."""
    settings = {key: value for key, value in _flat_settings(client, live).items()
                if not key.startswith(NOT_COPIED)}
    settings.update({WRITE_BLOCK: False, SYNONYMS_SETTING: rules})
    client.indices.put_settings(index=live, body={WRITE_BLOCK: True})
    try:
        client.indices.flush(index=live)
        response = client.indices.clone(
            index=live, target=target, body={"settings": settings},
            wait_for_active_shards=1, request_timeout=CLONE_TIMEOUT_S)
        if not response.get("shards_acknowledged"):
            raise RuntimeError(f"{target} was created but did not start in time")
        swap_alias(client, alias, target)
    except Exception:
        client.indices.delete(index=target, ignore_unavailable=True)
        client.indices.put_settings(index=live, body={WRITE_BLOCK: False})
        raise


def reload_synonyms(client: OpenSearch, alias: str) -> dict[str, Any]:
    """Make the index behind `alias` search with search_config's synonyms; a small report."""
    live = _live_index(client, alias)
    wanted, current = configured_synonyms(), live_synonyms(client, live)
    report: dict[str, Any] = {
        "alias": alias, "rules": len(wanted),
        "added": len(set(wanted) - set(current)), "removed": len(set(current) - set(wanted)),
    }
    if wanted == current:
        return {**report, "changed": False, "index": live}
    _check_only_synonyms_differ(alias, live, current)
    target = concrete_name(alias, dt.datetime.now(dt.UTC))
    _switch_to_clone(client, alias, live, target, wanted)
    client.indices.delete(index=live)
    return {**report, "changed": True, "index": target, "previous": live}
