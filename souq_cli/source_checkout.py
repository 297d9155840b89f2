"""The two packages only a source checkout has: `devstack` (local services) and `bench`.

The image ships neither, so the CLI asks for them by name when a command needs
one, and says what is missing instead of failing with an ImportError.
"""

from __future__ import annotations

from importlib.util import find_spec

import click


def has_package(package: str) -> bool:
    """Whether `package` is importable here (looked up, not imported)."""
    return find_spec(package) is not None


def require_package(package: str, needed_by: str) -> None:
    """Refuse `needed_by` with a clear message when `package` is not installed."""
    if not has_package(package):
        raise click.UsageError(f"{needed_by} needs the `{package}` package of the source checkout, "
                               "which this installation does not have (the image ships without it)")
