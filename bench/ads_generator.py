"""Deterministic generator of realistic Syrian classified ads for demos and benchmarks.

`generate_ads(count, seed, categories, areas, now)` turns the seed trees (the dicts of
``core/seed/*.json``) into ad dicts shaped like the `Ad` model's user-facing fields. It is
pure: no database, no clock, no global random state; the same arguments always yield the
same ads, so a benchmark run can be repeated and two runs compared. The realism that
matters for search lives in the text (see `bench.ad_text` and `bench.ad_vocabulary`);
the rest (prices, places, dates, statuses) is shaped so that filters and facets have
plausible distributions to work on.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import string
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import Any

from bench import ad_text
from bench.ad_vocabulary import (
    ARABIC_FIRST_NAMES,
    CLOSING,
    COMMON_SLOTS,
    COND_WORD,
    NEW_LINES,
    NEW_STATE,
    PROFILES,
    USED_LINES,
    Profile,
    fallback_profile,
)

WINDOW_DAYS = 90  # created_at falls within this many days before `now`
JITTER_KM = 3.0  # coordinates scatter this far around the area centroid
NO_COORDS_SHARE = 0.30
SYP_PER_USD = (11000, 15000)  # street-rate band used to convert a share of prices
TITLE_MAX, DESCRIPTION_MAX = 120, 5000
_FORMATTER = string.Formatter()


class _Weighted:
    """Weighted choice with precomputed cumulative weights (fast for large counts)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        if not items:
            raise ValueError("nothing to choose from")
        self.items = list(items)
        self.cum = list(accumulate(weights))

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect_right(self.cum, rng.random() * self.cum[-1])]


