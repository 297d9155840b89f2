"""The near-duplicate rule on examples: what a reposted ad looks like, and what a seller's other items look like."""

from __future__ import annotations

from typing import Any

import pytest

from core.duplicates import AdText, duplicate_key, find_duplicate, is_near_duplicate, jaccard, words
from core.text_input import all_ascii_digits, normalise_phone

CAR_DESCRIPTION = "السيارة بحالة ممتازة، فحص كامل، السعر 5000 دولار قابل للتفاوض. للتواصل واتساب"
BOILERPLATE = ("معرض الأمانة للسيارات: فحص كامل، ضمان سنة، تقسيط مريح، نقل ملكية فوري. "
               "للتواصل واتساب أو اتصال من 9 صباحاً حتى 9 مساءً")

NEAR_DUPLICATES = [
    ("reordered words", ("كيا ريو 2015 للبيع", CAR_DESCRIPTION), ("للبيع كيا ريو 2015", CAR_DESCRIPTION)),
    ("emoji and a new price", ("كيا ريو 2015 للبيع", CAR_DESCRIPTION),
     ("🔥 كيا ريو 2015 للبيع 🔥", CAR_DESCRIPTION.replace("5000", "5500"))),
    ("Arabic-Indic digits", ("كيا ريو 2015", CAR_DESCRIPTION),
     ("كيا ريو ٢٠١٥", CAR_DESCRIPTION.replace("5000", "٥٠٠٠"))),
    ("an added word", ("كيا ريو 2015 للبيع", CAR_DESCRIPTION), ("كيا ريو 2015 للبيع مستعجل", CAR_DESCRIPTION)),
    ("price in the title", ("كيا ريو 2015 بسعر 5000$", CAR_DESCRIPTION),
     ("كيا ريو 2015 بسعر 5500$", CAR_DESCRIPTION)),
    ("hamza and taa marbuta", ("سيارة أوبل أسترا", "نظيفة جداً"), ("سياره اوبل استرا", "نظيفه جدا")),
    ("no description", ("غسالة سامسونج 8 كيلو", ""), ("غسالة سامسونج ٨ كيلو!!", "")),
]
DIFFERENT_ITEMS = [
    ("two cars, one dealer's boilerplate", ("كيا ريو 2015 أوتوماتيك", BOILERPLATE),
     ("هيونداي النترا 2012 عادي", BOILERPLATE)),
    ("the next model", ("ايفون 12 برو", "نظيف جداً مع العلبة والشاحن"),
     ("ايفون 13 برو", "نظيف جداً مع العلبة والشاحن")),
    ("two flats of one agent", ("شقة للبيع في المزة 3 غرف", "مساحة 120 متر، الطابق الثاني، إكساء ديلوكس"),
     ("شقة للبيع في المالكي غرفتين", "مساحة 90 متر، الطابق الرابع، إكساء جيد")),
    ("same title, other things", ("غرفة نوم", "خشب زان، 6 قطع، مستعملة سنتين"),
     ("غرفة نوم", "أطفال، سريرين وخزانة، لون أبيض، جديدة")),
]


@pytest.mark.parametrize("name, first, second", NEAR_DUPLICATES, ids=[case[0] for case in NEAR_DUPLICATES])
def test_a_reposted_ad_is_a_near_duplicate(name, first, second):
    assert is_near_duplicate(AdText.of(*first), AdText.of(*second))


@pytest.mark.parametrize("name, first, second", DIFFERENT_ITEMS, ids=[case[0] for case in DIFFERENT_ITEMS])
def test_a_sellers_different_items_are_not(name, first, second):
    assert not is_near_duplicate(AdText.of(*first), AdText.of(*second))


def test_words_fold_digits_symbols_and_spelling():
    assert words("السيارة، ٢٠١٥ 🔥") == words("سياره 2015")
    assert jaccard(frozenset(), frozenset()) == 1.0


def test_find_duplicate_names_the_first_match():
    new = AdText.of("كيا ريو 2015", CAR_DESCRIPTION)
    existing = [(1, AdText.of("ايفون 12", "")), (2, AdText.of("ريو كيا 2015", CAR_DESCRIPTION))]
    assert find_duplicate(new, existing) == 2
    assert find_duplicate(new, existing[:1]) is None


def test_duplicate_key_folds_order_symbols_and_digit_scripts_but_not_other_items_or_sellers():
    key = duplicate_key("0944123456", "كيا ريو 2015 للبيع", CAR_DESCRIPTION)
    assert key == duplicate_key("0944123456", "🔥 للبيع كيا ريو ٢٠١٥", CAR_DESCRIPTION.replace("5000", "٥٠٠٠"))
    assert key != duplicate_key("0944123456", "كيا ريو 2016 للبيع", CAR_DESCRIPTION)
    assert key != duplicate_key("0944123457", "كيا ريو 2015 للبيع", CAR_DESCRIPTION)
    assert key != duplicate_key("0944123456", "هيونداي النترا 2012 للبيع", CAR_DESCRIPTION)
    assert "0944" not in key and len(key) == 4 + 1 + 16


@pytest.mark.parametrize("typed", ["0944123456", "٠٩٤٤ ١٢٣ ٤٥٦", "۰۹۴۴۱۲۳۴۵۶", "０９４４１２３４５６",
                                   "०९४४१२३४५६", "০৯৪৪-১২৩-৪৫৬", "𝟎𝟗𝟒𝟒𝟏𝟐𝟑𝟒𝟓𝟔", "(0944) 123.456"])
def test_every_digit_script_gives_one_stored_phone(typed):
    assert normalise_phone(typed) == "0944123456"


def test_fullwidth_plus_and_double_zero_give_the_international_form():
    assert normalise_phone("＋９６３ ９４４ １２３ ４５６") == "+963944123456"
    assert normalise_phone("00963944123456") == "+963944123456"
    assert normalise_phone("0944x123") is None


def test_all_ascii_digits_leaves_other_text_alone():
    assert all_ascii_digits("غرفة ٣ و۴ ３ ३") == "غرفة 3 و4 3 3"


def test_fold_copies_keeps_the_best_ranked_copy_and_ads_without_a_key():
    from service.search.duplicate_fold import fold_copies

    hits: list[dict[str, Any]] = [{"_source": {"id": 1, "duplicate_key": "a"}}, {"_source": {"id": 2}},
            {"_source": {"id": 3, "duplicate_key": "a"}}, {"_source": {"id": 4, "duplicate_key": "b"}},
            {"_source": {"id": 5}}]
    assert [hit["_source"]["id"] for hit in fold_copies(hits)] == [1, 2, 4, 5]


def test_a_shared_photo_hash_is_a_duplicate_whatever_the_text():
    first = AdText.of("كيا ريو", "", photos=frozenset({"p:ab12"}))
    assert is_near_duplicate(first, AdText.of("سيارة للبيع", "مستعجل", photos=frozenset({"p:ab12", "p:cd34"})))
    assert not is_near_duplicate(first, AdText.of("سيارة للبيع", "مستعجل", photos=frozenset({"p:cd34"})))
