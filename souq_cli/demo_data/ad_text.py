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
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Final

HAMZA_FORMS = {"أ": "ا", "إ": "ا", "آ": "ا"}
DIACRITICS = ("\u064e", "\u064f", "\u0650", "\u0651", "\u0652")  # fatha damma kasra shadda sukun
TATWEEL = "\u0640"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# Letters that do not join to the following letter: tatweel cannot follow them.
NON_JOINING = set("اأإآدذرزوؤةىء")
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_NUMBER = re.compile(r"\d+")


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
    if style is None:  # only 36 distinct habits exist: build each once
        style = _STYLES[key] = _make_style(*key)
    return style


def _make_style(careful: bool, sloppy: bool, diacritics: bool, tatweel: bool, digit_style: str) -> TypingStyle:
    return TypingStyle(
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


_STYLES: dict[tuple[bool, bool, bool, bool, str], TypingStyle] = {}


def _style_table() -> tuple[list[float], list[TypingStyle]]:
    """Every habit `pick_style` can return with its probability (cumulative), for one draw."""
    cumulative, styles, total = [], [], 0.0
    for careful, sloppy, p_care in ((True, False, 0.35), (False, True, 0.65 * 0.5), (False, False, 0.65 * 0.5)):
        for diacritics, p_marks in ((True, 0.15), (False, 0.85)):
            for tatweel, p_stretch in ((True, 0.5), (False, 0.5)):
                for digit_style, p_digits in (("latin", 0.70), ("arabic", 0.22), ("mixed", 0.08)):
                    total += p_care * p_marks * p_stretch * p_digits
                    cumulative.append(total)
                    key = (careful, sloppy, diacritics, tatweel, digit_style)
                    if key not in _STYLES:
                        _STYLES[key] = _make_style(*key)
                    styles.append(_STYLES[key])
    return [c / total for c in cumulative], styles


def style_picker() -> Callable[[random.Random], TypingStyle]:
    """`pick_style` with the same proportions from one random number (the generator's hot path)."""
    cumulative, styles = _style_table()
    last = len(styles) - 1

    def pick(rng: random.Random) -> TypingStyle:
        return styles[min(bisect_right(cumulative, rng.random()), last)]

    return pick


def _is_arabic(word: str) -> bool:
    return bool(ARABIC_LETTER.search(word))


# Per distinct string (a template's literal text, a vocabulary value, a filled slot), what the
# word noise needs to know, computed once and then looked up: the words, and for each Arabic
# word its core (trailing punctuation off), tail, hamza-free core and last letter. A few
# thousand strings cover almost everything the generator writes, so the cache stays small.
# (words, Arabic words with a hamza seat or a noisy ending, all Arabic words, those with a hamza seat)
Plan = tuple[list[str], tuple[tuple[int, str, str, str | None, str], ...],
             tuple[tuple[int, str, str, str | None, str], ...], tuple[tuple[int, str, str, str | None, str], ...]]
_PLANS: dict[str, Plan | None] = {}


class _Unplanned(Enum):
    """What `_PLANS.get` answers for a string not planned yet (None is a cached "no Arabic word").

    A one-member enum rather than False, so the type checker can tell it from a plan."""

    TOKEN = 0


_UNPLANNED: Final = _Unplanned.TOKEN
_PLAN_LIMIT = 200_000  # numbers are unbounded in principle; never let the cache grow without bound
_NOISY_ENDINGS = frozenset("ةىي")


def _plan(text: str) -> Plan | None:
    """(words, Arabic words with a hamza seat or a noisy ending, all Arabic words) or None."""
    if len(_PLANS) > _PLAN_LIMIT:
        _PLANS.clear()
    words = text.split(" ")
    arabic = []
    for i, word in enumerate(words):
        if not _is_arabic(word):
            continue
        core = word.rstrip("،.!؟:)")
        if not core:
            continue
        bare = "".join(HAMZA_FORMS.get(ch, ch) for ch in core)
        ending = core[-1]
        if ending == "ي" and len(core) <= 3:
            ending = ""
        arabic.append((i, core, word[len(core):], bare if bare != core else None, ending))
    plan = (words, tuple(a for a in arabic if a[3] is not None or a[4] in _NOISY_ENDINGS), tuple(arabic),
            tuple(a for a in arabic if a[3] is not None)) if arabic else None
    _PLANS[text] = plan
    return plan


def noisy(text: str, style: TypingStyle, rng: random.Random) -> str:
    """`text` (one line) with a poster's per-word habits: dropped hamza seats, ة typed as ه,
    ى/ي swapped, the odd diacritic. The hot loop of the generator: a string without Arabic
    costs one dict lookup, and only words that can change are visited (all Arabic words
    only for the posters who decorate with diacritics)."""
    plan = _PLANS.get(text, _UNPLANNED)
    if plan is _UNPLANNED:
        plan = _plan(text)
    if plan is None:
        return text
    return noisy_planned(text, plan, style, rng)


def plan_of(text: str) -> Plan | None:
    """The (cached) noise plan of `text`: None when it has no Arabic word."""
    plan = _PLANS.get(text, _UNPLANNED)
    return _plan(text) if plan is _UNPLANNED else plan


def noisy_planned(text: str, plan: Plan, style: TypingStyle, rng: random.Random) -> str:
    """`noisy(text, ...)` with the plan of `text` already at hand."""
    words, candidates, arabic, hamza = plan
    drop, taa, yaa, marks = style.drop_hamza, style.taa_as_haa, style.yaa_swap, style.diacritics
    rand = rng.random
    changed = None
    # Only the words this poster can change: careful posters never touch word endings.
    for i, core, tail, bare, ending in arabic if marks else candidates if taa or yaa else hamza:
        new = core
        if bare is not None and drop and rand() < drop:
            new = bare
        if ending == "ة":
            if taa and rand() < taa:
                new = new[:-1] + "ه"
        elif ending == "ى":
            if yaa and rand() < yaa:
                new = new[:-1] + "ي"
        elif ending == "ي" and yaa and rand() < yaa / 3:
            new = new[:-1] + "ى"
        if marks and rand() < marks:
            new = add_diacritic(new, rng)
        if new is not core:
            if changed is None:
                changed = list(words)
            changed[i] = new + tail
    return text if changed is None else " ".join(changed)


def finish(text: str, style: TypingStyle, rng: random.Random, *, title: bool = False) -> str:
    """The habits that touch a whole text once (after `noisy` on its lines): a stretched
    word in a title, one typo, one elongated word, a trailing emoji, the digit system."""
    rand = rng.random
    stretch_one = title and style.tatweel and rand() < style.tatweel
    slip = style.typo and rand() < style.typo
    elongate = style.elongate and rand() < style.elongate
    if stretch_one or slip or elongate:  # rare: the slow path splits the text into words
        lines = [line.split(" ") for line in text.split("\n")]
        if stretch_one:
            _change_a_word(lines, lambda w: stretch(w, rng), rand)
        if slip:
            _change_a_word(lines, lambda w: typo(w, rng), rand)
        if elongate:
            _change_a_word(lines, lambda w: w + w[-1] * rng.randint(2, 4) if w and w[-1] in "اوي" else w, rand)
        text = "\n".join([" ".join(ws) for ws in lines])
    if title and rand() < style.emoji:
        text += " " + EMOJI[int(rand() * len(EMOJI))]
    return digits(text, style, rng)


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


def _change_a_word(lines: list[list[str]], change: Callable[[str], str], rand: Callable[[], float]) -> None:
    """Apply `change` to one Arabic word of `lines`, chosen uniformly among the Arabic words.

    Drawn by rejection (pick any word, keep it if Arabic): the same distribution as listing
    the Arabic words first, without testing every word of the text."""
    sizes = [len(ws) for ws in lines]
    total = sum(sizes)
    for _ in range(16):
        k = int(rand() * total)
        li = 0  # the line word k falls in (every line has a word: split(" ") never gives [])
        while k >= sizes[li]:
            k -= sizes[li]
            li += 1
        if _is_arabic(lines[li][k]):
            lines[li][k] = change(lines[li][k])
            return
    flat = [(li, wi) for li, ws in enumerate(lines) for wi, w in enumerate(ws) if _is_arabic(w)]
    if flat:
        li, wi = flat[int(rand() * len(flat))]
        lines[li][wi] = change(lines[li][wi])


def to_arabic_indic(text: str) -> str:
    """Latin digits as Arabic-Indic ones (`str.translate` with a table is slow on Arabic
    text: one dict lookup per character; ten C scans and a few replaces are not)."""
    for latin, arabic in _DIGIT_PAIRS:
        if latin in text:
            text = text.replace(latin, arabic)
    return text


_DIGIT_PAIRS = tuple(zip("0123456789", "٠١٢٣٤٥٦٧٨٩", strict=True))


def digits(text: str, style: TypingStyle, rng: random.Random) -> str:
    if style.digits == "arabic":
        return to_arabic_indic(text)
    if style.digits == "mixed":
        return _NUMBER.sub(
            lambda m: m.group(0).translate(ARABIC_INDIC) if rng.random() < 0.5 else m.group(0),
            text,
        )
    return text


def roughen(text: str, style: TypingStyle, rng: random.Random, *, title: bool = False) -> str:
    """Apply a poster's habits to `text`, keeping line breaks."""
    return finish("\n".join([noisy(line, style, rng) for line in text.split("\n")]), style, rng, title=title)


EMOJI = ("🔥", "✅", "‼️", "👌", "🚗", "🏠", "📱")


def syrian_mobile(rng: random.Random) -> str:
    """A Syrian mobile number (09X XXX XXXX) in one of the ways people write it."""
    return syrian_mobile_and_stored(rng)[0]


def syrian_mobile_and_stored(rng: random.Random) -> tuple[str, str]:
    """(number as the poster typed it, as `core.text_input.normalise_phone` stores it)."""
    rand = rng.random
    return syrian_mobile_from(int(rand() * 6), int(rand() * 10_000_000), rand())


def syrian_mobile_from(operator: int, subscriber: int, form: float) -> tuple[str, str]:
    """The typed and stored forms of mobile 09<operator><subscriber> (operator 0-5 picks the
    second digit, subscriber < 10**7), written the way `form` (uniform in [0, 1)) picks.

    The generator knows the digits it wrote, so the stored form costs nothing here
    (a unit test holds it equal to `normalise_phone` of the typed form)."""
    local = f"9{'345689'[operator]}{subscriber:07d}"
    if form < 0.35:
        return f"0{local[:3]} {local[3:6]} {local[6:]}", "0" + local
    if form < 0.6:
        return "0" + local, "0" + local
    if form < 0.72:
        return f"+963 {local[:3]} {local[3:6]} {local[6:]}", "+963" + local
    if form < 0.8:
        return "+963" + local, "+963" + local
    if form < 0.85:
        return "00963" + local, "+963" + local
    if form < 0.95:
        return f"0{local}".translate(ARABIC_INDIC), "0" + local
    return f"0{local[:3]} {local[3:6]} {local[6:]}".translate(ARABIC_INDIC), "0" + local
