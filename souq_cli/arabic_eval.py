"""`souq search eval FILE.tsv`: the Arabic evaluation protocol, against a real engine.

Builds a scratch index with the production settings and mappings (or, with
`--analyzer builtin`, the same mappings on OpenSearch's built-in `arabic`
analyser as a baseline), indexes every ad of the file together as one corpus,
runs each query through the production query builder and judges the cases as
the eval README says. The scratch index has a unique name and is always deleted.
"""

from __future__ import annotations

import csv
import json
import secrets
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import click
from opensearchpy import OpenSearch

from core.config import Settings
from core.models import AdStatus
from core.opensearch import make_client
from indexer.bulk import BulkOutcome, index_action, write
from search_config import fields as F
from search_config.loader import index_body
from service.search.gateway import EngineGateway
from service.search.query import SearchParams
from service.search.run import find_ads
from service.tree_cache import EMPTY_TREES

MATCH_DEPTH = 10  # a `match` case passes when the ad is in the top 10 (eval README)
RANK_SEPARATOR = " || "
KINDS = ("match", "nomatch", "rank")


@dataclass(frozen=True)
class Case:
    id: str
    tier: str
    kind: str
    query: str
    ads: tuple[str, ...]
    expect: str
    reason: str


@dataclass(frozen=True)
class Outcome:
    id: str
    expect: str
    query: str
    passed: bool
    detail: str


def read_cases(path: Path) -> list[Case]:
    """The cases of a TSV file (header first); `rank` cases carry two ads."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    cases = []
    for row in rows:
        ads = tuple(part.strip() for part in row["ad"].split(RANK_SEPARATOR))
        expect = row["expect"].strip()
        if expect not in KINDS or len(ads) != (2 if expect == "rank" else 1):
            raise ValueError(f"case {row['id']}: cannot read expect={expect!r} with {len(ads)} ad(s)")
        cases.append(Case(row["id"].strip(), row["tier"].strip(), row["kind"].strip(),
                          row["query"].strip(), ads, expect, row["reason"].strip()))
    return cases


def corpus_ids(cases: list[Case]) -> dict[str, int]:
    """Every distinct ad text of the file -> the document id it gets (1, 2, ...)."""
    ids: dict[str, int] = {}
    for case in cases:
        for ad in case.ads:
            ids.setdefault(ad, len(ids) + 1)
    return ids


def load_scratch_index(client: OpenSearch, name: str, analyzer: str, ids: dict[str, int]) -> None:
    """Create `name` with the production body and index each ad as a minimal valid document."""
    client.indices.create(index=name, body=index_body(analyzer))
    documents = [{F.ID: ad_id, F.TITLE: text, F.STATUS: AdStatus.ACTIVE, F.VERSION: 1}
                 for text, ad_id in ids.items()]
    outcome = BulkOutcome.of(write(client, (index_action(name, doc) for doc in documents), refresh=True))
    if outcome.failed:
        raise click.ClickException(f"indexing the eval corpus failed: {json.dumps(outcome.failed)[:500]}")


def ranked_ids(client: OpenSearch, index: str, query: str, corpus_size: int) -> list[int]:
    """Ids the product's own search use case returns for `query`, best first (all of them).

    The same `find_ads` as the API and the page, so the eval judges what users get.
    The relaxed retry is off: the cases judge the strict matching, and a fuzzy
    fallback (shown to users marked as such) would turn every guard into a match.
    """
    found = find_ads(SearchParams(q=query, size=max(corpus_size, MATCH_DEPTH)),
                     EngineGateway(client, index), EMPTY_TREES, relax=False)
    return [int(hit["_id"]) for hit in found.hits]


def judge(case: Case, ranked: list[int], ids: dict[str, int]) -> Outcome:
    """Apply the README's rule for the case's expectation to the returned ids."""
    positions = {ad_id: rank for rank, ad_id in enumerate(ranked, start=1)}
    first = positions.get(ids[case.ads[0]])
    where = f"rank {first}" if first else "not returned"
    if case.expect == "match":
        passed, detail = first is not None and first <= MATCH_DEPTH, f"ad {where} of {len(ranked)}"
    elif case.expect == "nomatch":
        passed, detail = first is None, f"ad {where} of {len(ranked)}"
    else:
        second = positions.get(ids[case.ads[1]])
        passed = first is not None and (second is None or first < second)
        detail = f"first ad {where}, second {f'rank {second}' if second else 'not returned'}"
    return Outcome(case.id, case.expect, case.query, passed, detail)


def run_eval(client: OpenSearch, cases: list[Case], analyzer: str, prefix: str) -> list[Outcome]:
    """Judge every case against a fresh scratch index, deleted afterwards whatever happens."""
    ids = corpus_ids(cases)
    name = f"{prefix}-eval-{analyzer}-{secrets.token_hex(4)}"
    try:
        load_scratch_index(client, name, analyzer, ids)
        return [judge(case, ranked_ids(client, name, case.query, len(ids)), ids) for case in cases]
    finally:
        client.indices.delete(index=name, ignore_unavailable=True)


def summary_line(outcomes: list[Outcome]) -> str:
    """`arabic-eval: match A/B nomatch C/D rank E/F` (passed/total per expectation)."""
    totals = Counter(o.expect for o in outcomes)
    passed = Counter(o.expect for o in outcomes if o.passed)
    return "arabic-eval: " + " ".join(f"{kind} {passed[kind]}/{totals[kind]}" for kind in KINDS)


def _settings() -> Settings:
    obj = click.get_current_context().obj
    return obj if isinstance(obj, Settings) else Settings.from_env()


@click.command("eval")
@click.argument("tsv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--analyzer", type=click.Choice(["custom", "builtin"]), default="custom", show_default=True,
              help="custom: the production chain; builtin: OpenSearch's `arabic` analyser (baseline).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def eval_command(tsv: Path, analyzer: str, as_json: bool) -> None:
    """Run the Arabic search evaluation in TSV against a scratch index; exit 1 if any case fails."""
    settings = _settings()
    outcomes = run_eval(make_client(settings), read_cases(tsv), analyzer, settings.index_prefix)
    line = summary_line(outcomes)
    if as_json:
        click.echo(json.dumps({"analyzer": analyzer, "summary": line,
                               "cases": [asdict(o) for o in outcomes]}, ensure_ascii=False))
    else:
        for o in outcomes:
            click.echo(f"{o.id}\t{'PASS' if o.passed else 'FAIL'}\t{o.expect}\t{o.query}\t{o.detail}")
        click.echo(line)
    if not all(o.passed for o in outcomes):
        click.get_current_context().exit(1)
