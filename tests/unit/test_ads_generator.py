"""The synthetic ad generator is deterministic and produces plausible, varied ads."""

from __future__ import annotations

import datetime as dt
import random
import re
import string
from collections import Counter
from decimal import Decimal

import pytest

from core.seeding import load_area_seed, load_category_seed
from core.text_input import normalise_phone
from souq_cli.demo_data import ad_text
from souq_cli.demo_data.ad_vocabulary import COMMON_SLOTS, PROFILES
from souq_cli.demo_data.generator import generate_ads

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
ARABIC_INDIC = re.compile(r"[٠-٩]")
LATIN_DIGIT = re.compile(r"[0-9]")
PHONE = re.compile(r"^(\+963 ?9|00963 ?9|09|٠٩)[0-9٠-٩ ]+$")


@pytest.fixture(scope="module")
def seeds():
    return load_category_seed(), load_area_seed()


def generated(seeds, count: int, seed: int) -> list[dict]:
    categories, areas = seeds
    return list(generate_ads(count, seed, categories, areas, NOW))


@pytest.fixture(scope="module")
def ads(seeds):
    return generated(seeds, 2000, 7)


def test_same_seed_same_ads_other_seed_differs(seeds):
    first = generated(seeds, 200, 42)
    assert first == generated(seeds, 200, 42)
    other = generated(seeds, 200, 43)
    assert [a["title"] for a in first] != [a["title"] for a in other]


def test_generator_does_not_touch_global_random(seeds):
    random.seed(1)
    expected = random.random()
    random.seed(1)
    generated(seeds, 50, 1)
    assert random.random() == expected


def test_fields_are_well_formed(ads, seeds):
    categories, areas = seeds
    parents = {c["parent"] for c in categories if c["parent"]}
    leaves = {c["slug"] for c in categories} - parents
    places = {a["slug"]: a for a in areas if a["kind"] in ("city", "neighbourhood")}
    for ad in ads:
        assert 3 <= len(ad["title"]) <= 120 and "{" not in ad["title"]
        assert len(ad["description"]) <= 5000 and "{" not in ad["description"]
        assert ad["category"] in leaves
        assert ad["area"] in places
        if ad["lat"] is None:
            assert ad["lon"] is None
        else:
            area = places[ad["area"]]
            assert abs(ad["lat"] - area["lat"]) < 0.03 and abs(ad["lon"] - area["lon"]) < 0.04
        if ad["price"] is not None:
            assert Decimal(ad["price"]) >= 0
        assert ad["currency"] in ("SYP", "USD")
        assert isinstance(ad["negotiable"], bool)
        assert ad["condition"] in ("new", "used", None)
        assert ad["contact_name"] and len(ad["contact_name"]) <= 80
        assert PHONE.match(ad["contact_phone"]) and len(ad["contact_phone"]) <= 32, ad["contact_phone"]
        assert 0 <= len(ad["images"]) <= 4
        assert all(re.fullmatch(r"demo/[a-z0-9-]+-\d\.jpg", p) for p in ad["images"])
        assert NOW - dt.timedelta(days=90) <= ad["created_at"] <= NOW
        assert ad["status"] in ("active", "withdrawn", "expired")


def test_distribution_is_plausible(ads):
    categories = Counter(a["category"] for a in ads)
    assert len(categories) >= 40
    assert categories.most_common(1)[0][1] < 0.2 * len(ads)
    assert len({a["area"] for a in ads}) >= 40
    statuses = Counter(a["status"] for a in ads)
    assert 0.7 <= statuses["active"] / len(ads) <= 0.95
    assert statuses["withdrawn"] and statuses["expired"]
    assert {a["currency"] for a in ads if a["price"]} == {"SYP", "USD"}
    assert 0.2 <= sum(a["lat"] is None for a in ads) / len(ads) <= 0.4
    assert any(a["price"] is None for a in ads if a["category"].startswith("jobs-"))
    assert {a["condition"] for a in ads} == {"new", "used", None}
    texts = [a["title"] + a["description"] for a in ads]
    assert sum(bool(ARABIC_INDIC.search(t)) for t in texts) > 0.1 * len(ads)
    assert sum(bool(LATIN_DIGIT.search(t)) for t in texts) > 0.5 * len(ads)
    assert any(ARABIC_INDIC.search(a["contact_phone"]) for a in ads)
    assert any(a["contact_phone"].startswith("+963") for a in ads)


