"""Prometheus metrics on `/metrics`: the indexing pipeline's health as seen from the web.

Values are read at scrape time (a custom collector), so the web keeps no
counters of its own: outbox backlog and the age of its oldest row (the index
lag), and the documents behind the alias. A failing source is reported as
`souq_metrics_source_up{source=...} 0` instead of failing the scrape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from flask import Flask, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from core.models import AdStatus
from core.outbox import backlog
from search_config import fields as F
from service.resources import WebResources


class PipelineCollector(Collector):
    """Reads the outbox and the index on each scrape."""

    def __init__(self, resources: WebResources) -> None:
        self.resources = resources

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("souq_metrics_source_up", "1 if the source answered this scrape",
                               labels=["source"])
        try:
            with self.resources.session_factory() as session:
                waiting = backlog(session, dt.datetime.now(dt.UTC))
            yield GaugeMetricFamily("souq_outbox_backlog_rows", "Outbox rows not yet indexed",
                                    value=waiting["rows"])
            yield GaugeMetricFamily("souq_outbox_oldest_age_seconds",
                                    "Age of the oldest outbox row (index lag)",
                                    value=waiting["oldest_age_s"])
            up.add_metric(["postgresql"], 1)
        except Exception:
            up.add_metric(["postgresql"], 0)
        try:
            client, alias = self.resources.search_client, self.resources.alias
            docs = GaugeMetricFamily("souq_index_documents", "Documents behind the ads alias",
                                     labels=["status"])
            docs.add_metric(["all"], client.count(index=alias)["count"])
            active = {"query": {"term": {F.STATUS: AdStatus.ACTIVE}}}
            docs.add_metric([AdStatus.ACTIVE], client.count(index=alias, body=active)["count"])
            yield docs
            up.add_metric(["opensearch"], 1)
        except Exception:
            up.add_metric(["opensearch"], 0)
        yield up


def register_metrics(app: Flask) -> None:
    """Add `/metrics`, backed by a registry of this app's own (no global state)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(PipelineCollector(app.extensions["souq"]))

    def metrics() -> Response:
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)

    app.add_url_rule("/metrics", "metrics", metrics)
