"""Reading the reviewed TSV tables of search_config (brand_names.tsv, dialect_words.tsv).

One format for every table a reviewer edits by hand: `#` comment lines (the
table's version and rules of the house), blank lines ignored, a header row that
must name the expected columns, then tab-separated rows. Each row comes with its
line number, so a refusal names the line to correct.
"""

from __future__ import annotations

import csv
from importlib import resources

PACKAGE = "search_config"


def numbered_rows(name: str, columns: list[str]) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every data row of table `name`; ValueError unless the header is `columns`."""
    text = resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8")
    numbered = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
                if line.strip() and not line.startswith("#")]
    rows = list(csv.reader([line for _, line in numbered], delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or rows[0] != columns:
        raise ValueError(f"{name}: the first row must be the header {columns}")
    return [(number, row) for (number, _), row in zip(numbered[1:], rows[1:], strict=True)]
