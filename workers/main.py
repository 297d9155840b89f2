"""Entry point for `celery -A workers.main:celery_app_from_env`; Celery calls the factory."""

from __future__ import annotations

from celery import Celery

from core.config import Settings
from workers.app import make_celery


def celery_app_from_env() -> Celery:
    return make_celery(Settings.from_env())
