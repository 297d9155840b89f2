"""Starts and stops the local stack without Docker; the `souq` CLI root."""
