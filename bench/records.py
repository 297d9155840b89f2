"""Benchmark records: one JSON line per run in bench/results/<name>.jsonl, and the context
(machine, versions, git revision, data size) every record carries, so that figures are
only ever compared with figures measured the same way.

Machines are described by what they are (cores, memory, CPU model), never by host
names or paths.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("flask", "sqlalchemy", "psycopg", "opensearch-py", "celery", "granian")


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cores": os.cpu_count(), "memory_gib": round(memory_gib, 1), "cpu": cpu,
            "os": f"{platform.system()} {platform.release()}", "load_avg_1m": round(os.getloadavg()[0], 2)}


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.strip()
        # The benchmarks' own output (bench/results/, bench/RESULTS.md) does not make the code
        # dirty: otherwise every record after the first of a session would say so.
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                                ":(exclude)bench/results", ":(exclude)bench/RESULTS.md"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return rev + ("+dirty" if dirty else "")


def versions(extra: dict[str, str] | None = None) -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    found.update(extra or {})
    return found


def service_versions(pg_conn: Any = None, search_client: Any = None) -> dict[str, str]:
    """PostgreSQL and OpenSearch server versions, from live connections when given."""
    found: dict[str, str] = {}
    if pg_conn is not None:
        found["postgresql"] = str(pg_conn.execute("SHOW server_version").fetchone()[0]).split()[0]
    if search_client is not None:
        info = search_client.info()
        found["opensearch"] = info["version"]["number"]
    return found


def opensearch_heap(search_client: Any) -> dict[str, float]:
    """Heap used and max (MiB) summed over the nodes: the engine's memory at this moment."""
    nodes = search_client.nodes.stats(metric="jvm")["nodes"].values()
    used = sum(node["jvm"]["mem"]["heap_used_in_bytes"] for node in nodes)
    limit = sum(node["jvm"]["mem"]["heap_max_in_bytes"] for node in nodes)
    return {"heap_used_mib": round(used / 2**20, 1), "heap_max_mib": round(limit / 2**20, 1)}


def peak_rss_mib(pids: list[int]) -> float:
    """Sum of the peak resident sets (VmHWM) of live processes `pids`, in MiB."""
    total_kib = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kib += int(line.split()[1])
        except OSError:
            continue
    return round(total_kib / 1024, 1)


def children_of(pid: int) -> list[int]:
    """Direct children of `pid` (web server workers, celery pool processes)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(part) for part in text.split()]


def self_peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def append_record(name: str, record: dict[str, Any], results_dir: Path = RESULTS_DIR) -> Path:
    """Append one run to bench/results/<name>.jsonl (with time, machine and git revision)."""
    results_dir.mkdir(parents=True, exist_ok=True)
    full = {"benchmark": name, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "git": git_revision(), "machine": machine(), **record}
    path = results_dir / f"{name}.jsonl"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(full, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def all_records(name: str, results_dir: Path = RESULTS_DIR) -> list[dict[str, Any]]:
    path = results_dir / f"{name}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def latest_record(name: str, results_dir: Path = RESULTS_DIR) -> dict[str, Any] | None:
    records = all_records(name, results_dir)
    return records[-1] if records else None


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: every figure is a latency someone saw)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]
