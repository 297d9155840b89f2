"""The cursor's contents are checked after its signature: a key that leaks (or a deployment
left on the default key) lets anyone sign a cursor, and whatever it holds must then be a
400 naming `cursor`, never a value the engine chokes on (pure: no services)."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from itsdangerous import URLSafeSerializer
from werkzeug.datastructures import MultiDict

from service.search.cursor import (
    CURSOR_SALT,
    DATE,
    ID,
    PRICE,
    SCORE,
    BadCursor,
    Cursor,
    check_after,
    decode_cursor,
    encode_cursor,
)
from service.search.params import BadParameter, check_cursor_fits, cursor_digest
from service.search.query import build_search_body, sort_value_kinds
from tests.unit.test_search_params import NOW, SECRET, parse

SORT_ARGS = [{"q": "شقة"}, {"q": "شقة", "sort": "newest"}, {"sort": "price_asc"}, {"sort": "price_desc"},
             {"q": "شقة", "lat": "33.5", "lon": "36.3", "sort": "distance"}, {}]


def forged(payload: object) -> str:
    """A token signed with the real key, as someone who knows the key would make it."""
    return str(URLSafeSerializer(SECRET, salt=CURSOR_SALT).dumps(payload))


def payload_for(args: dict, after: list, **changes: object) -> dict:
    payload = {"s": args.get("sort", "relevance"), "a": after, "n": NOW.isoformat(),
               "q": cursor_digest(MultiDict(args)), "m": "all"}
    payload.update(changes)
    return payload


def full_parse(**args: str):
    """Parsing as the API does it: the values are checked against the finished search."""
    params = parse(**args)
    check_cursor_fits(params)
    return params


def cursor_error(args: dict, payload: object) -> str:
    with pytest.raises(BadParameter) as info:
        full_parse(**args, cursor=forged(payload))
    return info.value.name


def test_issued_cursors_round_trip_for_every_sort():
    issued: list[tuple[dict[str, str], list[object]]] = [
        (SORT_ARGS[0], [1.5, 1700000000000, 42]), (SORT_ARGS[1], [1700000000000, 42]), (SORT_ARGS[2], ["Infinity", 11]),
        (SORT_ARGS[3], [12.5, 9]), (SORT_ARGS[4], [3.25, 7]), (SORT_ARGS[5], [1700000000000, 3])]
    for args, after in issued:
        cursor = encode_cursor(Cursor(args.get("sort", "relevance"), tuple(after), NOW,
                                      cursor_digest(MultiDict(args))), SECRET)
        assert cursor.isascii() and all(c.isalnum() or c in "-_." for c in cursor)  # URL-safe
        assert full_parse(**args, cursor=cursor).search_after == tuple(after)


@pytest.mark.parametrize("after", [
    [float("nan"), 1700000000000, 42], [float("inf"), 1700000000000, 42], [1.5, 2**63, 42],
    [1.5, 1700000000000, -1], [1.5, 1700000000000, 4.5], [1.5, "1700000000000", 42], [1.5, True, 42],
    [1.5, 1700000000000], [1.5, 1700000000000, 42, 1], [], [None, 1, 2], [-1.0, 1, 2], [1e39, 1, 2],
    [{"x": 1}, 1, 2], [[1], 1, 2], ["x" * 10_000, 1, 2],
])
def test_forged_sort_values_are_a_400_naming_cursor(after):
    assert cursor_error(SORT_ARGS[0], payload_for(SORT_ARGS[0], after)) == "cursor"


@pytest.mark.parametrize("changes", [
    {"s": "newest"}, {"s": 5}, {"s": "x" * 100}, {"m": "regex"}, {"m": None}, {"q": 7}, {"q": "short"},
    {"n": "yesterday"}, {"n": "2026-11-01T12:00:00"}, {"n": "0001-01-01T00:00:00+00:00"}, {"n": 1},
    {"a": "1,2,3"}, {"a": {"0": 1}}, {"extra": 1},
])
def test_forged_fields_are_a_400_naming_cursor(changes):
    assert cursor_error(SORT_ARGS[0], payload_for(SORT_ARGS[0], [1.5, 1700000000000, 42], **changes)) == "cursor"


def test_non_object_payloads_and_foreign_keys_are_a_400_naming_cursor():
    payloads: tuple[object, ...] = (None, 1, "cursor", [1, 2], {"a": [1]}, [[[[]]]])
    for payload in payloads:
        assert cursor_error({}, payload) == "cursor"
    other_key = URLSafeSerializer("another-secret", salt=CURSOR_SALT).dumps(payload_for({}, [1, 2]))
    other_salt = URLSafeSerializer(SECRET).dumps(payload_for({}, [1, 2]))
    for token in (other_key, other_salt, "A" * 3000, "not.a.cursor", "..", "\x00"):
        with pytest.raises(BadParameter) as info:
            full_parse(cursor=token)
        assert info.value.name == "cursor"


def test_price_sort_takes_the_missing_price_marker_but_no_other_text():
    args = SORT_ARGS[2]
    assert full_parse(**args, cursor=forged(payload_for(args, ["-Infinity", 4]))).search_after == ("-Infinity", 4)
    assert cursor_error(args, payload_for(args, ["NaN", 4])) == "cursor"
    assert cursor_error(args, payload_for(args, ["cheap", 4])) == "cursor"


def test_value_kinds_follow_the_sort_clause():
    assert sort_value_kinds(parse(q="شقة")) == (SCORE, DATE, ID)
    assert sort_value_kinds(parse()) == (DATE, ID)  # browsing: newest first, unscored
    assert sort_value_kinds(parse(sort="price_desc")) == (PRICE, ID)
    with pytest.raises(BadCursor):
        check_after((1.5, 2), (SCORE, DATE, ID))


def test_a_cursor_for_a_scored_search_does_not_fit_one_whose_words_were_cut():
    # Understanding can cut every word out of q: the search then sorts by (date, id) only.
    params = dataclasses.replace(parse(q="شقة", cursor=forged(payload_for({"q": "شقة"}, [1.5, 1, 2]))), q="")
    with pytest.raises(BadParameter) as info:
        check_cursor_fits(params)
    assert info.value.name == "cursor"


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=3), children, max_size=4),
    max_leaves=12)
_after = st.lists(st.one_of(st.integers(min_value=-(2**70), max_value=2**70),
                            st.floats(allow_nan=True, allow_infinity=True),
                            st.sampled_from(["Infinity", "-Infinity", "NaN", ""]), _json), max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SORT_ARGS), _after, st.dictionaries(st.sampled_from(["s", "n", "q", "m", "z"]), _json,
                                                            max_size=2),
       st.booleans())
def test_any_payload_signed_with_the_real_key_parses_or_names_cursor(args, after, changes, whole):
    payload = changes if whole else payload_for(args, after, **changes)
    try:
        params = full_parse(**args, cursor=forged(payload))
    except BadParameter as exc:
        assert exc.name == "cursor"
        return
    # What gets through is exactly what the sort needs, and plain JSON for the engine.
    check_after(params.search_after, sort_value_kinds(params))
    json.dumps(build_search_body(dataclasses.replace(params, facets=True)), allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_as_cursor_is_a_400_naming_cursor(raw):
    with pytest.raises(BadParameter) as info:
        full_parse(cursor=raw or "x")
    assert info.value.name == "cursor"


def test_decode_refuses_what_encode_never_makes():
    with pytest.raises(BadCursor):
        decode_cursor(forged(payload_for({}, [1, 2], q="0" * 15)), SECRET)
