"""Feeding bulk requests: fixed-size chunks, and a producer thread that builds them ahead.

`prefetched` is why the rebuild uses `streaming_bulk` rather than the client's
`parallel_bulk`: the latter's thread pool never returns from `close()` once
its consumer stops early (tried with opensearch-py 3.2: a bulk stream closed
after its first result hung), so a rebuild that failed mid-way would hang
holding its lock. This producer stops at its next item and is joined.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most `size` items (the last may be shorter)."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def prefetched(items: Iterable[T], depth: int = 2, name: str = "prefetch") -> Generator[T, None, None]:
    """Yield `items`, produced by a background thread at most `depth` items ahead.

    The producer's exception is re-raised in the consumer; when the consumer
    stops early (an error of its own, or `close()`), the producer stops at its
    next item and is joined before this generator finishes, so whatever
    `items` holds (a database cursor) is released in the thread that used it.
    """
    handoff: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        source = iter(items)
        try:
            for item in source:
                if not put(item):
                    return
            put(_END)
        except BaseException as exc:
            put(_Failed(exc))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while True:
            item = handoff.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()
