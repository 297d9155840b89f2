"""The Arabic analysis chain, rule by rule, through the real engine's `_analyze`.

One test per phenomenon of search_config/settings.json, on a scratch index
created from the production body (unique name, deleted afterwards). OpenSearch
must be reachable: these tests fail, never skip, without it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from opensearchpy import OpenSearch

from search_config.loader import bare_word, index_body, read_word_list, stem_word
from souq_cli.arabic_eval import read_cases
from tests.integration.conftest import scratch_analysis_index

pytestmark = pytest.mark.integration

STEMMED, SEARCH, EXACT = "souq_arabic", "souq_arabic_search", "souq_exact"
OWN_DEV_SET = Path(__file__).resolve().parents[2] / "tests" / "eval"
AUTOCOMPLETE = "souq_autocomplete_index"


@pytest.fixture(scope="module")
def engine() -> Iterator[tuple[OpenSearch, str]]:
    with scratch_analysis_index("arabic-analysis") as scratch:
        yield scratch


@pytest.fixture(scope="module")
def analyze(engine: tuple[OpenSearch, str]):
    client, index = engine

    def tokens(text: str, analyzer: str = STEMMED) -> list[str]:
        response = client.indices.analyze(index=index, body={"analyzer": analyzer, "text": text})
        return [token["token"] for token in response["tokens"]]

    return tokens


def test_persian_and_urdu_letters_fold_to_arabic(analyze) -> None:
    assert analyze("کرسی مکتب") == analyze("كرسي مكتب")
    assert analyze("ھاتف", EXACT) == analyze("هاتف", EXACT)


def test_veh_and_peh_in_loanwords(analyze) -> None:
    assert analyze("ڤيلا") == analyze("فيلا")
    assert analyze("پيتزا") == analyze("بيتزا")


def test_presentation_forms_fold_to_letters(analyze) -> None:
    glyphs = {unicodedata.normalize("NFKC", chr(cp)): chr(cp) for cp in range(0xFEFC, 0xFE7F, -1)}
    word = "لابتوب مكيف"
    pasted = "".join(glyphs.get(char, char) for char in word)
    assert pasted != word
    assert analyze(pasted, EXACT) == analyze(word, EXACT)


def test_invisible_characters_inside_words_are_dropped(analyze) -> None:
    assert analyze("اي\u200cفون\u200f", EXACT) == ["ايفون"]


def test_arabic_indic_and_persian_digits_fold_to_ascii(analyze) -> None:
    assert analyze("١٣ ۱۵۰۰") == ["13", "1500"]
    assert analyze("١٬٥٠٠ 1,500 2.5") == ["1500", "1500", "2.5"]


def test_letters_glued_to_digits_split(analyze) -> None:
    assert analyze("ايفون13", EXACT) == ["ايفون", "13"]
    assert analyze("ايفون١٣", EXACT) == ["ايفون", "13"]
    assert analyze("2018م", EXACT) == ["2018", "م"]


def test_numbers_are_never_stemmed_or_merged(analyze) -> None:
    assert analyze("موديل 2018") == ["موديل", "2018"]
    assert analyze("2018") != analyze("2008")


def test_latin_is_lowercased(analyze) -> None:
    assert analyze("IPHONE iPhone") == ["iphone", "iphone"]


def test_normaliser_folds_hamza_alef_taa_yaa_harakat_tatweel(analyze) -> None:
    assert analyze("أثاث إطار آيفون", EXACT) == analyze("اثاث اطار ايفون", EXACT)
    assert analyze("سيارة مستشفى", EXACT) == analyze("سياره مستشفي", EXACT)
    assert analyze("كَنَبَة لابـــتوب", EXACT) == analyze("كنبة لابتوب", EXACT)


def test_hamza_seats_fold_together(analyze) -> None:
    assert analyze("مسؤول") == analyze("مسئول")
    assert analyze("شاطئ", EXACT) == analyze("شاطيء", EXACT)


def test_hamza_seats_typed_as_plain_letters(analyze) -> None:
    assert analyze("مسؤول") == analyze("مسوول") == analyze("مسئول")
    assert analyze("رؤوس") == analyze("رووس") == analyze("رءوس")
    assert analyze("سائق") == analyze("سايق")
    assert analyze("طائرة") == analyze("طايرة")
    assert analyze("هيئة") == analyze("هيية") == analyze("الهيئة")
    assert analyze("بيئة") == analyze("بيية") != analyze("بي")  # never stemmed to the B of «بي ام دبليو»


def test_hamza_seats_keep_words_apart_where_a_plain_letter_would_merge_them(analyze) -> None:
    assert analyze("رئة") != analyze("ري")  # ئ after a consonant is not ي
    assert analyze("فئة") != []  # not the stop word فيه
    assert analyze("كهربائي") == analyze("كهربائية") == analyze("كهرباء")  # the nisba stems like the noun


def test_final_hamza_after_alef_may_be_left_out(analyze) -> None:
    assert analyze("بناء") == analyze("بنا") == analyze("البناء") == analyze("وبناء")
    assert analyze("إنشاء") == analyze("انشا") == analyze("إنشاءات")
    assert analyze("كهربا") == analyze("كهرباء")
    assert analyze("ماء") == ["ماء"] and analyze("ولاء") != analyze("لا")
    assert analyze("اناء") != analyze("انا") and analyze("جزء") != analyze("جز")


def test_loader_mirrors_the_engine_on_every_word_of_the_dev_set(analyze) -> None:
    """normalise_word/bare_word (exact field) and stem_word (stemmed field, words no list touches)."""
    listed = {bare_word(entry) for name in ("protected_words.txt", "distinct_feminine_nouns.txt")
              for entry in read_word_list(name)}
    listed |= {bare_word(rule.split("=>")[0].strip()) for rule in read_word_list("stem_overrides.txt")}
    words = {word for case in read_cases(OWN_DEV_SET) for text in (case.query, *case.ads)
             for word in re.findall(r"[\u0600-\u06FF]+", text)}
    for word in sorted(words):
        exact = analyze(word, EXACT)
        if not exact:
            continue  # a stop word
        assert exact == [bare_word(word)], word
        if bare_word(word) not in listed:
            assert analyze(word) == [stem_word(word)], word


def test_stop_words_go_but_negations_stay(analyze) -> None:
    assert analyze("شقة في عبدون") == analyze("شقة عبدون")
    for negation in ("غير", "بدون", "لا", "لم", "ليس"):
        assert analyze(f"{negation} مستعمل", EXACT)[0] == negation


def test_article_and_single_clitics(analyze) -> None:
    for form in ("الهاتف", "بالهاتف", "كالهاتف", "للهاتف", "والهاتف", "فالهاتف"):
        assert analyze(form) == analyze("هاتف"), form


def test_stacked_clitics(analyze) -> None:
    for form in ("وبالضمان", "فبالضمان", "وللضمان", "وكالضمان"):
        assert analyze(form) == analyze("ضمان"), form


def test_hamza_initial_al_words_meet_their_article_forms(analyze) -> None:
    assert analyze("ألعاب") == analyze("الألعاب") == analyze("العاب")
    assert analyze("الإلكترونيات") == analyze("إلكترونيات")


def test_short_words_keep_a_lexical_al(analyze) -> None:
    assert analyze("آلة") == analyze("آلات") == analyze("الآلة")
    assert analyze("آلة") != analyze("ال")  # «ال جي» is not a machine
    assert analyze("اليد") == analyze("يد")


def test_duals_meet_their_singular(analyze) -> None:
    assert analyze("غرفتين") == analyze("غرفة")
    assert analyze("سيارتان") == analyze("سيارة")
    assert analyze("فستان") != analyze("فس")
    assert analyze("بروتين") != analyze("برو")


def test_light_stemmer_joins_sound_plurals_and_feminine(analyze) -> None:
    assert analyze("محلات") == analyze("محل")
    assert analyze("مبرمجون") == analyze("مبرمجين") == analyze("مبرمج")
    assert analyze("كبيرة") == analyze("كبير")


def test_protected_words_are_not_stemmed_into_other_words(analyze) -> None:
    assert analyze("لبنان") != analyze("لبن")
    assert analyze("زيتون") != analyze("زيت")
    assert analyze("كرتون") != analyze("كرت")
    assert analyze("ايفون") == ["ايفون"]


def test_distinct_feminine_nouns_stay_apart_from_the_short_word(analyze) -> None:
    assert analyze("مكتبة") != analyze("مكتب")
    assert analyze("المدرسة") != analyze("مدرس")
    assert analyze("مكتبات") == analyze("مكتبة")


def test_broken_plurals_are_overridden(analyze) -> None:
    assert analyze("شقق") == analyze("شقة")
    assert analyze("هواتف") == analyze("هاتف")
    assert analyze("كراسي") == analyze("كرسي")


def test_loader_folds_every_list_entry_as_the_engine_does(analyze) -> None:
    for word in read_word_list("stopwords.txt"):
        assert analyze(word, EXACT) == [], word
    for word in read_word_list("protected_words.txt") + read_word_list("distinct_feminine_nouns.txt"):
        assert analyze(word) == analyze(word, EXACT), word
    for rule in read_word_list("stem_overrides.txt"):
        form, singular = (side.strip() for side in rule.split("=>"))
        assert analyze(form) == analyze(singular), rule
    assert analyze("وسادة") == [stem_word("وسادة")]
    filters = index_body()["settings"]["analysis"]["filter"]
    for rule in filters["souq_stem_overrides"]["rules"]:  # as assembled, generated ones included
        form, target = rule.split(" => ")
        assert analyze(form) == [target], rule
    for word in filters["souq_protected"]["keywords"]:
        assert analyze(word) == [word], word


def test_synonyms_apply_at_search_time_only(analyze) -> None:
    assert {"جوال", "هاتف"} <= set(analyze("موبايل", SEARCH))
    assert analyze("موبايل") == ["موبايل"]
    assert {"iphone", "ايفون"} <= set(analyze("ايفون", SEARCH))
    assert {"بي", "ام", "دبليو"} <= set(analyze("BMW", SEARCH))


def test_synonyms_see_normalised_words_and_feed_the_stemmer(analyze) -> None:
    assert set(analyze("الجوال", SEARCH)) == set(analyze("موبايل", SEARCH))
    assert "سيار" in analyze("موتر", SEARCH)
    assert "شق" in analyze("بيت", SEARCH)


def test_synonyms_keep_different_things_apart(analyze) -> None:
    assert analyze("شقة", SEARCH) == ["شق"]
    assert "عرب" not in analyze("سيارة", SEARCH)


def test_exact_field_normalises_but_never_stems(analyze) -> None:
    assert analyze("الجامعة", EXACT) == ["جامعه"]
    assert analyze("الجامع", EXACT) == ["جامع"]
    assert analyze("مكيفات", EXACT) == ["مكيفات"]


def test_autocomplete_grams_are_unstemmed_without_article(analyze) -> None:
    grams = analyze("السيارة", AUTOCOMPLETE)
    assert grams[:3] == ["سي", "سيا", "سيار"] and "سياره" in grams
    assert not any(gram.startswith("ال") for gram in grams)


def test_synonym_reload_swaps_in_new_rules_without_reindexing(engine) -> None:
    from indexer.synonyms import live_synonyms, reload_synonyms
    from search_config.loader import body_fingerprint

    client, scratch = engine
    alias = f"{scratch}-reload"
    old_body = index_body()
    old_body["settings"]["analysis"]["filter"]["souq_synonyms"]["synonyms"] = ["قطة, بسة"]
    old = f"{alias}-{body_fingerprint(old_body)}-1"
    client.indices.create(index=old, body=old_body)
    try:
        client.indices.put_alias(index=old, name=alias)
        client.index(index=alias, id="1", body={"id": 1, "title": "جوال سامسونج", "status": "active"},
                     params={"require_alias": "true"})  # not refreshed: the flush must keep it
        report = reload_synonyms(client, alias)
        assert report["changed"] and report["previous"] == old
        new = report["index"]
        assert list(client.indices.get_alias(name=alias)) == [new]
        assert not client.indices.exists(index=old)
        assert live_synonyms(client, new) == index_body()["settings"]["analysis"]["filter"][
            "souq_synonyms"]["synonyms"]
        client.indices.refresh(index=alias)
        hits = client.search(index=alias, body={"query": {"match": {"title": "موبايل"}}})["hits"]["hits"]
        assert [hit["_id"] for hit in hits] == ["1"]
        client.index(index=alias, id="2", body={"id": 2, "title": "براد", "status": "active"},
                     params={"require_alias": "true", "refresh": "true"})  # writes flow again
        assert reload_synonyms(client, alias)["changed"] is False
    finally:
        client.indices.delete(index=f"{alias}-*", ignore_unavailable=True)
