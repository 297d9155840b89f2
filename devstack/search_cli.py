"""`souq search ...`: operator commands for the index (create, status, eval, synonyms).

Every command exits non-zero on failure and offers `--json` where a machine reads it.
"""

from __future__ import annotations

import datetime as dt
import json

import click

from core.config import Settings
from core.opensearch import ads_alias, make_client
from indexer.index_admin import ensure_index, indices_of


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@click.group("search")
def search_group() -> None:
    """Create, check, rebuild and repair the search index."""


@search_group.command("create")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@click.pass_obj
def create_command(settings: Settings, as_json: bool) -> None:
    """Create the index and its alias from search_config if missing."""
    client = make_client(settings)
    alias = ads_alias(settings)
    existed = bool(indices_of(client, alias))
    index = ensure_index(client, alias, _now())
    result = {"alias": alias, "index": index, "created": not existed}
    click.echo(json.dumps(result) if as_json else
               f"{alias} -> {index} ({'created' if not existed else 'already there'})")


def _register_optional() -> None:
    """Commands that live with their own module (kept lazy so a broken one stays local)."""
    from bench.arabic_eval import eval_command

    search_group.add_command(eval_command, "eval")

    @search_group.group("synonyms")
    def synonyms_group() -> None:
        """Search-time synonyms."""

    @synonyms_group.command("reload")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    def reload_command(settings: Settings, as_json: bool) -> None:
        """Reload search-time synonyms from search_config without a rebuild."""
        from indexer.synonyms import reload_synonyms

        result = reload_synonyms(make_client(settings), ads_alias(settings))
        click.echo(json.dumps(result, ensure_ascii=False) if as_json else f"synonyms reloaded: {result}")


try:
    _register_optional()
except ImportError:  # pragma: no cover - only while a module is being written
    pass
