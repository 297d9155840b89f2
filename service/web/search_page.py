"""The search results page: one plain GET form (keywords, facets, price, near, sort).

The page parses with the API's parser and searches with the API's use case
(service.search.run.find_ads: understanding, bodies, relaxed retry,
did-you-mean, facets), on the same cached trees, so a page and the API never
disagree (tests/integration/test_search_parity.py holds them to the same bytes).
Only the form's own names are translated here: blank fields are dropped,
`near=<city>` becomes that city's lat/lon, and `cur` carries the price currency
(not `currency`, which query understanding reads as "the user chose a currency for bare amounts in the text").
"""

from __future__ import annotations

import dataclasses
import math
from functools import partial
from typing import Any
from urllib.parse import urlencode

from flask import render_template, request, url_for
from werkzeug.datastructures import MultiDict

from core.taxonomy import Tree
from service.clock import now
from service.resources import resources, trees
from service.search.params import MAX_DEPTH, BadParameter, Context, parse_search_args, wants_understanding
from service.search.query import MATCH_MODES
from service.web import web
from service.web.cards import card, find
from service.web.page_parts import cities

RADII_KM = (2, 5, 10, 25, 50, 100)
SORT_LABELS = {"relevance": "الأكثر صلة", "newest": "الأحدث", "price_asc": "السعر: من الأقل",
               "price_desc": "السعر: من الأعلى", "distance": "الأقرب"}
PARAM_LABELS = {"q": "كلمات البحث", "price_min": "أقل سعر", "price_max": "أعلى سعر", "cur": "العملة",
                "currency": "العملة", "category": "الفئة", "area": "المنطقة", "lat": "الموقع",
                "lon": "الموقع", "radius_km": "المسافة", "page": "الصفحة", "sort": "الترتيب",
                "condition": "الحالة", "posted_within": "تاريخ النشر", "has_images": "الصور"}
PAGE_WINDOW = 2  # page links shown either side of the current page


def form_args(args: MultiDict[str, str], areas: Tree) -> MultiDict[str, str]:
    """The page's query string in the API's vocabulary."""
    out: MultiDict[str, str] = MultiDict(
        (key, value) for key, value in args.items(multi=True)
        if value.strip() and key not in ("near", "cur", "currency", "cursor", "match"))
    if args.get("cur"):
        out["currency"] = args["cur"]
    near = areas.get(args.get("near", ""))
    if "lat" not in out and near is not None and near.lat is not None:
        out["lat"], out["lon"] = str(near.lat), str(near.lon)
    if "lat" not in out:
        out.pop("radius_km", None)
        if out.get("sort") == "distance":
            out.pop("sort")
    return out


def page_url(current: MultiDict[str, str], **changes: Any) -> str:
    """The search of `current` (the page's query string) with some parameters changed (None
    removes one); back to page 1 unless given."""
    args = MultiDict(current)
    args.pop("page", None)
    args.pop("match", None)  # a relaxed mode belongs to one result list: paging passes it on
    for key, value in changes.items():
        args.pop(key, None)
        if isinstance(value, (list, tuple)):
            for item in value:
                args.add(key, str(item))
        elif value is not None:
            args[key] = str(value)
    query = urlencode([(k, v) for k, v in args.items(multi=True) if v != ""])
    return url_for("web.search_page") + ("?" + query if query else "")


def undo_url(current: MultiDict[str, str], item: dict[str, Any], understood: list[dict[str, Any]]) -> str:
    """Undo one understood phrase: understanding off, the OTHER findings kept as explicit filters."""
    changes: dict[str, Any] = {"understand": "0"}
    text = current.get("q", "")
    for other in understood:
        if other is item or not other.get("applied"):
            continue
        text = " ".join(text.replace(other["text"], " ", 1).split())
        if other["type"] == "area":
            changes["area"] = [*current.getlist("area"), other["area"]]
        elif other["type"] == "price":
            changes.update(price_min=_plain(other.get("price_min")), price_max=_plain(other.get("price_max")),
                           cur=other.get("currency"))
    changes["q"] = text
    return page_url(current, **changes)


def _plain(value: Any) -> str | None:
    if value is None:
        return None
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def pages(current: int, total: int, size: int) -> list[int]:
    last = max(1, min(math.ceil(total / size), MAX_DEPTH // size))
    return list(range(max(1, current - PAGE_WINDOW), min(last, current + PAGE_WINDOW) + 1)) + (
        [last] if current + PAGE_WINDOW < last else [])


def match_mode(args: MultiDict[str, str]) -> str:
    """A relaxed mode, once chosen, travels in the page links (`match=`): page 2 continues it."""
    mode = args.get("match", "all")
    return mode if mode in MATCH_MODES else "all"


def bad_value_page(name: str, common: dict[str, Any]) -> tuple[str, int]:
    """The form again with a message naming the field to correct (a 400, never a 500)."""
    message = f"قيمة غير صالحة في «{PARAM_LABELS.get(name, name)}». صحّحها وأعد البحث."
    return render_template("search.html", error=message, results=[], total=0, facets=None,
                           understood=[], **common), 400


@web.get("/search")
def search_page() -> tuple[str, int]:
    current = trees()
    categories, areas = current
    settings = resources().settings
    args = form_args(request.args, areas)
    ctx = Context(categories, areas, settings.syp_per_usd, now(), settings.secret_key)
    common = {"sort_labels": SORT_LABELS, "radii": RADII_KM, "cities": cities(areas),
              "args": request.args, "page_url": partial(page_url, request.args), "has_point": "lat" in args}
    try:
        params = dataclasses.replace(parse_search_args(args, categories, areas, ctx),
                                     match_mode=match_mode(request.args))
        found = find(params, current, understanding=wants_understanding(args),
                     currency=request.args.get("currency"))
    except BadParameter as exc:
        return bad_value_page(exc.name, common)
    moment = now()
    return render_template(
        "search.html", error=None, found=found, params=found.params, total=found.total, relaxed=found.relaxed,
        results=[card(hit, found.params, categories, areas, moment) for hit in found.hits],
        facets=found.facets,
        understood=[item | {"undo": undo_url(request.args, item, list(found.understood))}
                    for item in found.understood],
        did_you_mean=found.did_you_mean,
        pages=pages(found.params.page, found.total, found.params.size), **common,
    ), 200