def _leaf_categories(categories: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    parents = {c["parent"] for c in categories if c.get("parent")}
    return [c for c in categories if c["slug"] not in parents]


def _nice(value: float) -> int:
    """Round to what a person would ask: two or three significant digits."""
    if value < 10:
        return max(1, round(value))
    digits = 3 if value >= 10000 and value < 100000 else 2
    magnitude = 10 ** (int(math.log10(value)) - digits + 1)
    return int(round(value / magnitude) * magnitude)


def _price(profile: Profile, rng: random.Random) -> tuple[str | None, str, str]:
    """(amount as decimal string or None, currency, text as a poster would write it)."""
    currency = "SYP" if rng.random() < profile.syp_share else "USD"
    if profile.usd is None or rng.random() < profile.no_price:
        return None, currency, rng.choice(("على الخاص", "حسب الاتفاق", "بعد المعاينة"))
    lo, hi = profile.usd
    usd = math.exp(rng.uniform(math.log(lo), math.log(hi)))  # log-uniform: cheap items are commoner
    if currency == "USD":
        amount = _nice(usd)
        text = rng.choice((f"{amount}$", f"{amount} دولار", f"{amount:,} $", f"{amount} $"))
        return str(amount), currency, text
    amount = _nice(usd * rng.uniform(*SYP_PER_USD))
    if amount >= 1_000_000 and amount % 100_000 == 0:
        millions = amount / 1_000_000
        shown = f"{millions:g}"
        text = rng.choice((f"{shown} مليون", f"{shown} مليون ل.س", f"{amount:,} ليرة"))
    else:
        text = rng.choice((f"{amount:,} ل.س", f"{amount} ليرة سورية", f"{amount:,} ليرة"))
    return str(amount), currency, text


class _Slots:
    """Draw each slot once per ad so the title and the description agree."""

    def __init__(self, profile: Profile, rng: random.Random, fixed: dict[str, str]) -> None:
        self.sources = {**COMMON_SLOTS, **profile.slots}
        self.rng = rng
        self.values = dict(fixed)

    def fill(self, template: str, depth: int = 0) -> str:
        names = {name for _, name, _, _ in _FORMATTER.parse(template) if name}
        for name in sorted(names - self.values.keys()):
            source = self.sources.get(name)
            if source is None:
                raise KeyError(f"template slot {name!r} has no vocabulary")
            value = source(self.rng) if callable(source) else self.rng.choice(source)
            self.values[name] = self.fill(value, depth + 1) if "{" in value and depth < 3 else value
        return template.format(**{n: self.values[n] for n in names}) if names else template


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut if len(cut) >= 3 else text[:limit]


def _jitter(lat: float, lon: float, rng: random.Random) -> tuple[float, float]:
    distance = JITTER_KM * math.sqrt(rng.random())  # uniform over the disc
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111.32
    dlon = distance * math.sin(bearing) / (111.32 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def _status(age_days: float, rng: random.Random) -> str:
    r = rng.random()
    if age_days > 60 and r < 0.35:
        return "expired"
    if r < 0.07:
        return "withdrawn"
    if r < 0.09:
        return "expired"
    return "active"


def _condition(profile: Profile, rng: random.Random) -> str | None:
    if profile.condition is None:
        return None
    p_new, p_used = profile.condition
    r = rng.random()
    condition = "new" if r < p_new else "used" if r < p_new + p_used else None
    return None if condition and rng.random() < 0.1 else condition  # posters skip optional fields


def _description(
    profile: Profile, condition: str | None, slots: _Slots, style: ad_text.TypingStyle, rng: random.Random
) -> str:
    lines = profile.lines
    if profile.condition_lines and condition is not None:
        lines = lines + (NEW_LINES if condition == "new" else USED_LINES)
    count = min(len(lines), rng.choice((1, 2, 3, 3, 4, 4, 5, 6, 7)))
    body = [slots.fill(line) for line in rng.sample(lines, count)]
    closing = profile.closing or CLOSING
    body += [slots.fill(line) for line in rng.sample(closing, rng.choice((0, 1, 1, 2)))]
    separator = rng.choice(("\n", " ", "\n", " - "))
    return _clip(ad_text.roughen(separator.join(body), style, rng), DESCRIPTION_MAX)


def generate_ads(
    count: int,
    seed: int,
    categories: Sequence[dict[str, Any]],
    areas: Sequence[dict[str, Any]],
    now: dt.datetime,
) -> Iterator[dict[str, Any]]:
    """Yield `count` ad dicts; identical arguments give identical ads.

    Categories are chosen among leaves (weighted by each profile's popularity), areas among
    cities and neighbourhoods (weighted by population), as real posting volume follows both.
    """
    rng = random.Random(seed)
    leaves = _leaf_categories(categories)
    profiles = {c["slug"]: PROFILES.get(c["slug"]) or fallback_profile(c["name_ar"]) for c in leaves}
    pick_category = _Weighted(leaves, [profiles[c["slug"]].weight for c in leaves])
    places = [a for a in areas if a.get("kind") in ("city", "neighbourhood")]
    pick_area = _Weighted(places, [max(1, a.get("population") or 0) for a in places])

    for _ in range(count):
        category = pick_category.pick(rng)
        profile = profiles[category["slug"]]
        area = pick_area.pick(rng)
        style = ad_text.pick_style(rng)
        area_name = area["name_ar"]
        if area.get("alt_names") and rng.random() < 0.2:
            area_name = rng.choice([n for n in area["alt_names"] if n] or [area_name])
        amount, currency, price_text = _price(profile, rng)
        condition = _condition(profile, rng)
        fixed = {"area": area_name, "price_text": price_text, "cond_word": rng.choice(COND_WORD[condition])}
        if condition == "new":
            fixed["state"] = rng.choice(NEW_STATE)
        slots = _Slots(profile, rng, fixed)

        title = _clip(ad_text.roughen(slots.fill(rng.choice(profile.titles)), style, rng, title=True), TITLE_MAX)
        description = _description(profile, condition, slots, style, rng)

        if rng.random() < NO_COORDS_SHARE:
            lat = lon = None
        else:
            lat, lon = _jitter(area["lat"], area["lon"], rng)

        age_seconds = rng.randrange(WINDOW_DAYS * 86400)
        n_images = rng.choices(range(5), weights=profile.images)[0]
        images = [f"demo/{category['slug']}-{i}.jpg" for i in sorted(rng.sample(range(1, 7), n_images))]

        yield {
            "title": title,
            "description": description,
            "category": category["slug"],
            "area": area["slug"],
            "lat": lat,
            "lon": lon,
            "price": amount,
            "currency": currency,
            "negotiable": amount is not None and rng.random() < profile.negotiable,
            "condition": condition,
            "contact_name": rng.choice(ARABIC_FIRST_NAMES),
            "contact_phone": ad_text.syrian_mobile(rng),
            "images": images,
            "created_at": now - dt.timedelta(seconds=age_seconds),
            "status": _status(age_seconds / 86400, rng),
        }
