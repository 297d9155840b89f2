"""Deterministic generator of realistic Syrian classified ads for demos and benchmarks.

`generate_ads(count, seed, categories, areas, now)` turns the seed trees (the dicts of
``core/seed/*.json``) into ad dicts shaped like the `Ad` model's user-facing fields. It is
pure: no database, no clock, no global random state; the same arguments always yield the
same ads, so a benchmark run can be repeated and two runs compared. The realism that
matters for search lives in the text (see `ad_text` and `ad_vocabulary`);
the rest (prices, places, dates, statuses) is shaped so that filters and facets have
plausible distributions to work on.

`generate_rows` is the same stream as tuples, for the bench loader (`bench.ad_rows`), which
writes a million of them: per run, each template is parsed once into literal pieces (with
their word-noise plans, see `ad_text.noisy_planned`) and slots, and per ad only the pieces a
poster's habits can change cost more than a lookup.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Iterator, Sequence
from itertools import combinations
from typing import Any

from core.money import Currency
from souq_cli.demo_data import ad_draws, ad_text
from souq_cli.demo_data.ad_vocabulary import (
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

TITLE_MAX, DESCRIPTION_MAX = 120, 5000
_FORMATTER = string.Formatter()


def _leaf_categories(categories: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    parents = {c["parent"] for c in categories if c.get("parent")}
    return [c for c in categories if c["slug"] not in parents]


# Price text as (number, unit): the number needs no typing noise, the unit does, and
# splitting them keeps the noise cache small (numbers are many, units are few).
_USD_UNITS = ("$", " دولار", " $")
_MILLION_UNITS = (" مليون", " مليون ل.س")


def _price_text(amount: int, syp: bool, form: int) -> tuple[str | None, str, str | tuple[str, str]]:
    """(amount as decimal string or None, currency, text as a poster would write it) of a
    drawn price (`ad_draws`: amount -1 = no price; `form` = how it is written).

    The text is a plain string (no price) or (number, unit), written number + unit."""
    currency = Currency.SYP if syp else Currency.USD
    if amount < 0:
        return None, currency, _NO_PRICE[form]
    if not syp:
        if form == 2:
            return str(amount), currency, (f"{amount:,}", " $")
        return str(amount), currency, (str(amount), _USD_UNITS[form if form < 2 else 2])
    if amount >= 1_000_000 and amount % 100_000 == 0:
        if form < 2:
            return str(amount), currency, (f"{amount / 1_000_000:g}", _MILLION_UNITS[form])
        return str(amount), currency, (f"{amount:,}", " ليرة")
    if form == 1:
        return str(amount), currency, (str(amount), " ليرة سورية")
    return str(amount), currency, (f"{amount:,}", " ل.س" if form == 0 else " ليرة")


_NO_PRICE = ("على الخاص", "حسب الاتفاق", "بعد المعاينة")
Part = tuple[str | None, str, Any]  # (None, literal text, its noise plan) or (slot name, "", None)


def _compile(template: str) -> tuple[Part, ...]:
    """A template as literal pieces and slot names, parsed once per run, not once per ad."""
    parts: list[Part] = []
    for literal, name, _, _ in _FORMATTER.parse(template):
        if literal:
            if "\t" in literal or "\\" in literal or "\r" in literal or "\n" in literal:
                raise ValueError(f"template {template!r}: tab, CR, LF and backslash are not allowed")
            parts.append((None, literal, ad_text.plan_of(literal)))
        if name:
            parts.append((name, "", None))
    return tuple(parts)


class _Kit:
    """What one leaf category needs per ad, prepared once per run instead of once per ad."""

    def __init__(self, category: dict[str, Any], profile: Profile) -> None:
        self.slug = category["slug"]
        self.profile = profile
        self.sources = {name: source if callable(source) else tuple(source)
                        for name, source in {**COMMON_SLOTS, **profile.slots}.items()}
        self.titles = tuple(_compile(t) for t in profile.titles)
        lines = [_compile(line) for line in profile.lines]
        self.lines: dict[str | None, tuple[tuple[Part, ...], ...]] = {None: tuple(lines)}
        for condition, extra in (("new", NEW_LINES), ("used", USED_LINES)):
            extra_parts = [_compile(line) for line in extra] if profile.condition_lines else []
            self.lines[condition] = tuple(lines + extra_parts)
        self.closing = tuple(_compile(line) for line in profile.closing or CLOSING)
        # Every photo set an ad may show, as the list and as the `images` column's JSON.
        self.photo_sets = [
            [((paths := tuple(f"demo/{self.slug}-{i}.jpg" for i in numbers)),
              "[" + ", ".join(f'"{p}"' for p in paths) + "]") for numbers in _PHOTO_SETS[count]]
            for count in range(len(_PHOTO_SETS))
        ]

    def value(self, name: str, values: dict[str, Any], rng: random.Random, depth: int = 0) -> Any:
        """The ad's value of slot `name`: drawn on first use, then the same in title and text."""
        source = self.sources.get(name)
        if source is None:
            raise KeyError(f"template slot {name!r} has no vocabulary")
        value = source(rng) if callable(source) else source[int(rng.random() * len(source))]
        if "{" in value and depth < 3:  # a value with slots of its own ("محرك {engine} سي سي")
            value = "".join(
                text if slot is None else _plain(values.get(slot) or self.value(slot, values, rng, depth + 1))
                for slot, text, _ in _compile_cached(value))
        values[name] = value
        return value


