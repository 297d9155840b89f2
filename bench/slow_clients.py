"""Slow clients: raw sockets that send a POST header and then trickle (or stall) its body.

The attack of issue 13: no token is needed to POST /api/v1/ads, and a server that
hands the request to a thread before the body is in lets a few such clients hold
every thread. Used by tests/integration/test_slow_clients.py and `souq bench
slow-clients`. Bounded twice, in count and in time, and one thread drives all the
sockets, so a run can never outlive its deadline nor crowd the machine.
"""

from __future__ import annotations

import selectors
import socket
import threading
import time
from dataclasses import dataclass, field

MAX_CLIENTS = 500
MAX_SECONDS = 120.0
BODY_BYTES = 4096  # announced, never all sent: the request stays incomplete


@dataclass
class SlowClient:
    """One connection and what the server did to it: `status` of its answer, or closed."""

    sock: socket.socket
    source: str
    sent: int = 0
    reply: bytes = b""
    closed_at: float | None = None  # monotonic time the server answered or hung up

    @property
    def status(self) -> int | None:
        parts = self.reply.split(b" ", 2)
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass
class SlowClients:
    """`count` connections to host:port from `sources` (loopback addresses, round robin).

    Each sends 1 byte every `interval_s` until `seconds` pass, or only `stall_after`
    bytes and then silence. Linux routes all of 127.0.0.0/8 to loopback, so clients
    bound to 127.0.0.2, .3, ... look like different addresses to the server."""

    host: str
    port: int
    count: int
    sources: tuple[str, ...] = ("127.0.0.1",)
    interval_s: float = 0.5
    seconds: float = 10.0
    stall_after: int | None = None
    path: str = "/api/v1/ads"
    clients: list[SlowClient] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not 0 < self.count <= MAX_CLIENTS or not 0 < self.seconds <= MAX_SECONDS:
            raise ValueError(f"at most {MAX_CLIENTS} clients for at most {MAX_SECONDS:.0f} s")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._drive, name="slow-clients", daemon=True)

    def __enter__(self) -> SlowClients:
        head = (f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {BODY_BYTES}\r\n\r\n").encode()
        for number in range(self.count):
            source = self.sources[number % len(self.sources)]
            sock = socket.create_connection((self.host, self.port), timeout=5, source_address=(source, 0))
            sock.sendall(head)
            sock.setblocking(False)
            self.clients.append(SlowClient(sock, source))
        self._deadline = time.monotonic() + self.seconds
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for client in self.clients:
            client.sock.close()

    def still_open(self) -> list[SlowClient]:
        return [client for client in self.clients if client.open]

    def _drive(self) -> None:
        selector = selectors.DefaultSelector()
        for client in self.clients:
            selector.register(client.sock, selectors.EVENT_READ, client)
        next_byte = time.monotonic() + self.interval_s
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            for key, _ in selector.select(timeout=max(0.0, min(next_byte, self._deadline) - time.monotonic())):
                self._read(selector, key.data)
            if time.monotonic() >= next_byte:
                next_byte += self.interval_s
                for client in self.still_open():
                    if self.stall_after is None or client.sent < self.stall_after:
                        self._send_byte(selector, client)
        selector.close()

    def _read(self, selector: selectors.BaseSelector, client: SlowClient) -> None:
        try:
            chunk = client.sock.recv(4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        client.reply += chunk
        if not chunk or b"\r\n" in client.reply:  # an answer's status line, or a hang-up
            client.closed_at = time.monotonic()
            selector.unregister(client.sock)

    def _send_byte(self, selector: selectors.BaseSelector, client: SlowClient) -> None:
        try:
            client.sock.send(b" ")
            client.sent += 1
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            client.closed_at = time.monotonic()
            selector.unregister(client.sock)
