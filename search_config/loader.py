"""Loads the index shape (settings + mappings) from the data files in this package.

The index body is data, reviewed like code; this loader only assembles it:
word lists (*.txt) are read, comments stripped, and spliced into the analysis
settings where a `{"$wordlist": ...}`, `{"$stem_overrides": ...}` or
`{"$synonym_rules": ...}` node stands (the last adds one ring per row of the
brand lexicon, brand_names.tsv, to the synonyms of synonyms.txt),
and `_why` notes (settings.json cannot hold comments) are dropped.
The fingerprint of the assembled body names concrete indices, so a changed
config is visible.

The Arabic chain (settings.json) runs, in order: presentation forms and letter
forms folded (mapping char filters), hamza seats folded by context (ؤ -> و,
ئ after ا before a letter -> ي, other ئ -> ء, a final يية -> يءة), final ي+ء
folded, thousands separators dropped; words and digit runs tokenised apart
(ايفون13 -> ايفون 13); lowercase, digits, `arabic_normalization`; stop words
(negations kept); the conjunction و/ف and the article family (ال بال كال فال لل, twice for أل-words) stripped;
[search time: synonyms, with the brand lexicon's Latin <-> Arabic rings];
duals in تين/تان sent to ة; protected words marked;
broken plurals overridden; then `arabic_stem`, guarded so that it never strips
an ال the article stage decided was part of the word (آلة, آلات): such a word
starts with ٱ (alef wasla) in the stemmed field, which also keeps its stem apart
from a standalone «ال» (as in «ال جي»); last, a final ء after alef is dropped
from the stem (بناء = بنا, إنشاءات = انشا).

Word lists are written in normal spelling. Lists compared with tokens *after*
some filters (stop words, protected words, overrides) are folded here the way
the analyser folds text: `normalise_word` mirrors the char filters and the
normaliser, `bare_word` the clitic stages, `stem_word` the stemmer. The
integration tests check the mirror against the engine for every list entry.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from search_config.arabic_fold import fold
from search_config.reviewed_tables import numbered_rows
from search_config.synonym_rings import merged_rings, read_dialect_words

PACKAGE = "search_config"

# Lucene's ArabicStemmer (light10), mirrored for the override targets.
_STEM_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_STEM_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")


def read_word_list(name: str) -> list[str]:
    """Entries of a word list: one per line, `#` starts a comment, blanks ignored."""
    text = resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8")
    entries = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append(entry)
    return entries


def _read_json(name: str) -> Any:
    return json.loads(resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8"))


def _names(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _unescape(rule_side: str) -> str:
    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), rule_side)


@lru_cache(maxsize=1)
def _char_mappings() -> tuple[tuple[str, str], ...]:
    """The mapping char filters' rules, longest key first (as the engine matches)."""
    rules = []
    for name in ("presentation_forms.txt", "letter_forms.txt"):
        for entry in read_word_list(name):
            key, _, value = entry.partition("=>")
            rules.append((_unescape(key), _unescape(value)))
    return tuple(sorted(rules, key=lambda rule: -len(rule[0])))


# The hamza-seat char filters, in the order the analysers run them after the mappings.
_HAMZA_CHAR_FILTERS = ("souq_hamza_waw", "souq_hamza_yeh", "souq_hamza_bare", "souq_hamza_yeh_yeh")


