"""The one module of the web that does search I/O: run bodies against the alias.

An unreachable engine is a 503 the client may retry; anything else the engine
rejects is a bug in the query builder and surfaces as such. A multi-search
answers each body on its own: a failed one raises exactly what a single search
of that body would have raised, so callers map errors the same way on both paths.
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import HTTP_EXCEPTIONS, TransportError
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


def msearch_lines(alias: str, searches: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[dict[str, Any]]:
    """The `_msearch` body: a header line ({"index": alias} plus `header` options) then each body."""
    lines: list[dict[str, Any]] = []
    for header, body in searches:
        lines.extend(({"index": alias, **header}, body))
    return lines


def sub_search_error(response: dict[str, Any]) -> Exception | None:
    """The exception a single search would have raised for this failed `_msearch` response."""
    if "error" not in response:
        return None
    status = int(response.get("status") or 500)
    error = response["error"]
    kind = error.get("type", "") if isinstance(error, dict) else str(error)
    if status == 404:
        return SearchUnavailable("the search index does not exist yet")
    if status == 429 or status >= 500:  # rejected, timed out or failed shards: the engine cannot answer now
        return SearchUnavailable(f"{status} {kind}")
    return HTTP_EXCEPTIONS.get(status, TransportError)(status, kind, response)


def run_msearch(client: OpenSearch, alias: str, searches: list[tuple[dict[str, Any], dict[str, Any]]]
                ) -> list[dict[str, Any]]:
    """Several (header options, body) searches in one round trip; the answers in the same order."""
    try:
        answer = client.msearch(body=msearch_lines(alias, searches))
    except (EngineUnreachable, ConnectionTimeout) as exc:
        raise SearchUnavailable(str(exc)) from exc
    except NotFoundError as exc:
        raise SearchUnavailable("the search index does not exist yet") from exc
    responses = answer.get("responses", [])
    if len(responses) != len(searches):
        raise SearchUnavailable(f"_msearch answered {len(responses)} of {len(searches)} searches")
    for response in responses:
        error = sub_search_error(response)
        if error is not None:
            raise error
    return responses
