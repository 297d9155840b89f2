"""`souq bench report`: bench/RESULTS.md and a latency-vs-concurrency plot from the latest records.

Reads only bench/results/*.jsonl (never measures), so the page always shows
figures together with the command, data size, machine and revision that
produced them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from bench.records import RESULTS_DIR, all_records, latest_record

RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"
PLOT_NAME = "search_latency.png"


def _context(record: dict[str, Any]) -> str:
    machine = record["machine"]
    versions = record.get("versions", {})
    server = ", ".join(f"{k} {versions[k]}" for k in ("postgresql", "opensearch") if k in versions)
    return (f"`{record['command']}` — {record['at']}, git {record['git']}, {record['data']['ads']:,} ads; "
            f"{machine['cores']} cores, {machine['memory_gib']} GiB, {machine['cpu']}, "
            f"load average {machine['load_avg_1m']} at the end; {server}")


def _data_section(records: list[dict[str, Any]]) -> list[str]:
    """The latest load of each size (a 200,000-ad load and a 1,000,000-ad one answer
    different questions: the benchmarks' data set, and the generator's sustained rate)."""
    if not records:
        return ["## Data load", "", "No record yet: run `souq bench data --ads 200000`.", ""]
    latest = {record["data"]["ads"]: record for record in records}  # later records win
    lines = ["## Data load (`souq bench data`)", "", "Target: stream >= 20,000 ads/s into PostgreSQL with COPY. "
             "\"COPY stream\" is the stream alone; \"whole load\" is the wall clock until the rebuilt keys and "
             "indexes, the commit and ANALYZE are done too.", "",
             "| ads | COPY stream ads/s | whole load ads/s | ads per CPU-second of the loader (PostgreSQL excluded) "
             "| generator processes | seconds (stream / whole) | command, time, revision, machine |",
             "|---|---|---|---|---|---|---|"]
    for ads, record in sorted(latest.items()):
        f = record["figures"]
        stream = f"{f['stream_ads_per_s']:,.0f}" if f.get("stream_ads_per_s") else "—"
        stream_s = f"{f['stream_seconds']:.1f} / " if f.get("stream_seconds") else ""
        lines.append(f"| {ads:,} | {stream} | {f['ads_per_s']:,.0f} | {f['cpu_ads_per_s_per_core']:,.0f} | "
                     f"{f['workers']} | {stream_s}{f['seconds']:.1f} | {_context(record)} |")
    return [*lines, ""]


def _search_section(record: dict[str, Any] | None) -> list[str]:
    if record is None:
        return ["## Search latency", "", "No record yet: run `souq bench search`.", ""]
    f = record["figures"]
    lines = ["## Search latency (`souq bench search`)", "", _context(record), "",
             f"{f['queries']} searches from the query log, each phase capped at {f['max_requests']} requests "
             f"or {f['max_seconds']:.0f} s after a warm-up"
             + (f", API and direct alternating in {f['rounds']} rounds whose samples are pooled"
                if f.get("rounds", 1) > 1 else "") + "; latencies in ms.", "",
             "| clients | API p50 | API p95 | API p99 | direct p50 | direct p95 | direct p99 | API/direct p95 "
             "(target <= 1.3x) | PostgreSQL FTS p95 | API req/s |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for concurrency, api in sorted(f["api"].items(), key=lambda item: int(item[0])):
        direct = f["direct"][concurrency]
        pg = f["postgres"].get(concurrency)
        lines.append(f"| {concurrency} | {api['p50_ms']:.1f} | {api['p95_ms']:.1f} | {api['p99_ms']:.1f} | "
                     f"{direct['p50_ms']:.1f} | {direct['p95_ms']:.1f} | {direct['p99_ms']:.1f} | "
                     f"{api['p95_ms'] / direct['p95_ms']:.2f}x | {pg['p95_ms']:.1f} | {api['rps']} |"
                     if pg else
                     f"| {concurrency} | {api['p50_ms']:.1f} | {api['p95_ms']:.1f} | {api['p99_ms']:.1f} | "
                     f"{direct['p50_ms']:.1f} | {direct['p95_ms']:.1f} | {direct['p99_ms']:.1f} | "
                     f"{api['p95_ms'] / direct['p95_ms']:.2f}x | — | {api['rps']} |")
    lines += _by_kind(f, "8")
    scores = f.get("arabic_dev_set")
    if scores:
        lines += ["", f"Arabic dev set (`{scores['dev_set']}`, {scores['cases']} cases): ours "
                  f"**{scores['ours_passed']}/{scores['cases']}**, PostgreSQL full-text baseline "
                  f"**{scores['postgres_passed']}/{scores['cases']}**."]
    memory = f.get("memory", {})
    heap = memory.get("opensearch", {})
    lines += ["", f"Target at 8 clients: API p95 < 100 ms. Web (granian, all processes) peak RSS "
              f"{memory.get('web_peak_rss_mib')} MiB; OpenSearch heap {heap.get('heap_used_mib')} of "
              f"{heap.get('heap_max_mib')} MiB used after the run.", "", f"![latency vs clients]({PLOT_NAME})", ""]
    return lines


def _by_kind(f: dict[str, Any], concurrency: str) -> list[str]:
    """p95 per query kind at one concurrency: where the time goes."""
    columns = [(mode, f.get(mode, {}).get(concurrency, {}).get("p95_ms_by_kind")) for mode in ("api", "direct",
                                                                                              "postgres")]
    columns = [(mode, values) for mode, values in columns if values]
    if not columns:
        return []
    kinds = sorted({kind for _, values in columns for kind in values})
    lines = ["", f"p95 (ms) by kind of search at {concurrency} clients:", "",
             "| kind | " + " | ".join(mode for mode, _ in columns) + " |",
             "|---|" + "---|" * len(columns)]
    for kind in kinds:
        lines.append(f"| {kind} | " + " | ".join(f"{values.get(kind, float('nan')):.1f}" for _, values in columns)
                     + " |")
    return lines


def _ingest_section(record: dict[str, Any] | None) -> list[str]:
    if record is None:
        return ["## Freshness", "", "No record yet: run `souq bench ingest`.", ""]
    f = record["figures"]
    memory = f["memory"]
    return ["## Freshness (`souq bench ingest`)", "", _context(record), "",
            "| figure | value | target |", "|---|---|---|",
            f"| writes (achieved rate) | {f['writes']} ({f['achieved_writes_per_s']}/s) | 20/s |",
            f"| freshness p50 | {f['freshness_p50_s']:.2f} s | |",
            f"| freshness p95 | {f['freshness_p95_s']:.2f} s | <= 2 s |",
            f"| freshness max | {f['freshness_max_s']:.2f} s | |",
            f"| not found after {f['settle_s']:.0f} s | {f['missing_after_settle']} | 0 |",
            f"| web / worker peak RSS | {memory['web_peak_rss_mib']} / {memory['worker_peak_rss_mib']} MiB | |",
            "", f"Measured at poll resolution ({f['poll_interval_s'] * 1000:.0f} ms); refresh interval "
            f"{f['refresh_interval']}, relay interval {f['relay_interval_s']} s.", ""]


def _rebuild_section(record: dict[str, Any] | None) -> list[str]:
    if record is None:
        return ["## Rebuild throughput", "", "No record yet: run `souq bench rebuild`.", ""]
    f = record["figures"]
    return ["## Rebuild throughput (`souq bench rebuild`)", "", _context(record), "",
            "| | docs | seconds | docs/s |", "|---|---|---|---|",
            f"| `rebuild_index` (PostgreSQL → documents → bulk → catch-up → alias swap) | {f['docs']:,} | "
            f"{f['rebuild_seconds']:.1f} | {f['rebuild_docs_per_s']:,.0f} |",
            f"| raw bulk of the same pre-built documents | {f['raw_docs']:,} | {f['raw_seconds']:.1f} | "
            f"{f['raw_docs_per_s']:,.0f} |",
            "", f"Rebuild / raw: **{f['ratio']:.2f}x** (target >= 0.8x). Bulk requests of "
            f"{f['bulk_docs_per_request']} documents on both sides. Rebuild process peak RSS "
            f"{f['memory'].get('rebuild_process_peak_rss_mib')} MiB (it also holds the raw bodies); OpenSearch "
            f"heap {f['memory'].get('opensearch', {}).get('heap_used_mib')} MiB used after the run.", ""]


def _slow_clients_section(record: dict[str, Any] | None) -> list[str]:
    if record is None:
        return ["## Slow request bodies", "", "No record yet: run `souq bench slow-clients`.", ""]
    f = record["figures"]
    machine = record["machine"]
    lines = ["## Slow request bodies (`souq bench slow-clients`)", "",
             f"`{record['command']}` — {record['at']}, git {record['git']}; {machine['cores']} cores, "
             f"load average {machine['load_avg_1m']} at the end; nginx {record['versions'].get('nginx')}.", "",
             f"Health probed one request at a time for {f['seconds_per_phase']:g} s per phase while N clients "
             f"trickle a POST body ({f['trickle']}); a probe that fails or times out counts at "
             f"{f['probe_timeout_s']:g} s. \"direct\" is granian alone, \"proxy\" the same granian behind "
             "nginx (`souq run`).", "",
             "| slow clients | direct p50 / p95 / max ms | direct failed | proxy p50 / p95 / max ms | proxy failed |",
             "|---|---|---|---|---|"]
    for count in sorted(f["direct"], key=int):
        d, p = f["direct"][count], f["proxy"].get(count, {})
        lines.append(f"| {count} | {d['p50_ms']} / {d['p95_ms']} / {d['max_ms']} | {d['failed_or_timed_out']} of "
                     f"{d['probes']} | {p.get('p50_ms')} / {p.get('p95_ms')} / {p.get('max_ms')} | "
                     f"{p.get('failed_or_timed_out')} of {p.get('probes')} |")
    return [*lines, ""]


def _history(results_dir: Path) -> list[str]:
    """Every recorded run, one line each: how much the figures move between runs on this machine."""
    rows = []
    for record in all_records("data", results_dir):
        f = record["figures"]
        rows.append((record["at"], "data", f"{f['ads_per_s']:,.0f} ads/s", record))
    for record in all_records("search", results_dir):
        f = record["figures"]
        ratios = ", ".join(f"{c}: {f['api'][c]['p95_ms'] / f['direct'][c]['p95_ms']:.2f}x"
                           for c in sorted(f["api"], key=int))
        rows.append((record["at"], "search", f"API p95 at 8 clients {f['api']['8']['p95_ms']:.0f} ms; "
                     f"API/direct p95 {ratios}", record))
    for record in all_records("ingest", results_dir):
        f = record["figures"]
        rows.append((record["at"], "ingest", f"freshness p95 {f['freshness_p95_s']:.2f} s at "
                     f"{f['achieved_writes_per_s']}/s", record))
    for record in all_records("rebuild", results_dir):
        f = record["figures"]
        rows.append((record["at"], "rebuild", f"{f['rebuild_docs_per_s']:,.0f} vs raw {f['raw_docs_per_s']:,.0f} "
                     f"docs/s = {f['ratio']:.2f}x", record))
    if not rows:
        return []
    lines = ["## Every run", "", "| at (UTC) | benchmark | ads | figures | load avg | git |",
             "|---|---|---|---|---|---|"]
    for at, name, text, record in sorted(rows, key=lambda row: row[0]):
        lines.append(f"| {at[:19].replace('T', ' ')} | {name} | {record['data']['ads']:,} | {text} | "
                     f"{record['machine']['load_avg_1m']} | {record['git']} |")
    return [*lines, ""]


def plot_latency(record: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    f = record["figures"]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    styles = {"api": ("API (granian)", "tab:blue"), "direct": ("OpenSearch direct", "tab:orange"),
              "postgres": ("PostgreSQL FTS", "tab:green")}
    for mode, (label, colour) in styles.items():
        points = sorted((int(c), v) for c, v in f.get(mode, {}).items())
        if not points:
            continue
        xs = [c for c, _ in points]
        ax.plot(xs, [v["p95_ms"] for _, v in points], marker="o", color=colour, label=f"{label} p95")
        ax.plot(xs, [v["p50_ms"] for _, v in points], marker=".", linestyle="--", color=colour,
                label=f"{label} p50")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks([1, 8, 32], labels=["1", "8", "32"])
    ax.set_xlabel("concurrent clients")
    ax.set_ylabel("latency (ms)")
    ax.set_title(f"Search latency, {record['data']['ads']:,} ads ({record['at'][:10]}, git {record['git']})")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def render_report(results_dir: Path = RESULTS_DIR, out: Path = RESULTS_MD) -> Path:
    records = {name: latest_record(name, results_dir) for name in ("search", "ingest", "rebuild")}
    lines = ["# Benchmark results", "",
             "Generated by `souq bench report` from the latest record of each benchmark in "
             "`bench/results/*.jsonl` (every record keeps its command, data size, versions, git revision "
             "and machine; `+dirty` means the shared work tree held uncommitted changes). Timings are compared "
             "as ratios measured in the same run; on a shared machine the absolute figures move with its "
             "load (the load average is recorded).", "",
             "Reproduce: `souq stack up && souq bench data --ads 200000 --seed 1 && souq bench queries "
             "--count 5000 --seed 1 && souq bench rebuild && souq bench search && souq bench ingest && "
             "souq bench report`.", ""]
    lines += _data_section(all_records("data", results_dir))
    lines += _search_section(records["search"])
    lines += _ingest_section(records["ingest"])
    lines += _rebuild_section(records["rebuild"])
    lines += _slow_clients_section(latest_record("slow_clients", results_dir))
    lines += _history(results_dir)
    if records["search"] is not None:
        plot = results_dir / PLOT_NAME
        plot_latency(records["search"], plot)
        link = Path(os.path.relpath(plot, out.parent)).as_posix()
        lines = [line.replace(f"]({PLOT_NAME})", f"]({link})") for line in lines]
    out.write_text("\n".join(lines), encoding="utf-8")
    return out
