"""Celery app factory and thin tasks."""
