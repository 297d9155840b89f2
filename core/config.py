"""Settings: the ONLY place that reads the environment.

Every process (web, worker, beat, CLI, tests) starts from a factory that takes a
`Settings`; nothing reads `os.environ` at import time. All variables share the
`SOUQ_` prefix and default to the local stack started by `souq stack up`.

pydantic-settings does the reading (prefix, names) and pydantic the parsing and
checks; two choices are ours. `Settings(...)` takes only what it is given, never
the environment, so a test or a derived copy cannot pick up a stray variable;
`Settings.from_env()` is the one door the environment comes in by. And every bad
value is a ValueError naming its `SOUQ_` variable, never echoing a secret.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

PREFIX = "SOUQ_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Typed configuration; each field maps to `SOUQ_<FIELD NAME IN CAPS>`."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="forbid",
                                      hide_input_in_errors=True)

    # Local stack (devstack). Ports are ours, away from system defaults, so the
    # stack never collides with a PostgreSQL or Redis the OS may run itself.
    stack_dir: str = str(PROJECT_ROOT / ".stack")
    opensearch_port: int = 9200
    opensearch_heap: str = "768m"
    pg_port: int = 5433
    redis_port: int = 6380

    # Services. Empty: derived from the ports above (see _default_urls).
    database_url: str = ""
    test_database_url: str = ""
    redis_url: str = ""
    opensearch_url: str = ""
    index_prefix: str = "souq"
    opensearch_timeout_s: float = 10.0

    # Web secrets: no working default. The local stack generates them once per
    # installation (devstack.local_secrets); the web refuses to start without them.
    secret_key: str = ""

    # Web.
    # Named operator tokens, `name:token,name2:token2` (checked by parse_operator_tokens);
    # the name is what the audit log records. Empty: no operator can sign in.
    operator_tokens: str = ""
    # Wrong operator tokens per client address: room for a few mistypes, not a guessing run.
    rate_limit_operator_sign_in: str = "10 per hour"
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
    trusted_proxy_hops: int = Field(default=0, ge=0)

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

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            # `from None`: the chained pydantic error would be printed too, and is noisier.
            raise ValueError(_explain(exc)) from None

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only the arguments: the environment comes in through `from_env` alone."""
        return (init_settings,)

    @field_validator("operator_tokens")
    @classmethod
    def _check_operator_tokens(cls, value: str) -> str:
        parse_operator_tokens(value)  # a malformed value fails at startup, not at sign-in
        return value

    @model_validator(mode="after")
    def _default_urls(self) -> Settings:
        """Unset service URLs point at the local stack's ports."""
        defaults = {
            "database_url": f"postgresql+psycopg://souq:souq@127.0.0.1:{self.pg_port}/souq",
            "test_database_url": f"postgresql+psycopg://souq:souq@127.0.0.1:{self.pg_port}/souq_test",
            "redis_url": f"redis://127.0.0.1:{self.redis_port}/0",
            "opensearch_url": f"http://127.0.0.1:{self.opensearch_port}",
        }
        for name, value in defaults.items():
            if not getattr(self, name):
                object.__setattr__(self, name, value)  # frozen: set once, while being built
        return self

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `SOUQ_*` variables; unknown `SOUQ_*` names are an error."""
        env = os.environ if environ is None else environ
        # pydantic-settings skips names no field has; a misspelt variable must not go unnoticed.
        unknown = sorted(key for key in env
                         if key.startswith(PREFIX) and key[len(PREFIX):].lower() not in cls.model_fields)
        if unknown:
            raise ValueError(f"unknown setting {', '.join(unknown)}")
        return cls(**_EnvironmentSource(cls, env)())

    @property
    def operators(self) -> dict[str, str]:
        """Operator name -> token."""
        return parse_operator_tokens(self.operator_tokens)

    def to_env(self) -> dict[str, str]:
        """The `SOUQ_*` variables that reproduce these settings in a child process."""
        return {PREFIX + name.upper(): str(value).lower() if isinstance(value, bool) else str(value)
                for name, value in self.model_dump().items()}

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with some fields changed (derived URLs are kept unless overridden).

        Built anew rather than by `model_copy(update=...)`, which skips validation:
        an override gets the same checks as a value from the environment."""
        return type(self)(**(self.model_dump() | changes))


