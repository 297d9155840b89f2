"""The search gateway: the one seam between the web and the engine, with a null twin.

`EngineGateway` runs bodies against an index or alias; `NullGateway` answers
every body with an empty result of the same shape, so that the search use case
(service.search.run) is unit-tested without services, as pypi/warehouse pairs
its search service with a null implementation. Both take only finished bodies:
what to ask is decided above this seam, how to ask it below.

An unreachable engine is `core.search_errors.SearchUnavailable` (a 503 the
client may retry). A body the engine refuses (HTTP 400) is `EngineRejected`:
the caller names the request value to blame when one can be
(`blamed_parameter`), and anything else is a bug in the query builder that
surfaces as such. A multi-search answers each body on its own: a failed one raises exactly what a single search
of that body would have raised, so callers map errors the same way on both paths.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from opensearchpy import OpenSearch
from opensearchpy.exceptions import HTTP_EXCEPTIONS, ConnectionTimeout, NotFoundError, RequestError, TransportError
from opensearchpy.exceptions import ConnectionError as EngineUnreachable

from core.search_errors import SearchUnavailable

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


def msearch_lines(index: str, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The `_msearch` body: a header line naming the index before each body."""
    lines: list[dict[str, Any]] = []
    for body in bodies:
        lines.extend(({"index": index}, body))
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


@contextmanager
def _engine_errors() -> Iterator[None]:
    """The client's failures as the two this seam promises: unavailable, or rejected."""
    try:
        yield
    except (EngineUnreachable, ConnectionTimeout) as exc:
        raise SearchUnavailable(str(exc)) from exc
    except NotFoundError as exc:
        raise SearchUnavailable("the search index does not exist yet") from exc
    except RequestError as exc:
        raise _rejected(exc) from exc


class SearchGateway(Protocol):
    """Where search bodies go: one body, or several in one round trip (answers in order)."""

    def search(self, body: dict[str, Any]) -> dict[str, Any]: ...

    def msearch(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class EngineGateway:
    """The engine behind `index` (the live alias for the web, a scratch index for the eval)."""

    client: OpenSearch
    index: str

    def search(self, body: dict[str, Any]) -> dict[str, Any]:
        with _engine_errors():
            return self.client.search(index=self.index, body=timed(body), request_timeout=REQUEST_TIMEOUT_S)

    def msearch(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with _engine_errors():
            answer = self.client.msearch(body=msearch_lines(self.index, [timed(body) for body in bodies]),
                                         request_timeout=REQUEST_TIMEOUT_S)
        responses = answer.get("responses", [])
        if len(responses) != len(bodies):
            raise SearchUnavailable(f"_msearch answered {len(responses)} of {len(bodies)} searches")
        for response in responses:
            error = sub_search_error(response)
            if isinstance(error, RequestError):
                raise _rejected(error) from error
            if error is not None:
                raise error
        return responses


def empty_aggregations(aggs: dict[str, Any]) -> dict[str, Any]:
    """What the engine answers for `aggs` over no documents (the kinds our bodies use)."""
    answers: dict[str, Any] = {}
    for name, spec in aggs.items():
        if "filter" in spec:
            answers[name] = {"doc_count": 0, **empty_aggregations(spec.get("aggs", {}))}
        elif "range" in spec and spec["range"].get("keyed"):
            answers[name] = {"buckets": {item["key"]: {"doc_count": 0} for item in spec["range"]["ranges"]}}
        elif "geo_centroid" in spec:
            answers[name] = {"count": 0}
        else:  # terms, geotile_grid, unkeyed range
            answers[name] = {"buckets": []}
    return answers


class NullGateway:
    """Answers every body with an empty result of the right shape (for tests without an engine)."""

    def search(self, body: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = {"timed_out": False, "hits": {"total": {"value": 0, "relation": "eq"},
                                                               "max_score": None, "hits": []}}
        if "aggs" in body:
            answer["aggregations"] = empty_aggregations(body["aggs"])
        if "suggest" in body:
            answer["suggest"] = {name: [{"text": spec.get("text", ""), "offset": 0,
                                         "length": len(spec.get("text", "")), "options": []}]
                                 for name, spec in body["suggest"].items()}
        return answer

    def msearch(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [self.search(body) | {"status": 200} for body in bodies]
