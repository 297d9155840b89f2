"""Typing noise for synthetic ads: the ways real posters write Arabic.

Search has to forgive these variations, so the demo and benchmark data must contain them:
hamza forms dropped (أ/إ/آ -> ا), final taa marbuta typed as haa (ة -> ه), final alef
maqsura and yaa swapped, stray diacritics, tatweel used for emphasis, Arabic-Indic digits,
elongated letters and the odd typo. Each poster gets one `TypingStyle` so that an ad is
internally consistent, as a real person's ad is. Everything here takes a `random.Random`
and is otherwise pure.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

HAMZA_FORMS = {"أ": "ا", "إ": "ا", "آ": "ا"}
DIACRITICS = ("\u064e", "\u064f", "\u0650", "\u0651", "\u0652")  # fatha damma kasra shadda sukun
TATWEEL = "\u0640"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# Letters that do not join to the following letter: tatweel cannot follow them.
NON_JOINING = set("اأإآدذرزوؤةىء")
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class TypingStyle:
    drop_hamza: float  # share of words whose hamza seat is typed as bare alef
    taa_as_haa: float  # share of words ending in ة typed with ه
    yaa_swap: float  # share of final ى/ي swapped
    diacritics: float  # share of words that get one diacritic
    tatweel: float  # chance the title gets one stretched word
    digits: str  # "latin" | "arabic" | "mixed"
    typo: float  # chance of one typo per text
    elongate: float  # chance of one elongated word ("جداااا")
    emoji: float  # chance of a trailing emoji in the title


def pick_style(rng: random.Random) -> TypingStyle:
    """A poster's habits; proportions are rough impressions of real classified sites."""
    rand = rng.random
    careful = rand() < 0.35
    sloppy = not careful and rand() < 0.5
    diacritics = rand() < 0.15
    tatweel = rand() < 0.5
    r = rand()
    digit_style = "latin" if r < 0.70 else "arabic" if r < 0.92 else "mixed"  # 70 : 22 : 8
    key = (careful, sloppy, diacritics, tatweel, digit_style)
    style = _STYLES.get(key)
    if style is None:  # only 72 distinct habits exist: build each once
        style = _STYLES[key] = TypingStyle(
            drop_hamza=0.05 if careful else (0.9 if sloppy else 0.45),
            taa_as_haa=0.0 if careful else (0.7 if sloppy else 0.2),
            yaa_swap=0.0 if careful else (0.5 if sloppy else 0.1),
            diacritics=0.12 if diacritics else 0.0,
            tatweel=0.15 if tatweel else 0.0,
            digits=digit_style,
            typo=0.0 if careful else 0.12,
            elongate=0.1 if sloppy else 0.02,
            emoji=0.06,
        )
    return style


_STYLES: dict[tuple[bool, bool, bool, bool, str], TypingStyle] = {}


def _is_arabic(word: str) -> bool:
    return bool(ARABIC_LETTER.search(word))


# Per distinct word, what the noise needs to know: computed once, then looked up. The
# generator spends most of its time here, and a few thousand vocabulary words (plus
# numbers) cover almost every word it writes, so the cache stays small.
_WORD_INFO: dict[str, tuple[str, str, str | None, str]] = {}
_WORD_INFO_LIMIT = 100_000  # numbers are unbounded in principle; never let the cache grow without bound


def _word_info(word: str) -> tuple[str, str, str | None, str] | None:
    """(core, tail, core without hamza seats or None, ending) for an Arabic word, else None."""
    info = _WORD_INFO.get(word)
    if info is None:
        if len(_WORD_INFO) > _WORD_INFO_LIMIT:
            _WORD_INFO.clear()
        if not _is_arabic(word):
            _WORD_INFO[word] = info = ("", "", None, "-")
        else:
            core = word.rstrip("،.!؟:)")
            bare = "".join(HAMZA_FORMS.get(ch, ch) for ch in core)
            ending = core[-1]
            if ending == "ي" and len(core) <= 3:
                ending = ""
            _WORD_INFO[word] = info = (core, word[len(core):], bare if bare != core else None, ending)
    return None if info[3] == "-" else info


def _word_noise(word: str, style: TypingStyle, rng: random.Random) -> str:
    info = _WORD_INFO.get(word) or _word_info(word)
    if info is None or info[3] == "-":
        return word
    core, tail, bare, ending = info
    rand = rng.random
    if bare is not None and style.drop_hamza and rand() < style.drop_hamza:
        core = bare
    if ending == "ة":
        if style.taa_as_haa and rand() < style.taa_as_haa:
            core = core[:-1] + "ه"
    elif ending == "ى":
        if style.yaa_swap and rand() < style.yaa_swap:
            core = core[:-1] + "ي"
    elif ending == "ي" and style.yaa_swap and rand() < style.yaa_swap / 3:
        core = core[:-1] + "ى"
    if style.diacritics and rand() < style.diacritics:
        core = add_diacritic(core, rng)
    return core + tail


