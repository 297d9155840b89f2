"""GET /categories and /areas: the trees, with Arabic and English names."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from core.taxonomy import Node, Tree, load_areas, load_categories
from service.api import api
from service.resources import db


def tree_view(tree: Tree, parent: int | None = None) -> list[dict[str, Any]]:
    def one(node: Node) -> dict[str, Any]:
        item: dict[str, Any] = {"slug": node.slug, "name_ar": node.name_ar, "name_en": node.name_en}
        if node.kind != "category":
            item.update(kind=node.kind, lat=node.lat, lon=node.lon, alt_names=list(node.alt_names))
        item["children"] = tree_view(tree, node.id)
        return item
    return [one(node) for node in tree.children(parent)]


@api.get("/categories")
def categories() -> Response:
    return jsonify({"categories": tree_view(load_categories(db()))})


@api.get("/areas")
def areas() -> Response:
    return jsonify({"areas": tree_view(load_areas(db()))})


@api.get("/health")
def health() -> Response:
    return jsonify({"status": "ok"})
