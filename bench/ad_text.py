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
    careful = rng.random() < 0.35
    sloppy = not careful and rng.random() < 0.5
    return TypingStyle(
        drop_hamza=0.05 if careful else (0.9 if sloppy else 0.45),
        taa_as_haa=0.0 if careful else (0.7 if sloppy else 0.2),
        yaa_swap=0.0 if careful else (0.5 if sloppy else 0.1),
        diacritics=0.12 if rng.random() < 0.15 else 0.0,
        tatweel=0.15 if rng.random() < 0.5 else 0.0,
        digits=rng.choices(("latin", "arabic", "mixed"), weights=(70, 22, 8))[0],
        typo=0.0 if careful else 0.12,
        elongate=0.1 if sloppy else 0.02,
        emoji=0.06,
    )


def _is_arabic(word: str) -> bool:
    return bool(ARABIC_LETTER.search(word))


def _word_noise(word: str, style: TypingStyle, rng: random.Random) -> str:
    if not _is_arabic(word):
        return word
    if style.drop_hamza and rng.random() < style.drop_hamza:
        word = "".join(HAMZA_FORMS.get(ch, ch) for ch in word)
    core = word.rstrip("،.!؟:)")
    tail = word[len(core):]
    if core.endswith("ة") and style.taa_as_haa and rng.random() < style.taa_as_haa:
        core = core[:-1] + "ه"
    elif core.endswith("ى") and style.yaa_swap and rng.random() < style.yaa_swap:
        core = core[:-1] + "ي"
    elif core.endswith("ي") and len(core) > 3 and style.yaa_swap and rng.random() < style.yaa_swap / 3:
        core = core[:-1] + "ى"
    if style.diacritics and rng.random() < style.diacritics:
        core = add_diacritic(core, rng)
    return core + tail


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
    lines = []
    for line in text.split("\n"):
        words = WORD.findall(line)
        words = [_word_noise(w, style, rng) for w in words]
        lines.append(words)
    flat = [(li, wi) for li, ws in enumerate(lines) for wi, w in enumerate(ws) if _is_arabic(w)]
    if flat and title and style.tatweel and rng.random() < style.tatweel:
        li, wi = rng.choice(flat)
        lines[li][wi] = stretch(lines[li][wi], rng)
    if flat and style.typo and rng.random() < style.typo:
        li, wi = rng.choice(flat)
        lines[li][wi] = typo(lines[li][wi], rng)
    if flat and style.elongate and rng.random() < style.elongate:
        li, wi = rng.choice(flat)
        w = lines[li][wi]
        if w and w[-1] in "اوي":
            lines[li][wi] = w + w[-1] * rng.randint(2, 4)
    out = "\n".join(" ".join(ws) for ws in lines)
    if title and rng.random() < style.emoji:
        out += " " + rng.choice(("🔥", "✅", "‼️", "👌", "🚗", "🏠", "📱"))
    return digits(out, style, rng)


def syrian_mobile(rng: random.Random) -> str:
    """A Syrian mobile number (09X XXX XXXX) in one of the ways people write it."""
    local = "9" + rng.choice("345689") + "".join(str(rng.randrange(10)) for _ in range(7))
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
