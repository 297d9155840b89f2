"""The search use case, told once: parsed parameters -> frozen result (and the map's clusters).

The search API, the search page, the home and ad pages, the bench and the
Arabic eval all search through `find_ads`, so they send the same bodies and
read the answers the same way; the map goes through `find_clusters`. Callers
parse (views read the query string; nothing here does) and render; what lies
between is here, behind a gateway (service.search.gateway: the engine, or the
null one in unit tests) and trees from the one tree cache (service.tree_cache).

The rules:
- Understanding, when the caller asks for it: prices and places written in q
  become filters, unless the user set those filters; `currency` is the user's
  own choice of currency for bare amounts in the text (None: not chosen).
- Round trips: the page of hits alone is one `_search`; with facets, the hits
  and the facets (a cacheable size-0 body) ride in one `_msearch`.
- The relaxed retry runs when, and only when, the strict matching (every word)
  of a search with words found fewer than FEW_RESULTS ads and the search is not
  a continuation (no cursor, no relaxed mode already chosen), in the modes that
  cannot show noise (relax.relaxed_modes): "any" (generic words and numbers
  optional, one product word of three or more dropped), then "fuzzy" (one letter
  forgiven in long product words). The first that finds more than the strict
  search wins, and its facets are recounted for it. A text with nothing to relax
  («غير مستعمل», «كرت شاشة») gets only the suggester.
- Did-you-mean comes from that path only, and only when the strict search found
  nothing in the chosen filters (a query that finds ads is no misspelling: «ثلاجة»
  must not become «ثلاث»): the suggester rides on the first retry request, and its
  suggestion is shown whether or not a retry wins. It never rewrites a brand name.
- A continued relaxed search (its mode from a cursor, or from the page's
  `match=`) is flagged relaxed with `strict_total` None and never retried.
- `relax=False` turns the retry (and so did-you-mean) off: the Arabic eval
  judges what the strict matching finds, not the flagged fallback users see.
- An engine refusal is a BadParameter naming the value to blame (the cursor,
  or words that expand past the engine's clause limit); any other refusal is
  our bug and surfaces as EngineRejected. An outage is SearchUnavailable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from core.taxonomy import Tree
from service.search.cursor import Cursor, encode_cursor
from service.search.duplicate_fold import fold_copies
from service.search.facets import read_facets
from service.search.filters import all_filters, usd_bound
from service.search.gateway import EngineRejected, SearchGateway, blamed_parameter
from service.search.geo import clusters_aggs, read_clusters
from service.search.params import BadParameter, check_cursor_fits
from service.search.query import SearchParams, anchor_body, build_search_body, facets_body, scored_query
from service.search.relax import FEW_RESULTS, read_did_you_mean, relaxed_modes
from service.search.text_bounds import ignored_words
from service.search.understanding import understand
from service.tree_cache import Trees

log = logging.getLogger(__name__)
REFUSED = "the search engine cannot use this value"


@dataclass(frozen=True)
class Relaxed:
    mode: str  # "any" or "fuzzy"
    strict_total: int | None  # what the strict matching found; None when a relaxed search continues


@dataclass(frozen=True)
class Continuation:
    """What a next-page cursor is sealed with: the digest of the request's own arguments and the key."""

    query_digest: str
    secret: str


@dataclass(frozen=True)
class SearchResult:
    """One answer to a search. Frozen; the dicts inside are the engine's and are only read."""

    params: SearchParams  # as finally searched (understood, re-anchored, relaxed)
    hits: tuple[dict[str, Any], ...]  # the engine's hits, copies folded (duplicate_fold)
    total: int
    facets: dict[str, Any] | None  # as read_facets shows them; None unless asked
    understood: tuple[dict[str, Any], ...]
    relaxed: Relaxed | None
    did_you_mean: str | None
    next_cursor: str | None
    ignored_words: tuple[str, ...]


@dataclass(frozen=True)
class Clusters:
    total: int
    zoom: int
    clusters: tuple[dict[str, Any], ...]
    understood: tuple[dict[str, Any], ...]


