"""`souq bench queries`: a deterministic log of realistic searches for the benchmarks to replay.

Each line of the log is the query-string dict of one GET /api/v1/search, plus
a `_kind` key (ignored by the replayers, which send only keys without a leading
underscore) naming its share of the mix. The mix follows what classified sites
see: a head of popular words, a long tail lifted from ad titles (typed with the
same noise as the ads), filters on category/area/price/condition, searches
around a point, browsing without words, and a few deep pages. Pure: the same
seed gives the same log.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from core.money import Currency
from souq_cli.demo_data import ad_text
from souq_cli.demo_data.generator import generate_ads

# Shares of the mix; rough impressions of classified-site logs, where most
# searches are short keyword queries and a minority browse or page deep.
MIX = {"popular": 0.28, "long_tail": 0.20, "filtered": 0.20, "geo": 0.10, "browse": 0.16, "deep": 0.06}
# The head: what most people type, in the ways they type it (Zipf-weighted by position).
POPULAR = [
    "سيارة", "ايفون", "شقة للايجار", "موبايل", "سامسونج", "لابتوب", "براد", "غسالة", "كنباية",
    "شقة للبيع", "تويوتا", "هيونداي", "ارض", "سياره", "بلايستيشن", "iPhone 13", "دراجة نارية",
    "طاقة شمسية", "مكيف", "غرفة نوم", "كيا ريو", "شاشة سمارت", "عمل", "محل للايجار", "Samsung",
    "جوال", "ثلاجة", "ايفون ١١", "مولدة", "قطط",
]
DEEP_PAGES = (3, 5, 8, 10, 15, 25, 50)  # page * size stays within the 10,000 result window
RADII_KM = ("2", "5", "10", "25", "50")
TITLE_POOL = 3000  # generated titles the long tail is cut from


def _zipf_weights(n: int) -> list[float]:
    return [1.0 / (rank + 1) for rank in range(n)]


class QueryMix:
    """Draws query-string dicts from the seed trees and a pool of generated titles."""

    def __init__(self, categories: Sequence[dict[str, Any]], areas: Sequence[dict[str, Any]],
                 seed: int) -> None:
        self.rng = random.Random(seed)
        parents = {c["parent"] for c in categories if c.get("parent")}
        self.parents = [c["slug"] for c in categories if not c.get("parent")]
        self.leaves = [c["slug"] for c in categories if c["slug"] not in parents]
        self.places = [a for a in areas if a["kind"] in ("city", "neighbourhood")]
        self.place_weights = [max(1, a.get("population") or 0) for a in self.places]
        self.governorates = [a["slug"] for a in areas if a["kind"] == "governorate"]
        now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # only the titles matter here
        self.titles = [(ad["title"], ad["category"])
                       for ad in generate_ads(TITLE_POOL, seed ^ 0x5EED, categories, areas, now)]

    def _popular(self) -> str:
        return self.rng.choices(POPULAR, weights=_zipf_weights(len(POPULAR)))[0]

    def _long_tail(self) -> tuple[str, str]:
        """One to three neighbouring words of an ad title, retyped by another poster."""
        title, category = self.rng.choice(self.titles)
        words = [w for w in title.split() if any(ch.isalnum() for ch in w)]
        size = min(len(words), self.rng.choice((1, 2, 2, 3)))
        start = self.rng.randrange(len(words) - size + 1)
        phrase = " ".join(words[start:start + size])
        style = ad_text.pick_style(self.rng)
        return ad_text.roughen(phrase, style, self.rng) or phrase, category

    def _place(self) -> dict[str, Any]:
        return self.rng.choices(self.places, weights=self.place_weights)[0]

    def _filters(self, category: str | None) -> dict[str, str]:
        args: dict[str, str] = {}
        rng = self.rng
        if category and rng.random() < 0.6:
            args["category"] = category
        if rng.random() < 0.5:
            args["area"] = rng.choice(self.governorates) if rng.random() < 0.5 else self._place()["slug"]
        if rng.random() < 0.3:
            currency = rng.choice((Currency.USD, Currency.SYP))
            low = rng.choice((50, 100, 500, 1000, 5000))
            scale = 13000 if currency == Currency.SYP else 1
            args.update(currency=currency, price_min=str(low * scale), price_max=str(low * 20 * scale))
        if rng.random() < 0.2:
            args["condition"] = rng.choice(("new", "used", "new,used"))
        if rng.random() < 0.15:
            args["has_images"] = "1"
        if rng.random() < 0.3:
            args["sort"] = rng.choice(("newest", "price_asc", "price_desc"))
        return args or {"sort": "newest"}

    def draw(self, kind: str) -> dict[str, str]:
        rng = self.rng
        if kind == "popular":
            return {"q": self._popular()}
        if kind == "long_tail":
            return {"q": self._long_tail()[0]}
        if kind == "filtered":
            q, category = self._long_tail() if rng.random() < 0.5 else (self._popular(), None)
            return {"q": q, **self._filters(category)}
        if kind == "geo":
            place = self._place()
            args = {"lat": f"{place['lat'] + rng.uniform(-0.02, 0.02):.5f}",
                    "lon": f"{place['lon'] + rng.uniform(-0.02, 0.02):.5f}",
                    "radius_km": rng.choice(RADII_KM)}
            if rng.random() < 0.6:
                args["q"] = self._popular()
            if rng.random() < 0.5:
                args["sort"] = "distance"
            return args
        if kind == "browse":
            args = {"category": rng.choice(self.parents if rng.random() < 0.4 else self.leaves)}
            if rng.random() < 0.5:
                args["area"] = rng.choice(self.governorates)
            args["sort"] = "newest"
            return args
        if kind == "deep":
            base = {"q": self._popular()} if rng.random() < 0.6 else {"category": rng.choice(self.parents),
                                                                      "sort": "newest"}
            return {**base, "page": str(rng.choice(DEEP_PAGES)), "size": "20"}
        raise ValueError(f"unknown query kind {kind!r}")


def generate_queries(count: int, seed: int, categories: Sequence[dict[str, Any]],
                     areas: Sequence[dict[str, Any]]) -> Iterator[dict[str, str]]:
    """`count` query-string dicts (each with its `_kind`); identical arguments, identical log."""
    mix = QueryMix(categories, areas, seed)
    kinds, weights = list(MIX), list(MIX.values())
    for _ in range(count):
        kind = mix.rng.choices(kinds, weights=weights)[0]
        yield {**mix.draw(kind), "_kind": kind}


def request_args(entry: dict[str, str]) -> dict[str, str]:
    """The query string to send: the entry without its bookkeeping keys."""
    return {key: value for key, value in entry.items() if not key.startswith("_")}


def write_query_log(path: Path, queries: Iterator[dict[str, str]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", encoding="utf-8") as fh:
        for query in queries:
            fh.write(json.dumps(query, ensure_ascii=False, sort_keys=True) + "\n")
            written += 1
    return written


def read_query_log(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
