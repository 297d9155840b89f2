"""Rows -> documents -> OpenSearch: documents, bulk, sync, lifecycle."""
