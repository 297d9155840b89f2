"""The `souq` console script: the composition root of the project.

It is the outermost layer, so it is the one place allowed to import every
package. Sub-command groups are imported lazily so that `souq --help` stays
fast and a missing optional dependency only breaks the command that needs it.
"""

from __future__ import annotations

import importlib
import sys

import click

from core.config import Settings

# name -> "module:attribute" of a click command or group.
SUBCOMMANDS: dict[str, str] = {
    "stack": "devstack.stack:stack_group",
    "db": "devstack.database_cli:db_group",
    "seed": "devstack.database_cli:seed_command",
    "demo": "devstack.demo:demo_group",
    "search": "devstack.search_cli:search_group",
    "worker": "devstack.processes:worker_command",
    "beat": "devstack.processes:beat_command",
    "web": "devstack.processes:web_command",
    "run": "devstack.processes:run_command",
    "bench": "bench.cli:bench_group",
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported only when used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)


@click.group(cls=LazyGroup)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Souq (سوق): operate the local stack, the database and the search index."""
    from devstack.local_secrets import adopt_local_secrets

    try:
        ctx.obj = adopt_local_secrets(Settings.from_env())
    except ValueError as exc:
        raise click.UsageError(f"configuration: {exc}") from exc


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `souq` script; returns the process exit code."""
    try:
        cli.main(args=argv, prog_name="souq", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
