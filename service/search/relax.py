"""The zero/few-results path: looser matching and a did-you-mean suggestion. Pure.

Used only after the strict query (every word must match) found too little,
and flagged as such in the response. Fuzziness is the last resort and never
applies to words containing digits: «2018» must not match «2016». What may be
fuzzy or suggested is bounded (text_bounds): fuzzy and suggester costs grow
with every letter and word, where an exact term costs about the same at any length.
"""

from __future__ import annotations

from typing import Any

from search_config import fields as F
from search_config.arabic_fold import fold
from service.search.text_bounds import MAX_FUZZY_WORDS, may_be_fuzzy, search_words

# The stemmed fields the strict clause matches on (text_query), weighted alike:
# relaxing changes how many words must match, not where.
KEYWORD_FIELDS = [f"{F.TITLE}^3", F.DESCRIPTION, f"{F.CATEGORY_NAME}^0.5", f"{F.AREA_NAME}^0.5"]

# Below this many strict results the search tries a relaxed query (and shows the
# did-you-mean): a handful of results usually means a typo or one word too many.
FEW_RESULTS = 3
# "1<67%": one word must match; with more words, two thirds of them (rounded down).
RELAXED_MINIMUM_SHOULD_MATCH = "1<67%"
MAX_RELAXED_WORDS = 12  # q is at most 200 characters; bounds the clause count anyway
# The did-you-mean suggester, with every limit spelled out (most are the engine's
# defaults, which a version change could move): one phrase, at most two words
# corrected, five candidates per word from at most five inspected terms each, and
# only corrections scoring above the text as typed (confidence 1).
SUGGEST_MAX_ERRORS = 2
SUGGEST_CANDIDATES = 5
SUGGEST_MAX_INSPECTIONS = 5
SUGGEST_CONFIDENCE = 1.0


def _words(text: str) -> list[str]:
    words = [word for word in search_words(text) if any(char.isalnum() for char in word)]
    return words[:MAX_RELAXED_WORDS]


def has_digit(word: str) -> bool:
    return any(char.isdigit() for char in word)


def relaxed_clause(text: str, *, fuzzy: bool) -> dict[str, Any]:
    """Most (not all) words must match; with `fuzzy`, words without digits may be misspelt."""
    if not fuzzy:
        return {"multi_match": {"query": " ".join(_words(text)), "type": "cross_fields",
                                "fields": KEYWORD_FIELDS, "operator": "or",
                                "minimum_should_match": RELAXED_MINIMUM_SHOULD_MATCH}}
    should = []
    fuzzy_words = 0
    for word in _words(text):
        clause: dict[str, Any] = {"query": word, "type": "best_fields", "fields": KEYWORD_FIELDS}
        if may_be_fuzzy(word) and fuzzy_words < MAX_FUZZY_WORDS:
            clause.update(fuzziness="AUTO", prefix_length=1, max_expansions=20)
            fuzzy_words += 1
        should.append({"multi_match": clause})
    return {"bool": {"should": should, "minimum_should_match": RELAXED_MINIMUM_SHOULD_MATCH}}


def did_you_mean_spec(text: str) -> dict[str, Any]:
    """A phrase suggester over the titles, keeping only corrections that find ads.

    Callers ask only for short texts (text_bounds.suggestable).
    """
    return {
        "did_you_mean": {
            "text": text[:200],
            "phrase": {
                "field": F.TITLE_EXACT,
                "size": 1,
                "gram_size": 1,
                "max_errors": SUGGEST_MAX_ERRORS,
                "confidence": SUGGEST_CONFIDENCE,
                "direct_generator": [{"field": F.TITLE_EXACT, "suggest_mode": "always",
                                      "min_word_length": 3, "size": SUGGEST_CANDIDATES,
                                      "max_inspections": SUGGEST_MAX_INSPECTIONS, "max_edits": 2,
                                      "prefix_length": 1}],
                "collate": {"query": {"source": {"match": {F.TITLE_EXACT: {
                    "query": "{{suggestion}}", "operator": "and"}}}}, "prune": False},
            },
        }
    }


def read_did_you_mean(response: dict[str, Any], typed: str = "") -> str | None:
    """The corrected phrase, keeping the user's own spelling of every word that was right.

    Suggestions are built from indexed (folded) terms, so «غسالة اوتوماتك» comes
    back as «غساله اوتوماتيك»; words equal to what was typed once folded are
    shown as typed. A "correction" equal to the query itself is no suggestion.
    """
    for entry in response.get("suggest", {}).get("did_you_mean", []):
        for option in entry.get("options", []):
            if option.get("text"):
                return _in_users_spelling(str(option["text"]), typed)
    return None


def _in_users_spelling(suggestion: str, typed: str) -> str | None:
    own = {fold(word): word for word in typed.split()}
    words = [own.get(word, word) for word in suggestion.split()]
    if typed and [fold(word) for word in words] == [fold(word) for word in typed.split()]:
        return None
    return " ".join(words)
