"""Validation of ad input (API and web forms share it). Pure: no database.

Pydantic gives per-field error messages that the API returns under
`error.fields`; existence of the category and area is checked by the caller,
which has a session.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from core.models import CONDITIONS, ReportReason
from core.money import CURRENCIES, DEFAULT_CURRENCY, MAX_PRICE
from core.text_input import ascii_digits, clean_text, normalise_phone

MAX_IMAGES = 10
MAX_REPORT_NOTE = 1000
CENTS = Decimal("0.01")  # the price column keeps two decimals
# Seeded slugs are lowercase ASCII words joined by hyphens; checking the shape
# here means nothing odd (NUL bytes, surrogates) ever reaches a database query.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"


def _decimal_from_any(value: Any) -> Any:
    """A finite price in [0, MAX_PRICE) rounded to cents, from a number or typed text.

    The range is checked before rounding: rounding a huge or tiny exponent
    would fail (or overflow the column) instead of giving a clear message.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise ValueError("must be a number")
    text = ascii_digits(value).replace(",", "").replace(" ", "") if isinstance(value, str) else str(value)
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError("must be a number") from exc
    if not number.is_finite():
        raise ValueError("must be a finite number")
    if not 0 <= number < MAX_PRICE:
        raise ValueError(f"must be at least 0 and below {MAX_PRICE}")
    return number.quantize(CENTS, rounding=ROUND_HALF_UP)


def _float_from_any(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("must be a number")
    if isinstance(value, str):
        try:
            return float(ascii_digits(value).strip())
        except ValueError as exc:
            raise ValueError("must be a number") from exc
    return value


Price = Annotated[Decimal | None, BeforeValidator(_decimal_from_any)]
Coordinate = Annotated[float | None, BeforeValidator(_float_from_any)]


class AdFields(BaseModel):
    """Fields shared by create and update; every one optional here."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = None
    description: str | None = None
    category: str | None = Field(default=None, pattern=SLUG_PATTERN)
    area: str | None = Field(default=None, pattern=SLUG_PATTERN)
    lat: Coordinate = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    lon: Coordinate = Field(default=None, ge=-180, le=180, allow_inf_nan=False)
    price: Price = Field(default=None, ge=0, lt=MAX_PRICE)
    currency: str | None = Field(default=None, json_schema_extra={"enum": [*CURRENCIES, None]})
    negotiable: bool | None = None
    condition: str | None = Field(default=None, json_schema_extra={"enum": [*CONDITIONS, "", None]})
    contact_name: str | None = None
    contact_phone: str | None = None
    images: list[str] | None = Field(default=None, max_length=MAX_IMAGES)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = clean_text(value)
        if not 3 <= len(value) <= 120:
            raise ValueError("must be 3 to 120 characters")
        return value

    @field_validator("description")
    @classmethod
    def _description(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = clean_text(value, multiline=True)
        if len(value) > 5000:
            raise ValueError("must be at most 5000 characters")
        return value

    @field_validator("contact_name")
    @classmethod
    def _contact_name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = clean_text(value)
        if not 2 <= len(value) <= 80:
            raise ValueError("must be 2 to 80 characters")
        return value

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        phone = normalise_phone(value)
        if phone is None:
            raise ValueError("must be a phone number of 6 to 15 digits")
        return phone

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.upper()
        if value not in CURRENCIES:
            raise ValueError(f"must be one of {', '.join(CURRENCIES)}")
        return value

    @field_validator("condition")
    @classmethod
    def _condition(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if value not in CONDITIONS:
            raise ValueError(f"must be one of {', '.join(CONDITIONS)}")
        return value

    @field_validator("images")
    @classmethod
    def _images(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        cleaned = [clean_text(item) for item in value]
        for item in cleaned:
            if not is_own_image_path(item):
                raise ValueError("each image must be a path on this site (letters, digits, - _ . /), "
                                 "at most 300 characters")
        return cleaned


# An image is a path on this site: ASCII segments of letters, digits and - _ .,
# optionally rooted. An allow-list rather than a block-list, because browsers
# read `/\\host/x.png` as another host and schemes come in any case
# (`JaVaScRiPt:`); a scheme, host, query, backslash or `..` is never a path of ours.
_IMAGE_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
MAX_IMAGE_PATH = 300


def is_own_image_path(value: str) -> bool:
    """True for `demo/a.jpg` or `/static/x.png`; False for URLs, `//host`, `/\\host`, `..`."""
    if not 1 <= len(value) <= MAX_IMAGE_PATH:
        return False
    segments = (value[1:] if value.startswith("/") else value).split("/")
    return all(_IMAGE_SEGMENT.fullmatch(part) for part in segments)


class AdCreate(AdFields):
    """A new ad: the essentials are required."""

    title: str
    category: str = Field(pattern=SLUG_PATTERN)
    area: str = Field(pattern=SLUG_PATTERN)
    contact_name: str
    contact_phone: str
    currency: str | None = Field(default=DEFAULT_CURRENCY.value, json_schema_extra={"enum": [*CURRENCIES, None]})
    negotiable: bool | None = False
    description: str | None = ""
    # Validated even when absent, so that a lat without a lon is reported on "lon".
    lon: Coordinate = Field(default=None, ge=-180, le=180, allow_inf_nan=False, validate_default=True)

    @field_validator("lon")
    @classmethod
    def _pair(cls, value: float | None, info: ValidationInfo) -> float | None:
        """A precise location needs both coordinates; one alone is a typo, not a place."""
        if "lat" in info.data and (value is None) != (info.data["lat"] is None):
            raise ValueError("lat and lon must be given together")
        return value


class AdUpdate(AdFields):
    """A partial change: only the fields given are changed."""

    @model_validator(mode="after")
    def _not_empty(self) -> AdUpdate:
        if not self.model_fields_set:
            raise ValueError("send at least one field to change")
        return self


class ReportCreate(BaseModel):
    """Someone flags an ad: a reason from the fixed list and an optional note for moderators."""

    model_config = ConfigDict(extra="forbid")

    reason: ReportReason
    note: str | None = Field(default="", max_length=4 * MAX_REPORT_NOTE)

    @field_validator("note")
    @classmethod
    def _note(cls, value: str | None) -> str:
        value = clean_text(value or "", multiline=True)
        if len(value) > MAX_REPORT_NOTE:
            raise ValueError(f"must be at most {MAX_REPORT_NOTE} characters")
        return value


MAX_MODERATION_REASON = 500  # a few sentences: the audit log is read, not archived prose


class ModerationReason(BaseModel):
    """Why an operator hides, unhides or dismisses an ad's reports: required, kept in the audit log."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=4 * MAX_MODERATION_REASON,
                        description=f"1 to {MAX_MODERATION_REASON} characters once spaces are trimmed")

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        value = clean_text(value)
        if not value:
            raise ValueError("must not be blank")
        if len(value) > MAX_MODERATION_REASON:
            raise ValueError(f"must be at most {MAX_MODERATION_REASON} characters")
        return value
