"""search_config as data: the assembled index body, the word lists, the loader's
folding of list entries, the keyword query and the eval's pure parts. No services."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from search_config import fields as F
from search_config.loader import (
    bare_word,
    body_fingerprint,
    fingerprint,
    index_body,
    normalise_word,
    read_word_list,
    stem_word,
)
from service.search.query import SearchParams, build_search_body
from service.search.text_query import highlight_spec, keyword_clause
from souq_cli.arabic_eval import Case, corpus_ids, judge, read_cases, summary_line

BUILTIN_FILTERS = {"lowercase", "decimal_digit", "arabic_normalization", "arabic_stem"}
NEGATIONS = ["غير", "بدون", "لا", "لم", "لن", "ليس", "بلا", "دون"]
WORD_LISTS = ["stopwords.txt", "protected_words.txt", "distinct_feminine_nouns.txt",
              "stem_overrides.txt", "synonyms.txt", "letter_forms.txt", "presentation_forms.txt"]


def _analysis() -> dict:
    return index_body()["settings"]["analysis"]


def _text_fields(mappings: dict) -> dict[str, dict]:
    out = {}
    for name, spec in mappings["properties"].items():
        if spec.get("type") == "text":
            out[name] = spec
            for sub, sub_spec in spec.get("fields", {}).items():
                out[f"{name}.{sub}"] = sub_spec
    return out


def test_every_analyzer_the_mappings_name_is_defined() -> None:
    body = index_body()
    analyzers = body["settings"]["analysis"]["analyzer"]
    for field, spec in _text_fields(body["mappings"]).items():
        for key in ("analyzer", "search_analyzer"):
            if key in spec:
                assert spec[key] in analyzers, f"{field}.{key}"


def test_every_filter_an_analyzer_uses_is_defined_or_core() -> None:
    analysis = _analysis()
    for name, analyzer in analysis["analyzer"].items():
        for token_filter in analyzer["filter"]:
            assert token_filter in analysis["filter"] or token_filter in BUILTIN_FILTERS, (name, token_filter)
        for char_filter in analyzer.get("char_filter", []):
            assert char_filter in analysis["char_filter"], (name, char_filter)
        assert analyzer["tokenizer"] in analysis["tokenizer"]


def test_synonyms_are_search_time_only_and_come_before_the_stemmer() -> None:
    analyzers = _analysis()["analyzer"]
    with_synonyms = {name for name, spec in analyzers.items() if "souq_synonyms" in spec["filter"]}
    assert with_synonyms == {"souq_arabic_search"}
    chain = analyzers["souq_arabic_search"]["filter"]
    assert chain.index("arabic_normalization") < chain.index("souq_synonyms") < chain.index("arabic_stem")
    # Index and search chains are the same apart from the synonyms.
    assert [f for f in chain if f != "souq_synonyms"] == analyzers["souq_arabic"]["filter"]


def test_exact_and_autocomplete_never_stem() -> None:
    analyzers = _analysis()["analyzer"]
    for name in ("souq_exact", "souq_autocomplete_index", "souq_autocomplete_search"):
        assert not {"arabic_stem", "souq_stem_overrides", "souq_dual"} & set(analyzers[name]["filter"])


def test_mappings_keep_field_names_and_strictness() -> None:
    mappings = index_body()["mappings"]
    assert mappings["dynamic"] == "strict"
    names = {value for key, value in vars(F).items() if key.isupper() and "." not in str(value)}
    assert names <= set(mappings["properties"])
    fields = _text_fields(mappings)
    assert {F.TITLE_EXACT, F.TITLE_AUTOCOMPLETE, F.DESCRIPTION_EXACT} <= set(fields)


def test_builtin_variant_uses_only_the_arabic_analyzer() -> None:
    fields = _text_fields(index_body("builtin")["mappings"])
    used = {spec[key] for spec in fields.values() for key in ("analyzer", "search_analyzer") if key in spec}
    assert used == {"arabic"}
    assert fingerprint("builtin") != fingerprint("custom")


def test_fingerprint_is_stable_and_tracks_the_body() -> None:
    body = index_body()
    assert body_fingerprint(body) == fingerprint()
    body["settings"]["analysis"]["filter"]["souq_synonyms"]["synonyms"].append("قطة, بسة")
    assert body_fingerprint(body) != fingerprint()


@pytest.mark.parametrize("name", WORD_LISTS)
def test_word_lists_have_no_duplicate_entries(name: str) -> None:
    entries = read_word_list(name)
    assert entries and len(entries) == len(set(entries))


def test_stop_words_keep_negations() -> None:
    stop = set(_analysis()["filter"]["souq_stop"]["stopwords"])
    assert "في" in stop and "من" in stop
    assert not {normalise_word(word) for word in NEGATIONS} & stop


def test_word_list_entries_are_folded_like_the_analyser_folds_text() -> None:
    protected = _analysis()["filter"]["souq_protected"]["keywords"]
    assert "مكتبه" in protected and "مكتبة" not in protected  # ة -> ه
    assert "لبنان" in protected
    assert all(" " not in word for word in protected)


def test_stem_overrides_send_broken_plurals_to_the_singular_stem() -> None:
    rules = dict(rule.split(" => ") for rule in _analysis()["filter"]["souq_stem_overrides"]["rules"])
    assert rules["شقق"] == stem_word("شقة") == "شق"
    assert rules["هواتف"] == "هاتف"
    assert rules["مكتبات"] == "مكتبه"  # protected singular stays whole


def test_overrides_that_fold_to_one_form_with_two_targets_are_refused(monkeypatch) -> None:
    from search_config import loader

    lists = {"rules.txt": ["الشقق => شقة", "شقق => غرفة"], "none.txt": []}
    real = loader.read_word_list
    monkeypatch.setattr(loader, "read_word_list", lambda name: lists[name] if name in lists else real(name))
    with pytest.raises(ValueError, match="شقق"):
        loader.stem_override_rules("rules.txt", ["none.txt"], "none.txt")


def test_protected_words_send_their_sound_plural_to_themselves() -> None:
    rules = dict(rule.split(" => ") for rule in _analysis()["filter"]["souq_stem_overrides"]["rules"])
    assert rules["تلفونات"] == "تلفون" and rules["حيوانات"] == "حيوان"
    assert "جدات" not in rules  # grandmothers, not Jeddah


def test_presentation_forms_file_matches_unicode_nfkc() -> None:
    expected = []
    for cp in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)]:
        char = chr(cp)
        folded = unicodedata.normalize("NFKC", char)
        if unicodedata.category(char) == "Cn" or folded == char:
            continue
        folded = folded.strip()
        if all(unicodedata.category(c).startswith("M") for c in folded):
            folded = ""
        expected.append(f"\\u{cp:04X}=>{folded}")
    assert read_word_list("presentation_forms.txt") == expected


def test_letter_form_rules_are_escaped_mappings() -> None:
    for rule in read_word_list("letter_forms.txt"):
        assert re.fullmatch(r"(\\u[0-9A-F]{4})+=>(\\u[0-9A-F]{4}|[0-9.,])?", rule), rule


@pytest.mark.parametrize(("typed", "written"), [
    ("کرسی", "كرسي"), ("ڤيلا", "فيلا"), ("أثاث", "اثاث"), ("مسؤول", "مسئول"),
    ("كَنَبَة", "كنبه"), ("لابـــتوب", "لابتوب"), ("۱۵۰۰", "1500"), ("اي\u200cفون", "ايفون"),
    ("شاطيء", "شاطئ"), ("مسؤول", "مسوول"), ("رءوس", "رؤوس"), ("سائق", "سايق"), ("هيئة", "هيية"),
    ("بيئة", "بيية"),
])
def test_normalise_word_folds_spelling_variants(typed: str, written: str) -> None:
    assert normalise_word(typed) == normalise_word(written)


@pytest.mark.parametrize(("one", "other"), [
    ("فئة", "فيه"),  # ئ after a consonant is not ي
    ("كهربائي", "كهربايي"),  # ئ before ي keeps its hamza, so the nisba stems like the noun
    ("نهائية", "نهاية"),
])
def test_normalise_word_keeps_hamza_where_a_plain_letter_would_merge_words(one: str, other: str) -> None:
    assert normalise_word(one) != normalise_word(other)


@pytest.mark.parametrize(("formal", "informal"), [
    ("بناء", "بنا"), ("إنشاء", "انشا"), ("إنشاءات", "انشا"), ("البناء", "بنا"), ("كهربائي", "كهربا"),
    ("كهرباء", "كهربائية"), ("حذاء", "حذا"),
])
def test_stem_word_drops_a_final_hamza_after_alef(formal: str, informal: str) -> None:
    assert stem_word(formal) == stem_word(informal)


@pytest.mark.parametrize(("word", "stem"), [("ماء", "ماء"), ("ولاء", "لاء"), ("اناء", "اناء"), ("جزء", "جزء")])
def test_stem_word_keeps_a_final_hamza_where_dropping_it_makes_another_word(word: str, stem: str) -> None:
    assert stem_word(word) == stem


@pytest.mark.parametrize(("word", "bare"), [
    ("وبالضمان", "ضمان"), ("فبالتقسيط", "تقسيط"), ("للغرفة", "غرفه"), ("الألعاب", "عاب"),
    ("ألعاب", "عاب"), ("العاب", "عاب"), ("آلات", "الات"), ("اليد", "يد"), ("ورق", "ورق"),
])
def test_bare_word_strips_clitics_but_not_the_word(word: str, bare: str) -> None:
    assert bare_word(word) == bare


def test_synonyms_keep_kinds_apart_and_avoid_ambiguous_words() -> None:
    rings = [set(re.split(r"\s*(?:,|=>)\s*", rule)) for rule in read_word_list("synonyms.txt")]
    for ring in rings:
        assert not {"شقة", "فيلا"} <= ring
        assert "عربية" not in ring and "محمول" not in ring
    one_way = [rule for rule in read_word_list("synonyms.txt") if "=>" in rule]
    assert all("شقة" not in rule.split("=>")[0] for rule in one_way)


def test_keyword_clause_requires_every_word_and_never_fuzzes() -> None:
    clause = keyword_clause("ايفون 13 برو")
    text = json.dumps(clause, ensure_ascii=False)
    assert "fuzziness" not in text and "query_string" not in text
    match = clause["bool"]["must"][0]["multi_match"]
    assert match["operator"] == "and" and match["query"] == "ايفون 13 برو"
    assert not any(field.startswith((F.TITLE_EXACT, F.TITLE_AUTOCOMPLETE)) for field in match["fields"])
    assert all("autocomplete" not in field for field in text.split('"'))


def test_exact_fields_are_boosted_above_stemmed_ones() -> None:
    clause = keyword_clause("ساعة")["bool"]
    assert clause["should"][0]["multi_match"]["boost"] > 1
    assert {f.split("^")[0] for f in clause["should"][0]["multi_match"]["fields"]} == {
        F.TITLE_EXACT, F.DESCRIPTION_EXACT}


def test_search_body_highlights_original_text_with_mark() -> None:
    body = build_search_body(SearchParams(q="هاتف"))
    assert body["highlight"] == highlight_spec()
    assert body["highlight"]["pre_tags"] == ["<mark>"] and F.TITLE in body["highlight"]["fields"]


def _tsv(tmp_path: Path) -> Path:
    path = tmp_path / "cases.tsv"
    path.write_text(
        "id\ttier\tkind\tquery\tad\texpect\treason\n"
        "P1\tcore\ttaa\tسياره\tسيارة للبيع\tmatch\tة\n"
        "N1\tguard\toverstem\tمكتبة\tمكتب\tnomatch\tة\n"
        "R1\trank\toverstem\tساعة\tساعة يد || ساعي بريد\trank\tstem\n", encoding="utf-8")
    return path


def test_eval_reads_cases_and_builds_one_corpus(tmp_path: Path) -> None:
    cases = read_cases(_tsv(tmp_path))
    assert [c.expect for c in cases] == ["match", "nomatch", "rank"]
    assert cases[2].ads == ("ساعة يد", "ساعي بريد")
    assert corpus_ids(cases) == {"سيارة للبيع": 1, "مكتب": 2, "ساعة يد": 3, "ساعي بريد": 4}


def test_eval_judges_each_expectation() -> None:
    ids = {"a": 1, "b": 2}
    match = Case("P", "core", "k", "q", ("a",), "match", "")
    nomatch = Case("N", "guard", "k", "q", ("a",), "nomatch", "")
    rank = Case("R", "rank", "k", "q", ("a", "b"), "rank", "")
    assert judge(match, [2, 1], ids).passed and not judge(match, [2] * 10 + [1], ids).passed
    assert judge(nomatch, [2], ids).passed and not judge(nomatch, [1], ids).passed
    assert judge(rank, [1, 2], ids).passed and judge(rank, [1], ids).passed
    assert not judge(rank, [2, 1], ids).passed and not judge(rank, [], ids).passed
    outcomes = [judge(match, [1], ids), judge(nomatch, [1], ids), judge(rank, [1], ids)]
    assert summary_line(outcomes) == "arabic-eval: match 1/1 nomatch 0/1 rank 1/1"