def _plain(value: Any) -> str:
    return value if value.__class__ is str else "".join(value)


_COMPILED: dict[str, tuple[Part, ...]] = {}


def _compile_cached(template: str) -> tuple[Part, ...]:
    parts = _COMPILED.get(template)
    if parts is None:
        parts = _COMPILED[template] = _compile(template)
    return parts


def _render(templates: Sequence[tuple[Part, ...]], separator: str, kit: _Kit, values: dict[str, Any],
            style: ad_text.TypingStyle, rng: random.Random, apply: Any = ad_text.noisy_planned,
            plan_cache: dict[str, Any] = ad_text._PLANS, plan_of: Any = ad_text.plan_of, str_: type[str] = str) -> str:
    """Templates filled with the ad's slot values, each piece with the poster's word noise,
    joined by `separator`.

    A piece whose noise plan has nothing this poster changes (no Arabic, or no word with a
    hamza seat or a noisy ending, and no diacritics habit) is copied without a call. The
    keyword defaults bind hot globals."""
    marks = style.diacritics
    which = 2 if marks else 1 if style.taa_as_haa or style.yaa_swap else 3  # see `ad_text.noisy_planned`
    out: list[str] = []
    for parts in templates:
        if out:
            out.append(separator)
        for name, text, plan in parts:
            if name is not None:
                value = values.get(name)
                if value is None:
                    value = kit.value(name, values, rng)
                if value.__class__ is not str_:  # a price: (number, unit)
                    out.append(value[0])
                    value = value[1]
                text = value
                plan = plan_cache.get(text, False)
                if plan is False:
                    plan = plan_of(text)
            if plan is None or not plan[which]:
                out.append(text)
            else:
                out.append(apply(text, plan, style, rng))
    return "".join(out)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut if len(cut) >= 3 else text[:limit]


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

# One generated ad, as the loader consumes it (no dict, no datetime: `generate_ads` makes those).
Generated = tuple[str, str, _Kit, dict[str, Any], float | None, float | None, str | None, str, bool,
                  str | None, str, str, str, tuple[tuple[str, ...], str], int, str]


_PREPARED: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _prepared(categories: Sequence[dict[str, Any]], areas: Sequence[dict[str, Any]]) -> tuple[Any, ...]:
    """The kits, places and draw tables of a pair of seed trees, built once per process (a
    load calls `generate_rows` once per chunk of 2,000 ads)."""
    key = (tuple((c["slug"], c.get("parent"), c["name_ar"]) for c in categories),
           tuple((a["slug"], a.get("kind"), a.get("population"), a["lat"], a["lon"], a["name_ar"],
                  tuple(a.get("alt_names") or ())) for a in areas))
    prepared = _PREPARED.get(key)
    if prepared is None:
        leaves = _leaf_categories(categories)
        kits = [_Kit(c, PROFILES.get(c["slug"]) or fallback_profile(c["name_ar"])) for c in leaves]
        places = [a for a in areas if a.get("kind") in ("city", "neighbourhood")]
        if not kits or not places:
            raise ValueError("nothing to choose from: no leaf category or no city/neighbourhood")
        style_cum, styles = ad_text._style_table()
        cond_words = tuple(tuple(COND_WORD[c]) for c in (None, "new", "used"))  # by ad_draws' codes
        draw_tables = ad_draws.tables(
            [kit.profile for kit in kits], [kit.profile.weight for kit in kits], places, style_cum,
            [len(words) for words in cond_words], [len(sets) for sets in _PHOTO_SETS],
            len(NEW_STATE), len(ARABIC_FIRST_NAMES))
        prepared = _PREPARED[key] = (
            kits, places, styles, draw_tables, cond_words,
            # Per place: its other spellings.
            [tuple(n for n in a.get("alt_names") or () if n) for a in places],
        )
    return prepared


