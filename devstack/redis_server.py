"""Our own Redis for the local stack (Celery broker, rate limits), from the OS packages.

Why no persistence: the broker is not the source of truth — the database outbox
is (see design.md) — so a restart may drop queued messages without losing work.
Redis runs in the foreground (daemonize no) in its own session, so the pid we
record is the server's own pid, and with `set-proc-title no` its /proc cmdline
keeps our config path, which is how we recognise it before signalling it.
"""

from __future__ import annotations

import socket
from pathlib import Path

from core.config import Settings
from devstack import service_process as sp

PACKAGE = "redis-server"
SETTING = "SOUQ_REDIS_PORT"


def redis_command(port: int, command: bytes, timeout_s: float = 1.0) -> bytes | None:
    """Send one inline command and return the raw reply, or None if nobody answers."""
    try:
        with socket.create_connection((sp.LOOPBACK, port), timeout=timeout_s) as sock:
            sock.sendall(command + b"\r\n")
            reply = b""
            while not _complete(reply):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                reply += chunk
            return reply
    except (OSError, ValueError):
        return None


def _complete(reply: bytes) -> bool:
    """True once a simple/error/integer reply or a whole bulk string has arrived."""
    if not reply.endswith(b"\r\n"):
        return False
    if reply.startswith(b"$"):
        header, _, body = reply.partition(b"\r\n")
        size = int(header[1:])
        return size < 0 or len(body) >= size + 2
    return True


class RedisServer:
    """Our redis-server process: config, start, health, stop."""

    name = "redis"
    setting = SETTING

    def __init__(self, settings: Settings) -> None:
        self.port = settings.redis_port
        stack = Path(settings.stack_dir).resolve()
        self.root = stack / "redis"
        self.conf = self.root / "redis.conf"
        self.pid_file = stack / "run" / "redis.pid"
        self.log = stack / "logs" / "redis.log"
        self.signature = sp.Signature("redis-server", frozenset([str(self.conf)]))

    def running_pid(self) -> int | None:
        return sp.owned_pid(self.pid_file, self.signature)

    def running_port(self) -> int | None:
        """The port in the config the running server was started with."""
        try:
            for line in self.conf.read_text().splitlines():
                if line.startswith("port "):
                    return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return None

    def _binary(self) -> str:
        return sp.os_binary("redis-server", PACKAGE, "/usr/bin:/usr/local/bin")

    def _write_conf(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.conf.write_text(
            "# Written by `souq stack up`; edits are overwritten on the next start.\n"
            f"bind {sp.LOOPBACK}\nport {self.port}\nprotected-mode yes\n"
            "daemonize no\nsupervised no\nset-proc-title no\n"
            f"dir {self.root}\npidfile {self.pid_file}\nlogfile {self.log}\n"
            'save ""\nappendonly no\n')

    def ping(self, port: int | None = None) -> bool:
        return redis_command(port or self.port, b"PING") == b"+PONG\r\n"

    def version(self, port: int) -> str:
        reply = redis_command(port, b"INFO server") or b""
        for line in reply.decode(errors="replace").splitlines():
            if line.startswith("redis_version:"):
                return line.split(":", 1)[1]
        return "?"

    def up(self, timeout_s: float = 30.0) -> str:
        pid = self.running_pid()
        if pid is not None:
            port = self.running_port()
            if port != self.port:
                raise sp.StackError(f"redis already runs on port {port}, but {SETTING}="
                                    f"{self.port}; run `souq stack down` first")
            if not sp.wait_until(self.ping, timeout_s):
                raise sp.StackError(f"redis (pid {pid}) does not answer PING; log: {self.log}")
            return f"redis: already running (pid {pid})"
        binary = self._binary()
        sp.require_port_free(self.name, self.port, SETTING)
        self._write_conf()
        pid = sp.spawn_detached([binary, str(self.conf)], self.root / "stdout.log", cwd=self.root)
        sp.write_pid(self.pid_file, pid)
        if not sp.wait_until(lambda: self.ping() or not sp.process_alive(pid), timeout_s):
            raise sp.StackError(f"redis (pid {pid}) not answering after {timeout_s:.0f}s; "
                                f"log: {self.log}\n{sp.tail(self.log, 15)}")
        if not sp.process_alive(pid):
            raise sp.StackError(f"redis exited during startup; log: {self.log}\n"
                                f"{sp.tail(self.log, 15)}\n{sp.tail(self.root / 'stdout.log', 5)}")
        return f"redis: started (pid {pid})"

    def down(self, timeout_s: float = 30.0) -> str:
        return sp.stop_owned(self.name, self.running_pid(), self.signature, timeout_s)

    def status(self) -> sp.ServiceStatus:
        pid = self.running_pid()
        port = (self.running_port() if pid else None) or self.port
        out = sp.ServiceStatus(self.name, f"redis://{sp.LOOPBACK}:{port}", port, SETTING,
                               "stopped", pid=pid, logs=[str(self.log)])
        if pid is None:
            return sp.mark_if_foreign(out, self.port)
        out.healthy = self.ping(port)
        out.state = "healthy" if out.healthy else "unhealthy"
        out.detail = f"Redis {self.version(port)}" if out.healthy else "does not answer PING"
        return out
