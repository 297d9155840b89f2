"""The Celery task names: the worker registers its tasks under them, beat and the web send by them.

Plain strings in the kernel, so the web can queue a relay without importing
the worker (which would pull the whole indexer into every web process).
"""

from __future__ import annotations

RELAY_TASK = "souq.relay_outbox"
EXPIRE_TASK = "souq.expire_ads"
RECONCILE_TASK = "souq.reconcile_index"
REBUILD_TASK = "souq.rebuild_index"
