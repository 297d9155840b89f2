"""One card per ad on a page: copies the index still holds are folded after the search. Pure.

The posting check refuses new copies, but ads posted before it (or edited into
a copy later) stay in the index; their documents share a `duplicate_key`
(core.duplicates). The best-ranked copy stays where it is, the others leave
this page. Paging is untouched: cursors and totals come from the engine's hits.
"""

from __future__ import annotations

from typing import Any

from search_config import fields as F


def fold_copies(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`hits` in order, without any whose duplicate key an earlier hit already had."""
    seen: set[str] = set()
    kept = []
    for hit in hits:
        key = hit.get("_source", {}).get(F.DUPLICATE_KEY)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        kept.append(hit)
    return kept
