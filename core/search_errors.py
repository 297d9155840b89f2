"""The failure every reader and writer of the search index shares.

The web (a 503 the client may retry) and the relay (the outbox keeps its rows)
react differently to it, but it is one fact: the search engine cannot answer
now. One class, so that a caller never catches one package's copy and misses
the other's.
"""

from __future__ import annotations


class SearchUnavailable(RuntimeError):
    """The search engine could not answer now (down, timing out, or no index yet)."""