@lru_cache(maxsize=1)
def _hamza_char_filters() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The hamza-seat pattern_replace char filters of settings.json, as Python regexes."""
    filters = _read_json("settings.json")["analysis"]["char_filter"]
    return tuple((re.compile(filters[name]["pattern"].replace("\\p{L}", r"[^\W\d_]")),
                  filters[name]["replacement"]) for name in _HAMZA_CHAR_FILTERS)


@lru_cache(maxsize=1)
def _token_filters() -> dict[str, tuple[re.Pattern[str], str]]:
    """The pattern_replace token filters of settings.json, as Python regexes."""
    filters = _read_json("settings.json")["analysis"]["filter"]
    compiled = {}
    for name, spec in filters.items():
        if spec.get("type") == "pattern_replace":
            pattern = spec["pattern"].replace("\\p{L}", r"[^\W\d_]")
            compiled[name] = (re.compile(pattern), spec["replacement"].replace("$1", r"\1"))
    return compiled


def _apply(filter_name: str, word: str) -> str:
    pattern, replacement = _token_filters()[filter_name]
    return pattern.sub(replacement, word)


def normalise_word(word: str) -> str:
    """A word as the analyser sees it after the char filters, lowercase, digits and `arabic_normalization`."""
    for key, value in _char_mappings():
        word = word.replace(key, value)
    for pattern, replacement in _hamza_char_filters():
        word = pattern.sub(replacement, word)
    return fold(re.sub(r"[يى]ء(?=[ةه]?$)", "ء", word))


def bare_word(word: str) -> str:
    """`normalise_word`, then the conjunction and article stages."""
    return _apply("souq_article", _apply("souq_conjunction", normalise_word(word)))


def _light_stem(word: str) -> str:
    for prefix in _STEM_PREFIXES:
        short_ok = len(prefix) > 1 or len(word) >= 4
        if short_ok and len(word) >= len(prefix) + 2 and word.startswith(prefix):
            word = word[len(prefix):]
            break
    for suffix in _STEM_SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


def stem_word(word: str, protected: frozenset[str] = frozenset(),
              overrides: Mapping[str, str] | None = None) -> str:
    """The stemmed-field token of a single word, as the index analyser makes it (with
    `overrides`, the stemmer_override rules too)."""
    key = _apply("souq_dual", bare_word(word))
    if key in protected:
        pass
    elif overrides and overrides.get(key):
        key = overrides[key]
    else:
        key = _light_stem(_apply("souq_lexical_alef_lam", key))
    return _apply("souq_final_hamza", key)


def protected_words(names: str | list[str]) -> list[str]:
    """Entries of protection lists, in the form the keyword marker sees (bare, folded)."""
    return sorted({bare_word(entry) for name in _names(names) for entry in read_word_list(name)})


def stem_override_rules(name: str, protected: list[str], plurals_of: str) -> list[str]:
    """stemmer_override rules: each listed form -> the stem of its singular (or the singular,
    if protected), and the sound plural in ات of the words of `plurals_of` -> the word."""
    keep = frozenset(protected_words(protected))
    pairs = [tuple(side.strip() for side in entry.split("=>", 1)) for entry in read_word_list(name)]
    # Words ending in a vowel letter or ة make other plurals (جدة -> جدات is grandmothers);
    # a plural whose first letters the article stage would take (بالونات) is left out.
    pairs += [(word + "ات", word) for word in read_word_list(plurals_of)
              if word[-1] not in "ةهياى" and bare_word(word + "ات") == bare_word(word) + "ات"]
    rules: dict[str, str] = {}
    for form, singular in pairs:
        key, target = _apply("souq_dual", bare_word(form)), stem_word(singular, keep)
        if rules.setdefault(key, target) != target:
            raise ValueError(f"{name}: {form!r} folds to {key!r}, already sent to {rules[key]!r}")
    return [f"{form} => {target}" for form, target in sorted(rules.items())]


BRAND_KINDS = ("car_make", "car_model", "phone_make", "phone_model", "electronics", "console",
               "laptop", "watch", "appliance")
BRAND_COLUMNS = ["kind", "latin", "arabic", "note"]


@dataclass(frozen=True)
class BrandName:
    """One row of the brand lexicon: a name in its Latin and Arabic spellings."""

    line: int
    kind: str
    latin: tuple[str, ...]
    arabic: tuple[str, ...]
    note: str

    @property
    def spellings(self) -> tuple[str, ...]:
        return self.latin + self.arabic

    def synonym_rule(self) -> str:
        """The row as one Solr synonym ring: every spelling equivalent to every other."""
        return ", ".join(self.spellings)


def read_brand_names(name: str) -> list[BrandName]:
    """Rows of a brand lexicon (TSV, `#` comment lines, a header); a malformed row is refused."""
    names = []
    for number, row in numbered_rows(name, BRAND_COLUMNS):
        if len(row) != len(BRAND_COLUMNS):
            raise ValueError(f"{name}:{number}: {len(row)} columns, expected {len(BRAND_COLUMNS)}")
        kind, latin, arabic, note = (cell.strip() for cell in row)
        if kind not in BRAND_KINDS:
            raise ValueError(f"{name}:{number}: unknown kind {kind!r}")
        forms = [tuple(" ".join(form.split()) for form in cell.split("|")) for cell in (latin, arabic)]
        if not all(form for cell in forms for form in cell):
            raise ValueError(f"{name}:{number}: an empty spelling")
        names.append(BrandName(number, kind, forms[0], forms[1], note))
    return names


def synonym_rules(word_lists: str | list[str], brand_names: str | None = None,
                  dialect_words: str | None = None) -> list[str]:
    """The rules of synonym word lists and of the dialect list (rings sharing a word
    merged, synonym_rings), then one ring per brand-lexicon row."""
    rules = [entry for name in _names(word_lists) for entry in read_word_list(name)]
    if dialect_words:
        rules += [row.rule for row in read_dialect_words(dialect_words)]
    rules = merged_rings(rules)
    if brand_names:
        rows = read_brand_names(brand_names)
        check_one_home(brand_names, rows)
        rules += [row.synonym_rule() for row in rows]
    return rules


@lru_cache(maxsize=1)
def brand_vocabulary(name: str = "brand_names.tsv") -> frozenset[str]:
    """Every spelling of the brand lexicon, normalised word by word (`normalise_word`).

    For the parts that must know a name is a real word and not a typo: a did-you-mean
    vocabulary, or a fuzzy retry that should leave «ريلمي» alone rather than turn it
    into «ريدمي».
    """
    return frozenset(" ".join(normalise_word(word) for word in spelling.split())
                     for row in read_brand_names(name) for spelling in row.spellings)


def check_one_home(name: str, rows: list[BrandName]) -> None:
    """Refuse a lexicon where two rows share a spelling as the analyser sees it (folded and
    stemmed): that spelling would join two names in one search (هونداي stems like هوندا)."""
    homes: dict[tuple[str, ...], tuple[int, str]] = {}
    for row in rows:
        for spelling in row.spellings:
            tokens = tuple(indexed_tokens(spelling))
            if not tokens:
                raise ValueError(f"{name}:{row.line}: {spelling!r} is only stop words")
            line, first = homes.setdefault(tokens, (row.line, spelling))
            if line != row.line:
                raise ValueError(f"{name}:{row.line}: {spelling!r} reads as {first!r} of line {line}")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The stop words as `souq_stop` compares them (normalised)."""
    return frozenset(normalise_word(word) for word in read_word_list("stopwords.txt"))


