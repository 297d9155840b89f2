"""Query-string arguments: cheap to ask for when absent, and read by a declared pydantic model.

A search reads about fifteen optional parameters and most of them are absent.
werkzeug's `MultiDict.get` finds an absent name by raising and catching a
`BadRequestKeyError` (an HTTP exception object built each time): measured at
~9,000 of them per 600 searches, about a tenth of the parameter parsing's time.
`QueryArgs.get` checks membership first; everything else is werkzeug's.

`QueryModel` is the base of the models that declare a view's parameters
(service.search.params): `from_args` reads the query string into one and turns
pydantic's first error into `BadParameter` naming the parameter, so a
ValidationError never reaches a view as a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Self

from flask import Flask, Request
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError
from werkzeug.datastructures import ImmutableMultiDict

from core.text_input import ascii_digits


class QueryArgs(ImmutableMultiDict[str, str]):
    # One signature for werkzeug's five overloads of `get`; it answers them all the same way.
    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:  # type: ignore[override]
        if key not in self:
            return default
        return super().get(key, default, type)


class SouqRequest(Request):
    parameter_storage_class = QueryArgs


def use_query_args(app: Flask) -> None:
    app.request_class = SouqRequest


class BadParameter(ValueError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def combination(name: str, message: str) -> PydanticCustomError:
    """An error of two parameters together, blaming `name` (a model check has no field of its own)."""
    return PydanticCustomError("combination", message, {"parameter": name})


def whole(value: Any) -> int:
    """Digits only: pydantic's int would take "5.0", int() would take "²" (isdigit) or a 5,000-digit string."""
    text = str(value)
    if len(text) > 12 or not text.lstrip("+-").isdecimal():
        raise ValueError("must be a whole number")
    return int(text)


def flag(value: Any) -> bool:
    """The spellings a link or a form may use; pydantic's bool would also take t/f/y/n."""
    text = str(value).lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be true or false")


def split_values(value: Any) -> list[str]:
    """Repeated and comma-separated values alike, blanks dropped."""
    items = value if isinstance(value, list | tuple) else [value]
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def distinct(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(values))


# Put bounds before WHOLE in an Annotated (`Annotated[int, Field(ge=1), WHOLE]`): on the inner
# type they reach the JSON schema; after a BeforeValidator pydantic keeps them as stray keywords.
WHOLE = BeforeValidator(whole)
Flag = Annotated[bool, BeforeValidator(flag)]


class QueryModel(BaseModel):
    """A query string's parameters: unknown ones ignored, as links carry tracking parameters."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    MULTI_VALUED: ClassVar[tuple[str, ...]] = ()  # read with getlist: repeated parameters
    # Read as sent; the others are typed text: digits in any script, spaces around ignored.
    VERBATIM: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Self:
        """The model of `args` (an empty value counts as absent), or BadParameter naming the first one wrong."""
        getlist = getattr(args, "getlist", None)
        fields = cls.model_fields
        data: dict[str, Any] = {}
        for name in args:  # the few given, not the twenty declared: most are absent
            if name not in fields:
                continue
            if name in cls.MULTI_VALUED:
                data[name] = getlist(name) if getlist else [args[name]]
                continue
            raw = str(args[name])
            if name not in cls.VERBATIM:
                raw = ascii_digits(raw).strip()
            if raw:
                data[name] = raw
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise bad_parameter(exc) from None


def bad_parameter(exc: ValidationError) -> BadParameter:
    """The first of pydantic's errors, in our words, naming its parameter."""
    error = exc.errors(include_url=False)[0]
    name = str(error["loc"][0]) if error["loc"] else str(error.get("ctx", {}).get("parameter", "query"))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "too_long":
        message = f"at most {error['ctx']['max_length']} values"
    elif message.startswith("Input should be "):
        message = "must be " + message.removeprefix("Input should be ")
    return BadParameter(name, message)
