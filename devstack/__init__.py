"""Starts and stops the local stack (OpenSearch, PostgreSQL, Redis, nginx) without Docker."""