def test_prices_are_realistic_per_category(ads):
    def usd(slug):
        return [Decimal(a["price"]) for a in ads if a["category"] == slug and a["currency"] == "USD" and a["price"]]

    assert all(3000 <= p <= 60000 for p in usd("cars"))
    assert all(100 <= p <= 800 for p in usd("apartments-for-rent"))
    assert all(50 <= p <= 1500 for p in usd("mobile-phones"))
    syp_cars = [Decimal(a["price"]) for a in ads if a["category"] == "cars" and a["currency"] == "SYP" and a["price"]]
    assert syp_cars and min(syp_cars) >= 10_000_000


def test_text_carries_the_variants_search_must_forgive(ads):
    text = "\n".join(a["title"] + "\n" + a["description"] for a in ads)
    for variant in ("سياره", "سيارة", "موبايل", "جوال", "براد", "ثلاجة", "كنباية", "Samsung", "سامسونج",
                    "ايفون", "تويوتا", "Toyota", "ال جي", "LG", "\u0640", "مستعمل"):
        assert variant in text, variant
    # A Latin "iPhone" needs the Latin spelling drawn for one brand of one category: a few
    # per 2,000 ads, sometimes none, so Apple's other Latin name counts too.
    assert "iPhone" in text or "Apple" in text
    assert re.search(r"[\u064b-\u0652]", text), "some diacritics"
    assert re.search(r"\b(19|20)\d\d\b", text), "model years"


def test_every_template_fills_from_its_vocabulary():
    fixed = {"area": "حمص", "price_text": "100$", "cond_word": "جديد"}
    for slug, profile in PROFILES.items():
        sources = {**COMMON_SLOTS, **profile.slots, **{k: [v] for k, v in fixed.items()}}
        for template in profile.titles + profile.lines + list(profile.closing or ()):
            names = {n for _, n, _, _ in string.Formatter().parse(template) if n}
            missing = names - sources.keys()
            assert not missing, f"{slug}: {template!r} lacks {missing}"


def test_every_leaf_category_has_a_profile(seeds):
    categories, _ = seeds
    parents = {c["parent"] for c in categories if c["parent"]}
    leaves = {c["slug"] for c in categories} - parents
    assert leaves <= PROFILES.keys(), leaves - PROFILES.keys()


def test_typing_noise_helpers():
    rng = random.Random(3)
    stretched = ad_text.stretch("لابتوب", rng)
    assert "\u0640" in stretched and stretched.replace("\u0640", "") == "لابتوب"
    assert ad_text.stretch("دار", rng) == "دار"  # no joining pair: unchanged
    style = ad_text.TypingStyle(drop_hamza=1, taa_as_haa=1, yaa_swap=0, diacritics=0, tatweel=0,
                                digits="arabic", typo=0, elongate=0, emoji=0)
    assert ad_text.roughen("أثاث سيارة 2015 Toyota", style, rng) == "اثاث سياره ٢٠١٥ Toyota"


def test_the_fast_helpers_agree_with_the_plain_ones():
    rng = random.Random(11)
    for _ in range(2000):
        typed, stored = ad_text.syrian_mobile_and_stored(rng)
        assert normalise_phone(typed) == stored, typed
    text = "سيارة 2015 موديل ١٩٩٨ 0123456789"
    assert ad_text.to_arabic_indic(text) == text.translate(ad_text.ARABIC_INDIC)


def test_one_draw_style_picker_keeps_the_proportions():
    fast, slow = ad_text.style_picker(), ad_text.pick_style
    rng_fast, rng_slow = random.Random(1), random.Random(2)
    n = 40_000
    fast_styles = Counter(fast(rng_fast) for _ in range(n))
    slow_styles = Counter(slow(rng_slow) for _ in range(n))
    assert fast_styles.keys() == slow_styles.keys()
    for style, count in slow_styles.items():
        assert abs(fast_styles[style] - count) < 0.012 * n, style


def test_whole_text_habits_touch_only_arabic_words():
    rng = random.Random(5)
    style = ad_text.TypingStyle(drop_hamza=0, taa_as_haa=0, yaa_swap=0, diacritics=0, tatweel=1,
                                digits="latin", typo=0, elongate=0, emoji=0)
    for _ in range(200):
        out = ad_text.finish("iPhone 13 Pro\nلابتوب HP جديد", style, rng, title=True)
        assert "iPhone 13 Pro\n" in out and " HP " in out
        assert out.replace("\u0640", "") == "iPhone 13 Pro\nلابتوب HP جديد"
