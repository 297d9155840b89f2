"""The API and the search page give byte-identical hits and facets for the same query (issue 22).

Both go through one search use case; what could still make them differ is
each side's own parsing (the form's `near=`, `cur`, blank fields), the
understanding arguments, the relaxed path and the trees. For each query the
page's template context is captured (Flask's `template_rendered`), its hits
(ids, order, scores, highlights) and facets serialised with the API's own
JSON provider, and the bytes compared with the API's `results` and `facets`.
Both requests run on one frozen clock: relevance decays with the ad's age
from "now", so two requests a few milliseconds apart could differ in a
score's last bit for no fault of either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from flask import template_rendered
from sqlalchemy import select

from core.ad_input import AdCreate
from core.ads import create_ad, withdraw_ad
from core.db import transaction
from core.models import Ad
from tests.integration.test_search_api import index_now

MARKER = "مرجانيات"
MISSPELT = "مرجانبات"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
HOMS_CITY = (34.7324, 36.7137)
PLACES = [("homs-city", HOMS_CITY), ("damascus-city", None), ("mezzeh", (33.50, 36.25)), ("aleppo-city", None)]
CATEGORIES = ["cars", "motorcycles", "laptops", "apartments-for-rent"]
WORDS = ["أحمر", "أزرق", "أخضر"]


@pytest.fixture(scope="module")
def corpus(session_factory, search_client, alias, test_settings):
    """24 marked ads over four places and categories, prices in both currencies, half with a point."""
    with transaction(session_factory) as session:
        for i in range(24):
            area, point = PLACES[i % len(PLACES)]
            lat, lon = (point[0] + i / 1000, point[1] + i / 1000) if point else (None, None)
            data = AdCreate(title=f"{MARKER} {WORDS[i % 3]} رقم {i}", description=f"وصف {MARKER} {i}",
                            category=CATEGORIES[(i // 2) % len(CATEGORIES)], area=area,
                            price=Decimal([90, 400, 800, 3_000_000, 9_000_000][i % 5]),
                            currency="USD" if i % 5 < 3 else "SYP", condition=["new", "used"][i % 2],
                            contact_name="تاجر", contact_phone=f"0944{i:06d}", lat=lat, lon=lon)
            create_ad(session, data, NOW - dt.timedelta(hours=i), 60)
    index_now(session_factory, search_client, alias, test_settings)
    yield
    with transaction(session_factory) as session:
        for ad in session.scalars(select(Ad).where(Ad.title.contains(MARKER))):
            withdraw_ad(session, ad, dt.datetime.now(dt.UTC))
    index_now(session_factory, search_client, alias, test_settings)


@pytest.fixture()
def frozen_clock(monkeypatch):
    """Both renderers read "now" at the same instant."""
    import service.api.search as api_search
    import service.web.search_page as search_page

    monkeypatch.setattr(api_search, "now", lambda: NOW)
    monkeypatch.setattr(search_page, "now", lambda: NOW)


@contextmanager
def rendered(app) -> Iterator[list[dict[str, Any]]]:
    contexts: list[dict[str, Any]] = []

    def record(sender, template, context, **extra):
        if template.name == "search.html":
            contexts.append(context)

    template_rendered.connect(record, app)
    try:
        yield contexts
    finally:
        template_rendered.disconnect(record, app)


def hit_fields(hit: dict[str, Any]) -> dict[str, Any]:
    return {"id": hit["id"], "score": hit["score"], "highlight": hit["highlight"]}


QUERIES = {
    "plain keyword": ({"q": MARKER}, {"q": MARKER}),
    "category and area selected": ({"q": MARKER, "category": "vehicles", "area": "homs"},
                                   {"q": MARKER, "category": "vehicles", "area": "homs"}),
    "a price the words say": ({"q": f"{MARKER} تحت 500 دولار"}, {"q": f"{MARKER} تحت 500 دولار"}),
    "a price filter in the form's currency": ({"q": MARKER, "price_max": "5000000", "currency": "SYP"},
                                              {"q": MARKER, "price_max": "5000000", "cur": "SYP", "near": ""}),
    "misspelt: the relaxed path": ({"q": MISSPELT}, {"q": MISSPELT}),
    "one word too many: most words": ({"q": f"{MARKER} وصف غواصة"}, {"q": f"{MARKER} وصف غواصة"}),
    "near a city": ({"q": MARKER, "lat": str(HOMS_CITY[0]), "lon": str(HOMS_CITY[1]), "radius_km": "25",
                     "sort": "distance"},
                    {"q": MARKER, "near": "homs-city", "radius_km": "25", "sort": "distance"}),
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_the_api_and_the_page_give_byte_identical_hits_and_facets(app, client, corpus, frozen_clock, name):
    api_args, page_args = QUERIES[name]
    api = client.get("/api/v1/search", query_string=api_args)
    assert api.status_code == 200, api.get_json()
    body = api.get_json()
    with rendered(app) as contexts:
        page = client.get("/search", query_string=page_args)
    assert page.status_code == 200 and len(contexts) == 1
    context = contexts[0]
    dumps = app.json.dumps
    assert body["total"] > 0, name  # a query that finds nothing would prove little

    assert [card["id"] for card in context["results"]] == [hit["id"] for hit in body["results"]]
    page_hits = [{"id": hit["_source"]["id"], "score": hit.get("_score"), "highlight": hit.get("highlight", {})}
                 for hit in context["found"].hits]
    assert dumps(page_hits) == dumps([hit_fields(hit) for hit in body["results"]])
    assert dumps(context["facets"]) == dumps(body["facets"])
    relaxed = context["relaxed"]
    assert (None if relaxed is None else {"mode": relaxed.mode, "strict_total": relaxed.strict_total}) \
        == body["relaxed"]
    assert context["did_you_mean"] == body["did_you_mean"] and context["total"] == body["total"]
    assert [{key: value for key, value in item.items() if key != "undo"} for item in context["understood"]] \
        == body["understood"]


def test_the_queries_take_the_paths_they_are_named_for(client, corpus, frozen_clock):
    """Guards the table above: each path of the use case is really exercised."""
    def api(key: str) -> dict[str, Any]:
        return client.get("/api/v1/search", query_string=QUERIES[key][0]).get_json()

    misspelt = api("misspelt: the relaxed path")
    assert misspelt["relaxed"] == {"mode": "fuzzy", "strict_total": 0} and misspelt["did_you_mean"]
    assert api("one word too many: most words")["relaxed"]["mode"] == "any"
    priced = api("a price the words say")
    assert priced["understood"][0]["applied"] and priced["query"] == MARKER
    near = api("near a city")
    assert near["results"] and all(hit["distance_km"] <= 25 for hit in near["results"])
    selected = api("category and area selected")["facets"]
    assert any(node["selected"] for node in selected["category"])


def test_the_bench_records_the_round_trips_the_api_makes(test_settings, corpus):
    from bench.search_bench import capture_engine_bodies

    steps = capture_engine_bodies(test_settings, [{"q": MARKER, "_kind": "x"}, {"q": MARKER, "facets": "0"},
                                                  {"price_min": "abc"}, {"q": MISSPELT, "facets": "0"}])
    assert [[step["path"] for step in entry] for entry in steps] == [
        ["_msearch"], ["_search"], [], ["_search", "_search"]]
    assert steps[0][0]["body"].count("\n") == 4  # header and body of the hits, then of the facets
    assert '"suggest"' in steps[3][1]["body"] and '"suggest"' not in steps[3][0]["body"]
