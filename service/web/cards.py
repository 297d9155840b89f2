"""Search hits -> result cards for the templates, and the pages' way into the search use case.

Cards are rendered from `_source` only (the read path never touches the
database for results). The engine's highlights are built with the `html`
encoder, so the ad text in them is already escaped and only our `<mark>` tags
are markup: they are the one thing marked safe.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, url_for
from markupsafe import Markup

from core.money import DEFAULT_CURRENCY
from core.search_errors import SearchUnavailable
from core.taxonomy import Tree
from search_config import fields as F
from service.resources import resources
from service.search.geo import hit_distance_km
from service.search.query import SearchParams
from service.search.run import SearchResult, find_ads
from service.tree_cache import Trees
from service.web import formatting

PLACEHOLDER_IMAGE = "img/placeholder.svg"


def find(params: SearchParams, trees: Trees, *, understanding: bool = False,
         currency: str | None = None) -> SearchResult:
    """The search use case (service.search.run) on the live alias; an engine outage is the 503 page."""
    try:
        return find_ads(params, resources().search_gateway, trees, understanding=understanding, currency=currency)
    except SearchUnavailable:
        abort(503)


def title_html(hit: dict[str, Any]) -> Markup:
    """The highlighted title when there is one (already escaped by the engine), else the escaped title."""
    fragments = hit.get("highlight", {}).get(F.TITLE)
    if fragments:
        return Markup(fragments[0])
    return Markup.escape(hit["_source"].get(F.TITLE, ""))


def thumbnail(images: list[str] | None) -> str:
    """The first photo that is a web link or one of our own paths; a neutral placeholder otherwise."""
    for image in images or []:
        if image.startswith(("https://", "/")) and not image.startswith("//"):
            return image
    return url_for("static", filename=PLACEHOLDER_IMAGE)


def card(hit: dict[str, Any], params: SearchParams | None, categories: Tree, areas: Tree,
         now: dt.datetime) -> dict[str, Any]:
    source = hit["_source"]
    area = areas.nodes.get(source.get(F.AREA_ID) or -1)
    category = categories.nodes.get(source.get(F.CATEGORY_ID) or -1)
    distance = None
    if params is not None and params.point is not None:
        distance = formatting.format_distance(hit_distance_km(source, params.point))
    images = source.get(F.IMAGES) or []
    return {
        "id": source.get(F.ID),
        "url": url_for("web.ad_page", ref=source.get(F.SLUG) or source.get(F.ID)),
        "title": source.get(F.TITLE, ""),
        "title_html": title_html(hit),
        "price": formatting.format_price(source.get(F.PRICE_AMOUNT), source.get(F.CURRENCY) or DEFAULT_CURRENCY),
        "negotiable": bool(source.get(F.NEGOTIABLE)),
        "area": area.name_ar if area else "",
        "category": category.name_ar if category else "",
        "distance": distance,
        "age": formatting.age(formatting.parse_iso(source[F.CREATED_AT]), now) if source.get(F.CREATED_AT) else "",
        "thumbnail": thumbnail(images),
        "has_photo": bool(images),
    }
