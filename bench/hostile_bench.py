"""`souq bench hostile`: the engine time that hostile search text costs, through the API path.

Flow: a fixed set of hostile queries (long random words, many words, repeated
letters, mixed scripts, digits, query syntax) -> each sent REPEAT times to
GET /api/v1/search and /api/v1/suggest of the app in this process, against
whatever data the configured database and index hold -> for each API request,
the sum of the engine's own `took` over every engine request it made (an
`_msearch` counts each of its searches) and the wall time. Issue 13 item 5:
no input may take over 100 ms of engine time. Then, with `--parallel N`, the
real web server (granian) takes N clients sending the same queries at once while
GET /api/v1/health is timed: hostile text must not stall the service.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any

from bench.records import percentile
from core.config import Settings

# Three runs of each query: the first pays cold caches, the others show the steady cost;
# the worst figure is taken over all of them.
REPEAT = 3
SEED = 13  # fixed, so that every run (before and after a change) sends the same text
PARALLEL_CLIENTS = 10  # the report: ten such searches at once stalled health 3.4 s
HEALTH_EVERY_S = 0.05
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Words the demo and bench ads use a lot: queries of them match many ads on every path.
COMMON_WORDS = ("سيارة", "شقة", "للبيع", "جديد", "مستعمل", "دمشق", "حلب", "ايفون", "غرفة", "نوم",
                "هوندا", "تويوتا", "لابتوب", "موبايل", "حمص", "اثاث", "مكيف", "غسالة", "براد", "طاولة")

Echo = Callable[[str], None]


def _word(rng: random.Random, letters: str, length: int) -> str:
    return "".join(rng.choice(letters) for _ in range(length))


def hostile_queries(seed: int = SEED) -> dict[str, str]:
    """Name -> query text (at most 200 characters, the API's limit for q)."""
    rng = random.Random(seed)
    common = list(COMMON_WORDS)
    rng.shuffle(common)
    queries = {
        "arabic_200_letters": _word(rng, ARABIC_LETTERS, 200),
        "latin_200_letters": _word(rng, LATIN_LETTERS, 200),
        "alef_x200": "ا" * 200,
        "a_x200": "a" * 200,
        "arabic_4x49": " ".join(_word(rng, ARABIC_LETTERS, 49) for _ in range(4)),
        "arabic_12x15": " ".join(_word(rng, ARABIC_LETTERS, 15) for _ in range(12)),
        "arabic_20x9": " ".join(_word(rng, ARABIC_LETTERS, 9) for _ in range(20)),
        "arabic_100x1": " ".join(rng.choice(ARABIC_LETTERS) for _ in range(100)),
        "arabic_66x2": " ".join(_word(rng, ARABIC_LETTERS, 2) for _ in range(66)),
        "mixed_scripts_200": "".join(rng.choice(ARABIC_LETTERS + LATIN_LETTERS) for _ in range(200)),
        "mixed_words": " ".join(_word(rng, ARABIC_LETTERS, 6) + _word(rng, LATIN_LETTERS, 6) for _ in range(15)),
        "digits_200": "".join(rng.choice("0123456789") for _ in range(200)),
        "digits_words": " ".join(_word(rng, "0123456789", 9) for _ in range(20)),
        "letters_digits": "".join(rng.choice(ARABIC_LETTERS + "0123456789") for _ in range(200)),
        "common_words_x": " ".join(common * 3)[:200],
        "common_misspelt": " ".join(word[:-1] + rng.choice(ARABIC_LETTERS) for word in common[:12]),
        "query_syntax": 'title:* OR (a AND b)~2 "x"^9 /.*/ [* TO *] \\ ' + _word(rng, LATIN_LETTERS, 120),
        "diacritics": "".join(rng.choice(ARABIC_LETTERS) + "\u064e\u0651" for _ in range(66)),
    }
    return {name: text[:200] for name, text in queries.items()}


class EngineTimer:
    """Wraps a client's search and msearch to add up the engine's `took` of each request."""

    def __init__(self, client: Any) -> None:
        self.took_ms = 0
        self._search, self._msearch = client.search, client.msearch
        client.search, client.msearch = self.search, self.msearch

    def search(self, *args: Any, **kwargs: Any) -> Any:
        answer = self._search(*args, **kwargs)
        self.took_ms += int(answer.get("took", 0))
        return answer

    def msearch(self, *args: Any, **kwargs: Any) -> Any:
        answer = self._msearch(*args, **kwargs)
        self.took_ms += sum(int(one.get("took", 0)) for one in answer.get("responses", []))
        return answer


def _figures(samples: list[dict[str, Any]]) -> dict[str, Any]:
    took = [s["took_ms"] for s in samples]
    wall = [s["wall_ms"] for s in samples]
    worst = max(samples, key=lambda s: s["took_ms"])
    return {"requests": len(samples), "worst_took_ms": max(took), "p95_took_ms": percentile(took, 95),
            "worst_wall_ms": round(max(wall), 1), "p95_wall_ms": round(percentile(wall, 95), 1),
            "worst_query": worst["query"], "statuses": sorted({s["status"] for s in samples})}


def run_hostile_bench(settings: Settings, echo: Echo, repeat: int = REPEAT) -> dict[str, Any]:
    """Per endpoint: worst and p95 engine time (summed per API request) and wall time."""
    from service.app import create_app

    app = create_app(settings)
    timer = EngineTimer(app.extensions["souq"].search_client)
    client = app.test_client()
    samples: dict[str, list[dict[str, Any]]] = {"search": [], "suggest": []}
    per_query: dict[str, dict[str, int]] = {}
    for name, text in hostile_queries().items():
        for endpoint, q in (("search", text), ("suggest", text[:100])):
            for _ in range(repeat):
                timer.took_ms = 0
                start = time.perf_counter()
                status = client.get(f"/api/v1/{endpoint}", query_string={"q": q}).status_code
                wall_ms = (time.perf_counter() - start) * 1000
                samples[endpoint].append({"query": name, "took_ms": timer.took_ms, "wall_ms": wall_ms,
                                          "status": status})
                worst = per_query.setdefault(name, {"search": 0, "suggest": 0})
                worst[endpoint] = max(worst[endpoint], timer.took_ms)
        echo(f"{name:<20} worst took: search {per_query[name]['search']:>5} ms, "
             f"suggest {per_query[name]['suggest']:>4} ms")
    return {"repeat": repeat, "seed": SEED, "per_query_worst_took_ms": per_query,
            **{endpoint: _figures(found) for endpoint, found in samples.items()}}


def _client_loop(base: str, queries: list[str], statuses: list[int]) -> None:
    import requests

    with requests.Session() as session:
        for q in queries:
            statuses.append(session.get(f"{base}/api/v1/search", params={"q": q}, timeout=60).status_code)


def run_parallel_phase(settings: Settings, clients: int) -> dict[str, Any]:
    """Health latency on the real web server while `clients` threads send every hostile query."""
    import requests

    from bench.bench_env import web_server

    texts = list(hostile_queries().values())
    statuses: list[int] = []
    health_ms: list[float] = []
    with web_server(settings.with_overrides(rate_limits_enabled=False)) as (base, _web):
        threads = [threading.Thread(target=_client_loop, args=(base, texts[i:] + texts[:i], statuses))
                   for i in range(clients)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        with requests.Session() as session:
            while any(thread.is_alive() for thread in threads):
                began = time.perf_counter()
                session.get(f"{base}/api/v1/health", timeout=60)
                health_ms.append((time.perf_counter() - began) * 1000)
                time.sleep(HEALTH_EVERY_S)
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - start
    return {"clients": clients, "searches": len(statuses), "seconds": round(seconds, 2),
            "statuses": sorted(set(statuses)), "health_worst_ms": round(max(health_ms, default=0.0), 1),
            "health_p95_ms": round(percentile(health_ms, 95), 1), "health_samples": len(health_ms)}
