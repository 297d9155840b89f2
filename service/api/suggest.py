"""GET /api/v1/suggest?q=سيار: completions for the search box (ad titles and categories)."""

from __future__ import annotations

from flask import Response, jsonify, request

from core.text_input import clean_text
from service.api import api
from service.api.wire import bad_parameter
from service.resources import resources, trees
from service.search.params import BadParameter
from service.search.run import answers
from service.search.suggest import (
    DEFAULT_SUGGESTIONS,
    MAX_SUGGEST_CHARS,
    category_suggestions,
    title_suggest_body,
    unique_titles,
)


@api.get("/suggest")
def suggest() -> Response:
    raw = request.args.get("q", "")
    text = clean_text(raw[: MAX_SUGGEST_CHARS * 4])
    size_raw = request.args.get("size", "").strip()
    try:
        if len(raw) > MAX_SUGGEST_CHARS * 4 or len(text) > MAX_SUGGEST_CHARS:
            raise BadParameter("q", f"must be at most {MAX_SUGGEST_CHARS} characters")
        if size_raw and (not size_raw.isdecimal() or not 1 <= int(size_raw) <= 20):
            raise BadParameter("size", "must be a whole number from 1 to 20")
        size = int(size_raw) if size_raw else DEFAULT_SUGGESTIONS
        if not text:
            return jsonify({"query": text, "titles": [], "categories": []})
        titles = unique_titles(answers(resources().search_gateway, [title_suggest_body(text, size)], text)[0], size)
    except BadParameter as exc:
        raise bad_parameter(exc) from exc
    return jsonify({"query": text, "titles": titles,
                    "categories": category_suggestions(text, trees().categories, size)})
