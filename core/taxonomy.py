"""An in-memory snapshot of the category and area trees.

Both trees are small (hundreds of rows) and change rarely, so readers load a
snapshot instead of joining for every ad: the indexer uses it to put ancestor
paths and names into documents, the web to expand filters and render facets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Area, Category


@dataclass(frozen=True)
class Node:
    id: int
    slug: str
    parent_id: int | None
    name_ar: str
    name_en: str
    kind: str = "category"
    alt_names: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    position: int = 0
    population: int = 0


@dataclass(frozen=True)
class Tree:
    nodes: dict[int, Node]
    by_slug: dict[str, Node] = field(default_factory=dict)

    def path(self, node_id: int) -> list[int]:
        """Ids from the root down to `node_id` (tree depth is tiny; cycles are cut)."""
        path: list[int] = []
        current: int | None = node_id
        while current is not None and current in self.nodes and current not in path:
            path.append(current)
            current = self.nodes[current].parent_id
        return list(reversed(path))

    def children(self, node_id: int | None) -> list[Node]:
        return list(self.children_by_parent.get(node_id, ()))

    @cached_property
    def display_order(self) -> tuple[Node, ...]:
        """Every node reachable from the roots, each after its parent, siblings in display
        order (depth first); made once per snapshot. A cycle in bad data is cut."""
        order: list[Node] = []
        seen: set[int] = set()
        stack = list(reversed(self.children_by_parent.get(None, ())))
        while stack:
            node = stack.pop()
            if node.id in seen:
                continue
            seen.add(node.id)
            order.append(node)
            stack.extend(reversed(self.children_by_parent.get(node.id, ())))
        return tuple(order)

    @cached_property
    def children_by_parent(self) -> dict[int | None, tuple[Node, ...]]:
        """Every node's children, in display order (position, then bigger places first),
        from one pass over the snapshot, made once: the search facets walk the whole
        tree on every request."""
        kids: dict[int | None, list[Node]] = {}
        for node in self.nodes.values():
            kids.setdefault(node.parent_id, []).append(node)
        return {parent: tuple(sorted(group, key=lambda node: (node.position, -node.population, node.id)))
                for parent, group in kids.items()}

    def get(self, slug: str) -> Node | None:
        return self.by_slug.get(slug)


def _tree(nodes: list[Node]) -> Tree:
    return Tree(nodes={node.id: node for node in nodes}, by_slug={node.slug: node for node in nodes})


def load_categories(session: Session) -> Tree:
    rows = session.scalars(select(Category))
    return _tree([
        Node(id=c.id, slug=c.slug, parent_id=c.parent_id, name_ar=c.name_ar, name_en=c.name_en,
             position=c.position)
        for c in rows
    ])


def load_areas(session: Session) -> Tree:
    rows = session.scalars(select(Area))
    return _tree([
        Node(id=a.id, slug=a.slug, parent_id=a.parent_id, name_ar=a.name_ar, name_en=a.name_en,
             kind=a.kind, alt_names=tuple(a.alt_names or ()), lat=a.lat, lon=a.lon,
             population=a.population)
        for a in rows
    ])
