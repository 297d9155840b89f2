"""Prices and places written in the query text (pure: no services)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search_config.arabic_fold import fold
from service.search.understanding import understand
from tests.unit.test_search_params import AREAS


def found(text: str, currency: str | None = None):
    result = understand(text, AREAS, currency)
    return result, {item["type"]: item for item in result.found}


@pytest.mark.parametrize("text, rest, low, high, currency", [
    ("شقة للإيجار تحت ٥٠٠ دولار", "شقة للإيجار", None, 500, "USD"),
    ("سيارة بأقل من 10 مليون", "سيارة", None, 10_000_000, "SYP"),
    ("سيارة باقل من ١٠ ملايين ليرة", "سيارة", None, 10_000_000, "SYP"),
    ("لابتوب فوق 300 $", "لابتوب", 300, None, "USD"),
    ("بيت بين 100 و 200 ألف دولار", "بيت", 100_000, 200_000, "USD"),
    ("أرض من ٥ الى ٨ مليون", "أرض", 5_000_000, 8_000_000, "SYP"),
    ("غسالة حتى 2.5 مليون", "غسالة", None, 2_500_000, "SYP"),
    ("براد دون 900000", "براد", None, 900_000, "SYP"),
    ("موبايل بحد أقصى 200 usd", "موبايل", None, 200, "USD"),
])
def test_prices_are_understood(text, rest, low, high, currency):
    result, items = found(text)
    assert result.text == rest
    assert (result.price_min, result.price_max, result.currency) == (
        None if low is None else Decimal(low), None if high is None else Decimal(high), currency)
    assert items["price"]["applied"]


def test_a_price_without_a_clear_currency_is_reported_not_applied():
    result, items = found("غسالة تحت 500")
    assert result.text == "غسالة تحت 500" and result.price_max is None
    assert items["price"]["applied"] is False and items["price"]["currency"] is None
    applied, items = found("غسالة تحت 500", currency="USD")
    assert applied.text == "غسالة" and applied.currency == "USD"


def test_numbers_that_are_not_prices_stay_text():
    for text in ("كامري 2018", "آيفون 13 برو", "شقة 3 غرف", "بيت 200 متر"):
        result, items = found(text)
        assert result.text == text and "price" not in items


@pytest.mark.parametrize("text, rest, slug", [
    ("شقة للإيجار في حمص", "شقة للإيجار", "homs"),
    ("سيارة بحلب", "سيارة", "aleppo"),
    ("لابتوب في المزة", "لابتوب", "mezzeh"),
    ("شقة في المزه", "شقة", "mezzeh"),
    ("موبايل اللاذقيه", "موبايل", "latakia"),
    ("بيت دير الزور", "بيت", "deir-ez-zor"),
    ("شقة الشام", "شقة", "damascus"),
])
def test_places_are_understood(text, rest, slug):
    result, items = found(text)
    assert result.text == rest and result.area is not None and result.area.slug == slug
    assert items["area"]["applied"]


@pytest.mark.parametrize("text", ["شقة الطبقة الثانية", "باب حديد", "سيارة حمراء", "طاولة المزة",
                                  "كسب مال", "سجادة الباب"])
def test_everyday_words_and_bare_small_places_are_not_places(text):
    result, items = found(text)
    assert result.text == text and "area" not in items


def test_both_together_keep_the_original_spelling_of_the_rest():
    result, items = found("شقةٌ للإيجار في حمص تحت ٥٠٠ دولار مفروشة")
    assert result.text == "شقةٌ للإيجار مفروشة"
    assert items["area"]["text"] == "في حمص" and items["price"]["text"] == "تحت ٥٠٠ دولار"


def test_fold():
    assert fold("أإآٱ ة ى ـــ ٣") == "اااا ه ي  3"
    assert fold("مَدْرَسَة") == "مدرسه"


def test_hostile_text_is_harmless():
    for text in ("تحت " + "9" * 500 + " مليون", "(" * 100, "في " * 70):
        result = understand(text, AREAS)
        assert result.price_max is None and result.price_min is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["تحت", "بأقل من", "بين", "و", "مليون", "ألف", "دولار", "ليرة",
                                           "في", "حمص", "بحلب", "٥٠٠", "10", "1.5", "9" * 30, "من", "الى"]),
                          st.text(max_size=8)), max_size=12))
def test_any_text_is_understood_without_error(words):
    text = " ".join(words)
    result = understand(text, AREAS)
    assert len(result.text) <= len(text)
    for value in (result.price_min, result.price_max):
        assert value is None or 0 <= value < Decimal("1000000000000")
