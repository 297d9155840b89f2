"""`souq search eval FILE.tsv|DIR ...`: the Arabic evaluation protocol, against a real engine.

Builds a scratch index with the production settings and mappings (or, with
`--analyzer builtin`, the same mappings on OpenSearch's built-in `arabic`
analyser as a baseline), indexes every ad of the files together as one corpus,
runs each query through the product's search use case and judges the cases as
the eval README says. The scratch index has a unique name and is always deleted.

Each case is judged on two paths, because they answer different questions:
- `strict`: the strict matching only (every word), no understanding, no retry:
  what the analysis chain and the query builder find on their own;
- `served`: what `GET /api/v1/search` gives a user: query understanding on,
  the strict query, then the few-results relaxed retry ("any", then "fuzzy"),
  i.e. `find_ads` with the API view's defaults.
The served summary is the last line printed; a table per class (`kind`) and per
region (the part after `dialect-` in a kind) follows the cases of each path.
"""

from __future__ import annotations

import csv
import json
import secrets
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

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
STRICT, SERVED = "strict", "served"
PATHS = (STRICT, SERVED)
REGION_PREFIX = "dialect-"


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
    kind: str = ""


def read_case_file(path: Path) -> list[Case]:
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


def case_files(paths: list[Path]) -> list[Path]:
    """The TSV files named: a file as given, a directory as its *.tsv files in name order."""
    files: list[Path] = []
    for path in paths:
        found = sorted(path.glob("*.tsv")) if path.is_dir() else [path]
        if path.is_dir() and not found:
            raise ValueError(f"{path}: a directory with no *.tsv file")
        files.extend(found)
    return files


def read_cases(*paths: Path) -> list[Case]:
    """The cases of every file (directories: their *.tsv); an id used twice is refused.

    Ids name cases in reports and reviews, so two cases under one id across
    files would make a report ambiguous.
    """
    cases: list[Case] = []
    seen: dict[str, Path] = {}
    for path in case_files(list(paths)):
        for case in read_case_file(path):
            if case.id in seen:
                raise ValueError(f"case id {case.id!r} is used twice: in {seen[case.id]} and {path}")
            seen[case.id] = path
            cases.append(case)
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


def ranked_ids(client: OpenSearch, index: str, query: str, corpus_size: int, path: str = STRICT) -> list[int]:
    """Ids the product's own search use case returns for `query`, best first (all of them).

    The same `find_ads` as the API and the page. `strict`: understanding and the
    relaxed retry off (the chain's own matching). `served`: as the API view
    calls it (understanding on, no currency chosen, the retry on), with an empty
    tree set (the eval corpus has no places) and a page holding the whole corpus,
    so that a guard is judged on everything the engine returns.
    """
    params = SearchParams(q=query, size=max(corpus_size, MATCH_DEPTH))
    gateway = EngineGateway(client, index)
    if path == SERVED:
        found = find_ads(params, gateway, EMPTY_TREES, understanding=True)
    else:
        found = find_ads(params, gateway, EMPTY_TREES, relax=False)
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
    return Outcome(case.id, case.expect, case.query, passed, detail, case.kind)


def run_paths(client: OpenSearch, cases: list[Case], analyzer: str, prefix: str,
              paths: tuple[str, ...] = PATHS) -> dict[str, list[Outcome]]:
    """Judge every case on each path against one fresh scratch index, deleted afterwards whatever happens."""
    ids = corpus_ids(cases)
    name = f"{prefix}-eval-{analyzer}-{secrets.token_hex(4)}"
    try:
        load_scratch_index(client, name, analyzer, ids)
        return {path: [judge(case, ranked_ids(client, name, case.query, len(ids), path), ids) for case in cases]
                for path in paths}
    finally:
        client.indices.delete(index=name, ignore_unavailable=True)


def run_eval(client: OpenSearch, cases: list[Case], analyzer: str, prefix: str, path: str = STRICT
             ) -> list[Outcome]:
    """The outcomes of one path (strict unless told)."""
    return run_paths(client, cases, analyzer, prefix, (path,))[path]


