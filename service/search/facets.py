"""Facet aggregations with multi-select semantics, and their rendering. Pure.

Each facet's aggregation counts under a filter of every OTHER selection, and
the selections themselves go into the post_filter: so a facet's counts ignore
its own selection (the user can add a second value) and honour all others.
Every count is built from the same clause the filter uses, so a count always
equals the number of results the user gets by picking that value.

Facets that need the same filter share one `filter` aggregation, and facets
with nothing to filter by (no selection in any other facet: the usual case)
count at the top level with no wrapper at all: a filter aggregation walks its
clause for every matching ad, even when the clause is empty (measured on 200k
ads, the wrappers were about a tenth of a text search's engine time).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from core.models import CONDITIONS
from core.money import USD_PLACES, Currency
from core.taxonomy import Tree
from search_config import fields as F
from service.search.filters import FACETS, usd_bound

if TYPE_CHECKING:
    from service.search.query import SearchParams

# Bucket edges in each currency, chosen from the spread of real Syrian ads:
# everyday goods to cars and flats. Both ends of a bucket are inclusive, like
# price_min/price_max, so an ad priced exactly on an edge is in both buckets.
PRICE_EDGES: dict[str, tuple[int, ...]] = {
    Currency.USD: (0, 100, 500, 1_000, 5_000, 10_000, 50_000, 100_000),
    Currency.SYP: (0, 1_000_000, 5_000_000, 10_000_000, 50_000_000, 100_000_000, 500_000_000,
            1_000_000_000),
}
# Both trees hold a few hundred nodes: every node fits in one terms aggregation.
TREE_FACET_SIZE = 2000
HALF_PRICE_STEP = 10**-USD_PLACES / 2  # half of the grid price_usd is rounded to


def price_buckets(currency: str) -> list[tuple[int, int | None]]:
    edges = PRICE_EDGES[currency]
    return [(low, high) for low, high in pairwise(edges)] + [(edges[-1], None)]


def bucket_key(low: int, high: int | None) -> str:
    return f"{low}-{high if high is not None else ''}"


def _price_ranges(currency: str, syp_per_usd: Decimal) -> list[dict[str, Any]]:
    """One range per bucket, in USD; `to` is exclusive in a range aggregation, so it is
    moved half a grid step up: price_usd values and bounds are both rounded to
    USD_PLACES decimals, so this counts exactly the ads that `lte` the bound selects."""
    ranges = []
    for low, high in price_buckets(currency):
        item: dict[str, Any] = {"key": bucket_key(low, high),
                                "from": usd_bound(Decimal(low), currency, syp_per_usd)}
        if high is not None:
            item["to"] = usd_bound(Decimal(high), currency, syp_per_usd) + HALF_PRICE_STEP
        ranges.append(item)
    return ranges


def _inner(name: str, params: SearchParams) -> dict[str, Any]:
    if name == "category":
        return {"terms": {"field": F.CATEGORY_PATH, "size": TREE_FACET_SIZE}}
    if name == "area":
        return {"terms": {"field": F.AREA_PATH, "size": TREE_FACET_SIZE}}
    if name == "condition":
        return {"terms": {"field": F.CONDITION, "size": len(CONDITIONS)}}
    # A range aggregation reads price_usd once per ad; a filters aggregation of
    # eight range queries was the most expensive facet (measured on 200k ads).
    return {"range": {"field": F.PRICE_USD, "keyed": True,
                      "ranges": _price_ranges(params.currency, params.syp_per_usd)}}


# Name of the filter aggregation shared by the facets whose counts honour the
# selections in `others`: e.g. "filtered_by:area+category".
GROUP_PREFIX = "filtered_by:"


def facet_aggs(params: SearchParams, selections: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One aggregation per facet, under a filter of the other facets' selections.

    Facets with the same other selections share that filter; with none, the
    facet's aggregation sits at the top level (read back by `facet_results`).
    """
    aggs: dict[str, Any] = {}
    for name in FACETS:
        others = tuple(other for other in FACETS if other in selections and other != name)
        if not others:
            aggs[name] = _inner(name, params)
            continue
        group = aggs.setdefault(GROUP_PREFIX + "+".join(sorted(others)), {
            "filter": {"bool": {"filter": [selections[other] for other in others]}}, "aggs": {}})
        group["aggs"][name] = _inner(name, params)
    return aggs


