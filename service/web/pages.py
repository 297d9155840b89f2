"""Home page and ad page (with the phone reveal and the report form)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, make_response, render_template, request
from pydantic import ValidationError

from core.ad_input import ReportCreate
from core.ads import report_ad
from core.models import Ad, AdStatus
from core.taxonomy import Node, Tree
from service.ad_reading import find_ad
from service.clock import now
from service.errors import ApiError
from service.rate_limits import per_client
from service.resources import db, trees
from service.search.params import BadParameter, parse_point
from service.search.query import SearchParams
from service.tree_cache import Trees
from service.web import web
from service.web.cards import card, find
from service.web.forms import REASON_LABELS
from service.web.page_parts import ad_facts, cities

CITY_COOKIE = "souq_city"
CITY_COOKIE_DAYS = 365
DEFAULT_CITY = "damascus-city"
# «اكتشف ما حولك»: a city and its suburbs, about a short drive.
NEAR_RADIUS_KM = 25
NEARBY_ADS = 8
SIMILAR_ADS = 6




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
    if point is None and city.lat is not None and city.lon is not None:
        point = (city.lat, city.lon)
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