def _line_noise(line: str, style: TypingStyle, rng: random.Random) -> list[str]:
    """The words of `line` with per-word noise (`_word_noise`, inlined: this is the hot loop).

    Most words have no hamza seat and no noisy ending, so they cost one dict lookup.
    """
    words = line.split()
    get = _WORD_INFO.get
    rand = rng.random
    drop, taa, yaa, marks = style.drop_hamza, style.taa_as_haa, style.yaa_swap, style.diacritics
    for i, word in enumerate(words):
        info = get(word) or _word_info(word)
        if info is None or info[3] == "-":
            continue
        core, tail, bare, ending = info
        changed = False
        if bare is not None and drop and rand() < drop:
            core, changed = bare, True
        if ending == "ة":
            if taa and rand() < taa:
                core, changed = core[:-1] + "ه", True
        elif ending == "ى":
            if yaa and rand() < yaa:
                core, changed = core[:-1] + "ي", True
        elif ending == "ي" and yaa and rand() < yaa / 3:
            core, changed = core[:-1] + "ى", True
        if marks and rand() < marks:
            core, changed = add_diacritic(core, rng), True
        if changed:
            words[i] = core + tail
    return words


def add_diacritic(word: str, rng: random.Random) -> str:
    """One diacritic after a random Arabic letter ("جدًا"-style decoration)."""
    spots = [i for i, ch in enumerate(word) if ARABIC_LETTER.match(ch) and ch not in "اأإآىءة"]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[: i + 1] + rng.choice(DIACRITICS) + word[i + 1 :]


def stretch(word: str, rng: random.Random) -> str:
    """Insert tatweel between two joining letters ("لابتـــوب"); unchanged if impossible."""
    spots = [
        i
        for i in range(len(word) - 1)
        if ARABIC_LETTER.match(word[i])
        and word[i] not in NON_JOINING
        and ARABIC_LETTER.match(word[i + 1])
        and word[i + 1] != "ء"
    ]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[: i + 1] + TATWEEL * rng.randint(1, 4) + word[i + 1 :]


def typo(word: str, rng: random.Random) -> str:
    """One keyboard slip: swapped neighbours, a doubled letter or a dropped letter."""
    if len(word) < 4 or not _is_arabic(word):
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.7:
        return word[: i + 1] + word[i] + word[i + 1 :]
    return word[:i] + word[i + 1 :]


def digits(text: str, style: TypingStyle, rng: random.Random) -> str:
    if style.digits == "arabic":
        return text.translate(ARABIC_INDIC)
    if style.digits == "mixed":
        return re.sub(
            r"\d+",
            lambda m: m.group(0).translate(ARABIC_INDIC) if rng.random() < 0.5 else m.group(0),
            text,
        )
    return text


def roughen(text: str, style: TypingStyle, rng: random.Random, *, title: bool = False) -> str:
    """Apply a poster's habits to `text`, keeping line breaks."""
    rand = rng.random
    lines = [_line_noise(line, style, rng) for line in text.split("\n")]
    stretch_one = title and style.tatweel and rand() < style.tatweel
    slip = style.typo and rand() < style.typo
    elongate = style.elongate and rand() < style.elongate
    if stretch_one or slip or elongate:
        flat = [(li, wi) for li, ws in enumerate(lines) for wi, w in enumerate(ws) if _is_arabic(w)]
        if flat and stretch_one:
            li, wi = flat[int(rand() * len(flat))]
            lines[li][wi] = stretch(lines[li][wi], rng)
        if flat and slip:
            li, wi = flat[int(rand() * len(flat))]
            lines[li][wi] = typo(lines[li][wi], rng)
        if flat and elongate:
            li, wi = flat[int(rand() * len(flat))]
            w = lines[li][wi]
            if w and w[-1] in "اوي":
                lines[li][wi] = w + w[-1] * rng.randint(2, 4)
    out = "\n".join(" ".join(ws) for ws in lines)
    if title and rand() < style.emoji:
        out += " " + EMOJI[int(rand() * len(EMOJI))]
    return digits(out, style, rng)


EMOJI = ("🔥", "✅", "‼️", "👌", "🚗", "🏠", "📱")


def syrian_mobile(rng: random.Random) -> str:
    """A Syrian mobile number (09X XXX XXXX) in one of the ways people write it."""
    local = f"9{'345689'[int(rng.random() * 6)]}{int(rng.random() * 10_000_000):07d}"
    form = rng.random()
    if form < 0.35:
        text = f"0{local[:3]} {local[3:6]} {local[6:]}"
    elif form < 0.6:
        text = f"0{local}"
    elif form < 0.72:
        text = f"+963 {local[:3]} {local[3:6]} {local[6:]}"
    elif form < 0.8:
        text = f"+963{local}"
    elif form < 0.85:
        text = f"00963{local}"
    elif form < 0.95:
        text = f"0{local}".translate(ARABIC_INDIC)
    else:
        text = f"0{local[:3]} {local[3:6]} {local[6:]}".translate(ARABIC_INDIC)
    return text
