"""The `souq` console script: the composition root of the project.

It is the outermost layer, so it is the one place allowed to import every
package. Sub-command groups are imported lazily so that `souq --help` stays
fast and a missing optional dependency only breaks the command that needs it.
The image has neither `devstack` nor `bench`: they are named here as strings
only, and `souq stack` and `souq bench` say so when they are absent.
"""

from __future__ import annotations

import importlib

import click

from core.config import Settings
from souq_cli.source_checkout import has_package, require_package

# name -> "module:attribute" of a click command or group.
SUBCOMMANDS: dict[str, str] = {
    "stack": "devstack.stack:stack_group",
    "db": "souq_cli.database:db_group",
    "seed": "souq_cli.database:seed_command",
    "demo": "souq_cli.demo:demo_group",
    "search": "souq_cli.search:search_group",
    "worker": "souq_cli.processes:worker_command",
    "beat": "souq_cli.processes:beat_command",
    "web": "souq_cli.processes:web_command",
    "run": "souq_cli.processes:run_command",
    "bench": "bench.cli:bench_group",
}


def _package(target: str) -> str:
    return target.partition(".")[0]


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported only when used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, target in SUBCOMMANDS.items() if has_package(_package(target)))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        require_package(_package(module_name), f"`souq {cmd_name}`")
        return getattr(importlib.import_module(module_name), attribute)


@click.group(cls=LazyGroup)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Souq (سوق): operate the local stack, the database and the search index."""
    try:
        ctx.obj = _local_settings(Settings.from_env())
    except ValueError as exc:
        raise click.UsageError(f"configuration: {exc}") from exc


def _local_settings(settings: Settings) -> Settings:
    """Fill in the local stack's generated secrets where the environment sets none.

    Without `devstack` (the image) the environment is the only source, as in any deployment."""
    if not has_package("devstack"):
        return settings
    from devstack.local_secrets import adopt_local_secrets

    return adopt_local_secrets(settings)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `souq` script; returns the process exit code."""
    try:
        cli.main(args=argv, prog_name="souq", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
