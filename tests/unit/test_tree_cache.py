"""The one tree cache of the web process: one snapshot, reloaded only once its TTL has passed."""

from __future__ import annotations

from core.taxonomy import Tree
from service.tree_cache import TreeCache, Trees


def test_trees_are_loaded_once_per_ttl_and_replaced_whole():
    clock = [100.0]
    loads: list[Trees] = []

    def load() -> Trees:
        loads.append(Trees(Tree({}), Tree({})))
        return loads[-1]

    cache = TreeCache(load, ttl_s=60, clock=lambda: clock[0])
    first = cache.current()
    clock[0] += 59.9
    assert cache.current() is first and len(loads) == 1
    clock[0] += 0.2
    second = cache.current()
    assert second is not first and second is loads[1] and len(loads) == 2
    categories, areas = second  # unpacks as the pages use it
    assert categories is second.categories and areas is second.areas
