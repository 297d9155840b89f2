"""The one Arabic fold: the spelling variants people mix up, folded the way the analyser folds them. Pure.

Hamza seats on alef (أ إ آ) and alef wasla (ٱ) -> ا, alef maqsura ى -> ي, taa
marbuta ة -> ه; harakat, superscript alef and tatweel dropped; lowercase; every
decimal digit (Arabic-Indic, Persian, ...) to ASCII with the Arabic decimal and
thousands marks as "." and ",". That is the index analyser's lowercase,
`decimal_digit` and `arabic_normalization` steps plus the alef and mark entries
of letter_forms.txt: query understanding matches places and prices in folded
text, suggestions and did-you-mean compare words by it, and the loader
(`normalise_word`) runs it after the other char filters it mirrors.

It lives in search_config, the bottom of the kernel, because both the analyser
mirror here and core (via `bare_word`) need it and core already imports
search_config; search_config imports no other project package.
"""

from __future__ import annotations

import unicodedata

_LETTERS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "٫": ".", "٬": ","}
_DROPPED = frozenset({chr(c) for c in range(0x064B, 0x0653)} | {"\u0670", "\u0640"})


def _fold_char(char: str) -> str:
    if char.isdecimal():
        return str(unicodedata.decimal(char))
    lowered = char.lower()
    return _LETTERS.get(lowered, lowered)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index in `text` it came from.

    Callers that cut a phrase found in the folded text out of the original
    (query understanding) need the map; a dropped mark has no entry.
    """
    chars, origin = [], []
    for index, char in enumerate(text):
        if char in _DROPPED:
            continue
        folded = _fold_char(char)  # one letter, or two for a few non-Arabic capitals (İ)
        chars.append(folded)
        origin.extend([index] * len(folded))
    return "".join(chars), origin


def fold(text: str) -> str:
    """`text` folded (see the module docstring)."""
    return fold_with_map(text)[0]
