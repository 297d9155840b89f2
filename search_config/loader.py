"""Loads the index shape (settings + mappings) from the data files in this package.

The index body is data, reviewed like code; this loader only assembles it:
word lists (*.txt) are read, comments stripped, and spliced into the analysis
settings where `{"$wordlist": "name.txt"}` stands. The fingerprint of the
assembled body names concrete indices, so a changed config is visible.
"""

from __future__ import annotations

import copy
import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Any

PACKAGE = "search_config"


def read_word_list(name: str) -> list[str]:
    """Entries of a word list: one per line, `#` starts a comment, blanks ignored."""
    text = resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8")
    entries = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append(entry)
    return entries


def _read_json(name: str) -> Any:
    return json.loads(resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8"))


def _splice_word_lists(node: Any) -> Any:
    if isinstance(node, dict):
        if set(node) == {"$wordlist"}:
            return read_word_list(node["$wordlist"])
        return {key: _splice_word_lists(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_splice_word_lists(item) for item in node]
    return node


@lru_cache(maxsize=4)
def _index_body(analyzer: str) -> str:
    settings = _splice_word_lists(_read_json("settings.json"))
    mappings = _read_json("mappings.json")
    if analyzer == "builtin":
        mappings = _with_builtin_analyzer(mappings)
    elif analyzer != "custom":
        raise ValueError(f"unknown analyzer variant {analyzer!r}")
    return json.dumps({"settings": settings, "mappings": mappings}, ensure_ascii=False, sort_keys=True)


def index_body(analyzer: str = "custom") -> dict[str, Any]:
    """The full create-index body; `analyzer="builtin"` swaps in OpenSearch's `arabic` (baseline)."""
    return copy.deepcopy(json.loads(_index_body(analyzer)))


def fingerprint(analyzer: str = "custom") -> str:
    """Short stable hash of the index body: concrete index names carry it."""
    return hashlib.sha256(_index_body(analyzer).encode("utf-8")).hexdigest()[:10]


def _with_builtin_analyzer(node: Any) -> Any:
    """Replace every custom analyzer reference in the mappings by the built-in `arabic`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in ("analyzer", "search_analyzer") and isinstance(value, str):
                out[key] = "arabic"
            else:
                out[key] = _with_builtin_analyzer(value)
        return out
    if isinstance(node, list):
        return [_with_builtin_analyzer(item) for item in node]
    return node
