"""One run per job and alias at a time: rebuild and reconcile each hold a PostgreSQL advisory lock.

A session-level advisory lock, not a row or a Redis key, because it dies with
its connection: a worker killed mid-run leaves nothing to clean up, and the
next run takes the lock at once. The lock's session stays checked out (and is
never committed, which would hand its connection back to the pool) for the
whole run, so the unlock runs on the connection that holds the lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker


class IndexJobBusy(RuntimeError):
    """Another run of the same job on the same alias holds the lock."""


def lock_key(job: str, alias: str) -> int:
    """A stable signed 64-bit advisory-lock key for `job` on `alias`."""
    return int.from_bytes(hashlib.sha256(f"{job}:{alias}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def exclusive(factory: sessionmaker[Session], job: str, alias: str,
              busy: type[IndexJobBusy] = IndexJobBusy) -> Iterator[None]:
    """Run the body holding `job`'s lock on `alias`; raise `busy` at once if another run holds it."""
    key = lock_key(job, alias)
    with factory() as lock_session:
        if not lock_session.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}):
            raise busy(f"another {job} of {alias} is running")
        try:
            yield
        finally:
            lock_session.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
