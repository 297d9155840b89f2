"""Dialect rules are well-formed reviewed data, and rings that share a word become one ring."""

from __future__ import annotations

import pytest

from search_config import reviewed_tables
from search_config.loader import read_brand_names, synonym_rules
from search_config.synonym_rings import REGIONS, merged_rings, read_dialect_words


def test_rings_sharing_a_word_become_one_and_one_way_rules_stay_as_written():
    rules = ["ثلاجة, براد", "مكيف, تكييف", "ثلاجة, فريجيدار", "مكيف => مكيف, سبلت", "براد, تلاجة"]
    assert merged_rings(rules) == ["ثلاجة, براد, فريجيدار, تلاجة", "مكيف, تكييف", "مكيف => مكيف, سبلت"]


def test_a_later_rule_can_join_two_earlier_rings():
    assert merged_rings(["a, b", "c, d", "b, c"]) == ["a, b, c, d"]
    assert merged_rings(["a, b", "c, d"]) == ["a, b", "c, d"]  # nothing shared: untouched


def test_every_dialect_row_names_a_region_a_rule_and_a_reason():
    rows = read_dialect_words("dialect_words.tsv")
    assert len(rows) >= 12 and {row.region for row in rows} <= set(REGIONS)
    assert {"maghreb", "egypt", "iraq", "gulf"} <= {row.region for row in rows}
    assert all(len(row.reason) >= 10 for row in rows)


def test_dialect_words_never_take_a_brand_spelling():
    brand = {spelling for row in read_brand_names("brand_names.tsv") for spelling in row.spellings}
    dialect = {word.strip() for row in read_dialect_words("dialect_words.tsv")
               for side in row.rule.split("=>") for word in side.split(",")}
    assert not brand & dialect


def test_a_dialect_ring_reaches_the_everyday_ring_it_shares_a_word_with():
    rules = synonym_rules("synonyms.txt", None, "dialect_words.tsv")
    fridge = next(rule for rule in rules if "فريجيدار" in rule and "=>" not in rule)
    assert {"براد", "ثلاجة", "تلاجة"} <= {word.strip() for word in fridge.split(",")}
    assert "ماطور => ماطور, دراجة نارية" in rules  # one way: elsewhere ماطور is a pump motor


@pytest.mark.parametrize("line, problem", [
    ("mars\ta, b\ta reason long enough", "region"),
    ("gulf\ta\ta reason long enough", "rule"),
    ("gulf\ta => b => c\ta reason long enough", "rule"),
    ("gulf\ta, b", "cells"),
])
def test_a_malformed_dialect_row_is_refused_naming_its_line(monkeypatch, tmp_path, line, problem):
    (tmp_path / "dialect.tsv").write_text("# comment\nregion\trule\treason\n" + line + "\n", encoding="utf-8")
    monkeypatch.setattr(reviewed_tables.resources, "files", lambda _package: tmp_path)
    with pytest.raises(ValueError, match=f"dialect.tsv:3: .*{problem}"):
        read_dialect_words("dialect.tsv")
