"""Query string -> SearchParams, and the signed cursor (pure: no services)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from core.seeding import load_area_seed, load_category_seed
from core.taxonomy import Node, Tree
from service.search.cursor import BadCursor, Cursor, decode_cursor, encode_cursor
from service.search.params import BadParameter, Context, cursor_digest, parse_search_args

NOW = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
SECRET = "unit-secret"


def seed_tree(entries: list[dict]) -> Tree:
    ids = {entry["slug"]: number for number, entry in enumerate(entries, start=1)}
    nodes = [Node(id=ids[e["slug"]], slug=e["slug"], parent_id=ids.get(e["parent"] or ""),
                  name_ar=e["name_ar"], name_en=e["name_en"], kind=e.get("kind", "category"),
                  alt_names=tuple(e.get("alt_names", ())), lat=e.get("lat"), lon=e.get("lon"),
                  position=e.get("position", 0), population=e.get("population", 0))
             for e in entries]
    return Tree(nodes={n.id: n for n in nodes}, by_slug={n.slug: n for n in nodes})


CATEGORIES, AREAS = seed_tree(load_category_seed()), seed_tree(load_area_seed())
CTX = Context(CATEGORIES, AREAS, Decimal("13000"), NOW, SECRET)


def parse(**args):
    return parse_search_args(MultiDict(args), CATEGORIES, AREAS, CTX)


def bad(**args) -> str:
    with pytest.raises(BadParameter) as info:
        parse(**args)
    return info.value.name


def test_defaults_browse_everything():
    params = parse()
    assert (params.q, params.page, params.size, params.sort, params.facets) == ("", 1, 20, "relevance", True)
    assert params.currency == "SYP" and params.point is None and params.search_after is None


def test_slugs_comma_separated_or_repeated():
    params = parse_search_args(MultiDict([("category", "cars,motorcycles"), ("category", "cars")]),
                               CATEGORIES, AREAS, CTX)
    assert params.category_ids == (CATEGORIES.by_slug["cars"].id, CATEGORIES.by_slug["motorcycles"].id)
    assert bad(category="cars,nope") == "category"


def test_prices_are_converted_to_usd_with_the_indexer_rounding():
    from indexer.documents import price_in_usd

    params = parse(price_min="5,000,000", price_max="١٠٠٠٠٠٠٠", currency="syp")
    assert params.price_min_usd == price_in_usd(Decimal(5_000_000), "SYP", Decimal(13000))
    assert params.price_max_usd == price_in_usd(Decimal(10_000_000), "SYP", Decimal(13000))
    usd = parse(price_max="500", currency="USD")
    assert usd.price_max_usd == 500.0 and usd.currency == "USD"


@pytest.mark.parametrize("args, name", [
    ({"price_min": "-1"}, "price_min"), ({"price_max": "nan"}, "price_max"),
    ({"price_min": "Infinity"}, "price_min"), ({"price_min": "9", "price_max": "1"}, "price_min"),
    ({"currency": "EUR"}, "currency"), ({"condition": "new,old"}, "condition"),
    ({"has_images": "perhaps"}, "has_images"), ({"posted_within": "0"}, "posted_within"),
    ({"posted_within": "abc"}, "posted_within"), ({"lat": "33"}, "lon"), ({"lon": "36"}, "lat"),
    ({"lat": "1e999", "lon": "1"}, "lat"), ({"radius_km": "3"}, "radius_km"),
    ({"lat": "33", "lon": "36", "radius_km": "500.1"}, "radius_km"), ({"bbox": "1,2,3,x"}, "bbox"),
    ({"bbox": "10,5,9,6"}, "bbox"), ({"bbox": "1,2,3,4,5"}, "bbox"), ({"sort": "random"}, "sort"),
    ({"sort": "distance"}, "sort"), ({"size": "51"}, "size"), ({"page": "-2"}, "page"),
    ({"page": "501", "size": "20"}, "page"), ({"q": "ب" * 201}, "q"), ({"q": "x" * 10_000}, "q"),
    ({"facets": "2"}, "facets"), ({"size": "²"}, "size"), ({"page": "①"}, "page"),
    ({"cursor": "abc", "page": "2"}, "page"),
])
def test_invalid_values_name_their_parameter(args, name):
    assert bad(**args) == name


def test_geo_and_distance_sort():
    params = parse(lat="٣٣٫٥", lon="36.3", radius_km="25", sort="distance", bbox="35,32,37,34")
    assert params.point == (33.5, 36.3) and params.radius_km == 25.0
    assert params.bbox == (35.0, 32.0, 37.0, 34.0) and params.sort == "distance"


def test_query_text_is_cleaned_and_unknown_parameters_ignored():
    params = parse(q="  سيارة\u200f   كامري\x00 ", utm_source="x")
    assert params.q == "سيارة كامري"


def _cursor(args: dict, after=(1.5, 1700000000000, 42), sort="relevance") -> str:
    return encode_cursor(Cursor(sort, after, NOW, cursor_digest(MultiDict(args))), SECRET)


def test_cursor_round_trip_restores_clock_and_position():
    args = {"q": "شقة", "sort": "newest"}
    cursor = _cursor(args, (1700000000000, 42), "newest")
    params = parse(**args, cursor=cursor, size="5")
    assert params.search_after == (1700000000000, 42) and params.now == NOW and params.size == 5


def test_cursor_is_bound_to_its_search_and_signature():
    cursor = _cursor({"q": "شقة"})
    assert bad(q="شقة", cursor=cursor + "A") == "cursor"
    assert bad(q="سيارة", cursor=cursor) == "cursor"
    assert bad(q="شقة", sort="newest", cursor=cursor) == "cursor"
    with pytest.raises(BadCursor):
        decode_cursor(cursor, "another-secret")
    with pytest.raises(BadCursor):
        decode_cursor(encode_cursor(Cursor("newest", ({"x": 1},), NOW, "d"), SECRET), SECRET)
    assert parse(q="شقة", cursor=cursor).search_after == (1.5, 1700000000000, 42)


PARAMETER_NAMES = ["q", "category", "area", "price_min", "price_max", "currency", "condition", "has_images",
                   "posted_within", "lat", "lon", "radius_km", "bbox", "sort", "page", "size", "cursor",
                   "understand", "facets"]
_values = st.one_of(st.text(max_size=40), st.from_regex(r"[-+]?[0-9٠-٩.,eE]{0,12}", fullmatch=True),
                    st.sampled_from(["cars", "vehicles", "homs", "nan", "inf", "-0", "1e308", "USD", "new",
                                     "distance", "35,32,37,34", "true", "²"]))


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(PARAMETER_NAMES), _values, max_size=8))
def test_any_query_string_parses_or_names_a_parameter(args):
    try:
        params = parse(**args)
    except BadParameter as exc:
        assert exc.name in PARAMETER_NAMES
        return
    from service.search.query import build_search_body

    # whatever parsing lets through makes a body the engine can read: plain JSON, no NaN/inf
    json.dumps(build_search_body(dataclasses.replace(params, facets=True, did_you_mean=True)),
               allow_nan=False)


def test_at_most_twenty_values_per_facet_counted_as_sent():
    assert bad(category=",".join(["cars"] * 21)) == "category"
    assert parse(category=",".join(["cars"] * 20)).category_ids == (CATEGORIES.by_slug["cars"].id,)


@pytest.mark.parametrize("args", [{"size": "51"}, {"currency": "EUR"}, {"lat": "nan", "lon": "1"},
                                  {"bbox": "1,2,x,4"}, {"condition": "old"}, {"page": "1.5"}])
def test_messages_speak_of_the_parameter_not_of_pydantic(args):
    with pytest.raises(BadParameter) as info:
        parse(**args)
    message = str(info.value)
    assert message.startswith("must ") and "Input" not in message and "pydantic" not in message


def test_clusters_box_and_zoom():
    from service.search.params import parse_bbox, parse_zoom

    assert parse_bbox(MultiDict({"bbox": "35,32,37,34"}), required=True) == (35.0, 32.0, 37.0, 34.0)
    assert parse_bbox(MultiDict({})) is None
    assert parse_zoom(MultiDict({"zoom": "١٢"})) == 12
    for call, args in ((lambda a: parse_bbox(a, required=True), {}), (parse_zoom, {}), (parse_zoom, {"zoom": "23"}),
                       (parse_zoom, {"zoom": "2.0"})):
        with pytest.raises(BadParameter) as info:
            call(MultiDict(args))
        assert info.value.name in ("bbox", "zoom")