def counts(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """expectation -> (passed, total)."""
    totals = Counter(o.expect for o in outcomes)
    passed = Counter(o.expect for o in outcomes if o.passed)
    return {kind: (passed[kind], totals[kind]) for kind in KINDS}


def summary_line(outcomes: list[Outcome], path: str | None = None) -> str:
    """`arabic-eval: match A/B nomatch C/D rank E/F` (passed/total per expectation).

    With `path`, the path is named: `arabic-eval (strict): ...`. The served line
    keeps the bare form, which tools read as the score users get.
    """
    label = "arabic-eval" if path in (None, SERVED) else f"arabic-eval ({path})"
    return f"{label}: " + " ".join(f"{kind} {p}/{t}" for kind, (p, t) in counts(outcomes).items())


def region(kind: str) -> str | None:
    """The region a kind names (`dialect-gulf` -> `gulf`), None for other kinds."""
    if not kind.startswith(REGION_PREFIX):
        return None
    return kind[len(REGION_PREFIX):] or None


def breakdown(outcomes: list[Outcome]) -> dict[str, dict[str, dict[str, int]]]:
    """Passed and total per class (`kind`) and per region, overall and per expectation."""
    def group(key_of: Any) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {}
        for o in outcomes:
            key = key_of(o)
            if key is None:
                continue
            row = table.setdefault(key, {"passed": 0, "total": 0})
            row["total"] += 1
            row["passed"] += o.passed
            row[f"{o.expect}_total"] = row.get(f"{o.expect}_total", 0) + 1
            row[f"{o.expect}_passed"] = row.get(f"{o.expect}_passed", 0) + o.passed
        return dict(sorted(table.items()))
    return {"kind": group(lambda o: o.kind or "-"), "region": group(lambda o: region(o.kind))}


def table_lines(outcomes: list[Outcome], path: str) -> list[str]:
    """The per-class and per-region table of one path, one row a group."""
    lines = []
    for axis, rows in breakdown(outcomes).items():
        for key, row in rows.items():
            parts = " ".join(f"{kind} {row[f'{kind}_passed']}/{row[f'{kind}_total']}"
                             for kind in KINDS if f"{kind}_total" in row)
            share = 100 * row["passed"] / row["total"]
            lines.append(f"{path}\t{axis}\t{key}\t{row['passed']}/{row['total']}\t{share:.0f}%\t{parts}")
    return lines


def passed_share(outcomes: list[Outcome]) -> float:
    """Passed cases over all cases (1.0 for none)."""
    return sum(o.passed for o in outcomes) / len(outcomes) if outcomes else 1.0


def _settings() -> Settings:
    obj = click.get_current_context().obj
    return obj if isinstance(obj, Settings) else Settings.from_env()


@click.command("eval")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--analyzer", type=click.Choice(["custom", "builtin"]), default="custom", show_default=True,
              help="custom: the production chain; builtin: OpenSearch's `arabic` analyser (baseline).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option("--gate", type=click.Choice(PATHS), default=STRICT, show_default=True,
              help="The path whose failures make the exit status 1.")
def eval_command(sources: tuple[Path, ...], analyzer: str, as_json: bool, gate: str) -> None:
    """Run the Arabic search evaluation (TSV files, or directories of *.tsv) against a scratch index.

    Prints each case and a per-class table for the strict path, then for the
    served path, then the strict summary and, last, the served one. Exits 1 if
    any case fails on the `--gate` path (strict by default).
    """
    settings = _settings()
    try:
        cases = read_cases(*sources)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="SOURCES") from exc
    results = run_paths(make_client(settings), cases, analyzer, settings.index_prefix)
    if as_json:
        click.echo(json.dumps({
            "analyzer": analyzer, "summary": summary_line(results[SERVED], SERVED),
            **{path: {"summary": summary_line(results[path], path), "breakdown": breakdown(results[path]),
                      "cases": [asdict(o) for o in results[path]]} for path in PATHS},
        }, ensure_ascii=False))
    else:
        for path in PATHS:
            for o in results[path]:
                click.echo(f"{path}\t{o.id}\t{'PASS' if o.passed else 'FAIL'}\t{o.expect}\t{o.query}\t{o.detail}")
            for line in table_lines(results[path], path):
                click.echo(line)
        for path in PATHS:
            click.echo(summary_line(results[path], path))
    if not all(o.passed for o in results[gate]):
        click.get_current_context().exit(1)
