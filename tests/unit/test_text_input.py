"""Normalisation of typed text, digits and phones (pure)."""

from __future__ import annotations

import unicodedata

import pytest

from core.text_input import ascii_digits, clean_text, normalise_phone


@pytest.mark.parametrize("typed, expected", [
    ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
    ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
    ("١٢٫٥", "12.5"),
    ("١٢٬٠٠٠", "12,000"),
    ("abc 123", "abc 123"),
])
def test_ascii_digits(typed, expected):
    assert ascii_digits(typed) == expected


def test_clean_text_is_nfc():
    decomposed = "e\u0301"  # e + combining acute
    assert clean_text(decomposed) == unicodedata.normalize("NFC", decomposed) == "\u00e9"


def test_clean_text_strips_controls_and_bidi_marks_but_keeps_zwnj():
    assert clean_text("سيارة\x00\x07\u200f\u202eللبيع") == "سيارةللبيع"
    assert clean_text("می\u200cخواهم") == "می\u200cخواهم"


def test_clean_text_drops_lone_surrogates_and_private_use():
    assert clean_text("a\ud800b\ue000c") == "abc"


def test_single_line_collapses_whitespace():
    assert clean_text("  غسالة \t\n  سامسونج  ") == "غسالة سامسونج"


def test_multiline_keeps_paragraphs_but_not_runs_of_blank_lines():
    assert clean_text("سطر١\r\n\n\n\n\nسطر٢\n", multiline=True) == "سطر١\n\nسطر٢"


def test_markup_is_stored_as_text():
    # Escaping happens on output; storage keeps what was typed.
    assert clean_text("<script>alert(1)</script>") == "<script>alert(1)</script>"


@pytest.mark.parametrize("raw, expected", [
    ("0944 123 456", "0944123456"),
    ("٠٩٤٤-١٢٣-٤٥٦", "0944123456"),
    ("+963 944 123 456", "+963944123456"),
    ("00963944123456", "+963944123456"),
    ("(011) 222.3344", "0112223344"),
    ("۰۹۴۴۱۲۳۴۵۶", "0944123456"),
])
def test_phone_accepts_what_people_type(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "0944abc456", "+", "1" * 16, "++963944123456", "٠٩٤٤/١٢٣"])
def test_phone_rejects_implausible_numbers(raw):
    assert normalise_phone(raw) is None
