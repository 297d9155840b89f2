"""Home page and ad page (with the phone reveal and the report form)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, abort, make_response, render_template, request
from pydantic import ValidationError

from core.ad_input import ReportCreate
from core.ads import report_ad
from core.models import Ad, AdStatus
from core.taxonomy import Node, Tree
from service.ad_reading import ad_view, find_ad
from service.errors import ApiError
from service.rate_limits import per_client
from service.resources import db, resources, trees
from service.search.params import BadParameter, parse_point
from service.search.query import SearchParams
from service.tree_cache import Trees
from service.web import formatting, web
from service.web.cards import card, find, thumbnail
from service.web.forms import REASON_LABELS

CITY_COOKIE = "souq_city"
CITY_COOKIE_DAYS = 365
DEFAULT_CITY = "damascus-city"
# «اكتشف ما حولك»: a city and its suburbs, about a short drive.
NEAR_RADIUS_KM = 25
NEARBY_ADS = 8
SIMILAR_ADS = 6


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def cities(areas: Tree) -> list[tuple[Node, list[Node]]]:
    """Governorates with their cities, for the city picker."""
    return [(gov, [c for c in areas.children(gov.id) if c.kind == "city"])
            for gov in areas.children(None)]


def chosen_city(areas: Tree) -> tuple[Node, bool]:
    """The city from the picker (to remember) or the cookie, else Damascus."""
    for slug, fresh in ((request.args.get("city", ""), True), (request.cookies.get(CITY_COOKIE, ""), False)):
        node = areas.get(slug)
        if node is not None and node.kind == "city" and node.lat is not None:
            return node, fresh
    return areas.by_slug[DEFAULT_CITY], False


def category_counts(current: Trees) -> list[dict[str, Any]]:
    """Every top-level category with its number of live ads (zero included)."""
    facets = find(SearchParams(size=0, facets=True), current).facets or {}
    counts = {item["slug"]: item["count"] for item in facets.get("category", [])}
    return [{"slug": node.slug, "name_ar": node.name_ar, "count": counts.get(node.slug, 0)}
            for node in current.categories.children(None)]


@web.get("/")
def home() -> Response:
    current = trees()
    categories, areas = current
    city, remember = chosen_city(areas)
    try:
        point, _ = parse_point(request.args)
    except BadParameter:
        point = None
    near_me = point is not None
    point = point or (city.lat, city.lon)
    nearby = find(SearchParams(point=point, radius_km=NEAR_RADIUS_KM, sort="newest", size=NEARBY_ADS), current)
    moment = now()
    html = render_template(
        "home.html", categories=category_counts(current), city=city, cities=cities(areas),
        near_me=near_me, point=point, radius_km=NEAR_RADIUS_KM,
        nearby=[card(hit, nearby.params, categories, areas, moment) for hit in nearby.hits],
    )
    response = make_response(html)
    if remember:
        response.set_cookie(CITY_COOKIE, city.slug, max_age=CITY_COOKIE_DAYS * 86400,
                            samesite="Lax", httponly=True, secure=request.is_secure)
    return response


def load_ad(ref: str) -> Ad:
    try:
        return find_ad(ref)
    except ApiError:
        abort(404)


def similar_ads(ad: Ad, view: dict[str, Any], current: Trees) -> list[dict[str, Any]]:
    """Live ads of the same category, nearest and freshest first."""
    if ad.status != AdStatus.ACTIVE:
        return []
    point = (view["location"]["lat"], view["location"]["lon"]) if view["location"]["lat"] is not None else None
    found = find(SearchParams(category_ids=(ad.category_id,), point=point, size=SIMILAR_ADS + 1), current)
    moment = now()
    hits = [hit for hit in found.hits if hit["_source"].get("id") != ad.id]
    return [card(hit, found.params, *current, moment) for hit in hits[:SIMILAR_ADS]]


def ad_facts(ad: Ad, categories: Tree, areas: Tree, *, as_listed: bool = False) -> dict[str, Any]:
    """The ad itself as its page shows it (templates/_ad_body.html); the operators' view shares it.

    With `as_listed` the contact name and masked phone are shown whatever the
    status, as they were while the ad was live (operators judge what users saw).
    """
    view = ad_view(ad, categories, areas, owner=as_listed)
    settings = resources().settings
    amount = view["price"]["amount"] if view["price"] else None
    return {
        "ad": view,
        "category_path": [categories.nodes[i] for i in categories.path(ad.category_id)],
        "area_path": [areas.nodes[i] for i in areas.path(ad.area_id)],
        "price": formatting.format_price(amount, ad.currency),
        "converted": formatting.converted_price(amount, ad.currency, settings.syp_per_usd),
        "posted": formatting.format_date(ad.created_at),
        "expires": formatting.format_date(ad.expires_at),
        "age": formatting.age(formatting.parse_iso(ad.created_at), now()),
        "photos": [image for image in view["images"] if thumbnail([image]) == image],
    }


def ad_context(ad: Ad) -> dict[str, Any]:
    current = trees()
    facts = ad_facts(ad, *current)
    return facts | {
        "similar": similar_ads(ad, facts["ad"], current),
        "reasons": REASON_LABELS,
        "phone": None, "report_error": None, "report_sent": False, "report_values": {},
    }


@web.get("/ad/<ref>")
@per_client("rate_limit_read")
def ad_page(ref: str) -> str:
    return render_template("ad.html", **ad_context(load_ad(ref)))


@web.post("/ad/<ref>/phone")
@per_client("rate_limit_contact")
def reveal_phone(ref: str) -> Response:
    """The full number, on a deliberate click (rate limited like the API's reveal)."""
    ad = load_ad(ref)
    context = ad_context(ad)
    if ad.status == AdStatus.ACTIVE:
        context["phone"] = ad.contact_phone
    response = make_response(render_template("ad.html", **context))
    response.headers["Cache-Control"] = "no-store"
    return response


@web.post("/ad/<ref>/report")
@per_client("rate_limit_report")
def report_ad_form(ref: str) -> tuple[str, int]:
    ad = load_ad(ref)
    values = {"reason": request.form.get("reason", ""), "note": request.form.get("note", "")}
    try:
        data = ReportCreate.model_validate(values)
    except ValidationError:
        context = ad_context(ad) | {"report_values": values,
                                    "report_error": "اختر سبب الإبلاغ، واكتب ملاحظة لا تزيد عن ١٠٠٠ حرف."}
        return render_template("ad.html", **context), 422
    report_ad(db(), ad, data, now())
    db().commit()
    return render_template("ad.html", **(ad_context(ad) | {"report_sent": True})), 200