class _EnvironmentSource(EnvSettingsSource):
    """pydantic-settings' environment source, over the mapping `from_env` was given.

    The stock source reads `os.environ` only; tests and `to_env` round trips pass their own."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {key.lower(): value for key, value in self._environ.items()}  # names are case-blind, as the stock one's


# Pydantic's wording for a value of the wrong kind; the value is shown, since
# only numbers and switches can fail this way, never a secret.
PARSING_ERRORS = {"int_parsing", "float_parsing", "bool_parsing", "decimal_parsing", "int_from_float"}


def _explain(exc: ValidationError) -> str:
    """One line per bad value, each naming its `SOUQ_` variable."""
    lines = []
    for error in exc.errors(include_url=False):
        key = PREFIX + ".".join(str(part) for part in error["loc"]).upper()
        if error["type"] == "value_error":  # our own checks' messages already name the variable
            lines.append(str(error["ctx"]["error"]))
        elif error["type"] in PARSING_ERRORS:
            lines.append(f"{key}: cannot read {error['input']!r}: {error['msg'][0].lower()}{error['msg'][1:]}")
        else:
            lines.append(f"{key}: {error['msg'][0].lower()}{error['msg'][1:]}")
    return "; ".join(lines)


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
    key, value = f"{PREFIX}SECRET_KEY", settings.secret_key
    if not value:
        problems.append(f"{key} is not set")
    elif value in KNOWN_DEFAULT_SECRETS:
        problems.append(f"{key} is a published default value")
    elif len(value) < MIN_SECRET_CHARS:
        problems.append(f"{key} is shorter than {MIN_SECRET_CHARS} characters")
    # Each token's length and alphabet are checked when the settings are built.
    operators = settings.operators
    if not operators:
        problems.append(f"{PREFIX}OPERATOR_TOKENS is not set")
    problems += [f"{PREFIX}OPERATOR_TOKENS: the token of {name} is a published default value"
                 for name, token in operators.items() if token in KNOWN_DEFAULT_SECRETS]
    return problems


def require_web_secrets(settings: Settings) -> None:
    """Raise InsecureSettings, saying what to do, unless the web's secrets are real."""
    problems = web_secret_problems(settings)
    if problems:
        raise InsecureSettings(
            "; ".join(problems) + ". Set them to long random values (python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'); the local stack (`souq stack up`) generates its own "
            "in .stack/secrets.env")


# Operator names go into the audit log and the page header: letters (any script),
# digits, `.`, `_`, `-`. Tokens are secrets: at least 24 characters (a
# `secrets.token_urlsafe(18)` or longer), in URL-safe/base64 characters.
OPERATOR_NAME = re.compile(r"[^\W_][\w.-]{0,39}")
OPERATOR_TOKEN = re.compile(r"[A-Za-z0-9._~+/=-]{24,256}")


def parse_operator_tokens(raw: str) -> dict[str, str]:
    """`name:token,name2:token2` -> {name: token}; ValueError naming the variable otherwise.

    Messages name the entry by its position only: with name and token swapped
    by mistake, the "name" is the secret, and a startup log must not show it.
    """
    key = f"{PREFIX}OPERATOR_TOKENS"
    operators: dict[str, str] = {}
    if not raw.strip():
        return operators
    for number, entry in enumerate(raw.split(","), start=1):
        name, colon, token = (part.strip() for part in entry.partition(":"))
        where = f"{key}: entry {number}"
        if not colon or not name or not token:
            raise ValueError(f"{where} must be name:token (entries separated by commas)")
        if not OPERATOR_NAME.fullmatch(name):
            raise ValueError(f"{where}: the name must be 1 to 40 letters, digits, '.', '_' or '-'")
        if not OPERATOR_TOKEN.fullmatch(token):
            raise ValueError(f"{where}: the token must be 24 to 256 characters "
                             "of A-Z a-z 0-9 . _ ~ + / = -")
        if name in operators:
            raise ValueError(f"{where}: the name is already entry {list(operators).index(name) + 1}'s")
        if token in operators.values():
            raise ValueError(f"{where}: the token is already another operator's")
        operators[name] = token
    return operators
