"""The keyword part of a search: user text -> an OpenSearch clause. Pure.

User text never reaches a query-string parser: it goes into `multi_match`,
which treats it as plain words, so Lucene syntax in it is harmless. The
unstemmed `exact` sub-fields are boosted above the stemmed ones so that a
real match outranks a decoy that only shares a stem.
"""

from __future__ import annotations

from typing import Any

from search_config import fields as F

# Boosts chosen so that an exact title hit beats a stemmed one, and any title
# hit beats the same word in the longer, noisier description.
KEYWORD_FIELDS = [
    f"{F.TITLE_EXACT}^4",
    f"{F.TITLE}^2",
    f"{F.DESCRIPTION_EXACT}^1.2",
    F.DESCRIPTION,
    f"{F.CATEGORY_NAME}^0.5",
    f"{F.AREA_NAME}^0.5",
]


def keyword_clause(text: str) -> dict[str, Any]:
    """Every word must match (in any of the fields), as users expect from a classifieds search."""
    return {
        "multi_match": {
            "query": text,
            "type": "cross_fields",
            "fields": KEYWORD_FIELDS,
            "operator": "and",
        }
    }


def highlight_spec() -> dict[str, Any]:
    """Highlight the original title/description text, marking words matched by any sub-field."""
    return {
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "encoder": "html",
        "fields": {
            F.TITLE: {"number_of_fragments": 0, "matched_fields": [F.TITLE, F.TITLE_EXACT]},
            F.DESCRIPTION: {
                "fragment_size": 160,
                "number_of_fragments": 2,
                "matched_fields": [F.DESCRIPTION, F.DESCRIPTION_EXACT],
            },
        },
    }
