"""The bench query log: deterministic, the intended mix, and every entry a valid search."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from bench.query_log import MIX, generate_queries, read_query_log, request_args, write_query_log
from core.seeding import load_area_seed, load_category_seed
from core.taxonomy import Node, Tree
from service.search.params import Context, parse_search_args

COUNT = 3000


def _tree(entries: list[dict]) -> Tree:
    ids = {entry["slug"]: i + 1 for i, entry in enumerate(entries)}
    nodes = {ids[e["slug"]]: Node(id=ids[e["slug"]], slug=e["slug"], parent_id=ids.get(e.get("parent") or ""),
                                  name_ar=e["name_ar"], name_en=e["name_en"],
                                  kind=e.get("kind", "category"), lat=e.get("lat"), lon=e.get("lon"))
             for e in entries}
    return Tree(nodes=nodes, by_slug={node.slug: node for node in nodes.values()})


@pytest.fixture(scope="module")
def seeds():
    return load_category_seed(), load_area_seed()


@pytest.fixture(scope="module")
def log(seeds):
    return list(generate_queries(COUNT, 9, *seeds))


def test_same_seed_same_log(seeds, log) -> None:
    assert list(generate_queries(200, 9, *seeds)) == log[:200]
    assert list(generate_queries(200, 10, *seeds)) != log[:200]


def test_the_mix_matches_its_shares(log) -> None:
    kinds = Counter(entry["_kind"] for entry in log)
    assert kinds.keys() == MIX.keys()
    for kind, share in MIX.items():
        assert abs(kinds[kind] / COUNT - share) < 0.03, kind
    queries = Counter(entry["q"] for entry in log if "q" in entry)
    assert queries.most_common(1)[0][1] > 50, "a popular head"
    assert sum(1 for n in queries.values() if n == 1) > 300, "and a long tail"
    assert any("page" in e and int(e["page"]) >= 10 for e in log)
    assert any("radius_km" in e for e in log) and any("q" not in e for e in log)
    assert any("price_min" in e for e in log) and any(e.get("sort") == "distance" for e in log)


def test_every_entry_is_a_valid_search(seeds, log) -> None:
    categories, areas = _tree(seeds[0]), _tree(seeds[1])
    ctx = Context(categories, areas, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), secret="x")
    for entry in log:
        args = request_args(entry)
        assert "_kind" not in args and all(isinstance(v, str) for v in args.values())
        parse_search_args(args, categories, areas, ctx)  # raises BadParameter on anything invalid


def test_log_round_trips_through_jsonl(tmp_path: Path, log) -> None:
    path = tmp_path / "q.jsonl"
    assert write_query_log(path, iter(log[:50])) == 50
    assert read_query_log(path) == log[:50]
    assert all(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
