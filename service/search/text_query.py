"""The keyword part of a search: user text -> an OpenSearch clause. Pure.

User text never reaches a query-string parser: it goes into `multi_match` /
`match_phrase`, which treat it as plain words, so Lucene syntax in it is
harmless. Matching is decided on the stemmed fields only (every word must be
found, in any field); the unstemmed `exact` sub-fields and word order only add
score, so a real match outranks a decoy that merely shares a light stem
(الجامعة above الجامع). Synonyms apply to the stemmed fields only, so the word
the user typed also outranks its synonyms (موبايل above جوال). No fuzziness anywhere: a one-letter edit turns هوندا
into هيونداي and 2018 into 2008.
"""

from __future__ import annotations

from typing import Any

from search_config import fields as F
from service.search.text_bounds import bounded_text

# Stemmed fields share one search analyser, so cross_fields treats them as one
# big field: «شقة عبدون» matches شقة in the title and عبدون in the area name.
# A title hit outweighs the longer, noisier description; category and area
# names only help a word match at all.
MATCH_FIELDS = [f"{F.TITLE}^3", F.DESCRIPTION, f"{F.CATEGORY_NAME}^0.5", f"{F.AREA_NAME}^0.5"]
EXACT_FIELDS = [f"{F.TITLE_EXACT}^3", F.DESCRIPTION_EXACT]
# The exact clause is boosted above the stemmed one (2 > 1): an exact hit then
# adds more than twice what a stem-only hit earns, which decides rank pairs
# like ساعة/ساعي whatever their length difference (checked by the eval rank cases).
EXACT_BOOST = 2.0
# Words typed together and found together (in order, at most one word apart) rank higher.
PHRASE_BOOST = 1.0
PHRASE_SLOP = 1


def keyword_clause(text: str) -> dict[str, Any]:
    """Every word must match (stemmed, in any field); exact forms and word order raise the score.

    Only the first words count (text_bounds.MAX_QUERY_WORDS): the API reports the rest.
    """
    text = bounded_text(text)
    return {
        "bool": {
            "must": [
                {"multi_match": {"query": text, "type": "cross_fields", "fields": MATCH_FIELDS,
                                 "operator": "and"}}
            ],
            "should": [
                {"multi_match": {"query": text, "type": "cross_fields", "fields": EXACT_FIELDS,
                                 "operator": "or", "boost": EXACT_BOOST}},
                {"match_phrase": {F.TITLE_EXACT: {"query": text, "slop": PHRASE_SLOP,
                                                  "boost": PHRASE_BOOST}}},
            ],
        }
    }


def highlight_spec() -> dict[str, Any]:
    """Mark matched words in the original title/description text.

    The unified highlighter re-analyses the stored text with the field's own
    analyser and marks every token that matches a query term of that field, so
    a word found through normalisation, stemming or a synonym is marked too,
    and offsets point into the text exactly as the advertiser wrote it.
    """
    return {
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "encoder": "html",
        "fields": {
            F.TITLE: {"type": "unified", "number_of_fragments": 0},
            F.DESCRIPTION: {"type": "unified", "fragment_size": 160, "number_of_fragments": 2},
        },
    }
