"""The pure query builder: params -> OpenSearch body (no services)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

from core.models import AdStatus
from search_config import fields as F
from service.search.facets import price_buckets, read_facets
from service.search.geo import haversine_km, tile_bounds
from service.search.query import SearchParams, build_search_body
from service.search.relax import relaxed_clause, relaxed_modes
from tests.unit.test_search_params import AREAS, CATEGORIES

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def walk(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def test_the_eval_call_keeps_working():
    body = build_search_body(SearchParams(q="سيارة كامري"))
    score = body["query"]["function_score"]
    assert score["boost_mode"] == "multiply" and score["query"]["bool"]["must"]
    assert body["sort"][0] == "_score" and body["from"] == 0 and body["size"] == 20
    assert "highlight" in body and "aggs" not in body and "post_filter" not in body
    assert {"term": {F.STATUS: AdStatus.ACTIVE}} in score["query"]["bool"]["filter"]


def test_user_text_never_reaches_a_query_parser():
    hostile = 'title:(a OR b)~2 ^ " {"match_all": {}} <script>'
    for mode in ("all", "any", "fuzzy"):
        body = build_search_body(SearchParams(q=hostile, match_mode=mode, did_you_mean=True, facets=True))
        keys = {key for key, _ in walk(body)}
        assert not keys & {"query_string", "simple_query_string", "script", "regexp", "wildcard"}


def test_facets_use_post_filter_and_exclude_their_own_selection():
    params = SearchParams(category_ids=(1,), area_ids=(2,), conditions=("new",), price_max_usd=500.0,
                          facets=True, has_images=True)
    body = build_search_body(params)
    post = body["post_filter"]["bool"]["filter"]
    assert {"terms": {F.CATEGORY_PATH: [1]}} in post and len(post) == 4
    main = json.dumps(body["query"])
    assert F.CATEGORY_PATH not in main and F.HAS_IMAGES in main
    category_group = body["aggs"]["filtered_by:area+condition+price"]
    category_filter = category_group["filter"]["bool"]["filter"]
    assert len(category_filter) == 3 and F.CATEGORY_PATH not in json.dumps(category_filter)
    assert F.CONDITION in json.dumps(category_filter) and list(category_group["aggs"]) == ["category"]


def test_facets_share_one_filter_and_skip_it_when_nothing_else_is_selected():
    plain = build_search_body(SearchParams(q="x", facets=True))["aggs"]
    assert sorted(plain) == ["area", "category", "condition", "price"]
    assert not any("filter" in agg for agg in plain.values())
    assert plain["category"]["terms"]["field"] == F.CATEGORY_PATH
    one = build_search_body(SearchParams(q="x", facets=True, category_ids=(7,)))["aggs"]
    assert sorted(one) == ["category", "filtered_by:category"]
    assert "terms" in one["category"]  # its own selection does not narrow it
    group = one["filtered_by:category"]
    assert group["filter"] == {"bool": {"filter": [{"terms": {F.CATEGORY_PATH: [7]}}]}}
    assert sorted(group["aggs"]) == ["area", "condition", "price"]
    two = build_search_body(SearchParams(q="x", facets=True, category_ids=(7,), conditions=("new",)))["aggs"]
    assert sorted(two) == ["filtered_by:category", "filtered_by:category+condition", "filtered_by:condition"]
    assert sorted(two["filtered_by:category+condition"]["aggs"]) == ["area", "price"]


def test_facet_results_are_found_wherever_they_sit():
    from service.search.facets import facet_results

    buckets: dict[str, list[object]] = {"buckets": []}
    response = {"category": buckets, "filtered_by:category": {"doc_count": 3, "area": buckets,
                                                               "price": {"buckets": {}}, "condition": buckets}}
    assert sorted(facet_results(response)) == ["area", "category", "condition", "price"]
    assert facet_results({"category": {"doc_count": 1, "values": buckets}})["category"] == buckets


def test_without_facets_selections_filter_the_query():
    body = build_search_body(SearchParams(category_ids=(7,), q="x"))
    assert "post_filter" not in body
    assert {"terms": {F.CATEGORY_PATH: [7]}} in body["query"]["function_score"]["query"]["bool"]["filter"]


def test_browsing_by_relevance_without_a_point_is_newest_first_unscored():
    body = build_search_body(SearchParams())
    assert "function_score" not in body["query"]
    assert body["sort"] == build_search_body(SearchParams(sort="newest"))["sort"]
    assert "function_score" in build_search_body(SearchParams(point=(33.0, 36.0)))["query"]


def test_sorts_are_total_orders():
    point = (33.5, 36.3)
    for sort in ("relevance", "newest", "price_asc", "price_desc", "distance"):
        body = build_search_body(SearchParams(sort=sort, point=point))
        last = body["sort"][-1]
        assert isinstance(last, dict) and F.ID in last, sort
    distance = build_search_body(SearchParams(sort="distance", point=point))["sort"][0]["_geo_distance"]
    assert distance["unit"] == "km" and distance[F.LOCATION] == {"lat": 33.5, "lon": 36.3}
    newest = build_search_body(SearchParams(sort="newest", q="x"))
    assert "function_score" not in newest["query"]


def test_relevance_blends_recency_and_distance():
    functions = build_search_body(SearchParams(point=(33.5, 36.3), now=NOW))["query"]["function_score"]["functions"]
    assert functions[0] == {"weight": 1}
    assert functions[1]["gauss"][F.CREATED_AT]["origin"] == NOW.isoformat()
    assert F.LOCATION in functions[2]["gauss"]


def test_geo_filters():
    body = build_search_body(SearchParams(point=(33.5, 36.3), radius_km=12.5, bbox=(35, 32, 37, 34)))
    text = json.dumps(body["query"])
    assert '"distance": "12.5km"' in text
    assert '"top_left": {"lat": 34, "lon": 35}' in text


def test_cursor_uses_search_after_not_from():
    body = build_search_body(SearchParams(sort="newest", search_after=(1700000000000, 5)))
    assert body["search_after"] == [1700000000000, 5] and "from" not in body


def test_posted_within_counts_from_the_given_clock():
    body = build_search_body(SearchParams(posted_within_days=7, now=NOW))
    assert (NOW - dt.timedelta(days=7)).isoformat() in json.dumps(body["query"])


def _matches(clause):
    """(required product-word clauses, optional clauses) of a relaxed clause."""
    content = clause["bool"]["must"][0]["bool"]
    optional = clause["bool"]["should"]
    return [item["multi_match"] for item in content["should"]], [item["multi_match"] for item in optional]


def test_fuzziness_only_on_long_product_words_and_never_on_digits():
    required, optional = _matches(relaxed_clause("كامريات 2018 ٢٠١٨ i7 مدرس", fuzzy=True))
    assert {match["query"] for match in optional} == {"2018", "٢٠١٨", "i7"}  # numbers never required
    assert all("fuzziness" not in match for match in optional)
    fuzzy = {match["query"]: match.get("fuzziness") for match in required}
    assert fuzzy == {"كامريات": 1, "مدرس": None}  # 4 letters: one edit is another word (مدرسة)


def test_generic_words_and_numbers_are_never_the_only_reason():
    required, optional = _matches(relaxed_clause("ثلاجة مستعملة بحالة ممتازة", fuzzy=False))
    assert [match["query"] for match in required] == ["ثلاجة"]
    assert {match["query"] for match in optional} == {"مستعملة", "بحالة", "ممتازة"}
    assert relaxed_modes("غير مستعمل") == ()  # negation + condition: nothing left to look for
    assert relaxed_modes("ايفون 13") == ("any",)  # the number may go, the phone may not
    assert relaxed_modes("كرت شاشة") == ()  # two product words not found together: no ad, no noise
    assert relaxed_modes("سيارة تويوتا زرقاء") == ("any",)  # of three, one may go; a brand is never fuzzy
    assert relaxed_modes("سيارة زرقاء بريطانية") == ("any", "fuzzy")  # بريطانية is long
    assert relaxed_modes("مرسيدسات") == ("fuzzy",)  # one long word: a misspelling is possible
    assert relaxed_modes("realme") == relaxed_modes("ريلمي") == ()  # a brand name is a word, not a typo


def test_two_product_words_must_both_match_three_all_but_one():
    clause = relaxed_clause("a b c", fuzzy=False)
    assert clause["bool"]["must"][0]["bool"]["minimum_should_match"] == "2<-1"


def test_did_you_mean_only_when_asked():
    assert "suggest" not in build_search_body(SearchParams(q="x"))
    assert "suggest" in build_search_body(SearchParams(q="x", did_you_mean=True))


def test_price_buckets_in_both_currencies_and_rendering():
    assert price_buckets("USD")[0] == (0, 100) and price_buckets("USD")[-1][1] is None
    assert price_buckets("SYP")[1] == (1_000_000, 5_000_000)
    params = SearchParams(currency="USD", syp_per_usd=Decimal(13000), facets=True, price_min_usd=100.0,
                          price_max_usd=500.0, category_ids=(CATEGORIES.by_slug["cars"].id,))
    aggs = build_search_body(params)["aggs"]
    assert sorted(aggs) == ["filtered_by:category", "filtered_by:category+price", "filtered_by:price"]
    ranges = aggs["filtered_by:category"]["aggs"]["price"]["range"]["ranges"]
    keys = [item["key"] for item in ranges]
    assert ranges[1]["from"] == 100.0 and 500.0 < ranges[1]["to"] < 500.0001
    cars, vehicles = CATEGORIES.by_slug["cars"].id, CATEGORIES.by_slug["vehicles"].id
    response = {
        "filtered_by:price": {"doc_count": 9, "category": {"buckets": [{"key": vehicles, "doc_count": 5},
                                                                      {"key": cars, "doc_count": 3}]}},
        "filtered_by:category+price": {"doc_count": 9, "area": {"buckets": []},
                                       "condition": {"buckets": [{"key": "new", "doc_count": 2}]}},
        "filtered_by:category": {"doc_count": 9, "price": {"buckets": {key: {"doc_count": 1} for key in keys}}},
    }
    facets = read_facets(response, params, CATEGORIES, AREAS)
    assert facets["category"][0]["slug"] == "vehicles" and facets["category"][0]["count"] == 5
    assert facets["category"][0]["children"][0] == {
        "slug": "cars", "name_ar": CATEGORIES.by_slug["cars"].name_ar, "name_en": "Cars", "count": 3,
        "selected": True, "children": []}
    assert facets["condition"] == [{"value": "new", "count": 2, "selected": False},
                                   {"value": "used", "count": 0, "selected": False}]
    assert [b["selected"] for b in facets["price"]].count(True) == 1
    assert facets["area"] == []


def test_haversine_and_tiles():
    assert abs(haversine_km(33.5138, 36.2765, 34.7324, 36.7137) - 140.6) < 1.0
    bounds = tile_bounds("1/1/0")
    assert bounds["west"] == 0 and bounds["east"] == 180 and bounds["south"] == 0 and bounds["north"] > 85


def test_a_relevance_cursor_rescores_its_anchor_hit():
    from service.search.query import anchor_body

    params = SearchParams(q="شقة", search_after=(3.25, 1700000000000, 42), now=NOW, facets=True,
                          category_ids=(1,))
    body = anchor_body(params)
    assert body is not None and body["size"] == 1
    inner = body["query"]["function_score"]["query"]["bool"]
    assert inner["filter"] == [{"ids": {"values": ["42"]}}] and inner["must"]
    assert anchor_body(SearchParams(sort="newest", search_after=(1, 2))) is None
    assert anchor_body(SearchParams(q="شقة")) is None


def test_an_unreachable_engine_is_search_unavailable_not_a_crash():
    import pytest
    from opensearchpy import OpenSearch

    from core.search_errors import SearchUnavailable
    from service.search.gateway import EngineGateway

    gateway = EngineGateway(OpenSearch(hosts=["http://127.0.0.1:9"], timeout=1, max_retries=0), "nowhere")
    with pytest.raises(SearchUnavailable):
        gateway.search(build_search_body(SearchParams(q="x")))
    with pytest.raises(SearchUnavailable):
        gateway.msearch([build_search_body(SearchParams(q="x")), {"size": 0}])


def test_did_you_mean_keeps_the_users_spelling_of_right_words():
    from service.search.relax import read_did_you_mean

    def response(text):
        return {"suggest": {"did_you_mean": [{"options": [{"text": text}]}]}}

    assert read_did_you_mean(response("غساله اوتوماتيك"), "غسالة اوتوماتك") == "غسالة اوتوماتيك"
    assert read_did_you_mean(response("سياره"), "سيارة") is None
    assert read_did_you_mean({"suggest": {"did_you_mean": [{"options": []}]}}, "x") is None


def test_facets_go_in_a_separate_cacheable_request():
    from service.search.query import facets_body

    params = SearchParams(facets=True, category_ids=(3,), conditions=("new",), posted_within_days=3, now=NOW)
    body = facets_body(params)
    assert body["size"] == 0 and "post_filter" not in body and "sort" not in body
    assert F.CATEGORY_PATH not in json.dumps(body["query"])
    assert F.CONDITION in json.dumps(body["aggs"]["filtered_by:condition"])
    later = facets_body(SearchParams(facets=True, category_ids=(3,), conditions=("new",), posted_within_days=3,
                                     now=NOW + dt.timedelta(seconds=30)))
    assert later == body  # the same minute: the same (cacheable) request


def test_text_facets_match_like_the_search_but_score_nothing():
    from service.search.query import facets_body, text_clause

    params = SearchParams(q="شقة عبدون", facets=True, category_ids=(3,), has_images=True, now=NOW)
    body = facets_body(params)
    assert body["size"] == 0 and "function_score" not in json.dumps(body) and "highlight" not in body
    assert text_clause(params) in body["query"]["bool"]["filter"]
    assert {"term": {F.HAS_IMAGES: True}} in body["query"]["bool"]["filter"]
    assert F.CATEGORY_PATH not in json.dumps(body["query"])  # a selection narrows the other facets only
    later = facets_body(dataclasses.replace(params, now=NOW + dt.timedelta(days=1)))
    assert later == body  # no clock: cacheable
    relaxed = facets_body(dataclasses.replace(params, match_mode="any"))
    assert text_clause(dataclasses.replace(params, match_mode="any")) in relaxed["query"]["bool"]["filter"]


def test_facet_trees_keep_the_tree_order_and_prune_empty_nodes():
    from service.search.facets import _tree_view

    def naive(tree, counts, parent=None):
        return [{"slug": node.slug, "count": counts[node.id], "children": naive(tree, counts, node.id)}
                for node in tree.children(parent) if counts.get(node.id, 0) > 0]

    def strip(view):
        return [{"slug": item["slug"], "count": item["count"], "children": strip(item["children"])}
                for item in view]

    for tree in (CATEGORIES, AREAS):
        counts = {node_id: node_id % 3 for node_id in tree.nodes}  # a third of the nodes empty
        assert strip(_tree_view(tree, counts, set())) == naive(tree, counts)


def test_facet_tree_views_are_memoised_per_snapshot_counts_and_selection():
    from core.taxonomy import Tree
    from service.search.facets import _tree_view

    counts = {node_id: 2 for node_id in AREAS.nodes}
    root = AREAS.display_order[0].id  # shown first
    first = _tree_view(AREAS, counts, set())
    assert _tree_view(AREAS, dict(counts), set()) is first  # same counts again: the same view
    other_counts = _tree_view(AREAS, {**counts, root: 5}, set())
    assert other_counts is not first and other_counts[0]["count"] == 5
    picked = _tree_view(AREAS, counts, {root})
    assert picked is not first and picked[0]["selected"] and not first[0]["selected"]
    reloaded = Tree(nodes=dict(AREAS.nodes), by_slug=dict(AREAS.by_slug))  # a new snapshot
    assert _tree_view(reloaded, counts, set()) is not first
    assert _tree_view(reloaded, counts, set()) == first
