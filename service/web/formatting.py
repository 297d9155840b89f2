"""How numbers, prices, ages, dates and distances read on the Arabic pages. Pure.

Babel's CLDR data decides what CLDR knows; the words it has no right form for stay ours.

- Locale: CLDR `ar_SY`, not `ar`. Since CLDR 42 plain `ar` writes Latin digits
  with «,» and «.», while `ar_SY` keeps the Arabic-Indic digits, «٬» between
  thousands and «٫» before decimals, and the Levantine month names («آذار»,
  «كانون الثاني») a Syrian reader expects; the pages have always shown those.
- Digits: Babel switches a numbering system's separators but always writes
  Latin digits, so `arabic_digits` turns them into «٠…٩» afterwards.
- Plurals: CLDR's six Arabic categories (`Locale.plural_form`: zero, one, two,
  few = n % 100 in 3..10, many = n % 100 in 11..99, other: 100, 101, 102, …)
  choose the form; each counted noun lists its own. "3 hours" is «٣ ساعات»,
  "11 days" «١١ يوماً», "100 days" «١٠٠ يوم».
- Words kept ours: after «منذ» Arabic wants the genitive dual («منذ يومين»);
  CLDR's duration units are nominative («يومان»), and Babel's relative time
  says «قبل» and rounds by a threshold. CLDR's compact numbers say «٢ ألف»
  for «ألفان» and round 1,500 to «٢ ألف», wrong on a price-bucket edge. Its
  currency names are «ليرة سورية» / «دولار أمريكي» and its symbols «ل.س.‏» /
  «US$»; the pages say «ل.س» and «دولار», as people in Syria write prices.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import NamedTuple

from babel import Locale
from babel.dates import format_date as cldr_date
from babel.dates import format_datetime as cldr_datetime
from babel.numbers import format_decimal, parse_pattern

from core.money import Currency

SYRIA = Locale.parse("ar_SY")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
CURRENCY_NAMES: dict[str, str] = {Currency.SYP: "ل.س", Currency.USD: "دولار"}
# Parsed once: a page formats dozens of numbers, and parsing a pattern is most of Babel's cost.
NUMBER_PATTERNS = [parse_pattern("#,##0" + ("." + "0" * decimals if decimals else "")) for decimals in range(4)]


class Unit(NamedTuple):
    """An Arabic counted noun, one form per CLDR plural category.

    `one` and `two` stand alone, the number being in the word («ساعة», «ساعتين»);
    the others follow the digits. `zero` is a whole phrase when the noun has one
    («لا إعلانات»); without it, 0 reads like 100 («٠ دقيقة»)."""

    one: str
    two: str
    few: str  # n % 100 in 3..10: «٣ ساعات»
    many: str  # n % 100 in 11..99: «١١ يوماً»
    other: str  # 100, 101, 102, 1000…: «١٠٠ يوم»
    zero: str | None = None


# The dual in the genitive: these follow «منذ».
MINUTE = Unit("دقيقة", "دقيقتين", "دقائق", "دقيقة", "دقيقة")
HOUR = Unit("ساعة", "ساعتين", "ساعات", "ساعة", "ساعة")
DAY = Unit("يوم", "يومين", "أيام", "يوماً", "يوم")
MONTH = Unit("شهر", "شهرين", "أشهر", "شهراً", "شهر")
YEAR = Unit("سنة", "سنتين", "سنوات", "سنة", "سنة")
AD = Unit("إعلان واحد", "إعلانان", "إعلانات", "إعلاناً", "إعلان", zero="لا إعلانات")
COMPACT_UNITS = ((10**9, Unit("مليار", "ملياران", "مليارات", "مليار", "مليار")),
                 (10**6, Unit("مليون", "مليونان", "ملايين", "مليون", "مليون")),
                 (10**3, Unit("ألف", "ألفان", "آلاف", "ألف", "ألف")))


def arabic_digits(text: str) -> str:
    return text.translate(ARABIC_DIGITS)


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """«١٢٬٥٠٠» / «٣٫٥»: grouped thousands and a fixed number of decimals (at most 3).

    Rounded half up here, as prices are read («٣٫٢٥» to one place is «٣٫٣»);
    Babel would round half to even. Babel costs 5-7 µs a number where the
    str.format version this replaced took 2 µs; a search page formats 80 to 120
    numbers, so about half a millisecond a page, kept for CLDR's separators."""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return arabic_digits(format_decimal(number, NUMBER_PATTERNS[decimals], locale=SYRIA, numbering_system="default"))


