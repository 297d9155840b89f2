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
from itertools import accumulate, combinations
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


_TEMPLATE_NAMES: dict[str, tuple[str, ...]] = {}


def _template_names(template: str) -> tuple[str, ...]:
    """The slot names of a template, parsed once (templates are a fixed vocabulary)."""
    names = _TEMPLATE_NAMES.get(template)
    if names is None:
        found = {name for _, name, _, _ in _FORMATTER.parse(template) if name}
        names = _TEMPLATE_NAMES[template] = tuple(sorted(found))
    return names


class _Slots:
    """Draw each slot once per ad so the title and the description agree."""

    def __init__(self, sources: dict[str, Any], rng: random.Random, fixed: dict[str, str]) -> None:
        self.sources = sources
        self.rng = rng
        self.values = fixed

    def fill(self, template: str, depth: int = 0) -> str:
        names = _template_names(template)
        if not names:
            return template
        values = self.values
        for name in names:
            if name in values:
                continue
            source = self.sources.get(name)
            if source is None:
                raise KeyError(f"template slot {name!r} has no vocabulary")
            value = source(self.rng) if callable(source) else source[int(self.rng.random() * len(source))]
            values[name] = self.fill(value, depth + 1) if "{" in value and depth < 3 else value
        return template.format_map(values)


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


def _pick(seq: Sequence[Any], rng: random.Random) -> Any:
    """`rng.choice` without its overhead (this loop runs a million times per load)."""
    return seq[int(rng.random() * len(seq))]


def _sample(seq: Sequence[Any], k: int, rng: random.Random) -> list[Any]:
    """`rng.sample` for short lists: a partial Fisher-Yates shuffle, without its type checks."""
    pool = list(seq)
    rand = rng.random
    n = len(pool)
    for i in range(k):
        j = i + int(rand() * (n - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


# Photo numbers 1..6 an ad may show, every subset listed once per size, so that
# picking one uniformly equals sampling `count` distinct numbers, in order.
_PHOTO_SETS = [list(combinations(range(1, 7), count)) for count in range(7)]


DESCRIPTION_LINES = (1, 2, 3, 3, 4, 4, 5, 6, 7)
CLOSING_LINES = (0, 1, 1, 2)
SEPARATORS = ("\n", " ", "\n", " - ")


class _Kit:
    """What one leaf category needs per ad, prepared once per run instead of once per ad."""

    def __init__(self, category: dict[str, Any], profile: Profile) -> None:
        self.slug = category["slug"]
        self.profile = profile
        self.sources = {**COMMON_SLOTS, **profile.slots}
        self.lines: dict[str | None, list[str]] = {None: list(profile.lines)}
        for condition, extra in (("new", NEW_LINES), ("used", USED_LINES)):
            self.lines[condition] = list(profile.lines) + (extra if profile.condition_lines else [])
        self.closing = list(profile.closing or CLOSING)
        self.images = _Weighted(range(len(profile.images)), profile.images)
        self.image_paths = [f"demo/{self.slug}-{i}.jpg" for i in range(7)]


def _description(
    kit: _Kit, condition: str | None, slots: _Slots, style: ad_text.TypingStyle, rng: random.Random
) -> str:
    lines = kit.lines[condition]
    count = min(len(lines), _pick(DESCRIPTION_LINES, rng))
    body = [slots.fill(line) for line in _sample(lines, count, rng)]
    closing = _pick(CLOSING_LINES, rng)
    if closing:
        body += [slots.fill(line) for line in _sample(kit.closing, closing, rng)]
    return _clip(ad_text.roughen(_pick(SEPARATORS, rng).join(body), style, rng), DESCRIPTION_MAX)


def _images(kit: _Kit, rng: random.Random) -> list[str]:
    count = kit.images.pick(rng)
    if not count:
        return []
    return [kit.image_paths[i] for i in _pick(_PHOTO_SETS[count], rng)]


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
    rand = rng.random
    leaves = _leaf_categories(categories)
    kits = [_Kit(c, PROFILES.get(c["slug"]) or fallback_profile(c["name_ar"])) for c in leaves]
    pick_kit = _Weighted(kits, [kit.profile.weight for kit in kits])
    places = [a for a in areas if a.get("kind") in ("city", "neighbourhood")]
    pick_area = _Weighted(places, [max(1, a.get("population") or 0) for a in places])
    alt_names = {a["slug"]: [n for n in a.get("alt_names") or () if n] for a in places}

    for _ in range(count):
        kit = pick_kit.pick(rng)
        profile = kit.profile
        area = pick_area.pick(rng)
        style = ad_text.pick_style(rng)
        area_name = area["name_ar"]
        if alt_names[area["slug"]] and rand() < 0.2:
            area_name = _pick(alt_names[area["slug"]], rng)
        amount, currency, price_text = _price(profile, rng)
        condition = _condition(profile, rng)
        fixed = {"area": area_name, "price_text": price_text, "cond_word": _pick(COND_WORD[condition], rng)}
        if condition == "new":
            fixed["state"] = _pick(NEW_STATE, rng)
        slots = _Slots(kit.sources, rng, fixed)

        title = _clip(ad_text.roughen(slots.fill(_pick(profile.titles, rng)), style, rng, title=True), TITLE_MAX)
        description = _description(kit, condition, slots, style, rng)

        if rand() < NO_COORDS_SHARE:
            lat = lon = None
        else:
            lat, lon = _jitter(area["lat"], area["lon"], rng)

        age_seconds = int(rand() * WINDOW_DAYS * 86400)
        yield {
            "title": title,
            "description": description,
            "category": kit.slug,
            "area": area["slug"],
            "lat": lat,
            "lon": lon,
            "price": amount,
            "currency": currency,
            "negotiable": amount is not None and rand() < profile.negotiable,
            "condition": condition,
            "contact_name": _pick(ARABIC_FIRST_NAMES, rng),
            "contact_phone": ad_text.syrian_mobile(rng),
            "images": _images(kit, rng),
            "created_at": now - dt.timedelta(seconds=age_seconds),
            "status": _status(age_seconds / 86400, rng),
        }
