"""The views' clock: one `now()` for every route, API and page alike.

Aware and in UTC, as every stored time is; one definition, so that the views
cannot drift apart in how they read the time (and a test freezes it per module).
"""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
