"""The category and area trees of the web process: one snapshot, reloaded at most every TTL.

Every reader of the web (the search API, the search page, the home, ad and
posting pages) takes its trees here, so a page and the API never search with
different snapshots, and the search memos keyed on a snapshot (facet views,
the place index of query understanding) stay warm. The trees change only when
operators re-seed them; a minute of staleness saves two database round trips
on every request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NamedTuple

from sqlalchemy.orm import Session, sessionmaker

from core.taxonomy import Tree, load_areas, load_categories

TREE_TTL_S = 60.0


class Trees(NamedTuple):
    categories: Tree
    areas: Tree


EMPTY_TREES = Trees(Tree({}), Tree({}))


class TreeCache:
    """Trees loaded through `load`, kept for `ttl_s` seconds of `clock`.

    Thread-safe without a lock: a snapshot is replaced whole, so a reader sees
    the old or the new one; two threads finding it stale at once both load, and
    the last one wins (the same data).
    """

    def __init__(self, load: Callable[[], Trees], ttl_s: float = TREE_TTL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._load, self._ttl_s, self._clock = load, ttl_s, clock
        self._snapshot: tuple[float, Trees] | None = None

    def current(self) -> Trees:
        snapshot = self._snapshot
        if snapshot is not None and self._clock() - snapshot[0] < self._ttl_s:
            return snapshot[1]
        loaded_at = self._clock()
        trees = self._load()
        self._snapshot = (loaded_at, trees)
        return trees


def database_trees(factory: sessionmaker[Session]) -> Callable[[], Trees]:
    """A loader reading both trees in a short session of its own (not the request's)."""
    def load() -> Trees:
        with factory() as session:
            return Trees(load_categories(session), load_areas(session))
    return load
