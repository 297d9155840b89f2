"""Search-box completions: ad titles by prefix, plus category names. Pure."""

from __future__ import annotations

from typing import Any

from core.models import AdStatus
from core.taxonomy import Tree
from search_config import fields as F
from search_config.arabic_fold import fold

MAX_SUGGEST_CHARS = 100
DEFAULT_SUGGESTIONS = 8
# Titles repeat («آيفون 13 برو» a hundred times): fetch more than we show, then dedupe.
TITLE_OVERFETCH = 4


def title_suggest_body(text: str, size: int) -> dict[str, Any]:
    """Active ads whose title words start with the typed words (edge n-grams), freshest first."""
    return {
        "size": size * TITLE_OVERFETCH,
        "_source": [F.TITLE],
        "query": {"bool": {
            "filter": [{"term": {F.STATUS: AdStatus.ACTIVE}}],
            "must": [{"match": {F.TITLE_AUTOCOMPLETE: {"query": text, "operator": "and"}}}],
        }},
        "sort": ["_score", {F.CREATED_AT: "desc"}],
        "track_total_hits": False,
    }


def unique_titles(response: dict[str, Any], size: int) -> list[str]:
    seen: dict[str, str] = {}
    for hit in response["hits"]["hits"]:
        title = str(hit["_source"].get(F.TITLE, "")).strip()
        key = fold(" ".join(title.split()))
        if title and key not in seen:
            seen[key] = title
    return list(seen.values())[:size]


def category_suggestions(text: str, categories: Tree, size: int) -> list[dict[str, Any]]:
    """Categories any of whose name words starts with the folded text (or the whole name does)."""
    wanted = fold(text).strip()
    if not wanted:
        return []
    found = []
    for node in sorted(categories.nodes.values(), key=lambda n: (n.parent_id is not None, n.position, n.id)):
        for name in (node.name_ar, node.name_en):
            folded = fold(name)
            words = folded.split()
            if folded.startswith(wanted) or any(word.startswith(wanted) or
                                                word.removeprefix("ال").startswith(wanted) for word in words):
                found.append({"slug": node.slug, "name_ar": node.name_ar, "name_en": node.name_en})
                break
    return found[:size]
