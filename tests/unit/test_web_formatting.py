"""Arabic number, price, age, date and distance formatting for the pages (pure)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from service.web import formatting as fmt

NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)


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
    assert fmt.format_date(dt.datetime(2025, 3, 5, 10, tzinfo=dt.UTC)) == "٥ آذار ٢٠٢٥"
    # 22:30 UTC on 31 December is already 1 January in Damascus (UTC+3).
    assert fmt.format_date(dt.datetime(2024, 12, 31, 22, 30, tzinfo=dt.UTC)) == "١ كانون الثاني ٢٠٢٥"


def test_date_and_time_for_the_audit_log():
    assert fmt.format_datetime(dt.datetime(2024, 12, 31, 22, 7, tzinfo=dt.UTC)) == "١ كانون الثاني ٢٠٢٥، ٠١:٠٧"


@pytest.mark.parametrize("km, expected", [
    (None, None), (0.004, "١٠ م"), (0.8, "٨٠٠ م"), (3.24, "٣٫٢ كم"), (12.6, "١٣ كم"),
])
def test_distance(km, expected):
    assert fmt.format_distance(km) == expected


def test_iso_dates_from_the_index_are_read_as_utc():
    assert fmt.parse_iso("2025-03-10T12:00:00Z") == NOW
    assert fmt.parse_iso("2025-03-10T12:00:00") == NOW
    assert fmt.parse_iso(NOW) == NOW


@pytest.mark.parametrize("count, expected", [
    (0, "لا إعلانات"), (1, "إعلان واحد"), (2, "إعلانان"), (3, "٣ إعلانات"), (10, "١٠ إعلانات"),
    (11, "١١ إعلاناً"), (99, "٩٩ إعلاناً"), (100, "١٠٠ إعلان"), (101, "١٠١ إعلان"), (102, "١٠٢ إعلان"),
    (103, "١٠٣ إعلانات"), (111, "١١١ إعلاناً"), (1000, "١٬٠٠٠ إعلان"), (12_345, "١٢٬٣٤٥ إعلاناً"),
])
def test_ad_counts_take_the_cldr_arabic_plural_form(count, expected):
    assert fmt.ad_count(count) == expected


@pytest.mark.parametrize("count, category", [
    (0, "zero"), (1, "one"), (2, "two"), (3, "few"), (10, "few"), (11, "many"), (99, "many"),
    (100, "other"), (101, "other"), (102, "other"), (103, "few"), (111, "many"), (1_000_002, "other"),
])
def test_plural_categories_are_cldrs(count, category):
    assert fmt.plural_category(count) == category


def test_a_hundred_and_more_take_the_singular_not_the_accusative():
    # n % 100 == 0, 1 or 2 above a hundred is CLDR "other": «١٠٠ يوم», not «١٠٠ يوماً».
    assert fmt.counted(100, fmt.DAY) == "١٠٠ يوم" and fmt.counted(111, fmt.DAY) == "١١١ يوماً"
    assert fmt.counted(0, fmt.HOUR) == "٠ ساعة"  # no zero phrase of its own: read like 100


def test_compact_thousands_and_millions_take_their_dual_and_plural():
    assert fmt.compact_price(2_000, "USD") == "ألفان دولار"
    assert fmt.compact_price(3_000_000, "SYP") == "٣ ملايين ل.س"
    assert fmt.compact_price(11_000, "USD") == "١١ ألف دولار"


@pytest.mark.parametrize("value, decimals, expected", [
    (Decimal("2.5"), 0, "٣"), (Decimal("0.125"), 2, "٠٫١٣"), (1_000_000.005, 2, "١٬٠٠٠٬٠٠٠٫٠١"),
])
def test_numbers_round_half_up_as_prices_are_read(value, decimals, expected):
    assert fmt.format_number(value, decimals) == expected  # Babel alone would round half to even


def test_every_month_has_its_levantine_name():
    names = [fmt.format_date(dt.datetime(2025, month, 15, tzinfo=dt.UTC)).split(" ", 1)[1][:-5]
             for month in range(1, 13)]
    assert names == ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب",
                     "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"]


def test_the_pages_have_the_ad_count_filter():
    from core.config import Settings
    from service.app import create_app

    app = create_app(Settings(secret_key="k" * 32, operator_tokens=f"ops:{'t' * 32}", rate_limits_enabled=False))
    with app.app_context():
        assert app.jinja_env.from_string("{{ 11|ad_count }} · {{ 2|ad_count }}").render() == "١١ إعلاناً · إعلانان"
