"""Arabic number, price, age, date and distance formatting for the pages (pure)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from service.web import formatting as fmt

NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("value, decimals, expected", [
    (0, 0, "٠"),
    (999, 0, "٩٩٩"),
    (1000, 0, "١٬٠٠٠"),
    (15000000, 0, "١٥٬٠٠٠٬٠٠٠"),
    (Decimal("3.25"), 1, "٣٫٣"),
    (1234.5, 2, "١٬٢٣٤٫٥٠"),
])
def test_numbers_use_arabic_digits_and_separators(value, decimals, expected):
    assert fmt.format_number(value, decimals) == expected


def test_price_keeps_its_currency_and_shows_cents_only_when_present():
    assert fmt.format_price("15000", "USD") == "١٥٬٠٠٠ دولار"
    assert fmt.format_price(Decimal("250000000"), "SYP") == "٢٥٠٬٠٠٠٬٠٠٠ ل.س"
    assert fmt.format_price("99.50", "USD") == "٩٩٫٥٠ دولار"
    assert fmt.format_price(None, "SYP") == "السعر عند التواصل"


def test_compact_price_for_facet_buckets():
    assert fmt.compact_price(100_000_000, "SYP") == "١٠٠ مليون ل.س"
    assert fmt.compact_price(5_000, "USD") == "٥ آلاف دولار"
    assert fmt.compact_price(50_000, "USD") == "٥٠ ألف دولار"
    assert fmt.compact_price(1_000_000_000, "SYP") == "مليار ل.س"
    assert fmt.compact_price(0, "USD") == "٠ دولار"
    assert fmt.compact_price(1_500, "USD") == "١٬٥٠٠ دولار"


def test_converted_price_goes_to_the_other_currency_at_the_rate():
    rate = Decimal("13000")
    assert fmt.converted_price("130000", "SYP", rate) == "≈ ١٠ دولار"
    assert fmt.converted_price("2", "USD", rate) == "≈ ٢٦٬٠٠٠ ل.س"
    assert fmt.converted_price(None, "USD", rate) is None


@pytest.mark.parametrize("delta, expected", [
    (dt.timedelta(seconds=20), "الآن"),
    (dt.timedelta(minutes=1), "منذ دقيقة"),
    (dt.timedelta(minutes=2), "منذ دقيقتين"),
    (dt.timedelta(minutes=5), "منذ ٥ دقائق"),
    (dt.timedelta(minutes=45), "منذ ٤٥ دقيقة"),
    (dt.timedelta(hours=3), "منذ ٣ ساعات"),
    (dt.timedelta(hours=11), "منذ ١١ ساعة"),
    (dt.timedelta(days=1, hours=2), "منذ يوم"),
    (dt.timedelta(days=2), "منذ يومين"),
    (dt.timedelta(days=12), "منذ ١٢ يوماً"),
    (dt.timedelta(days=65), "منذ شهرين"),
    (dt.timedelta(days=800), "منذ سنتين"),
])
def test_age_uses_arabic_plural_forms(delta, expected):
    assert fmt.age(NOW - delta, NOW) == expected


def test_age_in_the_future_reads_as_now():
    assert fmt.age(NOW + dt.timedelta(minutes=5), NOW) == "الآن"


def test_dates_use_levantine_months_in_damascus_time():
    assert fmt.format_date(dt.datetime(2025, 3, 5, 10, tzinfo=dt.timezone.utc)) == "٥ آذار ٢٠٢٥"
    # 22:30 UTC on 31 December is already 1 January in Damascus (UTC+3).
    assert fmt.format_date(dt.datetime(2024, 12, 31, 22, 30, tzinfo=dt.timezone.utc)) == "١ كانون الثاني ٢٠٢٥"


def test_date_and_time_for_the_audit_log():
    assert fmt.format_datetime(dt.datetime(2024, 12, 31, 22, 7, tzinfo=dt.timezone.utc)) == "١ كانون الثاني ٢٠٢٥، ٠١:٠٧"


@pytest.mark.parametrize("km, expected", [
    (None, None), (0.004, "١٠ م"), (0.8, "٨٠٠ م"), (3.24, "٣٫٢ كم"), (12.6, "١٣ كم"),
])
def test_distance(km, expected):
    assert fmt.format_distance(km) == expected


def test_iso_dates_from_the_index_are_read_as_utc():
    assert fmt.parse_iso("2025-03-10T12:00:00Z") == NOW
    assert fmt.parse_iso("2025-03-10T12:00:00") == NOW
    assert fmt.parse_iso(NOW) == NOW
