"""The Arabic evaluation sets, on the strict and the served path, and highlights that show the ad as written.

Runs `souq search eval` on ../shared/eval/arabic_dev.tsv (next to the repository)
and on the project's own dev set tests/eval/ against the real engine, plus the
built-in baseline for comparison, and checks that a hit found through
normalisation, stemming or a synonym is marked with <mark> in the advertiser's
original text.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from opensearchpy import OpenSearch

from core.config import Settings
from core.opensearch import make_client
from search_config import fields as F
from search_config.loader import index_body
from service.search.query import SearchParams, build_search_body
from souq_cli.arabic_eval import SERVED, STRICT, eval_command, passed_share, read_cases, run_eval, summary_line

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
DEV_SET = REPO.parent / "shared" / "eval" / "arabic_dev.tsv"
OWN_DEV_SET = REPO / "tests" / "eval"
# The share of tests/eval/ that must pass on the served path: the target.
# A ratchet: raise it as the chain improves, never lower it.
OWN_SERVED_FLOOR = 0.98

# (query, ad title as the advertiser wrote it, the words that must be marked)
HIGHLIGHTS = [
    ("سياره", "سيارة تويوتا كامري موديل 2018", ["سيارة"]),          # normalisation ة/ه
    ("كرسي", "کرسی مکتب دوار", ["کرسی"]),                              # Persian letters
    ("هاتف", "هواتف مستعملة بحالة جيدة", ["هواتف"]),                  # broken plural
    ("مكيف", "شقة مفروشة بالمكيفات", ["بالمكيفات"]),                  # clitic + plural
    ("موبايل", "جوال سامسونج مستعمل", ["جوال"]),                       # dialect synonym
    ("ايفون 13", "iPhone ١٣ برو", ["iPhone", "١٣"]),                   # brand synonym + digits
]


@pytest.fixture(scope="module")
def settings() -> Settings:
    settings = Settings.from_env()
    if not make_client(settings).ping():
        pytest.fail(f"OpenSearch is not reachable at {settings.opensearch_url} (run `souq stack up`)")
    return settings.with_overrides(index_prefix=f"t{os.getpid()}{secrets.token_hex(3)}")


@pytest.fixture(scope="module")
def dev_set() -> Path:
    if not DEV_SET.is_file():
        pytest.fail(f"the Arabic dev set is missing: expected {DEV_SET} (../shared/eval/ next to the repo)")
    return DEV_SET


def _figures(summary: str) -> tuple[int, int]:
    pairs = re.findall(r"(\d+)/(\d+)", summary)
    return sum(int(passed) for passed, _ in pairs), sum(int(total) for _, total in pairs)


def test_dev_set_passes_every_case_on_the_strict_and_the_served_path(settings: Settings, dev_set: Path) -> None:
    """Both lines must be 51/51: what users get (the relaxed retry included) as well as the strict matching."""
    result = CliRunner().invoke(eval_command, [str(dev_set), "--json"], obj=settings)
    report = json.loads(result.output)
    strict = report[STRICT]
    failed = [case for case in strict["cases"] if not case["passed"]]
    assert failed == [], strict["summary"]
    assert result.exit_code == 0  # the default gate is the strict path
    assert strict["summary"].startswith("arabic-eval (strict): ")
    assert _figures(strict["summary"]) == (len(read_cases(dev_set)),) * 2
    served = report[SERVED]
    assert report["summary"] == served["summary"] and served["summary"].startswith("arabic-eval: match ")
    assert len(served["cases"]) == len(strict["cases"])
    passed, total = _figures(served["summary"])
    assert passed == total, (served["summary"], [case["id"] for case in served["cases"] if not case["passed"]])
    result = CliRunner().invoke(eval_command, [str(dev_set), "--gate", "served"], obj=settings)
    assert result.exit_code == 0


def test_text_output_ends_with_the_strict_then_the_served_line(settings: Settings, dev_set: Path) -> None:
    result = CliRunner().invoke(eval_command, [str(dev_set)], obj=settings)
    lines = result.output.strip().splitlines()
    assert lines[-2].startswith("arabic-eval (strict): match ")
    assert re.fullmatch(r"arabic-eval: match \d+/\d+ nomatch \d+/\d+ rank \d+/\d+", lines[-1])
    assert any(line.startswith("served\tkind\toverstem\t") for line in lines)  # the per-class table
    assert any(line.startswith("strict\tkind\toverstem\t10/10\t100%") for line in lines)


def test_own_dev_set_on_the_served_path(settings: Settings) -> None:
    """tests/eval/ (every *.tsv, one file a class): served must reach the floor above, strict all of it.

    A ratchet: OWN_SERVED_FLOOR (the issue's target) may be raised as the chain gets
    better, never lowered.
    """
    result = CliRunner().invoke(eval_command, [str(OWN_DEV_SET), "--json"], obj=settings)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    report = json.loads(result.output)
    outcomes = report[SERVED]["cases"]
    assert len(outcomes) == len(read_cases(OWN_DEV_SET)) > 0
    failed = [f"{case['id']} {case['query']}: {case['detail']}" for case in outcomes if not case["passed"]]
    share = sum(case["passed"] for case in outcomes) / len(outcomes)
    print(report[SERVED]["summary"], failed)
    assert share >= OWN_SERVED_FLOOR, (report[SERVED]["summary"], failed)
    strict_failed = [case["id"] for case in report[STRICT]["cases"] if not case["passed"]]
    assert strict_failed == [] and result.exit_code == 0, (report[STRICT]["summary"], strict_failed)
    assert set(report[SERVED]["breakdown"]["kind"]) >= {"spelling"}


def test_builtin_baseline_scores_lower(settings: Settings, dev_set: Path) -> None:
    client = make_client(settings)
    outcomes = run_eval(client, read_cases(dev_set), "builtin", settings.index_prefix)
    served = run_eval(client, read_cases(dev_set), "builtin", settings.index_prefix, SERVED)
    print(summary_line(outcomes, STRICT), summary_line(served, SERVED))
    assert 0 < passed_share(outcomes) < 1
    result = CliRunner().invoke(eval_command, [str(dev_set), "--analyzer", "builtin"], obj=settings)
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1
    assert lines[-2:] == [summary_line(outcomes, STRICT), summary_line(served, SERVED)]
    leftovers = client.indices.get(index=f"{settings.index_prefix}-eval-*", expand_wildcards="all")
    assert not leftovers  # scratch indices are deleted


@pytest.fixture(scope="module")
def highlight_index(settings: Settings) -> Iterator[tuple[OpenSearch, str]]:
    client = make_client(settings)
    name = f"{settings.index_prefix}-highlight"
    client.indices.create(index=name, body=index_body())
    for ad_id, (_, title, _) in enumerate(HIGHLIGHTS, start=1):
        client.index(index=name, id=str(ad_id), body={F.ID: ad_id, F.TITLE: title, F.STATUS: "active"})
    client.indices.refresh(index=name)
    yield client, name
    client.indices.delete(index=name, ignore_unavailable=True)


@pytest.mark.parametrize(("query", "title", "marked"), HIGHLIGHTS, ids=[h[0] for h in HIGHLIGHTS])
def test_highlight_marks_matched_words_in_the_original_text(
    highlight_index: tuple[OpenSearch, str], query: str, title: str, marked: list[str],
) -> None:
    client, index = highlight_index
    hits = client.search(index=index, body=build_search_body(SearchParams(q=query)))["hits"]["hits"]
    hit = next(hit for hit in hits if hit["_source"][F.TITLE] == title)
    fragment = hit["highlight"][F.TITLE][0]
    assert re.sub(r"</?mark>", "", fragment) == title
    assert re.findall(r"<mark>(.*?)</mark>", fragment) == marked
