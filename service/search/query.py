"""Search parameters -> OpenSearch request body. Pure: no I/O, unit-tested.

This is the production query builder: the search API, the web pages and the
Arabic evaluation (`souq search eval`) all go through `build_search_body`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from search_config import fields as F
from service.search.text_query import highlight_spec, keyword_clause

MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class SearchParams:
    """What a user asked for, already validated."""

    q: str = ""
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    sort: str = "relevance"
    category_ids: tuple[int, ...] = ()
    area_ids: tuple[int, ...] = ()
    extra_filters: tuple[dict[str, Any], ...] = field(default=())


def base_filters(params: SearchParams) -> list[dict[str, Any]]:
    """Filters every search honours: only active ads, plus the user's selections."""
    filters: list[dict[str, Any]] = [{"term": {F.STATUS: F.SEARCHABLE_STATUS}}]
    if params.category_ids:
        filters.append({"terms": {F.CATEGORY_PATH: list(params.category_ids)}})
    if params.area_ids:
        filters.append({"terms": {F.AREA_PATH: list(params.area_ids)}})
    filters.extend(params.extra_filters)
    return filters


def build_search_body(params: SearchParams) -> dict[str, Any]:
    """The request body for one page of results."""
    must: list[dict[str, Any]] = [keyword_clause(params.q)] if params.q.strip() else []
    query: dict[str, Any] = {"bool": {"filter": base_filters(params), "must": must}}
    body: dict[str, Any] = {
        "query": query,
        "from": (params.page - 1) * params.size,
        "size": params.size,
        "track_total_hits": True,
    }
    if params.sort == "newest" or not must:
        body["sort"] = [{F.CREATED_AT: "desc"}, {F.ID: "desc"}]
    if must:
        body["highlight"] = highlight_spec()
    return body
