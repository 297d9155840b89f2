"""JSON API under /api/v1."""

from __future__ import annotations

from flask import Blueprint, Flask

api = Blueprint("api", __name__, url_prefix="/api/v1")


def register_api(app: Flask) -> None:
    from service.api import (  # noqa: F401 - routes register on import
        ads,
        contact,
        openapi,
        operator,
        reports,
        search,
        suggest,
        taxonomy,
    )

    app.register_blueprint(api)
