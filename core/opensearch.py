"""The ONE place an OpenSearch client is built, plus the index naming rules."""

from __future__ import annotations

from opensearchpy import OpenSearch

from core.config import Settings


def make_client(settings: Settings, **options: object) -> OpenSearch:
    """A client for the configured node; retries once on timeouts, never sniffs (loopback)."""
    params: dict[str, object] = {
        "hosts": [settings.opensearch_url],
        "timeout": settings.opensearch_timeout_s,
        "max_retries": 1,
        "retry_on_timeout": True,
    }
    params.update(options)
    return OpenSearch(**params)  # type: ignore[arg-type]


def ads_alias(settings: Settings) -> str:
    """The alias that readers and writers use; concrete indices hide behind it."""
    return f"{settings.index_prefix}-ads"
