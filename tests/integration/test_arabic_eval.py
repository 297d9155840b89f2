"""The Arabic evaluation set must pass in full, and highlights must show the ad as written.

Runs `souq search eval` on ../shared/eval/arabic_dev.tsv (next to the repository)
against the real engine, plus the built-in baseline for comparison, and checks
that a hit found through normalisation, stemming or a synonym is marked with
<mark> in the advertiser's original text.
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
from souq_cli.arabic_eval import eval_command, read_cases, run_eval, summary_line

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
DEV_SET = REPO.parent / "shared" / "eval" / "arabic_dev.tsv"

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


def test_dev_set_passes_every_case(settings: Settings, dev_set: Path) -> None:
    result = CliRunner().invoke(eval_command, [str(dev_set), "--json"], obj=settings)
    report = json.loads(result.output)
    failed = [case for case in report["cases"] if not case["passed"]]
    assert failed == [], report["summary"]
    assert result.exit_code == 0
    pairs = re.findall(r"(\d+)/(\d+)", report["summary"])
    assert sum(int(passed) for passed, _ in pairs) == sum(int(total) for _, total in pairs) \
        == len(read_cases(dev_set))


def test_builtin_baseline_scores_lower(settings: Settings, dev_set: Path) -> None:
    client = make_client(settings)
    outcomes = run_eval(client, read_cases(dev_set), "builtin", settings.index_prefix)
    print(summary_line(outcomes))
    assert 0 < sum(o.passed for o in outcomes) < len(outcomes)
    result = CliRunner().invoke(eval_command, [str(dev_set), "--analyzer", "builtin"], obj=settings)
    assert result.exit_code == 1 and result.output.strip().endswith(summary_line(outcomes))
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
