"""Integration: `souq stack up` brings up real services, and a second `up` is a no-op.

Runs the CLI in a subprocess, as a developer would, against the configured stack
(SOUQ_* environment, default ports). It leaves the stack running: the rest of the
integration suite needs it, and `up` is idempotent by contract.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def souq(*args: str, timeout_s: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "souq_cli", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout_s, check=False)


def status_json() -> dict[str, Any]:
    result = souq("stack", "status", "--json", timeout_s=60)
    assert result.returncode == 0, result.stderr
    status: dict[str, Any] = json.loads(result.stdout)
    return status


def test_up_makes_all_three_healthy_and_a_second_up_is_a_no_op() -> None:
    first = souq("stack", "up", "--json")
    assert first.returncode == 0, first.stdout + first.stderr

    status = status_json()
    assert status["healthy"] is True, status
    assert set(status["services"]) == {"opensearch", "postgres", "redis"}
    for name, entry in status["services"].items():
        assert entry["healthy"] is True and entry["state"] == "healthy", (name, entry)
        assert entry["pid"], name
        assert entry["address"].split("://")[1].startswith("127.0.0.1:")
    pids = {name: entry["pid"] for name, entry in status["services"].items()}

    second = souq("stack", "up")
    assert second.returncode == 0, second.stdout + second.stderr
    for name in pids:
        assert f"{name}: already running" in second.stdout, second.stdout
    after = status_json()
    assert after["healthy"] is True
    assert {name: entry["pid"] for name, entry in after["services"].items()} == pids


def test_status_text_lists_each_service_with_its_address() -> None:
    result = souq("stack", "status", timeout_s=60)
    assert result.returncode == 0, result.stderr
    for needle in ("opensearch", "postgres", "redis", "http://127.0.0.1:",
                   "postgresql://127.0.0.1:", "redis://127.0.0.1:"):
        assert needle in result.stdout
