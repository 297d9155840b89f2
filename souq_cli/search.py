"""`souq search ...`: operator commands for the index (create, rebuild, status, reconcile,
eval, synonyms).

Every command exits non-zero on failure and offers `--json` where a machine reads it.
`status` exits 1 on an error (no index behind the alias, red cluster, OpenSearch
unreachable), and also on a warning with `--strict`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import click
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from core.config import Settings
from core.db import make_database, make_session_factory
from core.opensearch import ads_alias, make_client
from indexer.index_admin import ensure_index, indices_of
from souq_cli.arabic_eval import eval_command


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


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


def _session_factory(settings: Settings) -> sessionmaker[Session]:
    return make_session_factory(make_database(settings))


@search_group.command("rebuild")
@click.option("--keep-old", is_flag=True, help="Keep the previous index (detached from the alias).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report (no progress bar).")
@click.pass_obj
def rebuild_command(settings: Settings, keep_old: bool, as_json: bool) -> None:
    """Zero-downtime rebuild: load a new index from PostgreSQL, then swap the alias atomically.

    Search keeps answering from the old index meanwhile; changes made during the
    rebuild reach the new index too. Safe to re-run after a crash.
    """
    from indexer.rebuild import RebuildBusy, rebuild_index

    bar = tqdm(unit="ad", desc="rebuild", disable=as_json, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        report = rebuild_index(
            _session_factory(settings), make_client(settings), ads_alias(settings),
            syp_per_usd=settings.syp_per_usd, refresh_interval=settings.refresh_interval,
            now=_now, keep_old=keep_old, progress=progress)
    except RebuildBusy as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:
        raise click.ClickException(f"rebuild failed, the live index is untouched: {exc}") from exc
    finally:
        bar.close()
    if as_json:
        click.echo(json.dumps(report.to_dict()))
        return
    click.echo(f"{report.alias} -> {report.index}: {report.loaded} ads loaded "
               f"({report.docs_per_s} docs/s), {report.caught_up} caught up, "
               f"{'kept' if keep_old else 'dropped'} {', '.join(report.old_indices) or 'no old index'} "
               f"in {report.seconds:.1f}s")


@search_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (stale config, drift, stuck outbox).")
@click.pass_obj
def status_command(settings: Settings, as_json: bool, strict: bool) -> None:
    """Alias -> index, config fingerprint, doc counts vs PostgreSQL, outbox backlog, health.

    Exits 1 when search is broken (no index, red cluster, OpenSearch unreachable).
    """
    from indexer.index_status import index_status

    facts = index_status(_session_factory(settings), make_client(settings), ads_alias(settings), _now())
    if as_json:
        click.echo(json.dumps(facts))
    else:
        outbox = facts["outbox"]
        click.echo(f"alias        {facts['alias']} -> {', '.join(facts.get('indices') or []) or '-'}")
        click.echo(f"config       index {facts.get('index_fingerprint')} / current "
                   f"{facts['config_fingerprint']}")
        click.echo(f"documents    {facts.get('docs_active')} active of {facts.get('docs_total')}; "
                   f"PostgreSQL {facts['db_active']} active of {facts['db_total']}")
        click.echo(f"outbox       {outbox['rows']} rows, oldest {outbox['oldest_age_s']}s "
                   f"(index lag)")
        click.echo(f"cluster      {facts.get('health', 'unreachable')}")
        for line in facts["errors"]:
            click.echo(f"ERROR: {line}", err=True)
        for line in facts["warnings"]:
            click.echo(f"warning: {line}", err=True)
    if facts["errors"] or (strict and facts["warnings"]):
        raise SystemExit(1)


@search_group.command("reconcile")
@click.option("--dry-run", is_flag=True, help="Report differences only; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")
@click.pass_obj
def reconcile_command(settings: Settings, dry_run: bool, as_json: bool) -> None:
    """Compare ids, versions and content in PostgreSQL and the index; repair every difference.

    Finds documents missing, stale (older version), with a wrong status, with
    other content under the same version (their content digests differ), or
    extra (no row). Exits 1 if a repair failed.
    """
    from indexer.reconcile import ReconcileBusy, reconcile_index

    with tqdm(desc="reconcile", unit="ad", disable=as_json,
              file=sys.stderr) as bar:
        try:
            report = reconcile_index(_session_factory(settings), make_client(settings),
                                     ads_alias(settings), syp_per_usd=settings.syp_per_usd,
                                     dry_run=dry_run, progress=lambda n: bar.update(n - bar.n))
        except ReconcileBusy as exc:  # another run is repairing this index: say so, no traceback
            raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(report.to_dict()))
    else:
        click.echo(f"{report.alias}: {report.checked_db} rows vs {report.checked_index} documents; "
                   f"drift {report.counts or 'none'}"
                   + ("" if dry_run else f"; repaired {report.repaired}, deleted {report.deleted}"))
    if report.failed:
        raise click.ClickException(f"{len(report.failed)} repairs failed: {report.failed}")


# The eval needs both the indexer's index body and the web's query builder,
# which only this outer layer may import together.
search_group.add_command(eval_command, "eval")


@search_group.group("synonyms")
def synonyms_group() -> None:
    """Search-time synonyms."""


@synonyms_group.command("reload")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@click.pass_obj
def reload_command(settings: Settings, as_json: bool) -> None:
    """Reload search-time synonyms from search_config without a rebuild."""
    from indexer.synonyms import reload_synonyms

    result = reload_synonyms(make_client(settings), ads_alias(settings))
    click.echo(json.dumps(result, ensure_ascii=False) if as_json else f"synonyms reloaded: {result}")
