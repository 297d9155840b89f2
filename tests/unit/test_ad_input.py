"""Ad and report input validation (pure: no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from core.ad_input import AdCreate, AdUpdate, ReportCreate
from core.money import MAX_PRICE

VALID = {
    "title": "شقة للبيع في المزة",
    "category": "apartments-sale",
    "area": "mezzeh",
    "contact_name": "أبو سامر",
    "contact_phone": "0933 111 222",
}


def errors(model, data) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return {".".join(map(str, e["loc"])): e["msg"] for e in info.value.errors()}


def test_minimal_ad_gets_defaults():
    ad = AdCreate.model_validate(VALID)
    defaults = (ad.currency, ad.negotiable, ad.description, ad.price, ad.lat, ad.lon)
    assert defaults == ("SYP", False, "", None, None, None)


@pytest.mark.parametrize("typed, expected", [
    ("١٥٠٠٠", Decimal("15000.00")),
    ("15,000", Decimal("15000.00")),
    ("۱۲٫۵", Decimal("12.50")),
    (99.999, Decimal("100.00")),
    (0, Decimal("0.00")),
    ("1e-100000", Decimal("0.00")),
    ("", None),
])
def test_price_accepts_typed_numbers_and_rounds_to_cents(typed, expected):
    assert AdCreate.model_validate(VALID | {"price": typed}).price == expected


@pytest.mark.parametrize("price", [-1, "-0.5", "abc", True, [1], {"a": 1}, "NaN", "Infinity",
                                   float("nan"), float("inf"), MAX_PRICE, 10**400, "1e400"])
def test_price_rejects_nonsense(price):
    assert "price" in errors(AdCreate, VALID | {"price": price})


def test_title_length_is_counted_after_cleaning():
    assert "title" in errors(AdCreate, VALID | {"title": " \x00ab\u200f "})
    assert "title" in errors(AdCreate, VALID | {"title": "ا" * 121})
    assert AdCreate.model_validate(VALID | {"title": "  ا" * 40}).title == " ".join(["ا"] * 40)


def test_description_limit_and_cleaning():
    assert "description" in errors(AdCreate, VALID | {"description": "x" * 5001})
    ad = AdCreate.model_validate(VALID | {"description": "سطر\x00١\r\n\n\n\nسطر٢"})
    assert ad.description == "سطر١\n\nسطر٢"


@pytest.mark.parametrize("field, value", [
    ("lat", 90.1), ("lat", -91), ("lon", 180.5), ("lat", "شمال"), ("lat", float("nan")),
    ("lat", 10**400), ("lat", True),
])
def test_coordinates_out_of_range(field, value):
    other = "lon" if field == "lat" else "lat"
    assert field in errors(AdCreate, VALID | {field: value, other: 10})


def test_coordinates_accept_arabic_digits_and_must_come_in_pairs():
    ad = AdCreate.model_validate(VALID | {"lat": "٣٣٫٥", "lon": "٣٦.٢٩"})
    assert (ad.lat, ad.lon) == (33.5, 36.29)
    assert "lon" in errors(AdCreate, VALID | {"lat": 33.5})
    assert "lon" in errors(AdCreate, VALID | {"lon": 36.2})


@pytest.mark.parametrize("field, value", [
    ("currency", "EUR"), ("currency", 1), ("condition", "broken"), ("category", "Cars!"),
    ("category", "a\x00b"), ("area", ""), ("area", "x" * 65), ("contact_phone", "call me"),
    ("contact_name", "ا"), ("images", ["javascript:alert(1)"]), ("images", ["x"] * 11),
    ("images", "a.jpg"), ("negotiable", "perhaps"), ("title", 12345),
])
def test_field_errors_name_the_field(field, value):
    assert any(name.split(".")[0] == field for name in errors(AdCreate, VALID | {field: value}))


def test_currency_is_case_insensitive_and_phone_canonical():
    ad = AdCreate.model_validate(VALID | {"currency": "usd", "contact_phone": "٠٠٩٦٣ ٩٣٣ ١١١ ٢٢٢"})
    assert (ad.currency, ad.contact_phone) == ("USD", "+963933111222")


@pytest.mark.parametrize("missing", ["title", "category", "area", "contact_name", "contact_phone"])
def test_required_fields(missing):
    data = {k: v for k, v in VALID.items() if k != missing}
    assert missing in errors(AdCreate, data)


def test_unknown_fields_are_rejected_by_name():
    assert errors(AdCreate, VALID | {"status": "active"})["status"]
    assert "version" in errors(AdUpdate, {"version": 7})


def test_update_is_partial_but_not_empty():
    assert AdUpdate.model_validate({"price": "٥"}).model_dump(exclude_unset=True) == {"price": Decimal("5.00")}
    assert errors(AdUpdate, {})


def test_report_reason_and_note():
    report = ReportCreate.model_validate({"reason": "spam", "note": " رسالة\x00 مكررة "})
    assert (report.reason, report.note) == ("spam", "رسالة مكررة")
    assert ReportCreate.model_validate({"reason": "sold"}).note == ""
    assert "reason" in errors(ReportCreate, {"reason": "boring"})
    assert "note" in errors(ReportCreate, {"reason": "other", "note": "x" * 1001})
    assert "extra" in errors(ReportCreate, {"reason": "other", "extra": 1})


@pytest.mark.parametrize("path, own", [
    ("demo/cars-1.jpg", True), ("/static/test/a.jpg", True), ("a.jpg", True),
    ("/\\evil.example/x.png", False), ("JaVaScRiPt:alert(1)", False), ("//evil.example/x.png", False),
    ("https://evil.example/x.png", False), ("/static/../x.png", False), ("/.hidden.png", False),
    ("/static/x.png?y=1", False), ("a//b.png", False), ("/", False), ("", False), ("/a/" + "b" * 300, False),
    ("data:image/png;base64,AAAA", False), ("/صورة.jpg", False),
])
def test_images_are_paths_of_this_site_only(path, own):
    from core.ad_input import is_own_image_path

    assert is_own_image_path(path) is own


def test_a_moderation_reason_is_trimmed_and_required():
    from core.ad_input import MAX_MODERATION_REASON, ModerationReason

    assert ModerationReason.model_validate({"reason": "  احتيال\n واضح\u200f "}).reason == "احتيال واضح"
    assert len(ModerationReason.model_validate({"reason": "ك" * MAX_MODERATION_REASON}).reason) == 500
    for bad in ({}, {"reason": ""}, {"reason": " \t\u200f"}, {"reason": "ك" * 501}, {"reason": 3},
                {"reason": "سبب", "extra": 1}):
        with pytest.raises(ValidationError):
            ModerationReason.model_validate(bad)
