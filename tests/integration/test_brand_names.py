"""The brand lexicon through the real engine: every name found across scripts, nothing else.

A scratch index from the production body holds, for every row of
search_config/brand_names.tsv, one ad written with its first Arabic spelling and
one with its first Latin spelling, plus ads of look-alike everyday words. Every
spelling of a row, searched through the production query builder, must find the
row's ad in the other script, and may find only ads of names that share a word
with it (apple finds «ابل واتش», honda never finds «هيونداي»). The loader's
mirror of the analyser is checked against the engine for every spelling, and
`souq search synonyms reload` must carry the lexicon to a live index.
OpenSearch must be reachable: these tests fail, never skip, without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from opensearchpy import OpenSearch

from search_config import fields as F
from search_config.loader import BrandName, index_body, indexed_tokens, read_brand_names, synonym_rules
from service.search.query import SearchParams, build_search_body
from tests.integration.conftest import scratch_analysis_index

pytestmark = pytest.mark.integration

ROWS = read_brand_names("brand_names.tsv")
# Everyday words that look like a name (camera/Camry, petrol/Patrol, beige/Peugeot,
# bag/Kia, pocket/Jeep, running/Gree, technology/Tecno): no name may find them.
LOOK_ALIKE_ADS = ["كاميرا تصوير", "بترول", "كنبة بيج", "كيس نوم", "جيب البنطلون", "جهاز جري",
                  "كتب تكنولوجيا", "ساعة يد", "كرسي سيارة"]
# (query, ad title as written, the words that must be marked)
HIGHLIGHTS = [
    ("nissan sunny", "نيسان صني 2010 فتيس عادي", ["نيسان", "صني"]),
    ("لاند كروزر", "Toyota Land Cruiser 2016", ["Land", "Cruiser"]),
    ("ريدمي نوت", "Redmi Note 12 Pro", ["Redmi", "Note"]),
]


def _doc_id(row: BrandName, script: str) -> str:
    return f"r{row.line}-{script}"


@pytest.fixture(scope="module")
def engine() -> Iterator[tuple[OpenSearch, str]]:
    with scratch_analysis_index("brand-names") as (client, name):
        yield _loaded(client, name)


def _loaded(client: OpenSearch, name: str) -> tuple[OpenSearch, str]:
    """Every spelling of every row, the look-alike ads and the highlight titles, indexed."""
    docs = {_doc_id(row, "ar"): row.arabic[0] for row in ROWS}
    docs |= {_doc_id(row, "la"): row.latin[0] for row in ROWS}
    docs |= {f"x{number}": text for number, text in enumerate(LOOK_ALIKE_ADS)}
    docs |= {f"h{number}": title for number, (_, title, _) in enumerate(HIGHLIGHTS)}
    actions = []
    for number, (doc_id, title) in enumerate(docs.items(), start=1):
        actions += [{"index": {"_index": name, "_id": doc_id}}, {F.ID: number, F.TITLE: title, F.STATUS: "active"}]
    response = client.bulk(body=actions, refresh=True)
    assert not response["errors"]
    return client, name


def _search(engine: tuple[OpenSearch, str], query: str) -> list[dict]:
    client, index = engine
    body = build_search_body(SearchParams(q=query, size=50))
    return list(client.search(index=index, body=body)["hits"]["hits"])


def _row_tokens(row: BrandName) -> set[str]:
    return {token for spelling in row.spellings for token in indexed_tokens(spelling)}


def test_the_loader_mirrors_the_engine_for_every_spelling(engine: tuple[OpenSearch, str]) -> None:
    client, index = engine
    for row in ROWS:
        for spelling in row.spellings:
            response = client.indices.analyze(index=index, body={"analyzer": "souq_arabic", "text": spelling})
            assert [token["token"] for token in response["tokens"]] == indexed_tokens(spelling), spelling


@pytest.mark.parametrize("kind", sorted({row.kind for row in ROWS}))
def test_every_spelling_finds_the_name_in_the_other_script_and_nothing_else(
    engine: tuple[OpenSearch, str], kind: str,
) -> None:
    by_line = {row.line: row for row in ROWS}
    for row in (row for row in ROWS if row.kind == kind):
        tokens = _row_tokens(row)
        for script, spellings in (("ar", row.latin), ("la", row.arabic)):
            for spelling in spellings:
                found = [hit["_id"] for hit in _search(engine, spelling)]
                assert _doc_id(row, script) in found, (spelling, found)
                for doc_id in found:
                    assert not doc_id.startswith("x"), (spelling, doc_id)
                    if doc_id.startswith("r"):
                        other = by_line[int(doc_id[1:].split("-")[0])]
                        assert tokens & _row_tokens(other), (spelling, other)


@pytest.mark.parametrize(("query", "other"), [
    ("honda", "hyundai"), ("hyundai", "honda"), ("هوندا", "hyundai"), ("هيونداي", "honda"),
    ("seat", "saipa"), ("سايبا", "seat"), ("opel", "apple"), ("ابل", "opel"), ("oppo", "opel"),
    ("redmi", "realme"), ("ريلمي", "redmi"), ("prado", "pride"), ("cruze", "land cruiser"),
    ("chery", "chevrolet"), ("honor", "honda"),
])
def test_look_alike_makes_do_not_find_each_other(engine: tuple[OpenSearch, str], query: str, other: str) -> None:
    row = next(row for row in ROWS if other in row.latin)
    found = {hit["_id"] for hit in _search(engine, query)}
    assert not found & {_doc_id(row, "ar"), _doc_id(row, "la")}


@pytest.mark.parametrize(("query", "title", "marked"), HIGHLIGHTS, ids=[h[0] for h in HIGHLIGHTS])
def test_highlight_marks_the_name_as_the_advertiser_wrote_it(
    engine: tuple[OpenSearch, str], query: str, title: str, marked: list[str],
) -> None:
    hit = next(hit for hit in _search(engine, query) if hit["_source"][F.TITLE] == title)
    fragment = hit["highlight"][F.TITLE][0]
    assert re.sub(r"</?mark>", "", fragment) == title
    assert re.findall(r"<mark>(.*?)</mark>", fragment) == marked


def test_synonym_reload_brings_the_lexicon_to_a_live_index(engine: tuple[OpenSearch, str]) -> None:
    from indexer.synonyms import live_synonyms, reload_synonyms
    from search_config.loader import body_fingerprint

    client, scratch = engine
    alias = f"{scratch}-reload"
    old_body = index_body()
    # Every rule but the lexicon's (the dialect rings merged into synonyms.txt's, as in the real body).
    old_body["settings"]["analysis"]["filter"]["souq_synonyms"]["synonyms"] = synonym_rules(
        "synonyms.txt", None, "dialect_words.tsv")
    old = f"{alias}-{body_fingerprint(old_body)}-1"
    client.indices.create(index=old, body=old_body)
    try:
        client.indices.put_alias(index=old, name=alias)
        client.index(index=alias, id="1", body={"id": 1, "title": "نيسان صني 2010", "status": "active"},
                     params={"require_alias": "true", "refresh": "true"})
        query = {"query": {"match": {F.TITLE: "nissan sunny"}}}
        assert client.search(index=alias, body=query)["hits"]["hits"] == []
        report = reload_synonyms(client, alias)
        assert report["changed"] and report["added"] == len(ROWS) and report["removed"] == 0
        assert live_synonyms(client, report["index"])[-len(ROWS):] == [row.synonym_rule() for row in ROWS]
        assert [hit["_id"] for hit in client.search(index=alias, body=query)["hits"]["hits"]] == ["1"]
    finally:
        client.indices.delete(index=f"{alias}-*", ignore_unavailable=True)
