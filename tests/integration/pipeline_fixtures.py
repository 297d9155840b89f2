"""Helpers shared by the index lifecycle tests and the drills (not a test module)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from click.testing import CliRunner, Result
from opensearchpy import OpenSearch
from sqlalchemy.orm import Session, sessionmaker

from core.ad_input import AdCreate
from core.ads import create_ad
from core.config import Settings
from core.db import transaction

AD = {
    "title": "سيارة هيونداي النترا للبيع",
    "description": "بحالة جيدة، محرك نظيف",
    "category": "cars",
    "area": "damascus-city",
    "price": "9000",
    "currency": "USD",
    "contact_name": "أبو سامر",
    "contact_phone": "0933 111 222",
}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def insert_ads(factory: sessionmaker[Session], count: int, title: str = AD["title"]) -> list[int]:
    """Create `count` active ads (each with its outbox row) in one transaction.

    Each has a seller of its own: one phone's identical ads are one item to search,
    which shows a single copy of them per page.
    """
    with transaction(factory) as session:
        return [create_ad(session, AdCreate(**(AD | {"title": title, "contact_phone": f"0933{n:06d}"})),
                          now(), 30).ad.id for n in range(count)]


def indexed(client: OpenSearch, index: str, ids: list[int]) -> dict[int, tuple[int, str]]:
    """{id: (version, status)} of the documents that exist for `ids`."""
    found: dict[int, tuple[int, str]] = {}
    for start in range(0, len(ids), 1000):
        docs = client.mget(index=index, body={"ids": [str(i) for i in ids[start:start + 1000]]},
                           _source_includes=["version", "status"])["docs"]
        for doc in docs:
            if doc.get("found"):
                found[int(doc["_id"])] = (int(doc["_source"]["version"]), doc["_source"]["status"])
    return found


def run_search_cli(settings: Settings, *args: str) -> Result:
    from souq_cli.search import search_group

    return CliRunner().invoke(search_group, list(args), obj=settings, catch_exceptions=False)


def json_of(result: Result) -> Any:
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])
