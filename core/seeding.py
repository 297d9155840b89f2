"""Load the reviewed reference data (categories, areas) into the database.

The trees live as JSON under ``core/seed/`` so that they are reviewed like code and the
same lists feed the database, the demo data and the benchmarks. Seeding is an idempotent
upsert keyed by slug: running it again after editing a file inserts what is new and updates
what changed, and never deletes a row, because ads reference categories and areas by id and
a vanished row would orphan them (retiring an entry is a deliberate, separate decision).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models.taxonomy import Area, Category

SEED_DIR = Path(__file__).resolve().parent / "seed"
CATEGORY_FILE = SEED_DIR / "categories.json"
AREA_FILE = SEED_DIR / "areas.json"

# Columns copied verbatim from a seed entry; "parent" is resolved separately (slug -> id).
_CATEGORY_FIELDS = ("name_ar", "name_en", "position")
_AREA_FIELDS = ("kind", "name_ar", "name_en", "alt_names", "lat", "lon", "population")

# The two slug-keyed trees `_upsert` handles: constrained, so each row it reads has slug/id/parent_id.
_Tree = TypeVar("_Tree", Category, Area)


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, list):
        raise ValueError(f"{path.name}: expected a JSON list of entries")
    return data


def load_category_seed() -> list[dict[str, Any]]:
    """The category tree as listed in the seed file (parents before children).

    Pure and cheap: the demo loader and the ad generator use it without a database.
    """
    return _read(CATEGORY_FILE)


def load_area_seed() -> list[dict[str, Any]]:
    """The area tree (governorates, cities, neighbourhoods) as listed in the seed file."""
    return _read(AREA_FILE)


def _upsert(
    session: Session,
    model: type[_Tree],
    entries: Sequence[dict[str, Any]],
    fields: Sequence[str],
) -> dict[str, int]:
    """Upsert `entries` of one tree by slug; return inserted/updated/unchanged counts.

    Two passes: first every row exists (so new parents get ids after one flush), then the
    parent links are set. That keeps the function correct even if a file lists a child
    before its parent, and it needs only two round trips however deep the tree is.
    """
    existing: dict[str, _Tree] = {row.slug: row for row in session.scalars(select(model))}
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    changed: set[str] = set()
    inserted: set[str] = set()
    seen: set[str] = set()

    for entry in entries:
        slug = entry["slug"]
        if slug in seen:
            raise ValueError(f"{model.__tablename__}: duplicate slug {slug!r} in seed file")
        seen.add(slug)
        values = {field: entry[field] for field in fields if field in entry}
        if "alt_names" in values:
            values["alt_names"] = list(values["alt_names"] or [])
        row = existing.get(slug)
        if row is None:
            row = model(slug=slug, **values)
            session.add(row)
            existing[slug] = row
            inserted.add(slug)
            continue
        for field, value in values.items():
            if getattr(row, field) != value:
                setattr(row, field, value)
                changed.add(slug)

    session.flush()  # new rows get their ids, so children can point at them

    for entry in entries:
        slug = entry["slug"]
        parent_slug = entry.get("parent")
        if parent_slug is None:
            parent_id = None
        else:
            parent = existing.get(parent_slug)
            if parent is None:
                raise ValueError(
                    f"{model.__tablename__}: {slug!r} names unknown parent {parent_slug!r}"
                )
            parent_id = parent.id
        row = existing[slug]
        if row.parent_id != parent_id:
            row.parent_id = parent_id
            if slug not in inserted:
                changed.add(slug)

    counts["inserted"] = len(inserted)
    counts["updated"] = len(changed)
    counts["unchanged"] = len(seen) - len(inserted) - len(changed)
    return counts


def seed_taxonomy(
    session: Session,
    categories: Sequence[dict[str, Any]] | None = None,
    areas: Sequence[dict[str, Any]] | None = None,
) -> dict[str, dict[str, int]]:
    """Insert missing and update changed categories and areas; never delete.

    Takes the caller's session and only flushes: the caller owns the transaction, so
    seeding can share one commit with other setup work (or be rolled back in a test).
    `categories` / `areas` default to the reviewed seed files; passing lists is for tests
    and for loaders that add entries of their own.

    Returns ``{"categories": {"inserted": n, "updated": n, "unchanged": n}, "areas": {...}}``.
    """
    cats = load_category_seed() if categories is None else categories
    ars = load_area_seed() if areas is None else areas
    return {
        "categories": _upsert(session, Category, cats, _CATEGORY_FIELDS),
        "areas": _upsert(session, Area, ars, _AREA_FIELDS),
    }
