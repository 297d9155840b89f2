"""The one module of the web that does search I/O: run a body against the alias.

An unreachable engine is a 503 the client may retry; anything else the engine
rejects is a bug in the query builder and surfaces as such.
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as EngineUnreachable
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError


class SearchUnavailable(RuntimeError):
    """The engine could not answer now (down, timing out, or no index yet)."""


def run_search(client: OpenSearch, alias: str, body: dict[str, Any]) -> dict[str, Any]:
    try:
        return client.search(index=alias, body=body)
    except (EngineUnreachable, ConnectionTimeout) as exc:
        raise SearchUnavailable(str(exc)) from exc
    except NotFoundError as exc:
        raise SearchUnavailable("the search index does not exist yet") from exc
