"""The zero/few-results path: looser matching and a did-you-mean suggestion. Pure.

Used only after the strict query (every word must match) found too little,
and flagged as such in the response. What the looser matching may drop is
bounded by one rule: a generic word (generic_words.txt: condition, deal, price
talk, negations) or a number is never the only reason an ad is shown, and two
product words that no ad has together are not split apart («كيا ريو» must not
bring a phone and a house). Fuzziness is the last resort: one letter, only in
words of six letters or more, never in words with digits («2018» must not match
«2016», «مدرس» must not match «مدرسة»). What may be fuzzy or suggested is also
bounded by cost (text_bounds): fuzzy and suggester costs grow with every letter
and word, where an exact term costs about the same at any length.
"""

from __future__ import annotations

from typing import Any

from search_config import fields as F
from search_config.arabic_fold import fold
from search_config.loader import brand_vocabulary, normalise_word, read_word_list, stem_word
from service.search.text_bounds import MAX_FUZZY_WORDS, may_be_fuzzy, search_words

# The stemmed fields the strict clause matches on (text_query), weighted alike:
# relaxing changes how many words must match, not where.
KEYWORD_FIELDS = [f"{F.TITLE}^3", F.DESCRIPTION, f"{F.CATEGORY_NAME}^0.5", f"{F.AREA_NAME}^0.5"]

# Below this many strict results the search tries a relaxed query (and shows the
# did-you-mean): a handful of results usually means a typo or one word too many.
FEW_RESULTS = 3
# Of the words that name the thing (not generic words, not numbers): up to two must all
# match; of three or more, all but one. Two product words that are not found together
# mean the ad does not exist; showing ads of either one would be noise («كيا ريو»).
CONTENT_MINIMUM_SHOULD_MATCH = "2<-1"
# A misspelling is one missing, extra, changed or swapped letter, and only in a word
# this long (folded): in shorter words one edit is another word (مدرس/مدرسة, خادم/خادمة).
MIN_FUZZY_LETTERS = 6
FUZZY_EDITS = 1
GENERIC_STEMS = frozenset(stem_word(word) for word in read_word_list("generic_words.txt"))
# Names from the brand lexicon are words, not typos: one edit turns «ريلمي» into «ريدمي».
BRAND_WORDS = frozenset(word for spelling in brand_vocabulary() for word in spelling.split())
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


def is_generic(word: str) -> bool:
    """A number, or a word that describes any ad (generic_words.txt): never enough on its own."""
    return has_digit(word) or stem_word(word) in GENERIC_STEMS


def content_words(text: str) -> list[str]:
    """The words of `text` that name the thing sought."""
    return [word for word in _words(text) if not is_generic(word)]


def fuzzy_worthy(word: str) -> bool:
    """Long enough that one edit is a misspelling, not another word; never a number or a brand name."""
    return (len(fold(word)) >= MIN_FUZZY_LETTERS and may_be_fuzzy(word)
            and normalise_word(word) not in BRAND_WORDS)


def relaxed_modes(text: str) -> tuple[str, ...]:
    """The relaxed searches that can find more than the strict one without showing noise.

    "any" drops generic words and numbers, and one product word of three or more;
    "fuzzy" also forgives one letter in a long word. A text without product words
    is not relaxed at all: «غير مستعمل» must not become «مستعمل».
    """
    content = content_words(text)
    if not content:
        return ()
    modes = []
    if len(content) >= 3 or len(content) < len(_words(text)):
        modes.append("any")
    if any(fuzzy_worthy(word) for word in content):
        modes.append("fuzzy")
    return tuple(modes)


def relaxed_clause(text: str, *, fuzzy: bool) -> dict[str, Any]:
    """The product words must match (all of two, all but one of more), the rest only adds score;
    with `fuzzy`, long product words may be misspelt by one letter."""
    required, optional = [], []
    fuzzy_words = 0
    for word in _words(text):
        clause: dict[str, Any] = {"query": word, "type": "best_fields", "fields": KEYWORD_FIELDS}
        if is_generic(word):
            optional.append({"multi_match": clause})
            continue
        if fuzzy and fuzzy_worthy(word) and fuzzy_words < MAX_FUZZY_WORDS:
            clause.update(fuzziness=FUZZY_EDITS, prefix_length=1, max_expansions=20)
            fuzzy_words += 1
        required.append({"multi_match": clause})
    content = {"bool": {"should": required, "minimum_should_match": CONTENT_MINIMUM_SHOULD_MATCH}}
    return {"bool": {"must": [content], "should": optional}}


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
    brands = [word for word in typed.split() if normalise_word(word) in BRAND_WORDS]
    if any(word not in words for word in brands):  # «ريلمي» is a phone, not a typo of «ريدمي»
        return None
    if typed and [fold(word) for word in words] == [fold(word) for word in typed.split()]:
        return None
    return " ".join(words)
