"""GET /api/v1/search, /search/clusters and /suggest against the real stack.

A fixed corpus (written with core.ads and relayed directly) carries a marker
word, so every assertion here is scoped to it whatever other tests index.
Counts are never compared with hand-made expectations alone: a facet count
must equal the total the API returns when that value is picked.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from decimal import Decimal

import pytest
from sqlalchemy import or_, select

from core.ad_input import AdCreate
from core.ads import create_ad, withdraw_ad
from core.db import transaction
from core.models import Ad
from indexer.relay import drain_outbox

MARKER = "زمرديات"
HTML_MARKER = "ياقوتيات"
OUR_WORDS = (MARKER, HTML_MARKER)
HOMS = (34.7324, 36.7137)
DAMASCUS = (33.5138, 36.2765)
CATS = ["cars", "motorcycles", "apartments-for-rent", "laptops", "mobile-phones"]
AREAS = ["damascus-city", "mezzeh", "homs-city", "aleppo-city", "al-qusayr"]
NOW = dt.datetime.now(dt.UTC)


def _ad(i: int, rng: random.Random) -> tuple[AdCreate, dt.datetime]:
    currency = "USD" if i % 3 == 0 else "SYP"
    price = rng.choice([50, 100, 450, 500, 900, 2500, 12000]) if currency == "USD" else \
        rng.choice([500_000, 1_000_000, 4_000_000, 5_000_000, 30_000_000, 200_000_000])
    lat = lon = None
    if i % 2 == 0:
        lat, lon = DAMASCUS[0] + rng.uniform(-0.5, 2.0), DAMASCUS[1] + rng.uniform(-0.5, 1.0)
    data = AdCreate(
        title=f"{MARKER} نموذج رقم {i} " + rng.choice(["زبرجد", "فيروز", "مرجان", "عقيق"]),
        description=f"وصف {MARKER} <b>جريء</b> & \"مقتبس\" رقم {i}",
        category=CATS[i % len(CATS)], area=AREAS[(i // 2) % len(AREAS)],
        price=None if i % 11 == 5 else Decimal(price), currency=currency,
        condition=[None, "new", "used"][i % 3], contact_name="تاجر", contact_phone="0944123456",
        images=["/static/test/a.jpg"] if i % 4 == 0 else [], lat=lat, lon=lon,
    )
    return data, NOW - dt.timedelta(days=i % 40, minutes=i)


def index_now(session_factory, search_client, alias, test_settings) -> None:
    drain_outbox(session_factory, search_client, alias, 500, test_settings.syp_per_usd,
                 lambda: dt.datetime.now(dt.UTC), max_batches=100)
    search_client.indices.refresh(index=alias)


@pytest.fixture(scope="module")
def corpus(session_factory, search_client, alias, test_settings):
    """80 marked ads; afterwards every ad this module wrote is withdrawn, so that the
    tests of other modules in the session see an index without them."""
    rng = random.Random(5)
    ids = []
    with transaction(session_factory) as session:
        for i in range(80):
            data, created = _ad(i, rng)
            ids.append(create_ad(session, data, created, 60).ad.id)
    index_now(session_factory, search_client, alias, test_settings)
    yield ids
    with transaction(session_factory) as session:
        mine = session.scalars(select(Ad).where(or_(*(Ad.title.contains(word) for word in OUR_WORDS))))
        for ad in mine:
            withdraw_ad(session, ad, dt.datetime.now(dt.UTC))
    index_now(session_factory, search_client, alias, test_settings)


def get(client, **args):
    response = client.get("/api/v1/search", query_string={"q": MARKER, **args})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def ids_of(body) -> list[int]:
    return [hit["id"] for hit in body["results"]]


def all_ids(client, **args) -> list[int]:
    return ids_of(get(client, size=50, **args)) + ids_of(get(client, size=50, page=2, **args))


# -- filters ------------------------------------------------------------------------------

def test_browse_without_text_and_marker_scope(client, corpus):
    body = get(client, size=50, page=1)
    assert body["total"] == 80
    browse = client.get("/api/v1/search").get_json()
    assert browse["total"] >= 80


def test_category_includes_subcategories(client, corpus):
    parent = get(client, category="vehicles", size=50)
    assert {hit["category"]["slug"] for hit in parent["results"]} <= {"cars", "motorcycles"}
    cars = get(client, category="cars")["total"]
    bikes = get(client, category="motorcycles")["total"]
    assert parent["total"] == cars + bikes > 0
    assert get(client, category="cars,motorcycles")["total"] == parent["total"]


def test_area_includes_descendants(client, corpus):
    mezzeh = get(client, area="mezzeh")["results"]
    assert mezzeh and {hit["area"]["slug"] for hit in mezzeh} == {"mezzeh"}
    assert mezzeh[0]["area"]["name_ar"] == "المزة"
    damascus = get(client, area="damascus")["total"]
    assert damascus == get(client, area="damascus-city")["total"] > get(client, area="mezzeh")["total"] > 0


def test_price_range_in_both_currencies(client, corpus):
    rate = 13000
    usd = get(client, price_min="100", price_max="500", currency="USD", size=50)
    for hit in usd["results"]:
        in_usd = hit["price_amount"] / (rate if hit["currency"] == "SYP" else 1)
        assert 100 - 1e-6 <= in_usd <= 500 + 1e-6
    syp = get(client, price_min=str(100 * rate), price_max=str(500 * rate), currency="SYP")
    assert syp["total"] == usd["total"] > 0
    # an ad priced exactly at the bound is included (bounds are inclusive)
    exact = get(client, price_min="5000000", price_max="5000000", currency="SYP")
    assert exact["total"] > 0


def test_condition_images_and_posted_within(client, corpus):
    assert get(client, condition="new")["total"] + get(client, condition="used")["total"] == \
        get(client, condition="new,used")["total"]
    with_images = get(client, has_images="true", size=50)
    assert with_images["total"] == 20 and all(hit["has_images"] for hit in with_images["results"])
    assert get(client, has_images="false")["total"] == 60
    recent = get(client, posted_within="7", size=50)
    assert 0 < recent["total"] < 80
    cutoff = NOW - dt.timedelta(days=7, minutes=5)
    assert all(dt.datetime.fromisoformat(hit["created_at"]) >= cutoff for hit in recent["results"])


def test_facets_can_be_turned_off_without_changing_results(client, corpus):
    args = {"category": "vehicles", "condition": "used", "price_max": "900", "currency": "USD"}
    with_facets, without = get(client, **args), get(client, facets="0", **args)
    assert without["facets"] is None and with_facets["facets"]
    assert ids_of(without) == ids_of(with_facets) and without["total"] == with_facets["total"]


# -- facets -------------------------------------------------------------------------------

def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node["children"])


@pytest.mark.parametrize("selection", [{}, {"condition": "new"}, {"category": "vehicles"},
                                       {"area": "damascus", "price_max": "1000", "currency": "USD"}])
def test_every_facet_count_equals_the_results_of_picking_it(client, corpus, selection):
    body = get(client, **selection)
    facets = body["facets"]
    for node in _walk(facets["category"]):
        assert get(client, **{**selection, "category": node["slug"]})["total"] == node["count"], node["slug"]
    for node in _walk(facets["area"]):
        assert get(client, **{**selection, "area": node["slug"]})["total"] == node["count"], node["slug"]
    for value in facets["condition"]:
        assert get(client, **{**selection, "condition": value["value"]})["total"] == value["count"]
    for bucket in facets["price"]:
        pick = {**selection, "price_min": str(bucket["price_min"]), "currency": bucket["currency"]}
        pick.pop("price_max", None)
        if bucket["price_max"] is not None:
            pick["price_max"] = str(bucket["price_max"])
        assert get(client, **pick)["total"] == bucket["count"], bucket


@pytest.mark.parametrize("selection", [{}, {"condition": "used", "has_images": "false"}])
def test_browse_facet_counts_equal_the_results_of_picking_them(client, corpus, selection):
    def browse(**args):
        response = client.get("/api/v1/search", query_string={**selection, **args, "size": 1})
        assert response.status_code == 200
        return response.get_json()

    facets = browse()["facets"]
    for node in list(_walk(facets["category"]))[:12]:
        assert browse(category=node["slug"])["total"] == node["count"], node["slug"]
    for node in list(_walk(facets["area"]))[:12]:
        assert browse(area=node["slug"])["total"] == node["count"], node["slug"]
    for value in facets["condition"]:
        assert browse(condition=value["value"])["total"] == value["count"]
    for bucket in facets["price"]:
        pick = {"price_min": str(bucket["price_min"]), "currency": bucket["currency"]}
        if bucket["price_max"] is not None:
            pick["price_max"] = str(bucket["price_max"])
        assert browse(**pick)["total"] == bucket["count"], bucket
    chosen = browse(category="vehicles")
    assert [(n["slug"], n["count"]) for n in _walk(chosen["facets"]["category"])] == \
        [(n["slug"], n["count"]) for n in _walk(facets["category"])]


def test_multi_select_ignores_own_selection_and_honours_others(client, corpus):
    plain = get(client)["facets"]
    chosen = get(client, category="cars")
    # the category facet still offers every category, with the same counts
    assert [(n["slug"], n["count"]) for n in _walk(chosen["facets"]["category"])] == \
        [(n["slug"], n["count"]) for n in _walk(plain["category"])]
    assert any(n["selected"] for n in _walk(chosen["facets"]["category"]))
    # the other facets honour the selection
    assert sum(v["count"] for v in chosen["facets"]["condition"]) <= chosen["total"]
    by_condition = {v["value"]: v["count"] for v in chosen["facets"]["condition"]}
    assert by_condition["new"] == get(client, category="cars", condition="new")["total"]


def test_price_buckets_follow_the_requested_currency(client, corpus):
    syp = get(client, currency="SYP")["facets"]["price"]
    usd = get(client, currency="USD")["facets"]["price"]
    assert {b["currency"] for b in syp} == {"SYP"} and {b["currency"] for b in usd} == {"USD"}
    assert syp[1]["price_min"] == 1_000_000 and usd[1]["price_min"] == 100


# -- geo ----------------------------------------------------------------------------------

def haversine(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_radius_filter_and_distance_sort_match_haversine(client, corpus):
    body = get(client, lat=HOMS[0], lon=HOMS[1], radius_km=120, sort="distance", size=50)
    assert body["total"] > 0
    distances = []
    for hit in body["results"]:
        expected = haversine(HOMS, (hit["location"]["lat"], hit["location"]["lon"]))
        assert abs(hit["distance_km"] - expected) < 0.01
        assert expected <= 120.5
        distances.append(expected)
    assert distances == sorted(distances)
    everything = all_ids(client, lat=HOMS[0], lon=HOMS[1], sort="distance")
    outside = set(everything) - set(ids_of(body))
    assert len(everything) == 80 and outside


def test_bbox_and_distance_needs_a_point(client, corpus):
    body = get(client, bbox="36.0,33.0,36.6,34.0", size=50)
    for hit in body["results"]:
        assert 33.0 <= hit["location"]["lat"] <= 34.0 and 36.0 <= hit["location"]["lon"] <= 36.6
    assert 0 < body["total"] < 80
    response = client.get("/api/v1/search", query_string={"sort": "distance"})
    assert response.status_code == 400 and "sort" in response.get_json()["error"]["fields"]


def test_clusters_count_what_search_counts(client, corpus):
    args = {"q": MARKER, "bbox": "35.0,32.0,42.0,37.5", "zoom": "6"}
    response = client.get("/api/v1/search/clusters", query_string=args)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert sum(c["count"] for c in body["clusters"]) == body["total"] == get(client, bbox=args["bbox"])["total"]
    for cell in body["clusters"]:
        b = cell["bounds"]
        assert b["south"] <= cell["lat"] <= b["north"] and b["west"] <= cell["lon"] <= b["east"]
    filtered = client.get("/api/v1/search/clusters", query_string={**args, "category": "cars"}).get_json()
    assert filtered["total"] == get(client, bbox=args["bbox"], category="cars")["total"]
    assert client.get("/api/v1/search/clusters", query_string={"bbox": "1,2"}).status_code == 400
    assert client.get("/api/v1/search/clusters", query_string={"bbox": "35,32,42,37"}).status_code == 400


# -- sorting and paging -------------------------------------------------------------------

def test_sorts(client, corpus):
    newest = get(client, sort="newest", size=50)["results"]
    stamps = [hit["created_at"] for hit in newest]
    assert stamps == sorted(stamps, reverse=True)
    rate = 13000

    def usd(hit):
        return hit["price_amount"] / (rate if hit["currency"] == "SYP" else 1)

    asc = [h for h in get(client, sort="price_asc", size=50)["results"] if h["price_amount"] is not None]
    assert [usd(h) for h in asc] == sorted(usd(h) for h in asc)
    desc = [h for h in get(client, sort="price_desc", size=50)["results"] if h["price_amount"] is not None]
    assert [usd(h) for h in desc] == sorted((usd(h) for h in desc), reverse=True)
    assert client.get("/api/v1/search", query_string={"sort": "cheapest"}).status_code == 400


@pytest.mark.parametrize("sort", ["newest", "price_asc", "price_desc", "relevance", "distance"])
def test_cursor_pages_without_duplicates_or_gaps(client, corpus, sort):
    seen, cursor = [], None
    point = {"lat": HOMS[0], "lon": HOMS[1]} if sort == "distance" else {}
    for _ in range(20):
        args = {"sort": sort, "size": 7, **point} | ({"cursor": cursor} if cursor else {})
        body = get(client, **args)
        seen += ids_of(body)
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 80


@pytest.mark.parametrize("sort", ["newest", "price_asc", "relevance"])
def test_cursor_is_stable_while_ads_are_added(client, corpus, session_factory, search_client, alias,
                                              test_settings, sort):
    first = get(client, sort=sort, size=10)
    seen, cursor = ids_of(first), first["next_cursor"]
    rng = random.Random(9)
    for round_ in itertools.count():
        with transaction(session_factory) as session:
            for extra in range(3):
                data, _ = _ad(1000 + round_ * 3 + extra, rng)
                create_ad(session, data, dt.datetime.now(dt.UTC), 60)
        index_now(session_factory, search_client, alias, test_settings)
        body = get(client, sort=sort, size=10, cursor=cursor)
        seen += ids_of(body)
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen))
    assert set(corpus) <= set(seen)


def test_tampered_or_foreign_cursor_is_a_400(client, corpus):
    cursor = get(client, sort="newest", size=5)["next_cursor"]
    for bad in (cursor[:-3] + "AAA", "not-a-cursor", "e30", "A" * 5000, cursor + "x"):
        response = client.get("/api/v1/search", query_string={"q": MARKER, "sort": "newest", "cursor": bad})
        assert response.status_code == 400 and "cursor" in response.get_json()["error"]["fields"], bad
    other = client.get("/api/v1/search", query_string={"q": MARKER, "sort": "price_asc", "cursor": cursor})
    assert other.status_code == 400
    other = client.get("/api/v1/search", query_string={"q": "شقة", "sort": "newest", "cursor": cursor})
    assert other.status_code == 400


def test_page_limits(client, corpus):
    for args in ({"size": "51"}, {"size": "0"}, {"page": "0"}, {"page": "201", "size": "50"},
                 {"page": "x"}, {"size": "1e3"}):
        response = client.get("/api/v1/search", query_string=args)
        assert response.status_code == 400, args
        assert set(response.get_json()["error"]["fields"]) <= {"size", "page"}
    assert client.get("/api/v1/search", query_string={"page": "200", "size": "50"}).status_code == 200


# -- text: highlights, suggestions, relaxed retry, understanding --------------------------

def test_highlights_mark_only_and_escape_everything_else(client, corpus):
    body = get(client, size=3)
    for hit in body["results"]:
        fragments = hit["highlight"].get("description", []) + hit["highlight"].get("title", [])
        assert fragments
        for fragment in fragments:
            assert "<mark>" in fragment
            rest = fragment.replace("<mark>", "").replace("</mark>", "")
            assert "<" not in rest and ">" not in rest
        if hit["highlight"].get("description"):
            assert "&lt;b&gt;" in " ".join(hit["highlight"]["description"])


def test_few_results_bring_did_you_mean_and_a_flagged_relaxed_retry(client, corpus):
    strict = client.get("/api/v1/search", query_string={"q": f"{MARKER} نموذج غواصة"}).get_json()
    assert strict["relaxed"] is not None and strict["relaxed"]["mode"] == "any"
    assert strict["relaxed"]["strict_total"] == 0 and strict["total"] > 0
    typo = client.get("/api/v1/search", query_string={"q": "زمردبات"}).get_json()
    assert typo["relaxed"] and typo["relaxed"]["mode"] == "fuzzy" and typo["total"] >= 80
    assert typo["did_you_mean"] is not None
    digits = client.get("/api/v1/search", query_string={"q": "رقم 99999"}).get_json()
    assert all("99999" in str(hit) or hit["title"] for hit in digits["results"])
    exact = client.get("/api/v1/search", query_string={"q": MARKER}).get_json()
    assert exact["relaxed"] is None


def test_a_relaxed_search_pages_on_relaxed(client, corpus):
    first = client.get("/api/v1/search", query_string={"q": f"{MARKER} نموذج غواصة", "size": 30}).get_json()
    assert first["relaxed"]["mode"] == "any" and first["next_cursor"]
    second = client.get("/api/v1/search", query_string={"q": f"{MARKER} نموذج غواصة", "size": 30,
                                                          "cursor": first["next_cursor"]}).get_json()
    assert second["relaxed"]["mode"] == "any" and len(second["results"]) == 30
    assert not set(ids_of(first)) & set(ids_of(second))
    page2 = client.get("/api/v1/search", query_string={"q": f"{MARKER} نموذج غواصة", "size": 30, "page": 2}).get_json()
    assert ids_of(page2) == ids_of(second)


def test_suggest_titles_and_categories(client, corpus):
    response = client.get("/api/v1/suggest", query_string={"q": MARKER[:4]})
    assert response.status_code == 200
    body = response.get_json()
    assert body["titles"] and all(title.startswith(MARKER) for title in body["titles"])
    assert len(body["titles"]) == len(set(body["titles"]))
    cars = client.get("/api/v1/suggest", query_string={"q": "سيار"}).get_json()
    assert any(c["slug"] == "cars" for c in cars["categories"])
    assert client.get("/api/v1/suggest", query_string={"q": "x" * 500}).status_code == 400
    two = client.get("/api/v1/suggest", query_string={"q": MARKER[:4], "size": "2"}).get_json()
    assert len(two["titles"]) == 2
    assert client.get("/api/v1/suggest", query_string={"q": "سيار", "size": "21"}).status_code == 400
    assert client.get("/api/v1/suggest").get_json()["titles"] == []


def test_understanding_yields_to_the_users_own_filters(client, corpus):
    text = f"{MARKER} غسالة تحت 500 في حمص"
    body = client.get("/api/v1/search", query_string={"q": text, "area": "aleppo"}).get_json()
    items = {item["type"]: item for item in body["understood"]}
    assert items["price"]["applied"] is False and items["price"]["reason"] == "currency unclear"
    assert items["area"]["applied"] is False and body["query"] == text
    usd = client.get("/api/v1/search", query_string={"q": text, "currency": "USD"}).get_json()
    assert usd["query"] == f"{MARKER} غسالة" and usd["understood"][0]["price_max"] == 500
    only_area = client.get("/api/v1/search", query_string={"q": text}).get_json()
    assert only_area["query"] == f"{MARKER} غسالة تحت 500"


def test_html_in_a_title_is_escaped_in_highlights(client, corpus, session_factory, search_client, alias,
                                                  test_settings):
    with transaction(session_factory) as session:
        data = AdCreate(title=f'{HTML_MARKER} <img src=x onerror="alert(1)"> & <mark>', category="cars",
                        area="mezzeh", contact_name="تاجر", contact_phone="0944123456",
                        description=f"<script>alert('{HTML_MARKER}')</script>")
        create_ad(session, data, dt.datetime.now(dt.UTC), 60)
    index_now(session_factory, search_client, alias, test_settings)
    hit = client.get("/api/v1/search", query_string={"q": HTML_MARKER}).get_json()["results"][0]
    title = hit["highlight"]["title"][0]
    assert title.startswith("<mark>ياقوتيات</mark>") and "&lt;img" in title and "&lt;mark&gt;" in title
    assert "<img" not in title and "<script" not in hit["highlight"]["description"][0]


def test_query_understanding_applies_and_can_be_undone(client, corpus):
    body = client.get("/api/v1/search", query_string={"q": f"{MARKER} في حمص تحت ٥٠٠ دولار"}).get_json()
    kinds = {item["type"]: item for item in body["understood"]}
    assert kinds["area"]["area"] == "homs" and kinds["area"]["applied"]
    assert kinds["price"]["price_max"] == 500 and kinds["price"]["currency"] == "USD"
    assert body["query"] == MARKER and body["undo"] == {"understand": "0"}
    assert body["total"] == get(client, area="homs", price_max="500", currency="USD")["total"] > 0
    undone = client.get("/api/v1/search", query_string={"q": f"{MARKER} في حمص تحت ٥٠٠ دولار",
                                                         "understand": "0"}).get_json()
    assert undone["understood"] == [] and undone["query"].endswith("دولار")
    million = client.get("/api/v1/search", query_string={"q": f"{MARKER} بأقل من 10 مليون"}).get_json()
    assert million["understood"][0]["currency"] == "SYP"
    assert million["total"] == get(client, price_max="10000000", currency="SYP")["total"]


# -- hostile input ------------------------------------------------------------------------

HOSTILE = [
    'title:(a OR b)~2 ^ "', "*:*", "\\", "((((", '{"query": {"match_all": {}}}', "<script>alert(1)</script>",
    "' OR 1=1 --", "a" * 200, "؟؟؟!!!", "🙂" * 50, "\x00\x1f", "AND OR NOT", "/.*/", "title.exact:x",
    "{{suggestion}}", "٥٥٥٥٥٥٥٥٥٥٥٥٥٥٥٥٥٥٥٥٥٥٥٥", "تحت 99999999999999999999 مليون", "بين ٩ و ١ مليار",
    "تحت " + "9" * 190 + " مليون", "فوق 1e308 دولار", "في حمص في حلب في دمشق", "زمرد~ زمرد* زمرد?",
]


@pytest.mark.parametrize("text", [*HOSTILE, "x" * 10_000])
def test_hostile_text_is_never_a_5xx(client, corpus, text):
    for path in ("/api/v1/search", "/api/v1/suggest", "/api/v1/search/clusters"):
        response = client.get(path, query_string={"q": text, "bbox": "35,32,42,37", "zoom": "5"})
        assert response.status_code in (200, 400), (path, text, response.get_json())


SEARCH_PARAMETERS = ["category", "area", "price_min", "price_max", "currency", "condition", "has_images",
                     "posted_within", "lat", "lon", "radius_km", "bbox", "sort", "page", "size", "cursor",
                     "understand", "facets", "zoom"]


@pytest.mark.parametrize("name", SEARCH_PARAMETERS)
def test_hostile_values_of_every_parameter_are_200_or_400(client, corpus, name):
    odd = ["x" * 10_000, "", " ", "-0", "²", "①", "١²", "1e999", "0x10", "٣", "9" * 400, "1,2,3,4", "[]", "true"]
    for value in [*HOSTILE, *odd]:
        for path in ("/api/v1/search", "/api/v1/search/clusters", "/api/v1/suggest"):
            args = {"bbox": "35,32,42,37", "zoom": "5", name: value}
            response = client.get(path, query_string=args)
            assert response.status_code in (200, 400), (path, name, value, response.get_json())
            if response.status_code == 400:
                assert response.get_json()["error"]["fields"], (path, name, value)


@pytest.mark.parametrize("args", [
    {"lat": "nan", "lon": "1"}, {"lat": "91", "lon": "1"}, {"lat": "33"}, {"radius_km": "5"},
    {"lat": "33", "lon": "36", "radius_km": "501"}, {"lat": "33", "lon": "36", "radius_km": "0"},
    {"bbox": "1,2,3"}, {"bbox": "40,30,35,31"}, {"bbox": "a,b,c,d"}, {"price_min": "-1"},
    {"price_min": "inf"}, {"price_min": "5", "price_max": "1"}, {"currency": "EUR"},
    {"condition": "broken"}, {"has_images": "maybe"}, {"posted_within": "0"},
    {"posted_within": "366"}, {"category": "nope"}, {"area": "<script>"}, {"understand": "x"},
    {"category": ",".join(["cars"] * 30)}, {"price_max": "1" * 40},
])
def test_invalid_parameters_are_400_naming_them(client, corpus, args):
    response = client.get("/api/v1/search", query_string=args)
    assert response.status_code == 400, (args, response.get_json())
    named = set(response.get_json()["error"]["fields"])
    partner = {"lat": "lon", "lon": "lat"}
    assert named & (set(args) | {partner[name] for name in args if name in partner}), (args, named)


# -- engine round trips -------------------------------------------------------------------

def test_hits_and_facets_travel_in_one_msearch(client, corpus, monkeypatch):
    from service.search.gateway import EngineGateway

    calls: list[str] = []
    real_search, real_msearch = EngineGateway.search, EngineGateway.msearch

    def search(self, body):
        calls.append("search")
        return real_search(self, body)

    def msearch(self, bodies):
        calls.append(f"msearch{len(bodies)}")
        return real_msearch(self, bodies)

    monkeypatch.setattr(EngineGateway, "search", search)
    monkeypatch.setattr(EngineGateway, "msearch", msearch)
    body = get(client)
    assert calls == ["msearch2"] and body["facets"] and body["total"] >= 80
    calls.clear()
    assert get(client, facets="0")["facets"] is None and calls == ["search"]


@pytest.mark.parametrize("failed", [
    {"error": {"type": "es_rejected_execution_exception", "reason": "queue full"}, "status": 429},
    {"error": {"type": "index_not_found_exception", "reason": "no such index"}, "status": 404},
    {"error": {"type": "search_phase_execution_exception", "reason": "all shards failed"}, "status": 503},
])
@pytest.mark.parametrize("position", [0, 1])
def test_a_failed_sub_search_is_a_503_never_a_500(client, corpus, monkeypatch, failed, position):
    from opensearchpy import OpenSearch

    real = OpenSearch.msearch

    def one_fails(self, *args, **kwargs):
        answer = real(self, *args, **kwargs)
        answer["responses"][position] = failed
        return answer

    monkeypatch.setattr(OpenSearch, "msearch", one_fails)
    response = client.get("/api/v1/search", query_string={"q": MARKER})
    assert response.status_code == 503, response.get_json()
    assert response.get_json()["error"]["code"] == "search_unavailable"
    assert response.headers["Retry-After"] == "2"


def test_a_rejected_sub_search_raises_what_a_single_search_would():
    from opensearchpy.exceptions import RequestError

    from service.search.gateway import sub_search_error

    assert sub_search_error({"status": 200, "hits": {}}) is None
    error = sub_search_error({"error": {"type": "parsing_exception", "reason": "bad"}, "status": 400})
    assert isinstance(error, RequestError) and error.status_code == 400
