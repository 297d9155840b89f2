"""The built bodies bound what hostile text asks of the engine (pure: no services).

Fuzzy and suggester work grows with every letter and word (see text_bounds), so
the bodies are checked for what they send, never for how long the engine takes.
"""

from __future__ import annotations

import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from service.search.gateway import ENGINE_TIMEOUT, timed
from service.search.query import SearchParams, build_search_body, facets_body
from service.search.suggest import title_suggest_body
from service.search.text_bounds import (
    MAX_FUZZY_LETTERS,
    MAX_FUZZY_WORDS,
    MAX_QUERY_WORDS,
    MAX_SUGGEST_WORDS,
    bounded_text,
    ignored_words,
    suggestable,
)

rng = random.Random(13)
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
LONG_WORD = "".join(rng.choice(ARABIC) for _ in range(200))


def fuzzy_queries(body: dict) -> list[str]:
    """The text of every clause of the body that allows edits."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "fuzziness" in node:
                found.append(str(node["query"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(body)
    return found


def body_text(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False)


def test_a_long_word_is_searched_exactly_and_never_suggested():
    for mode in ("all", "any", "fuzzy"):
        body = build_search_body(SearchParams(q=LONG_WORD, match_mode=mode, did_you_mean=True))
        assert fuzzy_queries(body) == [] and "suggest" not in body
        assert LONG_WORD in body_text(body)  # still searched, as typed


def test_at_most_the_first_long_product_words_are_fuzzy():
    words = ["هونداي", "بريطانية", "اوتوماتيك", "كلاسيكية", "دمشق"]
    body = build_search_body(SearchParams(q=" ".join(words), match_mode="fuzzy"))
    assert fuzzy_queries(body) == words[:MAX_FUZZY_WORDS]
    body = build_search_body(SearchParams(q=f"{LONG_WORD[:20]} 2018 سياره مرسيدس ثلاجات مستعملة", match_mode="fuzzy"))
    # too long for the engine's edit automaton, a number, too short, then a word that may be
    # misspelt; a brand name and a generic word are never fuzzy
    assert fuzzy_queries(body) == ["ثلاجات"]


def test_the_suggester_runs_for_short_texts_with_explicit_limits():
    body = build_search_body(SearchParams(q="سيارت هونداي", did_you_mean=True))
    phrase = body["suggest"]["did_you_mean"]["phrase"]
    generator = phrase["direct_generator"][0]
    assert phrase["size"] == 1 and phrase["max_errors"] <= 2 and phrase["confidence"] >= 1
    assert generator["max_edits"] <= 2 and generator["size"] <= 5 and generator["max_inspections"] <= 5
    many = " ".join(["سيارت"] * (MAX_SUGGEST_WORDS + 1))
    assert "suggest" not in build_search_body(SearchParams(q=many, did_you_mean=True))
    assert not suggestable(LONG_WORD[:MAX_FUZZY_LETTERS + 1]) and suggestable(LONG_WORD[:MAX_FUZZY_LETTERS])


def test_words_beyond_the_limit_are_left_out_and_reported():
    words = [f"كلمة{i:02d}" for i in range(MAX_QUERY_WORDS + 5)]
    text = " ".join(words)
    assert bounded_text(text).split() == words[:MAX_QUERY_WORDS]
    assert ignored_words(text) == words[MAX_QUERY_WORDS:] and ignored_words("شقة دمشق") == []
    for body in (build_search_body(SearchParams(q=text)), facets_body(SearchParams(q=text, facets=True)),
                 build_search_body(SearchParams(q=text, match_mode="any"))):
        assert words[0] in body_text(body)
        assert not any(word in body_text(body) for word in words[MAX_QUERY_WORDS:])
    assert words[MAX_QUERY_WORDS - 1] in body_text(build_search_body(SearchParams(q=text)))


def test_every_search_goes_out_with_the_engine_time_limit():
    assert timed(build_search_body(SearchParams(q="شقة")))["timeout"] == ENGINE_TIMEOUT
    assert timed(title_suggest_body("سيار", 8))["timeout"] == ENGINE_TIMEOUT
    assert timed({"timeout": "1s"})["timeout"] == "1s"


_hostile = st.one_of(
    st.text(alphabet=st.sampled_from(ARABIC + "abcxyz0123456789 .-_ـًّ"), max_size=200),
    st.lists(st.text(alphabet=st.sampled_from(ARABIC + "ab1"), min_size=1, max_size=60), max_size=100)
    .map(lambda words: " ".join(words)[:200]),
)


@settings(max_examples=300, deadline=None)
@given(_hostile, st.sampled_from(["all", "any", "fuzzy"]))
def test_no_text_makes_an_unbounded_body(text, mode):
    body = build_search_body(SearchParams(q=text, match_mode=mode, did_you_mean=True, facets=True))
    fuzzy = fuzzy_queries(body)
    assert len(fuzzy) <= MAX_FUZZY_WORDS
    assert all(len(word) <= MAX_FUZZY_LETTERS and not any(c.isdigit() for c in word) for word in fuzzy)
    if "suggest" in body:
        suggested = body["suggest"]["did_you_mean"]["text"].split()
        assert len(suggested) <= MAX_SUGGEST_WORDS and all(len(w) <= MAX_FUZZY_LETTERS for w in suggested)
    for word in ignored_words(text):
        assert len(text.split()) > MAX_QUERY_WORDS and word
