"""`souq search eval` reads several files or directories, refuses duplicate ids, and tables per class."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from souq_cli.arabic_eval import (
    Case,
    breakdown,
    eval_command,
    judge,
    read_cases,
    region,
    summary_line,
    table_lines,
)

HEADER = "id\ttier\tkind\tquery\tad\texpect\treason\n"
REPO = Path(__file__).resolve().parents[2]


def _write(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_directory_reads_every_tsv_in_name_order(tmp_path: Path) -> None:
    _write(tmp_path / "b.tsv", "B1\tcustom\tspelling\tسايق\tسائق خاص\tmatch\tئ→ي")
    _write(tmp_path / "a.tsv", "A1\tsynonym\tdialect-gulf\tدريول\tسائق خاص\tmatch\tGulf")
    (tmp_path / "notes.md").write_text("not a case file", encoding="utf-8")
    assert [case.id for case in read_cases(tmp_path)] == ["A1", "B1"]
    assert [case.id for case in read_cases(tmp_path / "b.tsv", tmp_path / "a.tsv")] == ["B1", "A1"]


def test_an_id_used_in_two_files_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "a.tsv", "X1\tcore\ttaa\tسياره\tسيارة\tmatch\tة")
    _write(tmp_path / "b.tsv", "X1\tcore\ttaa\tشقه\tشقة\tmatch\tة")
    with pytest.raises(ValueError, match="'X1' is used twice"):
        read_cases(tmp_path)
    result = CliRunner().invoke(eval_command, [str(tmp_path)])
    assert result.exit_code == 2 and "X1" in result.output and "used twice" in result.output


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"no \*\.tsv"):
        read_cases(tmp_path)


def test_region_is_the_part_after_dialect() -> None:
    assert region("dialect-gulf") == "gulf"
    assert region("dialect") is None and region("spelling") is None and region("dialect-") is None


def test_breakdown_groups_by_kind_and_region() -> None:
    ids = {"a": 1, "b": 2}
    cases = [Case("D1", "synonym", "dialect-gulf", "q", ("a",), "match", ""),
             Case("D2", "guard", "dialect-gulf", "q", ("a",), "nomatch", ""),
             Case("S1", "custom", "spelling", "q", ("b",), "match", "")]
    outcomes = [judge(cases[0], [1], ids), judge(cases[1], [1], ids), judge(cases[2], [], ids)]
    table = breakdown(outcomes)
    assert table["kind"]["dialect-gulf"] == {"passed": 1, "total": 2, "match_passed": 1, "match_total": 1,
                                              "nomatch_passed": 0, "nomatch_total": 1}
    assert table["kind"]["spelling"]["passed"] == 0
    assert list(table["region"]) == ["gulf"]
    assert "served\tregion\tgulf\t1/2\t50%\tmatch 1/1 nomatch 0/1" in table_lines(outcomes, "served")
    assert summary_line(outcomes, "strict") == "arabic-eval (strict): match 1/2 nomatch 0/1 rank 0/0"
    assert summary_line(outcomes, "served") == summary_line(outcomes) == \
        "arabic-eval: match 1/2 nomatch 0/1 rank 0/0"


def test_the_projects_own_dev_set_reads_with_unique_ids() -> None:
    cases = read_cases(REPO / "tests" / "eval")
    assert len({case.id for case in cases}) == len(cases) > 0
    spelling = [case for case in cases if case.kind == "spelling"]
    assert len(spelling) >= 50 and {case.expect for case in spelling} >= {"match", "nomatch"}