def answers(gateway: SearchGateway, bodies: list[dict[str, Any]], typed: str) -> list[dict[str, Any]]:
    """The engine's answers to `bodies`: one `_search`, or one `_msearch` for several.

    `typed` is the text as the user typed it: words the engine cannot expand
    are then blamed on `q`.
    """
    try:
        return [gateway.search(bodies[0])] if len(bodies) == 1 else gateway.msearch(bodies)
    except EngineRejected as exc:
        name = blamed_parameter(exc.reason, bodies, bool(typed))
        if name is None:
            log.error("the engine refused a search body built from valid parameters: %s", exc.reason)
            raise
        log.warning("the engine refused a search because of %s: %s", name, exc.reason)
        raise BadParameter(name, REFUSED) from exc


def understood_params(params: SearchParams, areas: Tree, currency: str | None
                      ) -> tuple[SearchParams, list[dict[str, Any]]]:
    """Prices and places found in q become filters, unless the user set those filters already."""
    found = understand(params.q, areas, currency)
    changes: dict[str, Any] = {}
    user_price = params.price_min_usd is not None or params.price_max_usd is not None
    for item in found.found:  # JSON numbers, not Decimal strings
        item.update({key: float(item[key]) for key in ("price_min", "price_max") if item.get(key) is not None})
    overruled = []  # cut from the text by `understand`, but the user's own filter wins
    for item in found.found:
        if item["applied"] and ((item["type"] == "price" and user_price) or
                                (item["type"] == "area" and params.area_ids)):
            item.update(applied=False, reason=f"{item['type']} filter given")
            overruled.append(item["text"])
    kept = [item for item in found.found if item["applied"]]
    if not kept:
        return params, found.found
    changes["q"] = " ".join([found.text, *overruled]).strip()
    for item in kept:
        if item["type"] == "area" and found.area is not None:
            changes["area_ids"] = (found.area.id,)
        if item["type"] == "price" and found.currency is not None:
            changes.update({f"{name}_usd": None if value is None else
                            usd_bound(value, found.currency, params.syp_per_usd)
                            for name, value in (("price_min", found.price_min), ("price_max", found.price_max))})
            if currency is None:
                changes["currency"] = found.currency
    return dataclasses.replace(params, **changes), found.found


def _prepared(params: SearchParams, trees: Trees, understanding: bool, currency: str | None
              ) -> tuple[SearchParams, tuple[dict[str, Any], ...]]:
    chosen = (currency or "").upper() or None
    understood: list[dict[str, Any]] = []
    if understanding and params.q:
        params, understood = understood_params(params, trees.areas, chosen)
    check_cursor_fits(params)  # once understanding has had its say (see there)
    return params, tuple(understood)


def _reanchored(params: SearchParams, gateway: SearchGateway, typed: str) -> SearchParams:
    """A relevance cursor continues after its anchor hit's current score (see anchor_body)."""
    body = anchor_body(params)
    if body is None or params.search_after is None:
        return params
    hits = answers(gateway, [body], typed)[0]["hits"]["hits"]
    if not hits or hits[0].get("_score") is None:
        return params  # the anchor ad is gone: its stored score is the best we have
    return dataclasses.replace(params, search_after=(hits[0]["_score"], *params.search_after[1:]))


