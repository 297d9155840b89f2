"""Project-level contracts: import direction, compose file, config reading."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.config import Settings

REPO = Path(__file__).resolve().parents[2]


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


ROUTE_DECORATORS = ("api", "web", "operator_web")  # the blueprints' names


def _route_modules() -> dict[str, ast.Module]:
    """service modules that declare routes (a decorator like `@api.get(...)`), by dotted name."""
    modules = {}
    for path in sorted((REPO / "service").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            decorators = getattr(node, "decorator_list", [])
            if any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                   and isinstance(d.func.value, ast.Name) and d.func.value.id in ROUTE_DECORATORS
                   for d in decorators):
                modules[".".join(path.relative_to(REPO).with_suffix("").parts)] = tree
                break
    return modules


def test_views_do_not_import_views():
    """What two routes share lives in a module without routes (service.api.wire, service.web.page_parts):
    a route module can then change without breaking its siblings."""
    routes = _route_modules()
    assert {"service.api.search", "service.web.search_page", "service.api.ads"} <= set(routes)
    crossing = sorted((name, node.module) for name, tree in routes.items() for node in ast.walk(tree)
                      if isinstance(node, ast.ImportFrom) and node.module in routes and node.module != name)
    crossing += sorted((name, f"{node.module}.{alias.name}") for name, tree in routes.items()
                       for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
                       for alias in node.names if f"{node.module}.{alias.name}" in routes)
    assert crossing == [], crossing


# Run as a script: the packages the image lacks are made unimportable first.
_WITHOUT_CHECKOUT = """
import importlib, pkgutil, sys
sys.modules["devstack"] = sys.modules["bench"] = None
import souq_cli
for module in pkgutil.walk_packages(souq_cli.__path__, "souq_cli."):
    if module.name != "souq_cli.__main__":
        importlib.import_module(module.name)
from souq_cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def _souq_without_checkout(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _WITHOUT_CHECKOUT, *args], cwd=REPO, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)})


def test_the_cli_works_without_devstack_and_bench_as_in_the_image():
    help_text = _souq_without_checkout("--help")
    assert help_text.returncode == 0, help_text.stderr
    listed = {line.split()[0] for line in help_text.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert {"db", "seed", "demo", "search", "run", "web", "worker", "beat"} <= listed
    assert not listed & {"stack", "bench"}
    for package, args in (("devstack", ["stack", "status"]), ("bench", ["bench", "report"]),
                          ("devstack", ["run"])):
        refused = _souq_without_checkout(*args)
        assert refused.returncode == 2, refused.stderr
        assert f"needs the `{package}` package" in refused.stderr, refused.stderr


def test_the_image_ships_the_product_but_not_devstack_or_bench():
    dockerfile = (REPO / "Dockerfile").read_text().splitlines()
    copied = {line.split()[1] for line in dockerfile if line.startswith("COPY")}
    assert {"core", "service", "indexer", "workers", "search_config", "souq_cli"} <= copied
    assert not copied & {"devstack", "bench", "tests", "."}


def _compose_command() -> list[str] | None:
    """`docker compose` (plugin) where it exists, else Debian's `docker-compose`."""
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_compose_file_is_accepted_by_docker_compose():
    compose = _compose_command()
    if compose is None:
        if shutil.which("docker"):
            pytest.fail("docker client present but no compose: run devstack/bootstrap.sh")
        pytest.skip("no docker client on this machine")
    env = {key: value for key, value in os.environ.items() if not key.startswith("SOUQ_")}
    refused = subprocess.run([*compose, "config", "-q"], cwd=REPO, capture_output=True, text=True, env=env)
    assert refused.returncode != 0 and "SOUQ_SECRET_KEY" in refused.stderr  # no secret has a default
    env |= {"SOUQ_SECRET_KEY": "k" * 32, "SOUQ_OPERATOR_TOKENS": "ops:" + "t" * 32}
    result = subprocess.run([*compose, "config", "-q"], cwd=REPO, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr


def test_compose_file_declares_every_service_with_healthchecks():
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "opensearch", "web", "worker", "beat", "proxy"} <= set(services)
    for name in ("postgres", "redis", "opensearch", "web", "worker", "proxy"):
        assert "healthcheck" in services[name], name
    # Only the proxy is published; the web, which trusts one proxy hop, is not reachable around it.
    assert "ports" not in services["web"] and services["web"]["environment"]["SOUQ_TRUSTED_PROXY_HOPS"] == "1"
    assert {"pgdata", "redisdata", "osdata"} <= set(compose["volumes"])
    assert services["opensearch"]["image"].startswith("opensearchproject/opensearch")


def test_settings_read_only_prefixed_variables_and_reject_unknown_ones():
    settings = Settings.from_env({"SOUQ_PG_PORT": "6000", "PATH": "/bin"})
    assert settings.database_url.endswith(":6000/souq")
    with pytest.raises(ValueError, match="SOUQ_NOPE"):
        Settings.from_env({"SOUQ_NOPE": "1"})
    with pytest.raises(ValueError, match="SOUQ_PG_PORT"):
        Settings.from_env({"SOUQ_PG_PORT": "many"})


def test_settings_round_trip_through_the_environment():
    settings = Settings(pg_port=7000, rate_limits_enabled=False, index_prefix="x")
    assert Settings.from_env(settings.to_env()) == settings


def test_importing_the_packages_reads_no_environment(monkeypatch):
    # A bad SOUQ_ variable would make any import-time read fail loudly.
    monkeypatch.setenv("SOUQ_NOT_A_SETTING", "1")
    code = ("import core.db, core.ads, indexer.relay, service.app, workers.app, souq_cli.main, devstack.stack")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            env={"SOUQ_NOT_A_SETTING": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
