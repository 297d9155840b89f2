"""Flask app factory: `create_app(settings)` builds the web + JSON API process."""

from __future__ import annotations

from flask import Flask

from core.config import Settings
from service.errors import register_error_handlers
from service.json_responses import use_orjson
from service.query_args import use_query_args
from service.sessions import use_pages_only_sessions
from service.metrics import register_metrics
from service.rate_limits import init_rate_limits
from service.resources import init_resources


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        JSON_AS_ASCII=False,
        SOUQ_SETTINGS=settings,
    )
    use_orjson(app)
    use_query_args(app)
    use_pages_only_sessions(app)
    init_resources(app, settings)
    register_error_handlers(app)
    register_metrics(app)

    from service.api import register_api

    register_api(app)
    init_rate_limits(app, settings)
    from service.web import init_web

    init_web(app)  # after the rate limiter: the page forms share its limits
    return app


def create_app_from_env() -> Flask:
    """For the web server: `granian --interface wsgi --factory service.app:create_app_from_env`."""
    return create_app(Settings.from_env())
