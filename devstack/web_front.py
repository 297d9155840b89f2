"""The web as `souq run` serves it: granian on an internal loopback port, nginx in front.

One function, used by `souq run`, the slow-client tests and `souq bench slow-clients`,
so what is tested and measured is what developers run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.config import PREFIX, Settings
from devstack import service_process as sp
from devstack.reverse_proxy import local_plan, prepare_proxy

START_TIMEOUT_S = 60.0  # granian imports the app in ~3 s; a loaded shared machine takes longer


@dataclass
class FrontedWeb:
    """The two processes (each in its own session) and where to reach them."""

    url: str  # through nginx: what clients use
    upstream_url: str  # granian alone (benchmarks compare the two)
    proxy_root: str  # nginx's config, pid and temporary files: removed once it stopped
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def stop(self, timeout_s: float = 20.0) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.terminate()
        for child in self.children.values():
            try:
                child.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        shutil.rmtree(self.proxy_root, ignore_errors=True)  # its logs stay, under the stack's logs/


def free_port() -> int:
    """A loopback port nobody listens on now (the kernel's choice)."""
    import socket

    with socket.socket() as sock:
        sock.bind((sp.LOOPBACK, 0))
        return int(sock.getsockname()[1])


def start_web(settings: Settings, port: int, web_argv: Callable[..., Sequence[str]],
              env: Mapping[str, str] | None = None, **popen: Any) -> FrontedWeb:
    """Start the web and nginx on 127.0.0.1:`port`; return once health answers through nginx.

    `web_argv(port=upstream_port)` is the web's command line, `souq web`'s own (passed in:
    the local stack starts the product, it does not define it). `env` is the web's
    environment (default: ours); the web gets it with one trusted proxy hop added, since
    nginx overwrites X-Forwarded-For. `popen` goes to both Popen calls (tests silence the
    output)."""
    upstream_port = free_port()
    plan = local_plan(settings, port, upstream_port)
    argv = prepare_proxy(plan)  # a bad config fails before anything starts
    web_env = {**(os.environ if env is None else env), f"{PREFIX}TRUSTED_PROXY_HOPS": "1"}
    web = FrontedWeb(url=f"http://{sp.LOOPBACK}:{port}", upstream_url=f"http://{sp.LOOPBACK}:{upstream_port}",
                     proxy_root=plan.root)
    try:
        web.children["web"] = subprocess.Popen(list(web_argv(port=upstream_port)), env=web_env,
                                               start_new_session=True, **popen)
        web.children["proxy"] = subprocess.Popen(argv, start_new_session=True, **popen)
        if not sp.wait_until(lambda: _healthy(web), START_TIMEOUT_S, interval_s=0.2):
            raise sp.StackError(f"the web did not answer {web.url}/api/v1/health within {START_TIMEOUT_S:.0f}s")
    except BaseException:
        web.stop()
        raise
    return web


def _healthy(web: FrontedWeb) -> bool:
    for name, child in web.children.items():
        if child.poll() is not None:
            raise sp.StackError(f"{name} exited with code {child.returncode} while starting")
    return sp.http_json(f"{web.url}/api/v1/health", timeout_s=2.0) == {"status": "ok"}
