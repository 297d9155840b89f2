"""The one Arabic fold, and the two hand-written copies it replaced kept as references."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.text_input import ascii_digits
from search_config.arabic_fold import fold, fold_with_map
from search_config.loader import normalise_word

# The copies this fold replaced, frozen: query understanding's (with the offset map)
# and the loader's normaliser table, which ran after the char filters.
_UNDERSTANDING = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_UNDERSTANDING_DROP = {chr(c) for c in range(0x064B, 0x0653)} | {"\u0670", "\u0640"}
_LOADER = str.maketrans({"آ": "ا", "أ": "ا", "إ": "ا", "ى": "ي", "ة": "ه", "\u0640": None,
                         **{chr(c): None for c in range(0x064B, 0x0653)}})


def _understanding_fold(text: str) -> tuple[str, list[int]]:
    chars, origin = [], []
    for index, char in enumerate(ascii_digits(text)):
        if char not in _UNDERSTANDING_DROP:
            chars.append(char.lower().translate(_UNDERSTANDING))
            origin.append(index)
    return "".join(chars), origin


ARABIC_TEXT = st.text(st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآٱىةؤئ ـ٠١٢٣٤٥٦٧٨٩۱۵٫٬09aZ")
                                      + [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670"]), max_size=30)


@given(ARABIC_TEXT)
def test_the_fold_is_query_understandings_former_fold(text: str) -> None:
    assert fold_with_map(text) == _understanding_fold(text)


@given(ARABIC_TEXT.filter(lambda t: "ٱ" not in t and "\u0670" not in t))
def test_the_fold_is_the_loaders_former_normaliser(text: str) -> None:
    """ٱ and the superscript alef never reached that table: letter_forms.txt maps them first."""
    assert fold(text) == ascii_digits(text).lower().translate(_LOADER)


def test_fold_examples() -> None:
    assert fold("أإآٱ ة ى ـــ ٣") == "اااا ه ي  3"
    assert fold("مَدْرَسَة") == "مدرسه"
    assert fold("١٢٫٥ مليون ٥٠٬٠٠٠ ۱۵ ３") == "12.5 مليون 50,000 15 3"
    assert fold("iPhone مصطفى") == "iphone مصطفي"


def test_the_map_points_every_folded_character_at_its_origin() -> None:
    text = "شَقّة İstanbul"
    folded, origin = fold_with_map(text)
    assert len(origin) == len(folded) and origin == sorted(origin)
    assert folded.startswith("شقه") and text[origin[0]:origin[2] + 1] == "شَقّة"
    assert origin[folded.index("i̇")] == origin[folded.index("i̇") + 1] == text.index("İ")


def test_the_loader_folds_after_its_char_filters() -> None:
    assert normalise_word("کتاب") == "كتاب"  # letter_forms.txt, then the fold
    assert normalise_word("شاطيء") == normalise_word("شاطئ")
    assert normalise_word("هٰذا") == "هذا"
