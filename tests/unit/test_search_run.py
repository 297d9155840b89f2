"""The search use case (service.search.run) with the null gateway and a scripted one: no services.

What is pinned here is the one rule set of the module docstring: which bodies
go out, in how many round trips, when the relaxed retry runs and where
did-you-mean comes from.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from core.taxonomy import Node, Tree
from service.search.cursor import decode_cursor, query_digest
from service.search.gateway import EngineRejected, NullGateway
from service.search.params import BadParameter
from service.search.query import SearchParams
from service.search.run import Continuation, Relaxed, SearchResult, clusters_body, find_ads, find_clusters
from service.tree_cache import EMPTY_TREES, Trees

SECRET = "k" * 32
AREAS = Tree({1: Node(1, "homs", None, "حمص", "Homs", kind="governorate", lat=34.7, lon=36.7)},
             {"homs": Node(1, "homs", None, "حمص", "Homs", kind="governorate", lat=34.7, lon=36.7)})
TREES = Trees(Tree({}), AREAS)


def hit(ad_id: int, key: str | None = None) -> dict[str, Any]:
    return {"_id": str(ad_id), "_score": 1.0, "sort": [1.0, 1767225600000, ad_id],
            "_source": {"id": ad_id, "duplicate_key": key}}


class Scripted(NullGateway):
    """Records every round trip; answers hits bodies with the next scripted total (null otherwise)."""

    def __init__(self, *totals: int, suggestion: str | None = None) -> None:
        self.totals = list(totals)
        self.suggestion = suggestion
        self.trips: list[list[dict[str, Any]]] = []

    def _answer(self, body: dict[str, Any]) -> dict[str, Any]:
        answer = NullGateway.search(self, body)
        if body.get("size", 0) and self.totals:
            total = self.totals.pop(0)
            answer["hits"] = {"total": {"value": total}, "hits": [hit(n + 1) for n in range(min(total, body["size"]))]}
        if "suggest" in body and self.suggestion:
            answer["suggest"]["did_you_mean"][0]["options"] = [{"text": self.suggestion}]
        return answer

    def search(self, body: dict[str, Any]) -> dict[str, Any]:
        self.trips.append([body])
        return self._answer(body)

    def msearch(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.trips.append(bodies)
        return [self._answer(body) for body in bodies]


def test_the_null_gateway_answers_every_body_with_an_empty_result_of_its_shape():
    found = find_ads(SearchParams(q="سيارة", facets=True), NullGateway(), EMPTY_TREES)
    assert isinstance(found, SearchResult) and found.total == 0 and found.hits == ()
    assert found.facets is not None
    assert found.facets == {"category": [], "area": [], "price": found.facets["price"],
                            "condition": [{"value": "new", "count": 0, "selected": False},
                                          {"value": "used", "count": 0, "selected": False}]}
    assert found.facets["price"] and all(bucket["count"] == 0 for bucket in found.facets["price"])
    assert found.relaxed is None and found.did_you_mean is None and found.next_cursor is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.total = 1  # type: ignore[misc]  # frozen: the assignment must raise
    box = (35.0, 32.0, 42.0, 37.0)
    assert find_clusters(SearchParams(), NullGateway(), EMPTY_TREES, 5, box).clusters == ()


def test_hits_and_facets_ride_in_one_msearch_and_hits_alone_in_one_search():
    gateway = Scripted(30)
    find_ads(SearchParams(q="سيارة", facets=True), gateway, EMPTY_TREES)
    assert [len(trip) for trip in gateway.trips] == [2]
    hits, facets = gateway.trips[0]
    assert "aggs" not in hits and "post_filter" not in hits and "suggest" not in hits
    assert facets["size"] == 0 and "aggs" in facets
    gateway = Scripted(30)
    find_ads(SearchParams(q="سيارة"), gateway, EMPTY_TREES)
    assert [len(trip) for trip in gateway.trips] == [1]


def test_few_strict_results_retry_relaxed_with_the_suggester_on_the_first_retry_only():
    """A generic word to drop and a long word to forgive: both retries, in order."""
    gateway = Scripted(0, 0, 7, suggestion="غساله اوتوماتيك")
    found = find_ads(SearchParams(q="غسالة اوتوماتك مستعملة", facets=True), gateway, EMPTY_TREES)
    strict, first, second, recount = gateway.trips
    assert len(strict) == 2 and "suggest" not in strict[0]
    assert "suggest" in first[0] and "suggest" not in second[0]
    assert "aggs" not in first[0] and "aggs" not in second[0]  # facets counted once a mode won
    assert len(recount) == 1 and recount[0]["size"] == 0 and "aggs" in recount[0]
    assert found.relaxed == Relaxed("fuzzy", 0) and found.total == 7 and found.params.match_mode == "fuzzy"
    assert found.did_you_mean == "غسالة اوتوماتيك"  # the user's own spelling of the right word


def test_a_short_word_with_no_ads_gets_only_the_suggester():
    gateway = Scripted(0, 0, suggestion="سيارة")
    found = find_ads(SearchParams(q="سيارا"), gateway, EMPTY_TREES)
    assert len(gateway.trips) == 2 and "suggest" in gateway.trips[1][0]
    assert found.relaxed is None and found.total == 0
    assert found.did_you_mean == "سيارة" and found.params.match_mode == "all"


def test_a_query_that_finds_ads_is_no_misspelling():
    """«ثلاجة» with one ad must not be "corrected" to «ثلاث»: no suggester is even asked."""
    gateway = Scripted(1, 1, 1, suggestion="ثلاث")
    found = find_ads(SearchParams(q="ثلاجة"), gateway, EMPTY_TREES)
    assert len(gateway.trips) == 1 and found.did_you_mean is None and found.total == 1
    found = find_ads(SearchParams(q="ثلاجات كبيرة"), Scripted(2, 2, 2, suggestion="ثلاث كبيرة"), EMPTY_TREES)
    assert found.did_you_mean is None


def test_a_brand_name_is_never_corrected_into_another():
    found = find_ads(SearchParams(q="ريلمي"), Scripted(0, 0, suggestion="ريدمي"), EMPTY_TREES)
    assert found.did_you_mean is None
    found = find_ads(SearchParams(q="ريلمي شاحنن"), Scripted(0, 0, suggestion="ريلمي شاحن"), EMPTY_TREES)
    assert found.did_you_mean == "ريلمي شاحن"  # the brand kept, the other word corrected


@pytest.mark.parametrize("params", [
    SearchParams(q="سيارات", page=2),  # no cursor: page 2 of a few-results search still retries
])
def test_the_retry_runs_on_any_page_without_a_cursor(params):
    gateway = Scripted(0, 5, 5)
    assert find_ads(params, gateway, EMPTY_TREES).relaxed == Relaxed("fuzzy", 0)


@pytest.mark.parametrize("params", [
    SearchParams(q="سيارة", search_after=(1.0, 1767225600000, 3)),
    SearchParams(q=""),
])
def test_no_retry_for_a_cursor_or_no_words(params):
    gateway = Scripted(0, 0, 0)
    found = find_ads(params, gateway, EMPTY_TREES)
    assert found.relaxed is None and found.did_you_mean is None
    assert not any("suggest" in body for trip in gateway.trips for body in trip)


def test_relax_false_keeps_the_strict_matching_for_the_eval():
    gateway = Scripted(0, 9)
    found = find_ads(SearchParams(q="مكتبة"), gateway, EMPTY_TREES, relax=False)
    assert len(gateway.trips) == 1 and found.relaxed is None and found.total == 0


def test_a_continued_relaxed_search_is_flagged_and_never_retried():
    gateway = Scripted(0)
    found = find_ads(SearchParams(q="سيارة حمراء", match_mode="any"), gateway, EMPTY_TREES)
    assert found.relaxed == Relaxed("any", None) and len(gateway.trips) == 1


def test_understanding_is_explicit_and_takes_the_users_currency_as_an_argument():
    params = SearchParams(q="شقة في حمص تحت 500", currency="SYP", syp_per_usd=Decimal("13000"))
    plain = find_ads(params, NullGateway(), TREES)
    assert plain.understood == () and plain.params.q == params.q
    unclear = find_ads(params, NullGateway(), TREES, understanding=True)
    assert {item["type"]: item["applied"] for item in unclear.understood} == {"price": False, "area": True}
    usd = find_ads(params, NullGateway(), TREES, understanding=True, currency="usd")
    assert usd.params.q == "شقة" and usd.params.price_max_usd == 500.0 and usd.params.area_ids == (1,)
    assert usd.params.currency == "SYP"  # a currency the user chose is not overwritten
    dollars = find_ads(dataclasses.replace(params, q="شقة تحت 500 دولار"), NullGateway(), TREES, understanding=True)
    assert dollars.params.currency == "USD" and dollars.params.q == "شقة"
    mine = find_ads(dataclasses.replace(params, area_ids=(1,)), NullGateway(), TREES, understanding=True)
    assert next(item for item in mine.understood if item["type"] == "area")["reason"] == "area filter given"


def test_copies_are_folded_but_the_cursor_follows_the_engines_last_hit():
    class Copies(NullGateway):
        def search(self, body: dict[str, Any]) -> dict[str, Any]:
            answer = NullGateway.search(self, body)
            answer["hits"] = {"total": {"value": 50}, "hits": [hit(1, "a"), hit(2, "a"), hit(3)]}
            return answer

    found = find_ads(SearchParams(size=3, sort="relevance", q="x"), Copies(), EMPTY_TREES,
                     continuation=Continuation(query_digest({"q": "x"}), SECRET))
    assert [h["_id"] for h in found.hits] == ["1", "3"]
    cursor = decode_cursor(found.next_cursor or "", SECRET)
    assert cursor.after[-1] == 3 and cursor.query_digest == query_digest({"q": "x"})
    assert find_ads(SearchParams(size=3, q="x"), Copies(), EMPTY_TREES).next_cursor is None  # none asked


def test_a_relevance_cursor_is_reanchored_first():
    gateway = Scripted(10)
    params = SearchParams(q="سيارة", search_after=(9.0, 1767225600000, 42))
    find_ads(params, gateway, EMPTY_TREES)
    anchor, page = gateway.trips
    assert anchor[0]["size"] == 1 and anchor[0]["_source"] is False and "search_after" in page[0]


def test_engine_refusals_name_the_cursor_or_the_words_else_surface():
    class Refusing(NullGateway):
        def __init__(self, reason: str) -> None:
            self.reason = reason

        def search(self, body: dict[str, Any]) -> dict[str, Any]:
            raise EngineRejected(self.reason)

        def msearch(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
            raise EngineRejected(self.reason)

    with pytest.raises(BadParameter) as refused:
        find_ads(SearchParams(q="a b c"), Refusing("too_many_clauses: maxClauseCount is 1024"), EMPTY_TREES)
    assert refused.value.name == "q"
    with pytest.raises(BadParameter) as refused:
        find_ads(SearchParams(sort="newest", search_after=("x", 1)), Refusing("failed to parse"), EMPTY_TREES)
    assert refused.value.name == "cursor"
    with pytest.raises(EngineRejected):
        find_ads(SearchParams(), Refusing("unknown field"), EMPTY_TREES)


def test_clusters_use_the_searchs_filters_unscored():
    params = SearchParams(q="سيارة", category_ids=(3,))
    body = clusters_body(params, 5, (35.0, 32.0, 42.0, 37.0))
    assert body["size"] == 0 and "function_score" not in body["query"] and "cells" in body["aggs"]
    gateway = Scripted()
    found = find_clusters(params, gateway, EMPTY_TREES, 5, (35.0, 32.0, 42.0, 37.0))
    assert gateway.trips == [[body]] and found.zoom == 5 and found.total == 0
