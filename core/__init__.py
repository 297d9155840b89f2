"""Core: the shared kernel. Imports neither Flask nor Celery."""
