"""Query understanding: prices and places written in the search text. Pure.

«شقة للإيجار في حمص تحت ٥٠٠ دولار» -> text «شقة للإيجار», area Homs, price
at most 500 USD. A phrase becomes a filter only when we are confident; every
finding is reported (applied or not) so the UI can show it and undo it with
`understand=0`. Text is matched in the folded form of search_config.arabic_fold
(hamza, ta marbuta, alef maqsura, diacritics, tatweel, Arabic-Indic digits)
mapped back to the original characters, so the phrase removed is exactly what
the user typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from core.money import MAX_PRICE, Currency
from core.taxonomy import Node, Tree
from search_config.arabic_fold import fold, fold_with_map

# Amounts without a currency are only trusted when their size says which one:
# no used-goods price in USD reaches 100,000 here, and most SYP prices do.
SYP_WITHOUT_CURRENCY_FROM = Decimal("100000")
# Place names that are also everyday words in ads («الطبقة الثانية» = second
# floor, «الباب» = the door): never taken as a place without more context.
AMBIGUOUS_PLACES = frozenset({"الباب", "التل", "الطبقه", "الحمراء", "الحمرا", "المحافظه",
                              "الزراعه", "الميدان", "الشهباء", "كسب", "نوي", "الغوطه",
                              "الانشاءات", "الجميليه", "العزيزيه", "المالكي", "المالكيه"})
MIN_PLACE_CHARS = 3

_NUM = r"(\d+(?:[.,]\d+)*)"
_MULT = r"(الف|الاف|الفين|مليون|ملايين|مليونين|مليار|k|m)"
_AMOUNT = rf"(?:{_NUM}\s*{_MULT}?|{_MULT})"
_CUR = r"(?:\s*(دولار|دولارات|\$|usd|ليره سوريه|ليره|ليرات|ل\.?س|syp))?"
_MAX_OP = r"(?:ب?اقل من|تحت|ما دون|دون|حتي|لحد|ب?ارخص من|بحد اقصي)"
_MIN_OP = r"(?:ب?اكثر من|فوق|اعلي من|بحد ادني)"
_EDGE_L, _EDGE_R = r"(?<![^\s])", r"(?![^\s])"
PRICE_PATTERNS = (
    ("between", re.compile(rf"{_EDGE_L}(?:بين|من)\s*{_AMOUNT}\s*(?:و|الي|-)\s*{_AMOUNT}{_CUR}{_EDGE_R}")),
    ("max", re.compile(rf"{_EDGE_L}{_MAX_OP}\s*{_AMOUNT}{_CUR}{_EDGE_R}")),
    ("min", re.compile(rf"{_EDGE_L}{_MIN_OP}\s*{_AMOUNT}{_CUR}{_EDGE_R}")),
)
_MULTIPLIERS = {"الف": 1000, "الاف": 1000, "الفين": 2000, "k": 1000, "مليون": 10**6,
                "ملايين": 10**6, "مليونين": 2 * 10**6, "m": 10**6, "مليار": 10**9}
_CURRENCIES = {"دولار": Currency.USD, "دولارات": Currency.USD, "$": Currency.USD, "usd": Currency.USD}


@dataclass
class Understanding:
    text: str
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    currency: str | None = None
    area: Node | None = None
    found: list[dict[str, Any]] = field(default_factory=list)


def _amount(number: str | None, multiplier: str | None) -> Decimal | None:
    try:
        value = Decimal(number.replace(",", "")) if number else Decimal(1)
    except InvalidOperation:
        return None
    return value * _MULTIPLIERS.get(multiplier or "", 1)


def _currency(word: str | None, multipliers: list[str | None], amounts: list[Decimal],
              default: str | None) -> str | None:
    if word:
        return _CURRENCIES.get(word, Currency.SYP)
    if default:
        return default
    if any(m in ("مليون", "ملايين", "مليونين", "مليار", "m") for m in multipliers):
        return Currency.SYP
    if amounts and min(amounts) >= SYP_WITHOUT_CURRENCY_FROM:
        return Currency.SYP
    return None


def _price(folded: str, currency_param: str | None) -> tuple[tuple[int, int], dict[str, Any]] | None:
    for kind, pattern in PRICE_PATTERNS:
        match = pattern.search(folded)
        if not match:
            continue
        groups = match.groups()
        pairs = [(groups[0], groups[1] or groups[2]), (groups[3], groups[4] or groups[5])] \
            if kind == "between" else [(groups[0], groups[1] or groups[2])]
        if kind == "between" and pairs[1][1] and not pairs[0][1]:
            pairs[0] = (pairs[0][0], pairs[1][1])  # «بين 100 و 200 ألف»: both in thousands
        amounts = [_amount(number, mult) for number, mult in pairs]
        if any(a is None for a in amounts):
            return None
        values = [a for a in amounts if a is not None]
        currency = _currency(groups[-1], [m for _, m in pairs], values, currency_param)
        low, high = (min(values), max(values)) if kind == "between" else \
            ((values[0], None) if kind == "min" else (None, values[0]))
        return match.span(), {"type": "price", "price_min": low, "price_max": high,
                              "currency": currency}
    return None


@dataclass(frozen=True)
class PlaceIndex:
    tree: Tree
    nodes: dict[str, list[Node]]
    pattern: re.Pattern[str]


_place_cache: list[PlaceIndex] = []  # one entry: the last tree seen (trees are reloaded rarely)


def place_index(areas: Tree) -> PlaceIndex:
    """Every area name and alt name, folded, and one regex matching any of them (longest first)."""
    if _place_cache and _place_cache[0].tree is areas:
        return _place_cache[0]
    nodes: dict[str, list[Node]] = {}
    for node in areas.nodes.values():
        for name in {node.name_ar, node.name_en, *node.alt_names}:
            key = " ".join(fold(name).split())
            if len(key) >= MIN_PLACE_CHARS and key not in AMBIGUOUS_PLACES:
                nodes.setdefault(key, []).append(node)
    names = "|".join(re.escape(key) for key in sorted(nodes, key=len, reverse=True)) or "(?!)"
    pattern = re.compile(rf"{_EDGE_L}(في\s+|ب)?({names}){_EDGE_R}")
    _place_cache[:] = [PlaceIndex(areas, nodes, pattern)]
    return _place_cache[0]


def _widest(areas: Tree, nodes: list[Node]) -> Node | None:
    """The one node containing all `nodes` among them (Homs the governorate over Homs the city)."""
    for candidate in sorted(nodes, key=lambda n: len(areas.path(n.id))):
        if all(candidate.id in areas.path(n.id) for n in nodes):
            return candidate
    return None


def _place(folded: str, areas: Tree) -> tuple[tuple[int, int], Node] | None:
    index = place_index(areas)
    for match in index.pattern.finditer(folded):
        node = _widest(areas, index.nodes[match.group(2)])
        if node is None:
            continue
        if node.kind != "governorate" and not match.group(1):
            continue  # a city or neighbourhood name alone may be an ordinary word
        return match.span(), node
    return None


def _cut(text: str, origin: list[int], span: tuple[int, int]) -> tuple[str, str]:
    start, end = origin[span[0]], origin[span[1] - 1] + 1
    return text[start:end], " ".join((text[:start] + " " + text[end:]).split())


def understand(text: str, areas: Tree, currency_param: str | None = None) -> Understanding:
    """Find a price phrase and a place in `text`; cut them out only when confident."""
    result = Understanding(text=text)
    folded, origin = fold_with_map(text)
    found_price = _price(folded, currency_param)
    if found_price:
        span, info = found_price
        phrase, rest = _cut(text, origin, span)
        bounds = [value for value in (info["price_min"], info["price_max"]) if value is not None]
        applied = info["currency"] is not None and all(value < MAX_PRICE for value in bounds)
        result.found.append({**info, "text": phrase, "applied": applied})
        if not applied:
            result.found[-1]["reason"] = ("currency unclear" if info["currency"] is None
                                          else "not a plausible price")
        else:
            result.text = rest
            result.price_min, result.price_max = info["price_min"], info["price_max"]
            result.currency = info["currency"]
    folded, origin = fold_with_map(result.text)
    found_place = _place(folded, areas)
    if found_place:
        span, node = found_place
        phrase, rest = _cut(result.text, origin, span)
        result.found.append({"type": "area", "text": phrase, "area": node.slug,
                             "name_ar": node.name_ar, "name_en": node.name_en, "applied": True})
        result.text, result.area = rest, node
    return result
