"""The benchmark harness's pure parts: percentiles, the SQL baseline, records and the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import pg_baseline, records, report

TREES = {"category": {"vehicles": [1, 2, 3], "cars": [2]}, "area": {"damascus": [10, 11], "mezzeh": [11]}}


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert records.percentile(values, 50) == 50.0
    assert records.percentile(values, 95) == 95.0
    assert records.percentile(values, 99) == 99.0
    assert records.percentile([7.0], 95) == 7.0
    assert records.percentile([], 95) != records.percentile([], 95)  # NaN


def test_sql_baseline_statements_carry_every_filter() -> None:
    args = {"q": "سيارة", "category": "vehicles", "area": "damascus", "price_min": "1000", "price_max": "5000",
            "currency": "USD", "condition": "new,used", "has_images": "1", "lat": "33.5", "lon": "36.3",
            "radius_km": "10", "sort": "distance", "page": "3", "size": "20"}
    (hits, params), (facets, same) = pg_baseline.search_statements(args, TREES)
    assert params is same
    assert params["category"] == [1, 2, 3] and params["area"] == [10, 11]
    assert params["lo"] == 1000.0 and params["hi"] == 5000.0 and params["conditions"] == ["new", "used"]
    assert "plainto_tsquery('arabic', %(q)s)" in hits and "LIMIT 20 OFFSET 40" in hits
    assert "asin" in hits.split("ORDER BY")[1]  # distance sort
    assert "GROUPING SETS" in facets and "images::text <> '[]'" in facets
    json.dumps(params)  # params travel to the load process as JSON


def test_sql_baseline_converts_syp_bounds_and_browses_by_date() -> None:
    (hits, params), _ = pg_baseline.search_statements({"price_max": "1300000", "category": "cars"}, TREES)
    assert params["hi"] == pytest.approx(100.0) and params["category"] == [2]
    assert "q" not in params and "created_at DESC" in hits


def test_descendants_by_slug() -> None:
    rows = [(1, None, "vehicles"), (2, 1, "cars"), (3, 1, "bikes"), (4, 2, "sedans")]
    assert sorted(pg_baseline.descendants_by_slug(rows)["vehicles"]) == [1, 2, 3, 4]
    assert pg_baseline.descendants_by_slug(rows)["bikes"] == [3]


def _phase(p50: float, p95: float) -> dict:
    return {"p50_ms": p50, "p95_ms": p95, "p99_ms": p95 * 1.2, "rps": 10.0, "ok": 10, "requests": 10,
            "p95_ms_by_kind": {"popular": p95}}


def test_report_renders_every_section_and_the_plot(tmp_path: Path) -> None:
    results = tmp_path / "results"
    context = {"command": "souq bench x", "data": {"ads": 1000}, "versions": {"opensearch": "3.8.0"}}
    records.append_record("search", {**context, "figures": {
        "queries": 5, "max_requests": 10, "max_seconds": 5,
        "api": {"1": _phase(10, 20), "8": _phase(30, 60), "32": _phase(90, 200)},
        "direct": {"1": _phase(8, 18), "8": _phase(25, 50), "32": _phase(80, 190)},
        "postgres": {"1": _phase(20, 40), "8": _phase(60, 120)},
        "memory": {"web_peak_rss_mib": 100.0}, "arabic_dev_set": {"dev_set": "d.tsv", "cases": 4,
                                                                  "ours_passed": 4, "postgres_passed": 2}}},
                          results)
    records.append_record("rebuild", {**context, "figures": {
        "docs": 1000, "raw_docs": 1000, "rebuild_seconds": 2.0, "raw_seconds": 1.0, "rebuild_docs_per_s": 500.0,
        "raw_docs_per_s": 1000.0, "ratio": 0.5, "bulk_docs_per_request": 1000, "memory": {}}}, results)
    for ads, rate in ((200_000, 15_000.0), (1_000_000, 21_000.0), (200_000, 22_000.0)):
        records.append_record("data", {**context, "data": {"ads": ads}, "figures": {
            "ads_per_s": rate, "cpu_ads_per_s_per_core": 9000.0, "workers": 2, "seconds": ads / rate,
            "stream_ads_per_s": rate * 1.25, "stream_seconds": ads / rate / 1.25}}, results)
    out = tmp_path / "RESULTS.md"
    report.render_report(results, out)
    text = out.read_text(encoding="utf-8")
    # The latest load of each size, smallest first; the older 200,000-ad load is not shown.
    assert "| 200,000 | 27,500 | 22,000 |" in text and "| 1,000,000 | 26,250 | 21,000 |" in text
    assert "15,000" not in text.split("## Search")[0]
    assert text.index("| 200,000 | 27,500 |") < text.index("| 1,000,000 | 26,250 |")
    assert "| 8 | 30.0 | 60.0 |" in text and "1.20x" in text
    assert "**0.50x**" in text and "ours **4/4**" in text
    assert "No record yet: run `souq bench ingest`." in text and "## Every run" in text
    assert (results / report.PLOT_NAME).stat().st_size > 1000
    latest = records.latest_record("rebuild", results)
    assert latest is not None and latest["figures"]["ratio"] == 0.5


def test_msearch_is_recorded_and_replayed_as_one_msearch(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import load_client
    from bench.search_bench import engine_step
    from service.search.gateway import msearch_lines

    hits, facets = {"query": {"match": {"title": "سيارة"}}, "size": 20}, {"size": 0, "aggs": {}}
    step = engine_step("_msearch", msearch_lines("ads", [hits, facets]))
    assert step["path"] == "_msearch" and step["body"].endswith("\n")
    lines = [json.loads(line) for line in step["body"].splitlines()]
    assert lines == [{"index": "ads"}, hits, {"index": "ads"}, facets]
    assert json.loads(engine_step("_search", hits)["body"]) == hits

    posted: list[tuple[str, str, str]] = []

    def request(self, method, path, body=None, headers=None):
        posted.append((method, self.prefix + path, headers["Content-Type"]))
        if path == "/_msearch":
            return 200, json.dumps({"responses": [{"status": 200}, {"status": 429, "error": {}}]}).encode()
        return 200, b"{}"

    monkeypatch.setattr(load_client.Connection, "request", request)
    send = load_client._opensearch_sender({"target": "http://engine:9200/", "index": "ads"})
    assert send([engine_step("_search", hits), step]) == 429  # a failed search inside counts as failed
    assert posted == [("POST", "/ads/_search", "application/json"), ("POST", "/_msearch", "application/x-ndjson")]


def test_load_client_reuses_one_connection_and_reopens_a_closed_one() -> None:
    import http.server
    import threading

    from bench import load_client

    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            seen.append(self.path)
            body = b"{}"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            if len(seen) == 2:
                self.send_header("Connection", "close")  # the server drops keep-alive once
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        send = load_client._api_sender({"target": f"http://127.0.0.1:{server.server_port}"})
        assert [send({"q": "سيارة", "page": "2"}) for _ in range(3)] == [200, 200, 200]
    finally:
        server.shutdown()
    assert seen[0] == "/api/v1/search?q=%D8%B3%D9%8A%D8%A7%D8%B1%D8%A9&page=2" and len(seen) == 3


def test_rounds_cover_every_search_once_and_pool_back_to_log_numbers() -> None:
    from bench.search_bench import pooled, round_numbers

    rounds = [round_numbers(7, 3, index) for index in range(3)]
    assert sorted(n for numbers in rounds for n in numbers) == list(range(7))
    first = {"latencies_ms": [5.0, 7.0], "samples": [(0, 5.0), (2, 7.0)], "statuses": {"200": 2}, "seconds": 1.0}
    second = {"latencies_ms": [9.0], "samples": [(1, 9.0)], "statuses": {"200": 1, "503": 1}, "seconds": 2.0}
    merged = pooled([(first, rounds[0]), (second, rounds[1])])
    assert merged["samples"] == [(0, 5.0), (6, 7.0), (4, 9.0)]  # rounds[0] = [0, 3, 6], rounds[1] = [1, 4]
    assert merged["statuses"] == {"200": 3, "503": 1} and merged["seconds"] == 3.0
    assert sorted(merged["latencies_ms"]) == [5.0, 7.0, 9.0]
