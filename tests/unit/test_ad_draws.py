"""The numbers of generated ads, drawn as arrays: deterministic, and shaped as intended."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.seeding import load_area_seed, load_category_seed
from souq_cli.demo_data import ad_draws
from souq_cli.demo_data.generator import _prepared

COUNT = 20_000


@pytest.fixture(scope="module")
def prepared():
    return _prepared(load_category_seed(), load_area_seed())


@pytest.fixture(scope="module")
def columns(prepared):
    return ad_draws.draw(prepared[3], COUNT, 11)


def test_same_seed_same_numbers_other_seed_differs(prepared, columns):
    tables = prepared[3]
    assert repr(ad_draws.draw(tables, COUNT, 11)) == repr(columns)  # repr: NaN != NaN
    other = ad_draws.draw(tables, COUNT, 12)
    assert other["kit"] != columns["kit"] and other["age"] != columns["age"]
    assert all(len(values) == COUNT for values in columns.values())


@pytest.mark.parametrize("value, expected", [
    (0.3, 1), (7.4, 7), (12.5, 12), (13.5, 14), (1234.0, 1200), (56789.0, 56800),
    (123456.0, 120000), (9_876_543.0, 9_900_000), (25.0, 25),
])
def test_prices_are_rounded_as_people_ask(value, expected):
    assert ad_draws.nice(np.array([value])).tolist() == [expected]


def test_categories_and_places_follow_their_weights(prepared, columns):
    kits, places = prepared[0], prepared[1]
    weights = np.array([kit.profile.weight for kit in kits], dtype=float)
    expected = weights / weights.sum()
    seen = np.bincount(columns["kit"], minlength=len(kits)) / COUNT
    big = expected > 0.03
    assert np.all(np.abs(seen[big] - expected[big]) < 0.25 * expected[big])
    population = np.array([max(1, p.get("population") or 0) for p in places], dtype=float)
    biggest = int(np.argmax(population))
    share = columns["place"].count(biggest) / COUNT
    assert abs(share - population[biggest] / population.sum()) < 0.02


def test_coordinates_scatter_around_the_place(prepared, columns):
    places = prepared[1]
    located = [(p, lat, lon) for p, lat, lon in zip(columns["place"], columns["lat"], columns["lon"], strict=True)
               if not math.isnan(lat)]
    assert 0.65 < len(located) / COUNT < 0.75  # 30% of posters give no location
    for p, lat, lon in located[:2000]:
        place = places[p]
        dy = (lat - place["lat"]) * ad_draws.KM_PER_DEGREE
        dx = (lon - place["lon"]) * ad_draws.KM_PER_DEGREE * math.cos(math.radians(place["lat"]))
        assert math.hypot(dx, dy) <= ad_draws.JITTER_KM + 0.01
        assert round(lat, 6) == lat and round(lon, 6) == lon


def test_statuses_ages_and_prices(prepared, columns):
    statuses = np.array(columns["status"])
    ages = np.array(columns["age"])
    assert ages.min() >= 0 and ages.max() < ad_draws.WINDOW_S
    assert 0.035 < np.mean(statuses == ad_draws.WITHDRAWN) < 0.06  # 7% of the ads not expired by age
    # Old ads expire more often than young ones.
    old = ages > 60 * 86400
    assert np.mean(statuses[old] == ad_draws.EXPIRED) > 3 * np.mean(statuses[~old] == ad_draws.EXPIRED)
    amounts = np.array(columns["amount"])
    negotiable = np.array(columns["negotiable"])
    assert not negotiable[amounts < 0].any()  # nothing to negotiate without a price
    assert (amounts[amounts >= 0] >= 1).all()


def test_photo_counts_stay_within_each_category_weights(prepared, columns):
    kits = prepared[0]
    first = slice(5000)
    for k, photos, photo_set in zip(columns["kit"][first], columns["photos"][first], columns["photo_set"][first],
                                    strict=True):
        weights = kits[k].profile.images
        assert photos < len(weights) and weights[photos] > 0
        assert 0 <= photo_set < math.comb(6, photos)
