"""Near-duplicate ads: one seller posting the same thing again. Pure: no database.

Posting compares a new ad with the same phone's live ads (`find_duplicate`);
the search page folds copies that are already in the index by the
`duplicate_key` each document carries. Text is compared as the analyser sees
it (`search_config.loader.bare_word`: hamza/taa-marbuta/alef folding, the
article and «و» cut, every digit script as ASCII), as a set of words, so
reordered words, an added emoji or punctuation and Arabic-Indic digits change
nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from core.text_input import all_ascii_digits
from search_config.loader import bare_word

T = TypeVar("T")

_WORD = re.compile(r"[^\W_]+")  # letters and digits; emoji, symbols and punctuation split words

# Thresholds chosen on the examples in tests/unit/test_duplicates.py: a reposted
# ad with words moved, a word added or a price changed scores >= 0.67 on the
# title and >= 0.88 on the whole text; the same dealer's different items
# («ايفون 12 برو» / «ايفون 13 برو», two cars with one boilerplate description)
# score 0.5 or less on the title although 0.72-0.78 on the whole text, which is
# why the title must match on its own; one title on two things («غرفة نوم») scores
# 0.14 on the whole text. Both thresholds sit in the middle of those gaps.
TITLE_SIMILARITY = 0.6
TEXT_SIMILARITY = 0.6

# The phone enters the index only as a 16-bit bucket: enough to keep two sellers'
# identical short ads apart (a false fold needs both the bucket and the text to
# match), far too little to recover the number (~1500 Syrian mobiles per bucket).
PHONE_BUCKET_HEX = 4
TEXT_DIGEST_HEX = 16


def words(text: str) -> frozenset[str]:
    """The folded words of `text`, as a set."""
    return frozenset(bare_word(word) for word in _WORD.findall(all_ascii_digits(text)))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class AdText:
    """What an ad is compared by: its title's words, title and description's words, photo hashes.

    `photos` is the seam for uploaded photos' perceptual hashes: ads today carry
    only links (no uploads, so no hashes) and it stays empty until the photos
    feature fills it from its own column.
    """

    title: frozenset[str]
    text: frozenset[str]
    photos: frozenset[str] = frozenset()

    @classmethod
    def of(cls, title: str, description: str, photos: frozenset[str] = frozenset()) -> AdText:
        title_words = words(title)
        return cls(title=title_words, text=title_words | words(description), photos=photos)


def is_near_duplicate(a: AdText, b: AdText) -> bool:
    """The same item posted again: a photo in common, or titles alike on their own and the whole text alike."""
    if a.photos & b.photos:
        return True
    return jaccard(a.title, b.title) >= TITLE_SIMILARITY and jaccard(a.text, b.text) >= TEXT_SIMILARITY


def find_duplicate(new: AdText, existing: Iterable[tuple[T, AdText]]) -> T | None:
    """The first of `existing` (id, text) pairs that `new` duplicates, or None."""
    for key, text in existing:
        if is_near_duplicate(new, text):
            return key
    return None


def phone_bucket(phone: str) -> str:
    return hashlib.sha256(phone.encode("utf-8")).hexdigest()[:PHONE_BUCKET_HEX]


def duplicate_key(phone: str, title: str, description: str) -> str:
    """Equal for copies of one seller's ad that differ only in word order, symbols or digit script.

    An exact key, so stricter than the posting check: a changed number («رقم 1»
    / «رقم 2», «3 غرف» / «2 غرف») or an added word keeps two ads apart. Search
    folds only what is surely one item; the price field is not part of it.
    """
    kept = sorted(AdText.of(title, description).text)
    digest = hashlib.sha256(" ".join(kept).encode("utf-8")).hexdigest()[:TEXT_DIGEST_HEX]
    return f"{phone_bucket(phone)}-{digest}"
