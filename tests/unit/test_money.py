"""The USD rule: one rounding for the indexed price and every search bound."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.money import CURRENCIES, DEFAULT_CURRENCY, MAX_PRICE, USD_PLACES, Currency, price_in_usd, usd_amount
from core.taxonomy import Node, Tree
from indexer.documents import AD_FIELDS, DocumentMaker
from search_config import fields as F
from service.search.filters import usd_bound

RATE = Decimal("13000")


def test_usd_rule_divides_syp_in_decimal_and_rounds_half_even_to_four_places():
    assert usd_amount(Decimal("150"), Currency.USD, RATE) == 150.0
    assert usd_amount(Decimal("1000"), Currency.SYP, RATE) == 0.0769  # 0.076923...
    assert usd_amount(Decimal("0.65"), Currency.SYP, RATE) == 0.0  # 0.00005 exactly: half to even
    assert usd_amount(Decimal("1.95"), Currency.SYP, RATE) == 0.0002  # 0.00015 exactly: half to even
    assert usd_amount(Decimal("0.12345"), Currency.USD, RATE) == 0.1234
    assert USD_PLACES == 4
    assert price_in_usd(None, Currency.SYP, RATE) is None


def test_currencies_cap_and_default():
    assert CURRENCIES == ("SYP", "USD") and DEFAULT_CURRENCY == "SYP"
    assert MAX_PRICE == 10**12


def _ad(price: Decimal, currency: str) -> tuple[object, ...]:
    """An ad's row in `AD_FIELDS` order, as the indexer reads it."""
    when = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    values = dict(id=1, slug="a1", title="سيارة", description="", category_id=1, area_id=10,
                  lat=None, lon=None, price_amount=price, currency=currency, negotiable=False,
                  condition=None, images=[], created_at=when, expires_at=when, status="active",
                  version=1, contact_phone="0944123456")
    return tuple(values[name] for name in AD_FIELDS)


@pytest.mark.parametrize("price", [Decimal("1"), Decimal("0.65"), Decimal("1.95"), Decimal("1500000.50"),
                                   Decimal("999999999999.99"), Decimal("12345.67"), Decimal("0")])
@pytest.mark.parametrize("currency", list(Currency))
def test_a_bound_equal_to_an_ads_price_equals_its_indexed_usd_price(price, currency):
    """Else a search for "at most the price of this ad" would miss the ad itself."""
    trees = Tree(nodes={1: Node(1, "cars", None, "سيارات", "Cars")}), \
        Tree(nodes={10: Node(10, "homs", None, "حمص", "Homs", kind="governorate")})
    document = DocumentMaker(*trees, RATE)(_ad(price, currency))
    assert document[F.PRICE_USD] == usd_bound(price, currency, RATE) == usd_amount(price, currency, RATE)
