"""Unit tests for the local stack script: no services needed, nothing is started.

They pin the decisions that protect a developer's machine (never signal a foreign
process, name the setting to change when a port is taken) and the `--json` shape
that other tooling reads.
"""

from __future__ import annotations

import json
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.config import Settings
from devstack import service_process as sp
from devstack.opensearch_node import RUNNERS, Jdk, OpenSearchNode, parse_java_version, plan
from devstack.postgres_server import PostgresServer, database_targets
from devstack.redis_server import RedisServer, _complete
from devstack.stack import stack_status
from souq_cli.main import cli


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(stack_dir=str(tmp_path / "stack"), opensearch_port=free_port(),
                    pg_port=free_port(), redis_port=free_port())


@pytest.fixture
def stranger() -> Iterator[subprocess.Popen[bytes]]:
    """A process the stack did not start."""
    proc = subprocess.Popen(["sleep", "60"])
    yield proc
    proc.kill()
    proc.wait()


@pytest.mark.parametrize("text, major", [
    ('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', 17),
    ('openjdk version "25.0.3" 2026-04-21 LTS', 25),
    ('java version "1.8.0_292"', 8),
    ('openjdk version "21-ea" 2023-09-19', 21),
    ('openjdk version "22" 2024-03-19', 22),
    ("bash: java: command not found", None),
])
def test_parse_java_version(text: str, major: int | None) -> None:
    assert parse_java_version(text) == major


def test_plan_prefers_opensearch_3_on_newest_jdk_and_keeps_2_19_as_fallback() -> None:
    jdk25, jdk21, jdk17 = (Jdk(f"/j{major}/bin/java", major) for major in (25, 21, 17))
    assert plan([jdk25, jdk21, jdk17]) == [(RUNNERS[0], jdk25), (RUNNERS[1], jdk21)]
    assert plan([jdk17]) == [(RUNNERS[1], jdk17)]
    assert plan([jdk25]) == [(RUNNERS[0], jdk25)]  # 2.x cannot run without a Security Manager
    assert plan([Jdk("/j11/bin/java", 11)]) == []


def test_port_taken_message_names_port_and_setting() -> None:
    message = sp.port_taken_message("postgres", 5433, "SOUQ_PG_PORT")
    assert "5433" in message and "SOUQ_PG_PORT" in message


def test_taken_port_is_refused_with_the_setting_to_change() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert not sp.port_free(port)
        with pytest.raises(sp.StackError, match=f"SOUQ_REDIS_PORT.*{port}|{port}.*SOUQ_REDIS_PORT"):
            sp.require_port_free("redis", port, "SOUQ_REDIS_PORT")


def test_up_fails_before_starting_anything_when_a_port_is_foreign(settings: Settings) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", settings.pg_port))
        holder.listen()
        result = CliRunner().invoke(cli, ["stack", "up"], env=_env(settings))
    assert result.exit_code != 0
    assert "SOUQ_PG_PORT" in result.output and str(settings.pg_port) in result.output
    assert not stack_status(settings)["services"]["redis"]["pid"]


def test_signature_needs_the_program_and_an_exact_argument(tmp_path: Path) -> None:
    conf = str(tmp_path / "redis.conf")
    signature = sp.Signature("redis-server", frozenset([conf]))
    assert signature.matches(["/usr/bin/redis-server", conf])
    assert not signature.matches(["tail", "-f", conf])  # mentions our path, is not ours
    assert not signature.matches(["/usr/bin/redis-server", conf + ".bak"])
    assert not signature.matches([])


def test_foreign_pid_in_our_pid_file_is_never_signalled(
        settings: Settings, stranger: subprocess.Popen[bytes]) -> None:
    for service in (OpenSearchNode(settings), RedisServer(settings)):
        sp.write_pid(service.pid_file, stranger.pid)
        assert service.running_pid() is None
        with pytest.raises(sp.StackError, match="refusing"):
            sp.signal_owned(stranger.pid, service.signature)
        assert "not running" in service.down(timeout_s=1)
    assert stranger.poll() is None  # still alive


def test_status_json_shape_with_nothing_running(settings: Settings) -> None:
    result = CliRunner().invoke(cli, ["stack", "status", "--json"], env=_env(settings))
    assert result.exit_code == 0, result.output
    status = json.loads(result.output)
    assert status["healthy"] is False
    assert status["stack_dir"] == str(Path(settings.stack_dir).resolve())
    assert list(status["services"]) == ["opensearch", "postgres", "redis"]
    ports = {"opensearch": settings.opensearch_port, "postgres": settings.pg_port,
             "redis": settings.redis_port}
    for name, entry in status["services"].items():
        assert set(entry) == {"name", "address", "port", "setting", "state", "healthy", "pid",
                              "detail", "logs"}
        assert entry["state"] == "stopped" and entry["pid"] is None
        assert entry["port"] == ports[name] and str(ports[name]) in entry["address"]
        assert entry["address"].split("://")[1].startswith("127.0.0.1:")
        assert entry["setting"].startswith("SOUQ_")


def test_status_reports_a_foreign_process_on_our_port(settings: Settings) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", settings.redis_port))
        holder.listen()
        entry = RedisServer(settings).status()
    assert entry.state == "foreign" and not entry.healthy


def test_down_with_nothing_running_is_a_quiet_success(settings: Settings) -> None:
    result = CliRunner().invoke(cli, ["stack", "down"], env=_env(settings))
    assert result.exit_code == 0, result.output
    assert result.output.count("not running") == 3


def test_database_targets_follow_the_urls_that_point_at_our_cluster() -> None:
    settings = Settings(pg_port=5433)
    assert database_targets(settings) == [("souq", "souq", "souq"), ("souq", "souq", "souq_test")]
    remote = Settings(pg_port=5433, test_database_url="postgresql+psycopg://u:p@db.internal/x")
    assert database_targets(remote) == [("souq", "souq", "souq")]


def test_postgres_keeps_everything_under_its_cluster_root(settings: Settings) -> None:
    from devstack.postgres_server import cluster_root

    server = PostgresServer(settings)
    assert server.root == cluster_root(Path(settings.stack_dir).resolve())
    for path in (server.data, server.sockets, server.log):
        assert server.root in path.parents


@pytest.mark.parametrize("reply, complete", [
    (b"+PONG\r\n", True), (b"+PO", False), (b"$5\r\nhel", False), (b"$5\r\nhello\r\n", True),
    (b"$-1\r\n", True),
])
def test_redis_reply_framing(reply: bytes, complete: bool) -> None:
    assert _complete(reply) is complete


def _env(settings: Settings) -> dict[str, str]:
    return {"SOUQ_STACK_DIR": settings.stack_dir,
            "SOUQ_OPENSEARCH_PORT": str(settings.opensearch_port),
            "SOUQ_PG_PORT": str(settings.pg_port), "SOUQ_REDIS_PORT": str(settings.redis_port)}


def test_postgres_cluster_moves_out_of_a_stack_dir_postgres_cannot_reach(tmp_path):
    import os

    from devstack.postgres_server import FALLBACK_ROOT, cluster_root

    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    stack = private / "checkout" / ".stack"
    root = cluster_root(stack)
    if os.geteuid() == 0:
        assert root.parent == FALLBACK_ROOT
        assert cluster_root(private / "other" / ".stack") != root  # one cluster per stack dir
    else:
        assert root == stack / "postgres"
    private.chmod(0o755)
    tmp_path.chmod(0o755)
    if all(p.stat().st_mode & 0o001 for p in stack.parents if p.exists()):
        assert cluster_root(stack) == stack / "postgres"
