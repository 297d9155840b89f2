"""The one module of the web that does search I/O: run bodies against the alias.

An unreachable engine is a 503 the client may retry. A body the engine refuses
(HTTP 400) is `EngineRejected`: the caller names the request value to blame
when one can be (`blamed_parameter`), and anything else is a bug in the
query builder that surfaces as such. A multi-search
answers each body on its own: a failed one raises exactly what a single search
of that body would have raised, so callers map errors the same way on both paths.
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import HTTP_EXCEPTIONS, TransportError
from opensearchpy.exceptions import ConnectionError as EngineUnreachable
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError, RequestError

# Refusals that a user's words cause: text expanding into more clauses than the engine allows.
TEXT_REFUSALS = ("too_many_clauses", "too_many_nested_clauses", "maxclausecount", "max_clause_count")
MAX_REASON_CHARS = 1000  # enough of the engine's answer to log; it can quote a whole body
# Runaway guards; the bounds on the text (text_bounds) keep every search far below them.
# The engine's own limit per search (its query phase, answering with what it found so
# far): 5x the 100 ms of engine time any one API search may take, and above the p99 of
# the whole search mix under 32 clients (bench/RESULTS.md, ~0.35 s end to end).
ENGINE_TIMEOUT = "500ms"
# The client's limit per request, queueing included: a search still unanswered after
# this is an engine in trouble, and a 503 frees the web thread instead of waiting the
# 10 s the indexing requests are allowed.
REQUEST_TIMEOUT_S = 3.0


class SearchUnavailable(RuntimeError):
    """The engine could not answer now (down, timing out, or no index yet)."""


class EngineRejected(ValueError):
    """The engine refused a body (HTTP 400): something in it is a value it cannot use."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason[:MAX_REASON_CHARS])
        self.reason = reason[:MAX_REASON_CHARS]


def _rejected(exc: TransportError) -> EngineRejected:
    return EngineRejected(f"{exc.error} {exc.info}")


def blamed_parameter(reason: str, bodies: list[dict[str, Any]], has_text: bool) -> str | None:
    """The request parameter an engine refusal is down to, or None (then it is our bug).

    Everything else a body holds is validated or built by us; the cursor's
    values go to the engine as given (search_after), and words are counted only
    by the engine's analyser.
    """
    if any("search_after" in body for body in bodies):
        return "cursor"
    if has_text and any(marker in reason.lower() for marker in TEXT_REFUSALS):
        return "q"
    return None


def timed(body: dict[str, Any]) -> dict[str, Any]:
    """`body` with the engine's time limit, unless it sets its own."""
    return body if "timeout" in body else {**body, "timeout": ENGINE_TIMEOUT}


def run_search(client: OpenSearch, alias: str, body: dict[str, Any]) -> dict[str, Any]:
    try:
        return client.search(index=alias, body=timed(body), request_timeout=REQUEST_TIMEOUT_S)
    except (EngineUnreachable, ConnectionTimeout) as exc:
        raise SearchUnavailable(str(exc)) from exc
    except NotFoundError as exc:
        raise SearchUnavailable("the search index does not exist yet") from exc
    except RequestError as exc:
        raise _rejected(exc) from exc


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
        answer = client.msearch(body=msearch_lines(alias, [(header, timed(body)) for header, body in searches]),
                                request_timeout=REQUEST_TIMEOUT_S)
    except (EngineUnreachable, ConnectionTimeout) as exc:
        raise SearchUnavailable(str(exc)) from exc
    except NotFoundError as exc:
        raise SearchUnavailable("the search index does not exist yet") from exc
    except RequestError as exc:
        raise _rejected(exc) from exc
    responses = answer.get("responses", [])
    if len(responses) != len(searches):
        raise SearchUnavailable(f"_msearch answered {len(responses)} of {len(searches)} searches")
    for response in responses:
        error = sub_search_error(response)
        if isinstance(error, RequestError):
            raise _rejected(error) from error
        if error is not None:
            raise error
    return responses
