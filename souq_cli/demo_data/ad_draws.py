"""The numbers of a batch of generated ads, drawn at once with numpy.

Most of an ad is numbers: which category and place, the poster's habits, the price, the
condition, the coordinates, the age, the phone, the photos, the status. Drawn one ad at a
time in Python they cost about a fifth of the generator's time (a random number, a
bisect and a little arithmetic per field, a few dozen times per ad); drawn as arrays for
a whole batch they cost almost nothing, which is what lets `souq bench data` stream a
million ads at the rate the benchmark issue asks for. The text stays in Python
(`generator`), where per-word habits need per-word decisions.

`draw(tables, count, seed)` is pure: the same tables, count and seed give the same
columns (numpy's PCG64 stream for a seed is stable), and nothing global is touched.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.models import AdStatus

WINDOW_S = 90 * 86400  # created_at falls within this many seconds before `now`
JITTER_KM = 3.0  # coordinates scatter this far around the area centroid
NO_COORDS_SHARE = 0.30
SYP_PER_USD = (11000, 15000)  # street-rate band used to convert a share of prices
OPTIONAL_SKIP = 0.10  # posters leave the optional condition field empty this often
KM_PER_DEGREE = 111.32
# Condition codes in the `condition` column.
NO_CONDITION, NEW, USED = 0, 1, 2
# Status codes in the `status` column.
ACTIVE, EXPIRED, WITHDRAWN = 0, 1, 2
STATUSES = tuple(s.value for s in (AdStatus.ACTIVE, AdStatus.EXPIRED, AdStatus.WITHDRAWN))


@dataclass(frozen=True)
class Tables:
    """Per-category and per-place parameters as arrays, built once per process."""

    kit_cum: np.ndarray  # cumulative category weights (normalised to 1)
    place_cum: np.ndarray  # cumulative place weights (population)
    style_cum: np.ndarray  # cumulative probabilities of the typing habits
    alt_count: np.ndarray  # per place: number of other spellings
    place_lat: np.ndarray
    place_lon: np.ndarray
    place_lon_km: np.ndarray  # km per degree of longitude at the place's latitude
    syp_share: np.ndarray  # per category: share priced in SYP
    no_price: np.ndarray  # per category: share without a price (1 when never priced)
    usd_lo: np.ndarray
    usd_hi: np.ndarray
    p_new: np.ndarray  # per category: P(new), P(new or used); both 0 when condition is n/a
    p_new_or_used: np.ndarray
    negotiable: np.ndarray
    photo_cum: np.ndarray  # per category x photo count: cumulative weights (normalised)
    photo_sets: np.ndarray  # per photo count: how many distinct photo sets exist
    cond_words: np.ndarray  # per condition code: how many words describe it
    new_states: int
    names: int


def tables(profiles: Sequence[Any], weights: Sequence[float], places: Sequence[dict[str, Any]],
           style_cum: Sequence[float], cond_words: Sequence[int], photo_sets: Sequence[int],
           new_states: int, names: int) -> Tables:
    """Arrays of the category profiles (in kit order) and places (in place order)."""
    def cumulative(values: Sequence[float]) -> np.ndarray:
        cum = np.cumsum(np.asarray(values, dtype=float))
        return cum / cum[-1]

    width = max(len(p.images) for p in profiles)
    photo = np.zeros((len(profiles), width))
    for row, profile in enumerate(profiles):
        photo[row, :len(profile.images)] = profile.images
    photo = np.cumsum(photo, axis=1)
    photo /= photo[:, -1:]
    lat = np.array([p["lat"] for p in places], dtype=float)
    return Tables(
        kit_cum=cumulative(weights),
        place_cum=cumulative([max(1, p.get("population") or 0) for p in places]),
        style_cum=np.asarray(style_cum, dtype=float),
        alt_count=np.array([len([n for n in p.get("alt_names") or () if n]) for p in places]),
        place_lat=lat,
        place_lon=np.array([p["lon"] for p in places], dtype=float),
        place_lon_km=KM_PER_DEGREE * np.cos(np.radians(lat)),
        syp_share=np.array([p.syp_share for p in profiles]),
        no_price=np.array([1.0 if p.usd is None else p.no_price for p in profiles]),
        usd_lo=np.array([p.usd[0] if p.usd else 1.0 for p in profiles]),
        usd_hi=np.array([p.usd[1] if p.usd else 1.0 for p in profiles]),
        p_new=np.array([p.condition[0] if p.condition else 0.0 for p in profiles]),
        p_new_or_used=np.array([sum(p.condition) if p.condition else 0.0 for p in profiles]),
        negotiable=np.array([p.negotiable for p in profiles]),
        photo_cum=photo,
        photo_sets=np.asarray(photo_sets),
        cond_words=np.asarray(cond_words),
        new_states=new_states,
        names=names,
    )


def _pick(cum: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Indices drawn with the probabilities whose cumulative sums are `cum` (ends at 1)."""
    return np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)


