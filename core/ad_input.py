"""Validation of ad input (API and web forms share it). Pure: no database.

Pydantic gives per-field error messages that the API returns under
`error.fields`; existence of the category and area is checked by the caller,
which has a session.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from core.models import CONDITIONS, CURRENCIES
from core.text_input import ascii_digits, clean_text, normalise_phone

MAX_PRICE = Decimal("1000000000000")  # 10^12: above any real ad, even in SYP
MAX_IMAGES = 10


def _decimal_from_any(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("must be a number")
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    if isinstance(value, str):
        text = ascii_digits(value).replace(",", "").replace(" ", "")
        try:
            return Decimal(text)
        except InvalidOperation as exc:
            raise ValueError("must be a number") from exc
    raise ValueError("must be a number")


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
    category: str | None = Field(default=None, max_length=64)
    area: str | None = Field(default=None, max_length=64)
    lat: Coordinate = Field(default=None, ge=-90, le=90)
    lon: Coordinate = Field(default=None, ge=-180, le=180)
    price: Price = Field(default=None, ge=0, lt=MAX_PRICE)
    currency: str | None = None
    negotiable: bool | None = None
    condition: str | None = None
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
            if not 1 <= len(item) <= 300 or item.startswith(("javascript:", "data:")):
                raise ValueError("each image must be a path or URL of 1 to 300 characters")
        return cleaned


class AdCreate(AdFields):
    """A new ad: the essentials are required."""

    title: str
    category: str = Field(max_length=64)
    area: str = Field(max_length=64)
    contact_name: str
    contact_phone: str
    currency: str | None = "SYP"
    negotiable: bool | None = False
    description: str | None = ""

    @field_validator("lon")
    @classmethod
    def _pair(cls, value: float | None, info: Any) -> float | None:
        if (value is None) != (info.data.get("lat") is None) and "lat" in info.data:
            raise ValueError("lat and lon must be given together")
        return value


class AdUpdate(AdFields):
    """A partial change: only the fields given are changed."""
