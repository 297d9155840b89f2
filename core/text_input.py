"""Normalisation of what people type, before it is validated or stored. Pure.

Text is stored as typed (the search analyzer, not the database, folds
spelling variants) but in one Unicode form and without control characters,
and numbers may be typed in Arabic-Indic (٠-٩) or Persian (۰-۹) digits.
"""

from __future__ import annotations

import re
import unicodedata

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
# Control and format characters that have no place in an ad, except newline
# and tab in long text. ZWNJ/ZWJ (U+200C/D) are kept: Persian-style typing uses them.
_KEEP_FORMAT = {"\u200c", "\u200d"}


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits (and the Arabic decimal/thousands marks) to ASCII."""
    return text.translate(_DIGITS)


def all_ascii_digits(text: str) -> str:
    """Every Unicode decimal digit (fullwidth, Devanagari, Bengali, ... ) to ASCII, and the Arabic marks.

    For fields that are numbers and nothing else (phones): a phone pasted from a
    fullwidth keyboard or another script is the same number and must be stored,
    compared and rate-limited as one.
    """
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in ascii_digits(text))


def clean_text(text: str, *, multiline: bool = False) -> str:
    """NFC, no control characters, trimmed; single-line text has its whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\n\t" and multiline:
            kept.append(char)
        elif category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and char not in _KEEP_FORMAT):
            continue
        else:
            kept.append(char)
    cleaned = "".join(kept)
    if multiline:
        cleaned = re.sub(r"\n{3,}", "\n\n", cleaned.replace("\r", ""))
        return cleaned.strip()
    return re.sub(r"\s+", " ", cleaned).strip()


_PHONE_CHARS = re.compile(r"[\s\-().]")


def normalise_phone(raw: str) -> str | None:
    """A phone number in a canonical form (`+9639...` or local digits), or None if not plausible."""
    phone = _PHONE_CHARS.sub("", all_ascii_digits(unicodedata.normalize("NFKC", raw).strip()))
    if phone.startswith("00"):
        phone = "+" + phone[2:]
    if not re.fullmatch(r"\+?[0-9]{6,15}", phone):
        return None
    return phone
