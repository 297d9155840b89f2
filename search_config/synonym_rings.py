"""Dialect rules (dialect_words.tsv) and the merging of synonym rings that share a word. Pure.

Rings are written where their reviewers look: the everyday ones in synonyms.txt,
region by region in dialect_words.tsv. Two equivalence rings that share a word are
one ring: «ثلاجة, براد» and «ثلاجة, فريجيدار» must let a search for فريجيدار find
a براد. Lucene's synonym map would only pair the words inside each rule, so the
rings are merged here before the engine sees them. One-way rules (`=>`) are kept
as written: they say exactly what a word adds, and merging them would undo that.
"""

from __future__ import annotations

from dataclasses import dataclass

from search_config.reviewed_tables import numbered_rows

DIALECT_COLUMNS = ["region", "rule", "reason"]
REGIONS = ("maghreb", "egypt", "iraq", "gulf", "levant")


@dataclass(frozen=True)
class DialectRule:
    region: str
    rule: str  # Solr synonym syntax: `a, b` or `a => a, b`
    reason: str


def read_dialect_words(name: str) -> list[DialectRule]:
    """Rows of a dialect list (TSV, `#` comments, a header); a malformed row is refused, naming its line."""
    rules = []
    for number, row in numbered_rows(name, DIALECT_COLUMNS):
        if len(row) != len(DIALECT_COLUMNS) or not all(cell.strip() for cell in row):
            raise ValueError(f"{name}:{number}: want {len(DIALECT_COLUMNS)} non-empty tab-separated cells")
        region, rule, reason = (cell.strip() for cell in row)
        if region not in REGIONS:
            raise ValueError(f"{name}:{number}: region must be one of {', '.join(REGIONS)}")
        words = [word.strip() for side in rule.split("=>") for word in side.split(",")]
        if rule.count("=>") > 1 or len(words) < 2 or not all(words):
            raise ValueError(f"{name}:{number}: a rule is `a, b` or `a => a, b`")
        rules.append(DialectRule(region, rule, reason))
    return rules


def merged_rings(rules: list[str]) -> list[str]:
    """The rules with every set of equivalence rings that share a word joined into one ring.

    Order is kept: a merged ring stands where its first part stood, its words in
    first-seen order; one-way rules stay where they were.
    """
    rings: list[list[str]] = []
    slots: list[int | str] = []  # a ring's index, or a one-way rule as written
    ring_of: dict[str, int] = {}
    for rule in rules:
        if "=>" in rule:
            slots.append(rule)
            continue
        words = [word.strip() for word in rule.split(",") if word.strip()]
        joined = sorted({ring_of[word] for word in words if word in ring_of})
        if not joined:
            rings.append([])
            slots.append(len(rings) - 1)
            target = len(rings) - 1
        else:
            target = joined[0]
            for other in joined[1:]:  # an earlier ring absorbs the later ones
                rings[target] += [word for word in rings[other] if word not in rings[target]]
                for word in rings[other]:
                    ring_of[word] = target
                rings[other] = []
        for word in words:
            if word not in rings[target]:
                rings[target].append(word)
            ring_of[word] = target
    return [slot if isinstance(slot, str) else ", ".join(rings[slot]) for slot in slots
            if isinstance(slot, str) or rings[slot]]