def facet_results(aggs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each facet's bucket aggregation from a response to `facet_aggs`, wherever it sits."""
    found: dict[str, dict[str, Any]] = {}
    for key, value in aggs.items():
        if key in FACETS:
            found[key] = value.get("values", value)  # {"values": ...}: a facet wrapped alone
        elif key.startswith(GROUP_PREFIX):
            found.update((name, value[name]) for name in FACETS if name in value)
    return found


# Facet views repeat: a popular search or a browse page brings the same counts
# again (44 % of the tree views of 1,200 searches of the bench mix had been built
# before), so views are memoised per tree snapshot, counts and selection. A view
# is shared by every answer that shows it: callers only read it.
VIEW_MEMO_SIZE = 256
_view_memo: dict[tuple[int, frozenset[tuple[int, int]], frozenset[int]],
                 tuple[Tree, list[dict[str, Any]]]] = {}


def _tree_view(tree: Tree, counts: dict[int, int], selected: set[int]) -> list[dict[str, Any]]:
    """The tree pruned to nodes with a count, in display order (memoised, see above)."""
    key = (id(tree), frozenset(counts.items()), frozenset(selected))
    known = _view_memo.get(key)
    if known is not None and known[0] is tree:  # the memo holds the tree: its id is not reused
        return known[1]
    view = _build_tree_view(tree, counts, selected)
    if len(_view_memo) >= VIEW_MEMO_SIZE:
        _view_memo.clear()  # crude but cheap; the popular views come straight back
    _view_memo[key] = (tree, view)
    return view


def _build_tree_view(tree: Tree, counts: dict[int, int], selected: set[int]) -> list[dict[str, Any]]:
    """One pass over the snapshot's nodes, parents first (`Tree.display_order`): a node
    joins its parent's children when the parent was shown (a path count is never above
    its parent's, so an empty parent has no counted children)."""
    roots: list[dict[str, Any]] = []
    shown: dict[int, list[dict[str, Any]]] = {}
    for node in tree.display_order:
        count = counts.get(node.id)
        if not count:
            continue
        siblings = roots if node.parent_id is None else shown.get(node.parent_id)
        if siblings is None:
            continue
        children: list[dict[str, Any]] = []
        siblings.append({"slug": node.slug, "name_ar": node.name_ar, "name_en": node.name_en,
                         "count": count, "selected": node.id in selected, "children": children})
        shown[node.id] = children
    return roots


def _counts(agg: dict[str, Any]) -> dict[Any, int]:
    return {bucket["key"]: bucket["doc_count"] for bucket in agg["buckets"]}


def read_facets(aggs: dict[str, Any], params: SearchParams, categories: Tree,
                areas: Tree) -> dict[str, Any]:
    """Aggregation results -> facets as the API shows them (trees pruned to non-empty nodes)."""
    aggs = facet_results(aggs)
    conditions = _counts(aggs["condition"])
    price_counts = {key: bucket["doc_count"]
                    for key, bucket in aggs["price"]["buckets"].items()}
    chosen_price = (params.price_min_usd, params.price_max_usd)
    prices = []
    for low, high in price_buckets(params.currency):
        key = bucket_key(low, high)
        usd = (usd_bound(Decimal(low), params.currency, params.syp_per_usd),
               None if high is None else usd_bound(Decimal(high), params.currency, params.syp_per_usd))
        prices.append({"key": key, "price_min": low, "price_max": high, "currency": params.currency,
                       "count": price_counts.get(key, 0), "selected": usd == chosen_price})
    return {
        "category": _tree_view(categories, _counts(aggs["category"]), set(params.category_ids)),
        "area": _tree_view(areas, _counts(aggs["area"]), set(params.area_ids)),
        "price": prices,
        "condition": [{"value": value, "count": conditions.get(value, 0),
                       "selected": value in params.conditions} for value in CONDITIONS],
    }
