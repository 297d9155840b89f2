"""The nginx config in front of the web: what it promises, that nginx accepts it, and that
compose ships the same rendering. No server is started (`nginx -t` only checks)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.config import Settings
from devstack import reverse_proxy as rp

REPO = Path(__file__).resolve().parents[2]


def test_bodies_are_buffered_bounded_and_the_client_address_is_set_not_appended() -> None:
    conf = rp.render_nginx_conf(rp.local_plan(Settings(max_request_bytes=1234), 8000, 8001))
    assert "proxy_request_buffering on;" in conf
    assert "client_max_body_size 1234;" in conf and "client_body_buffer_size 1234;" in conf
    assert f"client_body_timeout {rp.CLIENT_TIMEOUT_S}s;" in conf
    assert f"limit_conn per_client {rp.CONNECTIONS_PER_CLIENT};" in conf
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "proxy_add_x_forwarded_for" not in conf  # appending would keep what the client sent
    assert "listen 127.0.0.1:8000;" in conf and "server 127.0.0.1:8001;" in conf


def test_nginx_accepts_the_local_config(tmp_path: Path) -> None:
    if shutil.which("nginx") is None and shutil.which("nginx", path="/usr/sbin") is None:
        pytest.skip("nginx is not installed: run devstack/bootstrap.sh")
    argv = rp.prepare_proxy(rp.local_plan(Settings(stack_dir=str(tmp_path)), 8000, 8001))
    assert argv[-2:] == ["-c", str(tmp_path / "nginx" / "8000" / "nginx.conf")]


def test_a_config_nginx_refuses_is_reported_with_its_message(tmp_path: Path, monkeypatch) -> None:
    if shutil.which("nginx") is None and shutil.which("nginx", path="/usr/sbin") is None:
        pytest.skip("nginx is not installed: run devstack/bootstrap.sh")
    monkeypatch.setattr(rp, "render_nginx_conf", lambda plan: "events {}\nhttp { nonsense on; }\n")
    with pytest.raises(rp.sp.StackError, match="nonsense"):
        rp.prepare_proxy(rp.local_plan(Settings(stack_dir=str(tmp_path)), 8000, 8001))


def test_compose_ships_the_current_rendering() -> None:
    shipped = (REPO / "deploy" / "nginx.conf").read_text()
    assert shipped == rp.render_nginx_conf(rp.compose_plan(Settings())), (
        "deploy/nginx.conf is stale: python -m devstack.reverse_proxy > deploy/nginx.conf")
