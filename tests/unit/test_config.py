"""Settings read through pydantic-settings: each bad value names its variable, no secret leaks."""

from __future__ import annotations

import secrets
from decimal import Decimal

import pytest

from core.config import Settings

TOKEN = secrets.token_urlsafe(24)


@pytest.mark.parametrize("name, raw", [
    ("SOUQ_PG_PORT", "many"), ("SOUQ_RATE_LIMITS_ENABLED", "maybe"), ("SOUQ_SYP_PER_USD", "lots"),
    ("SOUQ_RELAY_INTERVAL_S", "fast"), ("SOUQ_TRUSTED_PROXY_HOPS", "-1"),
])
def test_a_bad_value_is_refused_naming_its_variable(name: str, raw: str) -> None:
    with pytest.raises(ValueError, match=f"^{name}: ") as caught:
        Settings.from_env({name: raw})
    assert "pydantic" not in str(caught.value)  # our sentence, not a library's report


def test_values_are_parsed_to_their_types() -> None:
    settings = Settings.from_env({"SOUQ_PG_PORT": "6001", "SOUQ_RATE_LIMITS_ENABLED": "off",
                                  "SOUQ_SYP_PER_USD": "14500.5", "SOUQ_OPENSEARCH_TIMEOUT_S": "2.5",
                                  "SOUQ_DUPLICATE_CHECK_ENABLED": "0"})
    assert (settings.pg_port, settings.rate_limits_enabled, settings.syp_per_usd, settings.opensearch_timeout_s,
            settings.duplicate_check_enabled) == (6001, False, Decimal("14500.5"), 2.5, False)
    assert settings.test_database_url.endswith(":6001/souq_test")


def test_a_malformed_token_list_never_shows_the_token() -> None:
    # name and token swapped: the "name" is the secret
    with pytest.raises(ValueError, match=r"^SOUQ_OPERATOR_TOKENS: entry 1") as caught:
        Settings.from_env({"SOUQ_OPERATOR_TOKENS": f"{TOKEN}:sami"})
    assert TOKEN not in str(caught.value) and caught.value.__cause__ is None and caught.value.__suppress_context__


def test_built_settings_never_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOUQ_SECRET_KEY", secrets.token_urlsafe(32))
    monkeypatch.setenv("SOUQ_PG_PORT", "6002")
    assert Settings().secret_key == "" and Settings(redis_port=6390).pg_port == 5433
    assert Settings.from_env().pg_port == 6002  # only from_env does


def test_overrides_are_checked_like_the_environment_and_leave_the_original() -> None:
    settings = Settings(pg_port=7001)
    with pytest.raises(ValueError, match="SOUQ_TRUSTED_PROXY_HOPS"):
        settings.with_overrides(trusted_proxy_hops=-2)
    with pytest.raises(ValueError, match="SOUQ_NO_SUCH_THING"):
        settings.with_overrides(no_such_thing=1)
    moved = settings.with_overrides(pg_port=7002, redis_url="")
    assert moved.database_url == settings.database_url  # derived URLs are kept unless overridden
    assert moved.redis_url == "redis://127.0.0.1:6380/0" and settings.pg_port == 7001
    with pytest.raises(ValueError):
        settings.pg_port = 1  # type: ignore[misc]  # frozen: a shared Settings cannot drift
