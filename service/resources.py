"""Per-app connections (database, search gateway, broker, cached trees) and the per-request session.

The session lives at the request edge: opened on first use, closed at
teardown; view code commits explicitly once the write is complete.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

from celery import Celery
from flask import Flask, current_app, g
from opensearchpy import OpenSearch
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.db import make_database, make_session_factory
from core.opensearch import ads_alias, make_client
from core.task_names import RELAY_TASK  # sent by name: the web never imports the worker
from service.search.gateway import EngineGateway
from service.tree_cache import TreeCache, Trees, database_trees

log = logging.getLogger(__name__)


@dataclass
class WebResources:
    settings: Settings

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return make_session_factory(make_database(self.settings, pool_size=10, max_overflow=10))

    @cached_property
    def search_client(self) -> OpenSearch:
        return make_client(self.settings)

    @cached_property
    def broker(self) -> Celery:
        app = Celery("souq-web", broker=self.settings.redis_url)
        app.conf.broker_connection_timeout = 1
        app.conf.broker_connection_retry = False
        app.conf.broker_connection_max_retries = 0
        return app

    @property
    def alias(self) -> str:
        return ads_alias(self.settings)

    @cached_property
    def search_gateway(self) -> EngineGateway:
        """Every search of the web goes to the live alias through this one gateway."""
        return EngineGateway(self.search_client, self.alias)

    @cached_property
    def tree_cache(self) -> TreeCache:
        return TreeCache(database_trees(self.session_factory))


def resources() -> WebResources:
    return current_app.extensions["souq"]


def trees() -> Trees:
    """The category and area trees, as every page and the API share them (service.tree_cache)."""
    return resources().tree_cache.current()


def db() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = resources().session_factory()
    return g.db_session


def close_db(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def kick_relay() -> None:
    """Best effort, after commit: ask a worker to relay now. The beat relay is the guarantee."""
    try:
        resources().broker.send_task(
            RELAY_TASK, retry=False, expires=10, queue=resources().settings.celery_queue
        )
    except Exception as exc:
        log.warning("relay kick failed (the periodic relay will catch up): %s", exc)


def init_resources(app: Flask, settings: Settings) -> None:
    app.extensions["souq"] = WebResources(settings)
    app.teardown_appcontext(close_db)
