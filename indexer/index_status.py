"""Index status for operators: what the alias serves, how fresh and complete it is.

Gathers facts (alias -> concrete index, config fingerprint, document counts,
outbox backlog, cluster health) and turns them into errors and warnings with
the pure `assess`. Errors mean search is broken (no index, red cluster,
OpenSearch unreachable); warnings mean it works but needs attention.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import TransportError
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from core.models import Ad, AdStatus
from core.outbox import backlog
from indexer.index_admin import fingerprint_of, indices_of, rebuilding_alias
from search_config import fields as F
from search_config.loader import fingerprint

# The relay runs every second: a change older than this is stuck, not queued.
STALE_BACKLOG_S = 60.0


def assess(facts: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(errors, warnings) for a status snapshot. Pure."""
    errors: list[str] = []
    warnings: list[str] = []
    if facts.get("database_error"):
        errors.append(f"PostgreSQL unusable: {facts['database_error']}")
    if facts.get("search_error"):
        errors.append(f"OpenSearch unreachable: {facts['search_error']}")
        return errors, warnings
    if not facts.get("indices"):
        errors.append(f"alias {facts['alias']} points at no index (run `souq search create`)")
    if facts.get("health") == "red":
        errors.append("cluster health is red")
    if facts.get("indices") and facts.get("index_fingerprint") != facts.get("config_fingerprint"):
        warnings.append(f"index built from config {facts.get('index_fingerprint')}, current config is "
                        f"{facts.get('config_fingerprint')}: run `souq search rebuild`")
    outbox = facts.get("outbox", {})
    if outbox.get("oldest_age_s", 0) > STALE_BACKLOG_S:
        warnings.append(f"oldest outbox row waits {outbox['oldest_age_s']:.0f}s: is a worker running?")
    docs, ads = facts.get("docs_active"), facts.get("db_active")
    if docs is not None and ads is not None and docs != ads and not outbox.get("rows"):
        warnings.append(f"{docs} active documents vs {ads} active ads with an empty outbox: "
                        f"run `souq search reconcile`")
    if facts.get("rebuilding"):
        warnings.append(f"a rebuild is loading {', '.join(facts['rebuilding'])} (or crashed)")
    return errors, warnings


def _database_facts(factory: sessionmaker[Session], now: dt.datetime) -> dict[str, Any]:
    with factory() as session:
        return {
            "db_active": int(session.scalar(select(func.count(Ad.id)).where(Ad.status == AdStatus.ACTIVE)) or 0),
            "db_total": int(session.scalar(select(func.count(Ad.id))) or 0),
            "outbox": backlog(session, now),
        }


def _search_facts(client: OpenSearch, alias: str) -> dict[str, Any]:
    indices = indices_of(client, alias)
    facts: dict[str, Any] = {
        "indices": indices, "rebuilding": indices_of(client, rebuilding_alias(alias)),
        "health": client.cluster.health()["status"],
        "index_fingerprint": fingerprint_of(indices[0], alias) if indices else None,
        "docs_total": None, "docs_active": None,
    }
    if indices:
        facts["docs_total"] = int(client.count(index=alias)["count"])
        active = {"query": {"term": {F.STATUS: AdStatus.ACTIVE}}}
        facts["docs_active"] = int(client.count(index=alias, body=active)["count"])
    return facts


def index_status(factory: sessionmaker[Session], client: OpenSearch, alias: str,
                 now: dt.datetime) -> dict[str, Any]:
    """A JSON-ready snapshot with `errors` and `warnings`; never raises for a down node."""
    facts: dict[str, Any] = {"alias": alias, "config_fingerprint": fingerprint(),
                             "db_active": None, "db_total": None,
                             "outbox": {"rows": None, "oldest_age_s": 0.0}}
    try:
        facts.update(_database_facts(factory, now))
    except SQLAlchemyError as exc:
        facts["database_error"] = str(exc).splitlines()[0]
    # Index lag: how long the oldest change not yet in the index has waited.
    facts["index_lag_s"] = facts["outbox"]["oldest_age_s"]
    try:
        facts.update(_search_facts(client, alias))
    except (OpenSearchConnectionError, TransportError) as exc:
        facts["search_error"] = str(exc)
    facts["errors"], facts["warnings"] = assess(facts)
    return facts
