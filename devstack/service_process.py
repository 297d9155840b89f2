"""Shared helpers for the local stack: pid files, ownership, ports, polling, logs.

The stack must never signal a process it did not start, so every decision to stop
something goes through `owned_pid`/`signal_owned`, which re-read /proc/<pid>/cmdline
and require the service's signature (its program plus a path inside our stack dir as
an argument): a pid file left behind after a reboot may name a pid that now belongs
to someone else.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import click

LOOPBACK = "127.0.0.1"
BOOTSTRAP_SCRIPT = Path(__file__).resolve().parent / "bootstrap.sh"

# Popen objects of services this process launched, kept so they are not garbage
# collected (which warns "subprocess still running"); the services outlive us.
_LAUNCHED: dict[int, subprocess.Popen[bytes]] = {}


class StackError(click.ClickException):
    """A failure the operator can act on; the CLI prints it and exits non-zero."""


@dataclass
class ServiceStatus:
    """What `status` reports for one service (also the `--json` shape)."""

    name: str
    address: str
    port: int
    setting: str
    state: str  # healthy | starting | unhealthy | stopped | foreign | dead
    healthy: bool = False
    pid: int | None = None
    detail: str = ""
    logs: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def mark_if_foreign(out: ServiceStatus, port: int) -> ServiceStatus:
    """For a service of ours that is not running: is someone else on its port?"""
    if not port_free(port):
        out.state, out.detail = "foreign", "port in use by a process the stack did not start"
    return out


def read_pid(path: Path) -> int | None:
    """The pid in a pid file (first line), or None when absent or garbled."""
    try:
        first = path.read_text().splitlines()[0].strip()
        return int(first) if first.isdigit() else None
    except (OSError, IndexError):
        return None


def write_pid(path: Path, pid: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{pid}\n")


def process_alive(pid: int) -> bool:
    """True if pid runs; reaps it first if it is our own exited child (a zombie)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            _LAUNCHED.pop(pid, None)
            return False
    except ChildProcessError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def cmdline(pid: int) -> list[str] | None:
    """The argv of pid from /proc, or None if it is gone or unreadable."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


@dataclass(frozen=True)
class Signature:
    """How our process looks in /proc: its program name and one exact argument.

    Exact matching (not substring) matters: `tail -f <stack>/.../souq.log` mentions
    our paths too, and must never be mistaken for the server.
    """

    program: str  # basename of argv[0], e.g. "java"
    args: frozenset[str]  # at least one of these must be an argument, verbatim

    def matches(self, argv: Sequence[str]) -> bool:
        return (bool(argv) and os.path.basename(argv[0]) == self.program
                and any(arg in self.args for arg in argv[1:]))

    def __str__(self) -> str:
        return f"{self.program} ... {' | '.join(sorted(self.args))}"


def is_ours(pid: int, signature: Signature) -> bool:
    """True only if pid is alive and its command line matches our signature."""
    argv = cmdline(pid)
    return argv is not None and signature.matches(argv) and process_alive(pid)


def find_ours(signature: Signature) -> int | None:
    """Scan /proc for our process, for when its pid file was lost or overwritten."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and is_ours(int(entry.name), signature):
            return int(entry.name)
    return None


def owned_pid(pid_file: Path, signature: Signature) -> int | None:
    """Our live process: the pid file's if it matches, else one found in /proc."""
    pid = read_pid(pid_file)
    if pid is not None and is_ours(pid, signature):
        return pid
    return find_ours(signature)


def signal_owned(pid: int, signature: Signature, sig: int = signal.SIGTERM) -> None:
    """Send sig to pid after checking it is ours; refuses (raises) otherwise."""
    if not is_ours(pid, signature):
        raise StackError(f"refusing to signal pid {pid}: it is not `{signature}`")
    os.kill(pid, sig)


def wait_until(check: Callable[[], bool], timeout_s: float, interval_s: float = 0.2) -> bool:
    """Poll check() until it is true or the deadline passes; never a fixed sleep."""
    deadline = time.monotonic() + timeout_s
    while True:
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(min(interval_s, max(0.0, deadline - time.monotonic())))


def stop_owned(name: str, pid: int | None, signature: Signature, timeout_s: float,
               sig: int = signal.SIGTERM) -> str:
    """Signal our process and wait for it to exit; returns a one-line report."""
    if pid is None:
        return f"{name}: not running (nothing of ours to stop)"
    signal_owned(pid, signature, sig)
    if wait_until(lambda: not process_alive(pid), timeout_s):
        return f"{name}: stopped (pid {pid})"
    raise StackError(f"{name}: pid {pid} still running {timeout_s:.0f}s after signal {sig}")


def port_free(port: int, host: str = LOOPBACK) -> bool:
    """True if we could listen on host:port right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def port_taken_message(service: str, port: int, setting: str) -> str:
    """The error for a port held by something that is not ours, naming the fix."""
    return (f"{service}: port {port} on {LOOPBACK} is already in use by a process the stack "
            f"did not start (see `ss -ltnp 'sport = :{port}'`). Stop that process or choose "
            f"another port, e.g. `export {setting}={port + 1}`.")


def require_port_free(service: str, port: int, setting: str) -> None:
    if not port_free(port):
        raise StackError(port_taken_message(service, port, setting))


def spawn_detached(argv: Sequence[str], log_path: Path, cwd: Path,
                   env: dict[str, str] | None = None) -> int:
    """Start argv in its own session (it survives us), stdout+stderr to log_path."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log, open(os.devnull, "rb") as null:
        proc = subprocess.Popen(list(argv), stdin=null, stdout=log, stderr=subprocess.STDOUT,
                                cwd=cwd, env=env, start_new_session=True, close_fds=True)
    _LAUNCHED[proc.pid] = proc
    return proc.pid


def tail(path: Path, lines: int = 20) -> str:
    """The last lines of a log file, for error messages ('' if unreadable)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 64 * 1024))
            text = handle.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def http_json(url: str, timeout_s: float = 2.0) -> Any | None:
    """GET url and decode JSON; None on any connection or HTTP failure."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return json.loads(response.read().decode())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def os_binary(name: str, package: str, dirs: str) -> str:
    """The path of Debian's `name` (on PATH or in `dirs`), installing `package` when it is missing."""
    binary = shutil.which(name) or shutil.which(name, path=dirs)
    if binary is None:
        install_os_packages([package])
        binary = shutil.which(name, path=dirs)
    if binary is None:
        raise StackError(f"{name} not found; install the {package} package")
    return binary


def install_os_packages(packages: Sequence[str]) -> None:
    """Install missing Debian packages with devstack/bootstrap.sh (one implementation)."""
    click.echo(f"installing OS packages: {' '.join(packages)}", err=True)
    result = subprocess.run(["bash", str(BOOTSTRAP_SCRIPT), *packages], check=False)
    if result.returncode != 0:
        raise StackError(f"could not install {' '.join(packages)} with apt-get "
                         f"(exit {result.returncode}); see the output above, or run "
                         f"`bash devstack/bootstrap.sh` yourself as root")
