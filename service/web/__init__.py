"""Souq package."""