def _page(params: SearchParams, gateway: SearchGateway, typed: str
          ) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The page of hits and, when asked, the facet aggregations, in one round trip.

    The facets go in a body of their own beside the hits: the hits body then
    holds every selection in its query, so it scores only ads the user gets (a
    post_filter would score every ad of the other selections too, and facet
    aggregations force every match to be scored anyway), and the facets body
    scores nothing and is cacheable (size 0, no clock). On 200k ads the two
    cost about what the one combined body cost when neither is cached, and the
    facets are free when they are (most searches repeat).
    """
    hits_params = dataclasses.replace(params, facets=False, did_you_mean=False)
    if not params.facets:
        return answers(gateway, [build_search_body(hits_params)], typed)[0], None
    result, facets = answers(gateway, [build_search_body(hits_params), facets_body(params)], typed)
    return result, facets["aggregations"]


def _total(result: dict[str, Any]) -> int:
    return int(result["hits"]["total"]["value"])


def _relaxed_retry(params: SearchParams, strict_total: int, gateway: SearchGateway, typed: str
                   ) -> tuple[tuple[SearchParams, dict[str, Any]] | None, str | None]:
    """Looser matching (most words, then misspellings); the suggester rides on the first try.

    The retries ask for hits only: facets are counted once a mode has won.
    """
    suggestion: str | None = None
    suggest = strict_total == 0  # a query that finds ads (in its filters) is no misspelling
    modes = relaxed_modes(params.q)
    if not modes:  # nothing can be relaxed without noise; a misspelling may still be suggested
        if not suggest:
            return None, None
        body = build_search_body(dataclasses.replace(params, facets=False, did_you_mean=True, size=1))
        return None, read_did_you_mean(answers(gateway, [body], typed)[0], params.q)
    for attempt, mode in enumerate(modes):
        relaxed = dataclasses.replace(params, match_mode=mode)
        body = build_search_body(dataclasses.replace(relaxed, facets=False, did_you_mean=suggest and attempt == 0))
        result = answers(gateway, [body], typed)[0]
        if attempt == 0:
            suggestion = read_did_you_mean(result, params.q)
        if _total(result) > strict_total:
            return (relaxed, result), suggestion
    return None, suggestion


def _next_cursor(params: SearchParams, hits: list[dict[str, Any]], total: int,
                 continuation: Continuation | None) -> str | None:
    offset = 0 if params.search_after is not None else (params.page - 1) * params.size
    if continuation is None or len(hits) < params.size or (
            params.search_after is None and offset + len(hits) >= total):
        return None
    now = params.now or dt.datetime.now(dt.UTC)
    cursor = Cursor(params.sort, tuple(hits[-1]["sort"]), now, continuation.query_digest, params.match_mode)
    return encode_cursor(cursor, continuation.secret)


def find_ads(params: SearchParams, gateway: SearchGateway, trees: Trees, *, understanding: bool = False,
             currency: str | None = None, continuation: Continuation | None = None,
             relax: bool = True) -> SearchResult:
    """One page of results for `params`, by the rules of the module docstring.

    `continuation` seals a next-page cursor (None: no cursor is offered).
    Raises BadParameter (a value to correct) and SearchUnavailable (retry).
    """
    typed = params.q
    params, understood = _prepared(params, trees, understanding, currency)
    params = _reanchored(params, gateway, typed)
    result, aggregations = _page(params, gateway, typed)
    strict_total = _total(result)
    relaxed: Relaxed | None = None
    suggestion: str | None = None
    if params.match_mode != "all":
        relaxed = Relaxed(params.match_mode, None)
    elif relax and params.q and strict_total < FEW_RESULTS and params.search_after is None:
        retry, suggestion = _relaxed_retry(params, strict_total, gateway, typed)
        if retry is not None:
            params, result = retry
            relaxed = Relaxed(params.match_mode, strict_total)
            if params.facets:  # counted for the matching finally shown, in a cacheable request
                aggregations = answers(gateway, [facets_body(params)], typed)[0]["aggregations"]
    hits = result["hits"]["hits"]
    total = _total(result)
    facets = (read_facets(aggregations, params, trees.categories, trees.areas)
              if params.facets and aggregations is not None else None)
    return SearchResult(params=params, hits=tuple(fold_copies(hits)), total=total, facets=facets,
                        understood=understood, relaxed=relaxed, did_you_mean=suggestion,
                        next_cursor=_next_cursor(params, hits, total, continuation),
                        ignored_words=tuple(ignored_words(params.q)))


def clusters_body(params: SearchParams, zoom: int, bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    """Counts and a centroid per geotile cell, under the same filters and words as the search."""
    unscored = dataclasses.replace(params, sort="newest")
    return {"size": 0, "track_total_hits": True,
            "query": scored_query(unscored, all_filters(unscored)),
            "aggs": clusters_aggs(zoom, bbox)}


def find_clusters(params: SearchParams, gateway: SearchGateway, trees: Trees, zoom: int,
                  bbox: tuple[float, float, float, float], *, understanding: bool = False,
                  currency: str | None = None) -> Clusters:
    """Map clusters for the search `params` would run (understood alike)."""
    typed = params.q
    params, understood = _prepared(params, trees, understanding, currency)
    result = answers(gateway, [clusters_body(params, zoom, bbox)], typed)[0]
    return Clusters(total=_total(result), zoom=zoom, clusters=tuple(read_clusters(result["aggregations"])),
                    understood=understood)
