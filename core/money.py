"""Prices: the currencies an ad may be priced in, the cap, and the one USD conversion. Pure.

Prices are stored as typed (amount + currency). Search filters and sorts on
one number, the price in USD, which the indexer stores on each document and the
search computes for each bound: both go through `usd_amount`, so a bound equal
to an ad's own price compares equal to that ad's stored value and is never lost.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class Currency(StrEnum):
    SYP = "SYP"  # the local currency
    USD = "USD"


CURRENCIES = tuple(Currency)
# The local currency: for ads posted without one and searches that name none.
DEFAULT_CURRENCY = Currency.SYP
# 10^12: above any real price, even in SYP; a larger number is not a price (and
# would overflow the price column). Ads, search bounds and prices read from the
# search text all stop below it.
MAX_PRICE = Decimal("1000000000000")
# Places the USD price keeps: a hundredth of a cent, so SYP prices (about 13,000 SYP
# to the dollar) keep their order to about one lira.
USD_PLACES = 4


def usd_amount(amount: Decimal, currency: str, syp_per_usd: Decimal) -> float:
    """`amount` in `currency` as USD, in Decimal arithmetic, rounded half-even to USD_PLACES."""
    usd = amount if currency == Currency.USD else amount / syp_per_usd
    return float(round(usd, USD_PLACES))


def price_in_usd(amount: Decimal | None, currency: str, syp_per_usd: Decimal) -> float | None:
    """An ad's price in USD (`usd_amount`), or None for an ad without a price."""
    return None if amount is None else usd_amount(amount, currency, syp_per_usd)
