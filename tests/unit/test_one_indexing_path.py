"""One indexing path: one row -> document transform and one bulk writer, whoever writes.

The relay, the rebuild and reconcile once each had their own transform or
bulk code, and the copies drifted. These tests hold them to the one of each;
the integration test `test_one_indexing_path` checks that the documents the
three paths store are identical.
"""

from __future__ import annotations

import ast
from pathlib import Path

import indexer.ad_rows as ad_rows
import indexer.bulk as bulk
import indexer.documents as documents
import indexer.rebuild as rebuild
import indexer.reconcile as reconcile
import indexer.relay as relay

REPO = Path(__file__).resolve().parents[2]
# Production code (bench/ measures a raw bulk load against the writer on purpose).
PRODUCT_PACKAGES = [p for p in REPO.iterdir()
                    if (p / "__init__.py").exists() and p.name not in ("tests", "bench")]


def _modules() -> list[Path]:
    return sorted(path for package in PRODUCT_PACKAGES for path in package.rglob("*.py"))


def test_every_path_reads_ads_and_makes_documents_in_one_place():
    assert ad_rows.DocumentMaker is documents.DocumentMaker
    assert relay.documents_for is ad_rows.documents_for  # the relay, by id
    assert reconcile.documents_for is ad_rows.documents_for  # reconcile's repairs, by id
    assert reconcile.stream_documents is ad_rows.stream_documents  # reconcile's comparison
    assert rebuild.stream_documents is ad_rows.stream_documents  # the rebuild


def test_every_path_writes_through_the_one_bulk_writer():
    assert relay.index_documents is bulk.index_documents
    assert reconcile.write is bulk.write
    assert rebuild.bulk is bulk


def _document_dicts(tree: ast.AST) -> list[int]:
    """Lines of dict displays keyed by the document's own fields (F.CONTENT_DIGEST & co.)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {k.attr for k in node.keys if isinstance(k, ast.Attribute)}
            if {"TITLE", "DUPLICATE_KEY"} <= keys or "CONTENT_DIGEST" in keys:
                found.append(node.lineno)
    return found


def test_only_the_transform_builds_documents():
    builders = {str(path.relative_to(REPO)): lines for path in _modules()
                if (lines := _document_dicts(ast.parse(path.read_text(), str(path))))}
    assert list(builders) == ["indexer/documents.py"], builders


def test_only_the_writer_sends_bulk_requests():
    senders = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            called = node.func if isinstance(node, ast.Call) else None
            name = (called.attr if isinstance(called, ast.Attribute)
                    else called.id if isinstance(called, ast.Name) else None)
            if name in ("bulk", "streaming_bulk", "parallel_bulk"):
                senders.append(str(path.relative_to(REPO)))
    assert senders == ["indexer/bulk.py"], senders


def test_the_transform_touches_no_database_and_no_engine():
    tree = ast.parse(Path(documents.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported
                if name.split(".")[0] in ("sqlalchemy", "opensearchpy", "psycopg")
                or name in ("core.db", "core.models")}, imported
