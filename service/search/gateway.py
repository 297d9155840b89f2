"""The one module of the web that does search I/O: run a body against the alias."""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch


def run_search(client: OpenSearch, alias: str, body: dict[str, Any]) -> dict[str, Any]:
    return client.search(index=alias, body=body)
