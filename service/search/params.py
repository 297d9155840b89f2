"""Query-string -> SearchParams, with a 400 naming the parameter for anything invalid. Pure."""

from __future__ import annotations

from collections.abc import Mapping

from core.taxonomy import Tree
from core.text_input import ascii_digits, clean_text
from service.search.query import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SearchParams

MAX_QUERY_CHARS = 200
MAX_DEPTH = 10_000  # OpenSearch's max_result_window: deeper needs the cursor
SORTS = ("relevance", "newest", "price_asc", "price_desc", "distance")


class BadParameter(ValueError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def _int(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(ascii_digits(raw).strip())
    except ValueError as exc:
        raise BadParameter(name, "must be a whole number") from exc
    if not low <= value <= high:
        raise BadParameter(name, f"must be between {low} and {high}")
    return value


def _slugs(args: Mapping[str, str], name: str, tree: Tree) -> tuple[int, ...]:
    getlist = getattr(args, "getlist", None)
    raw = getlist(name) if getlist else ([args[name]] if name in args else [])
    ids = []
    for value in raw:
        for slug in filter(None, (part.strip() for part in value.split(","))):
            node = tree.get(slug)
            if node is None:
                raise BadParameter(name, f"unknown {name} {slug!r}")
            ids.append(node.id)
    return tuple(dict.fromkeys(ids))


def parse_search_args(args: Mapping[str, str], categories: Tree, areas: Tree) -> SearchParams:
    q = clean_text(args.get("q", ""))
    if len(q) > MAX_QUERY_CHARS:
        raise BadParameter("q", f"must be at most {MAX_QUERY_CHARS} characters")
    size = _int(args, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    page = _int(args, "page", 1, 1, MAX_DEPTH)
    if page * size > MAX_DEPTH:
        raise BadParameter("page", f"page x size must stay within {MAX_DEPTH}; use cursor to go deeper")
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise BadParameter("sort", f"must be one of {', '.join(SORTS)}")
    return SearchParams(
        q=q, page=page, size=size, sort=sort,
        category_ids=_slugs(args, "category", categories),
        area_ids=_slugs(args, "area", areas),
    )