def format_price(amount: int | float | Decimal | str | None, currency: str) -> str:
    """A price in its own currency; cents only when there are any. No price: «السعر عند التواصل»."""
    if amount is None or amount == "":
        return "السعر عند التواصل"
    number = Decimal(str(amount))
    decimals = 0 if number == number.to_integral_value() else 2
    return f"{format_number(number, decimals)} {CURRENCY_NAMES.get(currency, currency)}"


def compact_price(amount: int | Decimal, currency: str) -> str:
    """Round bucket edges in words, short enough for a sidebar («١٠٠ مليون ل.س»)."""
    for size, unit in COMPACT_UNITS:
        if amount >= size and amount % size == 0:
            return f"{counted(int(amount // size), unit)} {CURRENCY_NAMES.get(currency, currency)}"
    return format_price(amount, currency)


def converted_price(amount: int | float | Decimal | str | None, currency: str,
                    syp_per_usd: Decimal) -> str | None:
    """The same price in the other currency, at the configured rate («≈ ١٥٠ دولار»)."""
    if amount is None or amount == "" or syp_per_usd <= 0:
        return None
    number = Decimal(str(amount))
    if currency == Currency.SYP:
        other, value = Currency.USD, number / syp_per_usd
    elif currency == Currency.USD:
        other, value = Currency.SYP, number * syp_per_usd
    else:
        return None
    return f"≈ {format_number(value, 0)} {CURRENCY_NAMES[other]}"


@lru_cache(maxsize=1024)
def plural_category(count: int) -> str:
    """CLDR's Arabic category of a count: "zero", "one", "two", "few", "many" or "other".

    Cached: Babel's rule takes about 3 µs a call, and the pages count the same
    few small numbers (minutes, days, thousands) over and over."""
    return SYRIA.plural_form(count)


def counted(count: int, unit: Unit) -> str:
    """«ساعة» / «ساعتين» / «٣ ساعات» / «١١ ساعة» / «١٠٠ ساعة»: the form CLDR's category names."""
    category = plural_category(count)
    if category == "one":
        return unit.one
    if category == "two":
        return unit.two
    if category == "zero" and unit.zero:
        return unit.zero
    form = {"few": unit.few, "many": unit.many}.get(category, unit.other)
    return f"{format_number(count)} {form}"


def ad_count(count: int) -> str:
    """«لا إعلانات» / «إعلان واحد» / «إعلانان» / «٣ إعلانات» / «١١ إعلاناً» / «١٠٠ إعلان»."""
    return counted(count, AD)


def age(created: dt.datetime, now: dt.datetime) -> str:
    """How long ago an ad was posted, in the largest whole unit («منذ ٣ أيام»)."""
    seconds = max(0, int((now - created).total_seconds()))
    if seconds < 60:
        return "الآن"
    for size, unit in ((365 * 86400, YEAR), (30 * 86400, MONTH), (86400, DAY), (3600, HOUR), (60, MINUTE)):
        if seconds >= size:
            return f"منذ {counted(seconds // size, unit)}"
    return "الآن"  # unreachable: the minute unit always matches past 60 s


DAMASCUS = dt.timezone(dt.timedelta(hours=3))  # UTC+3 all year since 2022


def format_date(value: dt.datetime) -> str:
    """«٥ آذار ٢٠٢٥» in Damascus time, CLDR's ar_SY month names."""
    return arabic_digits(cldr_date(value.astimezone(DAMASCUS).date(), "d MMMM y", locale=SYRIA))


def format_datetime(value: dt.datetime) -> str:
    """«٥ آذار ٢٠٢٥، ١٤:٠٧» in Damascus time: the audit log needs the minute, not just the day."""
    return arabic_digits(cldr_datetime(value, "d MMMM y، HH:mm", tzinfo=DAMASCUS, locale=SYRIA))


def format_distance(km: float | None) -> str | None:
    """«٨٠٠ م» under a kilometre, «٣٫٢ كم» under ten, whole kilometres beyond."""
    if km is None:
        return None
    if km < 1:
        return f"{format_number(max(10, round(km * 1000, -1)))} م"
    if km < 10:
        return f"{format_number(km, 1)} كم"
    return f"{format_number(round(km))} كم"


def parse_iso(value: str | dt.datetime) -> dt.datetime:
    """Dates from `_source` arrive as ISO strings; rows give datetimes."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