@lru_cache(maxsize=1)
def _override_map() -> dict[str, str]:
    spec = _read_json("settings.json")["analysis"]["filter"]["souq_stem_overrides"]["rules"]
    rules = stem_override_rules(spec["$stem_overrides"], spec["protected"], spec["plurals_of"])
    return dict(rule.split(" => ") for rule in rules)


@lru_cache(maxsize=1)
def _protected_keys() -> frozenset[str]:
    spec = _read_json("settings.json")["analysis"]["filter"]["souq_protected"]["keywords"]
    return frozenset(protected_words(spec["$wordlist"]))


def indexed_tokens(text: str) -> list[str]:
    """The stemmed-field tokens of words separated by spaces (letters only), as the index analyser
    makes them: stop words dropped, clitics stripped, protected words kept, overrides, stemmer.

    The brand lexicon is checked with it (one home per spelling, no empty spelling);
    the integration tests compare it with the engine for every lexicon spelling.
    """
    stop, protected, overrides = stop_words(), _protected_keys(), _override_map()
    return [stem_word(word, protected, overrides) for word in text.split() if normalise_word(word) not in stop]


def _splice_word_lists(node: Any) -> Any:
    """Word lists in place of `$` nodes; `_why` notes (for reviewers) dropped."""
    if isinstance(node, dict):
        if "$wordlist" in node:
            return _word_list_node(node)
        if "$synonym_rules" in node:
            return synonym_rules(node["$synonym_rules"], node.get("brand_names"), node.get("dialect_words"))
        if "$stem_overrides" in node:
            return stem_override_rules(node["$stem_overrides"], node["protected"], node["plurals_of"])
        return {key: _splice_word_lists(value) for key, value in node.items() if not key.startswith("_")}
    if isinstance(node, list):
        return [_splice_word_lists(item) for item in node]
    return node


def _word_list_node(node: dict[str, Any]) -> list[str]:
    """`{"$wordlist": name(s)}` as written, or folded with `"form": "normalised" | "bare"`."""
    form = node.get("form", "raw")
    entries = [entry for name in _names(node["$wordlist"]) for entry in read_word_list(name)]
    if form == "raw":
        return entries
    if form == "normalised":
        return sorted({normalise_word(entry) for entry in entries})
    if form == "bare":
        return protected_words(node["$wordlist"])
    raise ValueError(f"unknown word list form {form!r}")


@lru_cache(maxsize=4)
def _index_body(analyzer: str) -> str:
    settings = _splice_word_lists(_read_json("settings.json"))
    mappings = _read_json("mappings.json")
    if analyzer == "builtin":
        mappings = _with_builtin_analyzer(mappings)
    elif analyzer != "custom":
        raise ValueError(f"unknown analyzer variant {analyzer!r}")
    return json.dumps({"settings": settings, "mappings": mappings}, ensure_ascii=False, sort_keys=True)


def index_body(analyzer: str = "custom") -> dict[str, Any]:
    """The full create-index body; `analyzer="builtin"` swaps in OpenSearch's `arabic` (baseline)."""
    return copy.deepcopy(json.loads(_index_body(analyzer)))


def fingerprint(analyzer: str = "custom") -> str:
    """Short stable hash of the index body: concrete index names carry it."""
    return hashlib.sha256(_index_body(analyzer).encode("utf-8")).hexdigest()[:10]


def body_fingerprint(body: dict[str, Any]) -> str:
    """`fingerprint` of any index body (e.g. the configured one with other synonyms)."""
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def _with_builtin_analyzer(node: Any) -> Any:
    """Replace every custom analyzer reference in the mappings by the built-in `arabic`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in ("analyzer", "search_analyzer") and isinstance(value, str):
                out[key] = "arabic"
            else:
                out[key] = _with_builtin_analyzer(value)
        return out
    if isinstance(node, list):
        return [_with_builtin_analyzer(item) for item in node]
    return node
