"""The load generator: a separate process that replays requests with C concurrent clients.

Run as `python -m bench.load_client` with a JSON job on stdin; prints a JSON
result on stdout. Separate from the benchmark's own process so that the
client's CPU use is not the server's, and bounded twice (a request count and a
duration) so that a slow server cannot make a run last forever.

Modes: "api" (GET the search API with a query string), "opensearch" (POST
the same requests the API sent, in order, straight to the engine: `_search`
bodies and `_msearch` NDJSON alike) and
"postgres" (run SQL statements in order on one connection per client).
Each request's latency is the time for its whole sequence.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson

TIMEOUT_S = 30.0


class _Feed:
    """Hands out request numbers to the clients until a bound is reached."""

    def __init__(self, total: int, max_requests: int, deadline: float) -> None:
        self.total, self.max_requests, self.deadline = total, max_requests, deadline
        self.issued = 0
        self.lock = threading.Lock()

    def next(self) -> int | None:
        with self.lock:
            if self.issued >= self.max_requests or time.monotonic() >= self.deadline:
                return None
            self.issued += 1
            return (self.issued - 1) % self.total


class Connection:
    """One keep-alive HTTP/1.1 connection per client, on the standard library's http.client.

    The load shares this 2-core machine with the servers it measures, so its own
    Python time per request is taken from them: `requests` cost ~1.5 ms of CPU per
    search, this a fraction of it. A connection the server closed (keep-alive timeout)
    is reopened and the read-only request sent once more."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_S)
            try:
                self.conn.request(method, self.prefix + path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def _api_sender(job: dict[str, Any]) -> Any:
    connection = Connection(job["target"])

    def send(request: Any) -> int:
        return connection.request("GET", "/api/v1/search?" + urlencode(request, doseq=True))[0]

    return send


def _opensearch_sender(job: dict[str, Any]) -> Any:
    """Each request is the API's engine requests in order: {"path": "_search" | "_msearch", "body": text}."""
    connection = Connection(job["target"])
    search_path = f"/{job['index']}/_search"
    msearch_path = "/_msearch"  # the index is in each header line, as the API sends it
    json_headers = {"Content-Type": "application/json"}
    ndjson_headers = {"Content-Type": "application/x-ndjson"}

    def send(request: Any) -> int:
        status = 200
        for step in request:
            if step["path"] == "_msearch":
                code, answer = connection.request("POST", msearch_path, step["body"].encode("utf-8"), ndjson_headers)
                status = max(status, code)
                if code == 200:  # a failed search inside is a failure, as it is for the API
                    status = max([status, *(int(one.get("status", 200)) for one in orjson.loads(answer)["responses"])])
            else:
                code, _ = connection.request("POST", search_path, step["body"].encode("utf-8"), json_headers)
                status = max(status, code)
        return status

    return send


def _postgres_sender(job: dict[str, Any]) -> Any:
    import psycopg

    conn = psycopg.connect(job["target"], autocommit=True)

    def send(request: Any) -> int:
        for sql, params in request:
            conn.execute(sql, params).fetchall()
        return 200

    return send


SENDERS = {"api": _api_sender, "opensearch": _opensearch_sender, "postgres": _postgres_sender}


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Replay job["requests"] with job["concurrency"] clients; latencies in ms."""
    requests_ = job["requests"]
    feed = _Feed(len(requests_), int(job["max_requests"]), time.monotonic() + float(job["max_seconds"]))
    latencies: list[float] = []
    samples: list[tuple[int, float]] = []  # (request number, ms) of the successful ones
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    senders = [SENDERS[job["mode"]](job) for _ in range(int(job["concurrency"]))]

    def client(send: Any) -> None:
        while (number := feed.next()) is not None:
            started = time.perf_counter()
            try:
                status = str(send(requests_[number]))
            except Exception as exc:
                status = type(exc).__name__
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == "200":
                    latencies.append(round(elapsed, 3))
                    samples.append((number, round(elapsed, 3)))

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(send,), daemon=True) for send in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies_ms": latencies, "samples": samples, "statuses": statuses,
            "seconds": round(time.monotonic() - started, 3)}


def main() -> int:
    job = json.load(sys.stdin)
    json.dump(run_job(job), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