def nice(value: np.ndarray) -> np.ndarray:
    """Round to what a person would ask: two significant digits (three for 10,000-99,999)."""
    digits = np.where((value >= 1e4) & (value < 1e5), 3, 2)
    exponent = np.floor(np.log10(np.maximum(value, 10.0))).astype(np.int64) - digits + 1
    magnitude = 10.0 ** exponent
    rounded = np.rint(value / magnitude) * magnitude
    return np.where(value < 10, np.maximum(1.0, np.rint(value)), rounded).astype(np.int64)


def draw(t: Tables, count: int, seed: int) -> dict[str, list[Any]]:
    """The numeric columns of `count` ads, as Python lists (cheap to iterate per ad)."""
    rng = np.random.Generator(np.random.PCG64(seed))

    def u() -> np.ndarray:
        return rng.random(count)

    kit = _pick(t.kit_cum, u())
    place = _pick(t.place_cum, u())
    style = _pick(t.style_cum, u())
    alts = t.alt_count[place]
    alt = np.where((alts > 0) & (u() < 0.2), (u() * alts).astype(np.int64), -1)

    # Price: log-uniform in the category's USD range (cheap items are commoner); a share in
    # SYP at a street rate; `form` picks one of the ways posters write it.
    syp = u() < t.syp_share[kit]
    unpriced = u() < t.no_price[kit]
    lo, hi = t.usd_lo[kit], t.usd_hi[kit]
    usd = lo * (hi / lo) ** u()
    rate = SYP_PER_USD[0] + (SYP_PER_USD[1] - SYP_PER_USD[0]) * u()
    amount = np.where(unpriced, -1, nice(np.where(syp, usd * rate, usd)))
    form = (u() * np.where(unpriced | syp, 3, 4)).astype(np.int64)

    r = u()
    condition = np.where(r < t.p_new[kit], NEW, np.where(r < t.p_new_or_used[kit], USED, NO_CONDITION))
    condition = np.where(u() < OPTIONAL_SKIP, NO_CONDITION, condition)
    cond_word = (u() * t.cond_words[condition]).astype(np.int64)
    state = (u() * t.new_states).astype(np.int64)

    # Coordinates: uniform over a disc of JITTER_KM around the place's centroid, or none.
    distance = JITTER_KM * np.sqrt(u())
    bearing = 2 * math.pi * u()
    lat = np.round(t.place_lat[place] + distance * np.cos(bearing) / KM_PER_DEGREE, 6)
    lon = np.round(t.place_lon[place] + distance * np.sin(bearing) / t.place_lon_km[place], 6)
    located = u() >= NO_COORDS_SHARE

    age = (u() * WINDOW_S).astype(np.int64)
    negotiable = (amount >= 0) & (u() < t.negotiable[kit])
    name = (u() * t.names).astype(np.int64)
    operator = (u() * 6).astype(np.int64)
    subscriber = (u() * 10_000_000).astype(np.int64)
    phone_form = u()
    photos = (t.photo_cum[kit] <= u()[:, None]).sum(axis=1)
    photo_set = (u() * t.photo_sets[photos]).astype(np.int64)

    r = u()
    status = np.where((age > 60 * 86400) & (r < 0.35), EXPIRED,
                      np.where(r < 0.07, WITHDRAWN, np.where(r < 0.09, EXPIRED, ACTIVE)))

    return {
        "kit": kit.tolist(), "place": place.tolist(), "style": style.tolist(), "alt": alt.tolist(),
        "amount": amount.tolist(), "syp": syp.tolist(), "form": form.tolist(),
        "condition": condition.tolist(), "cond_word": cond_word.tolist(), "state": state.tolist(),
        "lat": np.where(located, lat, np.nan).tolist(), "lon": lon.tolist(),
        "age": age.tolist(), "negotiable": negotiable.tolist(), "name": name.tolist(),
        "operator": operator.tolist(), "subscriber": subscriber.tolist(),
        "phone_form": phone_form.tolist(), "photos": photos.tolist(), "photo_set": photo_set.tolist(),
        "status": status.tolist(),
    }
