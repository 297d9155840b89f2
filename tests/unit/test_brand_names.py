"""The brand lexicon (search_config/brand_names.tsv) as data: well-formed rows, one home
per spelling as the analyser folds and stems it, no stop word or everyday ad word as a
spelling, look-alike makes apart, and the rings spliced into the search-time synonyms."""

from __future__ import annotations

import re

import pytest

from search_config import loader
from search_config.loader import (
    BRAND_KINDS,
    brand_vocabulary,
    index_body,
    indexed_tokens,
    read_brand_names,
    read_word_list,
)

LEXICON = "brand_names.tsv"
LATIN = re.compile(r"[a-z]+(?: [a-z]+)*")
ARABIC = re.compile(r"[\u0621-\u064A]+(?: [\u0621-\u064A]+)*")
# Words of ad text that say nothing about the item: a name must never be one of them.
GENERIC = ["مستعمل", "جديد", "للبيع", "للإيجار", "مطلوب", "بحالة", "ممتاز", "نظيف", "اصلي", "موديل",
           "سيارة", "جوال", "ساعة", "لون", "new", "used", "sale", "model", "original", "car", "phone"]
# (one name, a look-alike that must stay another name or none)
LOOK_ALIKES = [("honda", "هيونداي"), ("hyundai", "هوندا"), ("hyundai", "هونداي"), ("seat", "سايبا"),
               ("saipa", "سيات"), ("opel", "ابل"), ("apple", "اوبل"), ("oppo", "اوبل"), ("redmi", "ريلمي"),
               ("realme", "ريدمي"), ("camry", "كاميرا"), ("patrol", "بترول"), ("prado", "برايد"),
               ("cruze", "كروزر"), ("chery", "شيفروليه"), ("honor", "هوندا"), ("peugeot", "بيج"),
               ("kia", "كيس")]


@pytest.fixture(scope="module")
def rows() -> list[loader.BrandName]:
    return read_brand_names(LEXICON)


def _home(rows: list[loader.BrandName]) -> dict[tuple[str, ...], int]:
    return {tuple(indexed_tokens(spelling)): row.line for row in rows for spelling in row.spellings}


def test_the_header_says_what_and_which_version() -> None:
    text = (loader.resources.files(loader.PACKAGE) / LEXICON).read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert re.search(r"Version \d+, \d{4}-\d{2}-\d{2}", comments)
    assert "Rules of the house" in comments and "To add an entry" in comments


def test_rows_are_well_formed(rows: list[loader.BrandName]) -> None:
    assert len(rows) >= 150
    assert {row.kind for row in rows} == set(BRAND_KINDS)
    for row in rows:
        assert row.latin and row.arabic, row.line
        assert all(LATIN.fullmatch(form) for form in row.latin), row
        assert all(ARABIC.fullmatch(form) for form in row.arabic), row
        assert len(set(row.spellings)) == len(row.spellings), row


def test_no_two_spellings_of_a_row_fold_alike(rows: list[loader.BrandName]) -> None:
    """أكورد and اكورد are one spelling to the analyser: write it once."""
    for row in rows:
        folded = [tuple(indexed_tokens(spelling)) for spelling in row.spellings]
        assert len(set(folded)) == len(folded), row


def test_every_spelling_folds_to_words_none_of_them_a_stop_word(rows: list[loader.BrandName]) -> None:
    stop = loader.stop_words()
    for row in rows:
        for spelling in row.spellings:
            assert indexed_tokens(spelling), (row.line, spelling)
            # A stop word inside a name is allowed (سانتا في), a name of stop words only is not.
            assert any(loader.normalise_word(word) not in stop for word in spelling.split()), spelling


def test_one_home_per_spelling_as_the_analyser_sees_it(rows: list[loader.BrandName]) -> None:
    homes: dict[tuple[str, ...], int] = {}
    for row in rows:
        for spelling in row.spellings:
            tokens = tuple(indexed_tokens(spelling))
            assert homes.setdefault(tokens, row.line) == row.line, (spelling, tokens, homes[tokens])


def test_no_name_is_a_generic_ad_word(rows: list[loader.BrandName]) -> None:
    generic = {tuple(indexed_tokens(word)) for word in GENERIC}
    assert not generic & set(_home(rows))


def test_no_name_is_also_a_ring_of_synonyms_txt(rows: list[loader.BrandName]) -> None:
    """One home across both files: brand rings moved out of synonyms.txt, not copied."""
    words = {word.strip() for rule in read_word_list("synonyms.txt") for word in re.split(r",|=>", rule)}
    assert not {tuple(indexed_tokens(word)) for word in words} & set(_home(rows))


@pytest.mark.parametrize(("latin", "look_alike"), LOOK_ALIKES)
def test_look_alike_makes_stay_apart(rows: list[loader.BrandName], latin: str, look_alike: str) -> None:
    home = _home(rows)
    row = next(row for row in rows if latin in row.latin)
    assert home.get(tuple(indexed_tokens(look_alike))) != row.line


def test_each_row_is_one_ring_after_the_word_list_rules(rows: list[loader.BrandName]) -> None:
    rules = index_body()["settings"]["analysis"]["filter"]["souq_synonyms"]["synonyms"]
    word_list = loader.synonym_rules("synonyms.txt", None, "dialect_words.tsv")  # merged rings first
    assert rules[: len(word_list)] == word_list
    assert rules[len(word_list):] == [row.synonym_rule() for row in rows]
    assert "land cruiser, landcruiser, لاند كروزر, لاندكروزر" in rules


@pytest.mark.parametrize(("line", "error"), [
    ("car_make\ttoyota\tتويوتا", "3 columns"),
    ("car\ttoyota\tتويوتا\t", "unknown kind"),
    ("car_make\ttoyota|\tتويوتا\t", "empty spelling"),
    ("car_make\thyundai\tهيونداي|هونداي\t", "'هونداي' reads as 'هوندا' of line 3"),
    ("phone_make\toneplus\tوان بلس\t", "'وان بلس' reads as 'بلس' of line 4"),
    ("car_make\tfi\tفي\t", "only stop words"),
])
def test_malformed_rows_are_refused_with_their_line(monkeypatch, line: str, error: str) -> None:
    text = f"# a lexicon\nkind\tlatin\tarabic\tnote\ncar_make\thonda\tهوندا\t\nphone_model\tplus\tبلس\t\n{line}\n"

    class File:
        def joinpath(self, name: str) -> File:
            return self

        def read_text(self, encoding: str) -> str:
            return text

    monkeypatch.setattr(loader.resources, "files", lambda package: File())
    with pytest.raises(ValueError, match=f"bad.tsv:5: .*{error}"):
        loader.synonym_rules([], "bad.tsv")


def test_the_vocabulary_holds_every_spelling_as_users_type_it() -> None:
    vocabulary = brand_vocabulary()
    assert {"realme", "ريلمي", "ريدمي", "land cruiser", "لاند كروزر", "بي ام دبليو"} <= vocabulary
    assert loader.normalise_word("أكورد") in vocabulary  # folded: أ -> ا
    assert "هونداي" not in vocabulary and "تفاح" not in vocabulary
