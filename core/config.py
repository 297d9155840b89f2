"""Settings: the ONLY place that reads the environment.

Every process (web, worker, beat, CLI, tests) starts from a factory that takes a
`Settings`; nothing reads `os.environ` at import time. All variables share the
`SOUQ_` prefix and default to the local stack started by `souq stack up`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from pathlib import Path
from typing import Mapping

PREFIX = "SOUQ_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Typed configuration; each field maps to `SOUQ_<FIELD NAME IN CAPS>`."""

    # Local stack (devstack). Ports are ours, away from system defaults, so the
    # stack never collides with a PostgreSQL or Redis the OS may run itself.
    stack_dir: str = str(PROJECT_ROOT / ".stack")
    opensearch_port: int = 9200
    opensearch_heap: str = "768m"
    pg_port: int = 5433
    redis_port: int = 6380

    # Services.
    database_url: str = ""
    test_database_url: str = ""
    redis_url: str = ""
    opensearch_url: str = ""
    index_prefix: str = "souq"
    opensearch_timeout_s: float = 10.0

    # Web secrets: no working default. The local stack generates them once per
    # installation (devstack.local_secrets); the web refuses to start without them.
    secret_key: str = ""
    operator_token: str = ""

    # Web.
    public_base_url: str = "http://127.0.0.1:8000"
    max_request_bytes: int = 256 * 1024
    rate_limit_create: str = "20 per hour"
    rate_limit_report: str = "30 per hour"
    rate_limit_contact: str = "60 per hour"
    # Reading single ads: far above a person's browsing (two a second for a
    # minute), far below walking the whole site from one address.
    rate_limit_read: str = "120 per minute"
    # Shared by the API and the post form. Per /24 (IPv4) or /64 (IPv6): one
    # household or mobile carrier NAT block, wider than one address, narrower than an ISP.
    rate_limit_create_prefix: str = "60 per hour"
    # Per canonical phone from the body: one seller rarely posts more than this in a day.
    rate_limit_create_phone: str = "10 per day"
    rate_limits_enabled: bool = True
    # Refuse a new ad that repeats one of the same phone's live ads (core.duplicates).
    duplicate_check_enabled: bool = True
    # Reverse proxies in front of the web whose X-Forwarded-For/-Proto to believe.
    # 0 (direct, `souq web`): the headers are ignored, since any client can send
    # them. `souq run` and compose put one nginx in front, which overwrites them,
    # and set 1; the rate limits are keyed by the address this yields.
    trusted_proxy_hops: int = 0

    # Ads.
    ad_lifetime_days: int = 30
    # SYP per USD used to normalise prices for filtering and sorting; a
    # configured figure, since the market rate moves and is set by operators.
    syp_per_usd: Decimal = Decimal("13000")

    # Indexing pipeline.
    celery_queue: str = "souq"
    relay_interval_s: float = 1.0
    relay_batch_size: int = 500
    refresh_interval: str = "1s"

    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.trusted_proxy_hops < 0:
            raise ValueError(f"{PREFIX}TRUSTED_PROXY_HOPS must be 0 or more, not {self.trusted_proxy_hops}")
        # Derived URLs default to the local stack's ports.
        defaults = {
            "database_url": f"postgresql+psycopg://souq:souq@127.0.0.1:{self.pg_port}/souq",
            "test_database_url": f"postgresql+psycopg://souq:souq@127.0.0.1:{self.pg_port}/souq_test",
            "redis_url": f"redis://127.0.0.1:{self.redis_port}/0",
            "opensearch_url": f"http://127.0.0.1:{self.opensearch_port}",
        }
        for name, value in defaults.items():
            if not getattr(self, name):
                object.__setattr__(self, name, value)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Build settings from `SOUQ_*` variables; unknown `SOUQ_*` names are an error."""
        env = os.environ if environ is None else environ
        known = {f.name: f for f in fields(cls) if f.name != "extra"}
        values: dict[str, object] = {}
        for key, raw in env.items():
            if not key.startswith(PREFIX):
                continue
            name = key[len(PREFIX):].lower()
            if name not in known:
                raise ValueError(f"unknown setting {key}")
            values[name] = _coerce(known[name].type, raw, key)
        return cls(**values)  # type: ignore[arg-type]

    def to_env(self) -> dict[str, str]:
        """The `SOUQ_*` variables that reproduce these settings in a child process."""
        env = {}
        for f in fields(self):
            if f.name != "extra":
                value = getattr(self, f.name)
                env[PREFIX + f.name.upper()] = str(value).lower() if isinstance(value, bool) else str(value)
        return env

    def with_overrides(self, **changes: object) -> "Settings":
        """A copy with some fields changed (derived URLs are kept unless overridden)."""
        return replace(self, **changes)  # type: ignore[arg-type]


class InsecureSettings(ValueError):
    """A secret the web needs is missing, too short, or one anyone who read the code knows."""


# Values that shipped in this repository or its compose file: whoever read the code
# knows them, so a server using one has no secret at all.
KNOWN_DEFAULT_SECRETS = frozenset({
    "dev-only-secret-change-me", "dev-operator-token", "change-me", "change-me-too",
    "changeme", "secret", "password",
})
# token_urlsafe(18) and up: guessing is out of reach, and typos of a short word are refused.
MIN_SECRET_CHARS = 24


def web_secret_problems(settings: Settings) -> list[str]:
    """Why these settings may not serve the web (empty: they may), each naming its variable."""
    problems = []
    for name in ("secret_key", "operator_token"):
        key, value = PREFIX + name.upper(), getattr(settings, name)
        if not value:
            problems.append(f"{key} is not set")
        elif value in KNOWN_DEFAULT_SECRETS:
            problems.append(f"{key} is a published default value")
        elif len(value) < MIN_SECRET_CHARS:
            problems.append(f"{key} is shorter than {MIN_SECRET_CHARS} characters")
    return problems


def require_web_secrets(settings: Settings) -> None:
    """Raise InsecureSettings, saying what to do, unless the web's secrets are real."""
    problems = web_secret_problems(settings)
    if problems:
        raise InsecureSettings(
            "; ".join(problems) + ". Set them to long random values (python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'); the local stack (`souq stack up`) generates its own "
            "in .stack/secrets.env")


def _coerce(type_name: object, raw: str, key: str) -> object:
    kind = str(type_name)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            if raw.lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if kind == "Decimal":
            return Decimal(raw)
    except (ValueError, ArithmeticError) as exc:
        raise ValueError(f"{key}: cannot read {raw!r} as {kind}") from exc
    return raw
