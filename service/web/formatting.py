"""How numbers, prices, ages, dates and distances read on the Arabic pages. Pure.

Syria's locale (CLDR ar-SY) writes numbers with Arabic-Indic digits, «٬» between
thousands and «٫» before decimals; months use the Levantine names. Plural
forms follow Arabic grammar (one, two, 3–10, 11 and more), so "3 hours" is
«٣ ساعات» but "11 hours" is «١١ ساعة».
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from core.money import Currency

ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
GROUP_SEPARATOR = "٬"
DECIMAL_SEPARATOR = "٫"
CURRENCY_NAMES: dict[str, str] = {Currency.SYP: "ل.س", Currency.USD: "دولار"}
LEVANTINE_MONTHS = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب",
                    "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول")


class Unit(NamedTuple):
    """An Arabic counted noun: singular, dual, plural (3–10), and the form for 11 and above."""

    one: str
    two: str
    few: str
    many: str


MINUTE = Unit("دقيقة", "دقيقتين", "دقائق", "دقيقة")
HOUR = Unit("ساعة", "ساعتين", "ساعات", "ساعة")
DAY = Unit("يوم", "يومين", "أيام", "يوماً")
MONTH = Unit("شهر", "شهرين", "أشهر", "شهراً")
YEAR = Unit("سنة", "سنتين", "سنوات", "سنة")
COMPACT_UNITS = ((10**9, Unit("مليار", "ملياران", "مليارات", "مليار")),
                 (10**6, Unit("مليون", "مليونان", "ملايين", "مليون")),
                 (10**3, Unit("ألف", "ألفان", "آلاف", "ألف")))


def arabic_digits(text: str) -> str:
    return text.translate(ARABIC_DIGITS)


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """«١٢٬٥٠٠» / «٣٫٥»: grouped thousands and a fixed number of decimals."""
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{number:,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", DECIMAL_SEPARATOR).replace("\0", GROUP_SEPARATOR)
    return arabic_digits(text)


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


def counted(count: int, unit: Unit) -> str:
    """«ساعة» / «ساعتين» / «٣ ساعات» / «١١ ساعة»."""
    if count == 1:
        return unit.one
    if count == 2:
        return unit.two
    form = unit.few if 3 <= count % 100 <= 10 else unit.many
    return f"{format_number(count)} {form}"


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
    """«٥ آذار ٢٠٢٥» in Damascus time."""
    local = value.astimezone(DAMASCUS)
    return f"{format_number(local.day)} {LEVANTINE_MONTHS[local.month - 1]} {arabic_digits(str(local.year))}"


def format_datetime(value: dt.datetime) -> str:
    """«٥ آذار ٢٠٢٥، ١٤:٠٧» in Damascus time: the audit log needs the minute, not just the day."""
    local = value.astimezone(DAMASCUS)
    return f"{format_date(value)}، {arabic_digits(local.strftime('%H:%M'))}"


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
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)