_CONDITIONS = (None, "new", "used")  # by ad_draws' condition codes


def generate_rows(
    count: int,
    seed: int,
    categories: Sequence[dict[str, Any]],
    areas: Sequence[dict[str, Any]],
) -> Iterator[Generated]:
    """Yield `count` generated ads as tuples: (title, description, kit, area, lat, lon, price,
    currency, negotiable, condition, contact name, phone as typed, phone as stored,
    (image paths, images JSON), age in seconds before `now`, status). Identical arguments give
    identical ads.

    Categories are chosen among leaves (weighted by each profile's popularity), areas among
    cities and neighbourhoods (weighted by population), as real posting volume follows both.
    The numbers of all `count` ads are drawn first, as arrays (`ad_draws`); the text
    of each ad is then written with a `random.Random` of the same seed.
    """
    rng = random.Random(seed)
    rand = rng.random
    kits, places, styles, draw_tables, cond_words, alt_names = _prepared(categories, areas)
    names = tuple(ARABIC_FIRST_NAMES)
    for name in names:
        if any(ch in name for ch in "\t\n\r\\"):
            raise ValueError(f"contact name {name!r} would need escaping")
    new_state, conditions, statuses = tuple(NEW_STATE), _CONDITIONS, ad_draws.STATUSES
    finish, mobile = ad_text.finish, ad_text.syrian_mobile_from
    render, price_text = _render, _price_text
    d = ad_draws.draw(draw_tables, count, seed)

    for (k, p, s, alt, amount, syp, form, cond, cond_word, state, lat, lon, age_seconds, negotiable,
         name, operator, subscriber, phone_form, photos, photo_set, status) in zip(
            d["kit"], d["place"], d["style"], d["alt"], d["amount"], d["syp"], d["form"], d["condition"],
            d["cond_word"], d["state"], d["lat"], d["lon"], d["age"], d["negotiable"], d["name"],
            d["operator"], d["subscriber"], d["phone_form"], d["photos"], d["photo_set"], d["status"],
            strict=True):  # every column has `count` entries
        kit = kits[k]
        area = places[p]
        style = styles[s]
        amount_text, currency, price = price_text(amount, syp, form)
        condition = conditions[cond]
        values: dict[str, Any] = {"area": area["name_ar"] if alt < 0 else alt_names[p][alt],
                                  "price_text": price, "cond_word": cond_words[cond][cond_word]}
        if cond == 1:
            values["state"] = new_state[state]

        titles = kit.titles
        title = render((titles[int(rand() * len(titles))],), "", kit, values, style, rng)
        title = _clip(finish(title, style, rng, title=True), TITLE_MAX)

        lines = kit.lines[condition]
        chosen = _sample(lines, min(len(lines), DESCRIPTION_LINES[int(rand() * 9)]), rng)
        closing = CLOSING_LINES[int(rand() * 4)]
        if closing:
            chosen += _sample(kit.closing, closing, rng)
        body = render(chosen, SEPARATORS[int(rand() * 4)], kit, values, style, rng)
        description = _clip(finish(body, style, rng), DESCRIPTION_MAX)

        if lat != lat:  # NaN: no coordinates
            lat = lon = None
        phone, stored_phone = mobile(operator, subscriber, phone_form)
        yield (title, description, kit, area, lat, lon, amount_text, currency, negotiable, condition,
               names[name], phone, stored_phone, kit.photo_sets[photos][photo_set], age_seconds,
               statuses[status])


def generate_ads(
    count: int,
    seed: int,
    categories: Sequence[dict[str, Any]],
    areas: Sequence[dict[str, Any]],
    now: dt.datetime,
) -> Iterator[dict[str, Any]]:
    """Yield `count` ad dicts (the fields of `generate_rows`); identical arguments give identical ads."""
    for (title, description, kit, area, lat, lon, amount, currency, negotiable, condition, contact_name,
         phone, _, images, age_seconds, status) in generate_rows(count, seed, categories, areas):
        yield {
            "title": title,
            "description": description,
            "category": kit.slug,
            "area": area["slug"],
            "lat": lat,
            "lon": lon,
            "price": amount,
            "currency": currency,
            "negotiable": negotiable,
            "condition": condition,
            "contact_name": contact_name,
            "contact_phone": phone,
            "images": list(images[0]),
            "created_at": now - dt.timedelta(seconds=age_seconds),
            "status": status,
        }
