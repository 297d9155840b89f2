"""API errors: one JSON shape, the right 4xx, and never a 5xx for bad input.

Body: {"error": {"code": ..., "message": ..., "fields": {...}}}.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields = fields or {}
        self.headers = headers or {}


def printable(text: str) -> str:
    """Text that can always be encoded: a lone surrogate from a JSON key would otherwise 500."""
    return text.encode("utf-8", "replace").decode("utf-8")


def error_response(status: int, code: str, message: str, fields: dict[str, str] | None = None) -> Response:
    safe_fields = {printable(str(name)): printable(str(text)) for name, text in (fields or {}).items()}
    response = jsonify({"error": {"code": code, "message": printable(message), "fields": safe_fields}})
    response.status_code = status
    return response


def validation_fields(exc: ValidationError) -> dict[str, str]:
    """Pydantic errors as {"field": "message"}, naming the field the user sent."""
    fields: dict[str, str] = {}
    for error in exc.errors():
        # Keys the client sent can be any length; a field name is never longer than this.
        name = ".".join(str(part) for part in error["loc"])[:100] or "body"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        fields.setdefault(name, message)
    return fields


def wants_json() -> bool:
    return request.path.startswith("/api/")


def http_error(exc: HTTPException) -> Any:
    """An HTTP error in the JSON shape for /api/ paths; elsewhere the exception as it is."""
    if not wants_json():
        return exc
    code = (exc.name or "error").lower().replace(" ", "_")
    response = error_response(exc.code or 500, code, exc.description or exc.name)
    if exc.code == 429 and exc.response is not None:
        response.headers.update({k: v for k, v in exc.response.headers.items()
                                 if k.startswith(("Retry", "X-RateLimit"))})
    retry_after = getattr(exc, "retry_after", None)  # set by werkzeug's 429 and 503 only
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        response = error_response(exc.status, exc.code, exc.message, exc.fields)
        response.headers.update(exc.headers)
        return response

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError) -> Response:
        return error_response(422, "invalid", "some fields are invalid", validation_fields(exc))

    app.register_error_handler(HTTPException, http_error)
