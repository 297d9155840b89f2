"""Hostile input against the real engine: forged cursors are a 400 naming `cursor`, and
hostile text (long words, many words, repeated letters, mixed scripts, digits) is a 200.

Cursors are forged with the app's own key, as anyone who learns it could. Engine time is
measured by `souq bench hostile`, never asserted here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from bench.hostile_bench import hostile_queries
from core.ad_input import AdCreate
from core.ads import create_ad, withdraw_ad
from core.db import transaction
from core.models import Ad
from service.search.cursor import CURSOR_SALT
from tests.integration.test_search_api import index_now

MARKER = "فيروزيات"
NOW = dt.datetime.now(dt.UTC)
WORDS = ["سيارة", "شقة", "لابتوب", "موبايل"]


@pytest.fixture(scope="module")
def corpus(session_factory, search_client, alias, test_settings):
    """30 marked ads (some without a price, so the price sort meets its missing marker)."""
    ids = []
    with transaction(session_factory) as session:
        for i in range(30):
            data = AdCreate(title=f"{MARKER} {WORDS[i % 4]} رقم {i}", description=f"وصف {MARKER} {i}",
                            category="cars", area="damascus-city",
                            price=None if i % 5 == 0 else Decimal(1000 + i), currency="USD",
                            contact_name="تاجر", contact_phone="0944123456",
                            lat=33.5 + i / 100, lon=36.3)
            ids.append(create_ad(session, data, NOW - dt.timedelta(minutes=i), 60).ad.id)
    index_now(session_factory, search_client, alias, test_settings)
    yield ids
    with transaction(session_factory) as session:
        for ad in session.scalars(select(Ad).where(Ad.title.contains(MARKER))):
            withdraw_ad(session, ad, dt.datetime.now(dt.UTC))
    index_now(session_factory, search_client, alias, test_settings)


def forge(settings, payload: object) -> str:
    return str(URLSafeSerializer(settings.secret_key, salt=CURSOR_SALT).dumps(payload))


def first_page(client, **args) -> dict:
    response = client.get("/api/v1/search", query_string={"size": 5, **args})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def replay(settings, cursor: str, **changes: object) -> dict:
    """The payload of a real cursor with some values changed, signed again with the key."""
    payload = URLSafeSerializer(settings.secret_key, salt=CURSOR_SALT).loads(cursor)
    payload.update(changes)
    return payload


def named_field(response) -> str:
    assert response.status_code == 400, (response.status_code, response.get_data(as_text=True)[:300])
    return ",".join(response.get_json()["error"]["fields"])


SORTS = [{"q": MARKER}, {"q": MARKER, "sort": "newest"}, {"q": MARKER, "sort": "price_asc"},
         {"q": MARKER, "sort": "price_desc"}, {"q": MARKER, "sort": "distance", "lat": "33.5", "lon": "36.3"}]
BAD_AFTER = [[float("nan"), 1, 2], [float("inf"), 1, 2], [1, 2**64, 3], [1], [1, 2, 3, 4], ["x", "y", "z"],
             [None, None, None], [{"a": 1}, [2], True], [-5.0, -(2**63), -1]]


@pytest.mark.parametrize("args", SORTS)
def test_forged_sort_values_are_a_400_naming_cursor(client, corpus, test_settings, args):
    page = first_page(client, **args)
    assert page["next_cursor"], page
    follow = client.get("/api/v1/search", query_string={"size": 5, **args, "cursor": page["next_cursor"]})
    assert follow.status_code == 200  # the real cursor still works
    for after in BAD_AFTER:
        forged = forge(test_settings, replay(test_settings, page["next_cursor"], a=after))
        response = client.get("/api/v1/search", query_string={"size": 5, **args, "cursor": forged})
        assert named_field(response) == "cursor", after


@pytest.mark.parametrize("changes", [{"s": "newest"}, {"n": "9999-01-01T00:00:00"}, {"n": None}, {"m": "x"},
                                     {"q": "0" * 16}, {"extra": 1}])
def test_forged_fields_are_a_400_naming_cursor(client, corpus, test_settings, changes):
    page = first_page(client, q=MARKER)
    forged = forge(test_settings, replay(test_settings, page["next_cursor"], **changes))
    response = client.get("/api/v1/search", query_string={"size": 5, "q": MARKER, "cursor": forged})
    assert named_field(response) == "cursor"


def test_an_engine_400_from_a_cursor_is_a_400_naming_it(client, corpus, test_settings, monkeypatch):
    """The safety net: were a bad value to slip past the checks, the engine's refusal names `cursor`."""
    import service.search.run as search_run

    monkeypatch.setattr(search_run, "check_cursor_fits", lambda params: None)
    page = first_page(client, q=MARKER, sort="newest")
    forged = forge(test_settings, replay(test_settings, page["next_cursor"], a=[1, 2, 3]))  # sorts by 2
    response = client.get("/api/v1/search", query_string={"size": 5, "q": MARKER, "sort": "newest",
                                                          "cursor": forged})
    assert named_field(response) == "cursor"


def test_garbage_cursors_are_a_400_naming_cursor(client, corpus):
    for raw in ("x", "A" * 2500, "eyJzIjoxfQ.bad", ".eJwrSS0uAQAEXQHB.x", "\u0627" * 40):
        assert named_field(client.get("/api/v1/search", query_string={"q": MARKER, "cursor": raw})) == "cursor"


@pytest.mark.parametrize("name,text", sorted(hostile_queries().items()))
def test_hostile_text_is_a_200_everywhere(client, corpus, name, text):
    for args in ({"q": text}, {"q": text, "sort": "newest"}, {"q": f"{MARKER} {text}"[:200]}):
        response = client.get("/api/v1/search", query_string=args)
        assert response.status_code == 200, (name, response.get_data(as_text=True)[:300])
    assert client.get("/api/v1/suggest", query_string={"q": text[:100]}).status_code == 200
    assert client.get("/search", query_string={"q": text}).status_code == 200


def test_words_beyond_the_limit_are_reported_and_the_rest_searched(client, corpus):
    from service.search.text_bounds import MAX_QUERY_WORDS

    extra = ["زائدة"] * 5
    body = first_page(client, q=" ".join([MARKER] * MAX_QUERY_WORDS + extra))
    assert body["ignored_words"] == extra and body["total"] >= 30
    assert first_page(client, q=MARKER)["ignored_words"] is None


def test_a_misspelt_short_query_still_gets_a_fuzzy_retry_and_a_suggestion(client, corpus):
    body = first_page(client, q="فيروزيات لابتوبب")
    assert body["total"] > 0 and body["relaxed"] is not None
