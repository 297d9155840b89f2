"""Process entry point for `celery -A workers.main:app worker|beat`.

Celery's command line needs an app object at module level, so this module,
and only this one, builds it from the environment when imported. Nothing else
imports it: library code and tests call `make_celery(settings)` directly.
"""

from __future__ import annotations

from core.config import Settings
from workers.app import make_celery

app = make_celery(Settings.from_env())
