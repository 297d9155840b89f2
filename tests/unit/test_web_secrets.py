"""No secret works by default: the web refuses to start without real ones, the local stack makes its own."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.config import KNOWN_DEFAULT_SECRETS, Settings, web_secret_problems
from devstack.local_secrets import adopt_local_secrets, ensure_local_secrets, read_secrets, secrets_path
from service.app import create_app

REPO = Path(__file__).resolve().parents[2]
GOOD = {"secret_key": secrets.token_urlsafe(32), "operator_tokens": f"ops:{secrets.token_urlsafe(24)}"}


def test_the_settings_carry_no_working_secret() -> None:
    assert web_secret_problems(Settings()) == ["SOUQ_SECRET_KEY is not set", "SOUQ_OPERATOR_TOKENS is not set"]
    assert web_secret_problems(Settings(**GOOD)) == []


@pytest.mark.parametrize("name, value", [
    (name, value) for name in ("secret_key", "operator_tokens")
    for value in ("", "dev-only-secret-change-me", "dev-operator-token", "change-me", "short-x")
] + [("operator_tokens", f"ops:{value}") for value in ("dev-operator-token", "change-me", "short-x")])
def test_the_app_refuses_a_missing_published_or_short_secret_naming_it(name: str, value: str) -> None:
    # A malformed token list fails as the settings are built; an empty or known one at app start.
    with pytest.raises(ValueError, match=f"SOUQ_{name.upper()}"):
        create_app(Settings(**(GOOD | {name: value})))


def test_the_values_this_repository_once_shipped_are_all_refused() -> None:
    for value in KNOWN_DEFAULT_SECRETS:
        assert web_secret_problems(Settings(**(GOOD | {"secret_key": value}))), value


def test_the_web_server_entry_point_exits_with_the_reason() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SOUQ_")}
    env["SOUQ_STACK_DIR"] = "/nonexistent-stack"
    result = subprocess.run([sys.executable, "-c", "from service.app import create_app_from_env; "
                             "create_app_from_env()"], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert "refuses to start" in result.stderr and "SOUQ_SECRET_KEY is not set" in result.stderr


def test_the_local_stack_generates_private_secrets_once(tmp_path: Path) -> None:
    settings = Settings(stack_dir=str(tmp_path / "stack"))
    said: list[str] = []
    first = ensure_local_secrets(settings, said.append)
    path = secrets_path(settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(said) == 1 and first["SOUQ_OPERATOR_TOKENS"] in said[0]  # printed once, where it is
    assert ensure_local_secrets(settings, said.append) == first == read_secrets(path)
    assert len(said) == 1
    assert web_secret_problems(settings.with_overrides(secret_key=first["SOUQ_SECRET_KEY"],
                                                       operator_tokens=first["SOUQ_OPERATOR_TOKENS"])) == []
    other = ensure_local_secrets(Settings(stack_dir=str(tmp_path / "other")), said.append)
    assert other["SOUQ_SECRET_KEY"] != first["SOUQ_SECRET_KEY"]  # per installation


def test_racing_first_runs_agree_on_one_set(tmp_path: Path) -> None:
    settings = Settings(stack_dir=str(tmp_path))
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: ensure_local_secrets(settings, lambda line: None), range(8)))
    assert all(result == results[0] for result in results)


def test_a_secrets_file_readable_by_others_is_narrowed(tmp_path: Path) -> None:
    settings = Settings(stack_dir=str(tmp_path))
    ensure_local_secrets(settings, lambda line: None)
    secrets_path(settings).chmod(0o644)
    said: list[str] = []
    ensure_local_secrets(settings, said.append)
    assert stat.S_IMODE(secrets_path(settings).stat().st_mode) == 0o600 and "0600" in said[0]


def test_commands_adopt_the_file_but_never_replace_a_set_secret(tmp_path: Path) -> None:
    settings = Settings(stack_dir=str(tmp_path))
    assert adopt_local_secrets(settings, {}) is settings  # no file yet: nothing invented
    generated = ensure_local_secrets(settings, lambda line: None)
    env = {"SOUQ_SECRET_KEY": GOOD["secret_key"]}
    adopted = adopt_local_secrets(settings.with_overrides(secret_key=GOOD["secret_key"]), env)
    assert adopted.secret_key == GOOD["secret_key"] == env["SOUQ_SECRET_KEY"]
    assert adopted.operators["local"] == generated["SOUQ_OPERATOR_TOKENS"].partition(":")[2]
    assert env["SOUQ_OPERATOR_TOKENS"] == generated["SOUQ_OPERATOR_TOKENS"]


def test_an_older_file_gains_the_secrets_added_since_and_keeps_its_own(tmp_path: Path) -> None:
    settings = Settings(stack_dir=str(tmp_path))
    path = secrets_path(settings)
    path.write_text("SOUQ_SECRET_KEY=" + GOOD["secret_key"] + "\nSOUQ_OPERATOR_TOKEN=an-obsolete-name-0123456789\n")
    path.chmod(0o600)
    values = ensure_local_secrets(settings, lambda line: None)
    assert values["SOUQ_SECRET_KEY"] == GOOD["secret_key"] and values["SOUQ_OPERATOR_TOKENS"].startswith("local:")
    adopted = adopt_local_secrets(settings, {})
    assert adopted.secret_key == GOOD["secret_key"] and list(adopted.operators) == ["local"]
