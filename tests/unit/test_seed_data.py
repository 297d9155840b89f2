"""The reviewed seed trees are well formed, and seeding them is an idempotent upsert."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from core.models.taxonomy import Area, Category
from core.seeding import load_area_seed, load_category_seed, seed_taxonomy

ARABIC = re.compile(r"[\u0621-\u064a]")
SYRIA_LAT, SYRIA_LON = (32.3, 37.4), (35.6, 42.4)
GOVERNORATES_AR = {
    "دمشق", "ريف دمشق", "حلب", "حمص", "حماة", "اللاذقية", "طرطوس", "إدلب", "دير الزور", "الرقة",
    "الحسكة", "درعا", "السويداء", "القنيطرة",
}


@pytest.fixture(scope="module")
def categories():
    return load_category_seed()


@pytest.fixture(scope="module")
def areas():
    return load_area_seed()


def _check_tree(entries):
    seen = set()
    for entry in entries:
        assert entry["slug"] not in seen, f"duplicate slug {entry['slug']}"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry["slug"]), entry["slug"]
        assert entry["parent"] is None or entry["parent"] in seen, f"{entry['slug']}: parent missing or listed later"
        assert ARABIC.search(entry["name_ar"]) and entry["name_en"].strip()
        seen.add(entry["slug"])


def test_category_tree_is_two_levels_with_parents_first(categories):
    _check_tree(categories)
    top = [c for c in categories if c["parent"] is None]
    children = [c for c in categories if c["parent"] is not None]
    assert 10 <= len(top) <= 16 and len(children) >= 50
    top_slugs = {c["slug"] for c in top}
    assert all(c["parent"] in top_slugs for c in children), "only two levels"
    assert all(any(c["parent"] == t for c in children) for t in top_slugs), "every top level has children"
    for parent in [None, *top_slugs]:
        positions = [c["position"] for c in categories if c["parent"] == parent]
        assert len(positions) == len(set(positions)), f"positions repeat under {parent}"


def test_area_tree_shape(areas):
    _check_tree(areas)
    by_slug = {a["slug"]: a for a in areas}
    expected_parent_kind = {"governorate": None, "city": "governorate", "neighbourhood": "city"}
    for a in areas:
        parent = by_slug.get(a["parent"]) if a["parent"] else None
        assert (parent["kind"] if parent else None) == expected_parent_kind[a["kind"]], a["slug"]


def test_all_fourteen_governorates_each_with_cities(areas):
    governorates = [a for a in areas if a["kind"] == "governorate"]
    assert {g["name_ar"] for g in governorates} == GOVERNORATES_AR
    for g in governorates:
        cities = [a for a in areas if a["parent"] == g["slug"] and a["kind"] == "city"]
        # Damascus governorate is the city itself; its detail is in neighbourhoods.
        assert len(cities) >= (1 if g["slug"] == "damascus" else 3), f"{g['slug']} has {len(cities)} cities"
    for city in ("damascus-city", "aleppo-city", "homs-city", "latakia-city"):
        assert sum(a["parent"] == city for a in areas) >= 4, f"{city} needs neighbourhoods"


def test_area_coordinates_population_and_alt_names(areas):
    for a in areas:
        assert SYRIA_LAT[0] <= a["lat"] <= SYRIA_LAT[1] and SYRIA_LON[0] <= a["lon"] <= SYRIA_LON[1], a["slug"]
        assert round(a["lat"], 4) == a["lat"] and round(a["lon"], 4) == a["lon"]
        assert isinstance(a["population"], int) and a["population"] > 0
        alts = a["alt_names"]
        assert isinstance(alts, list) and all(isinstance(n, str) and n.strip() for n in alts)
        assert len(alts) == len(set(alts)) and a["name_ar"] not in alts, a["slug"]
    by_slug = {a["slug"]: a for a in areas}
    assert "ديرالزور" in by_slug["deir-ez-zor"]["alt_names"]
    assert {"اللاذقيه", "لاذقية", "Lattakia"} <= set(by_slug["latakia"]["alt_names"])


# ----------------------------------------------------------------- seeding (SQLite, no services)
@pytest.fixture()
def session():
    database = create_engine("sqlite://")
    tables = Category.metadata.tables
    Category.metadata.create_all(database, tables=[tables[Category.__tablename__], tables[Area.__tablename__]])
    with Session(database) as s:
        yield s
    database.dispose()


def test_seed_inserts_everything_with_parent_ids(session, categories, areas):
    counts = seed_taxonomy(session)
    assert counts["categories"] == {"inserted": len(categories), "updated": 0, "unchanged": 0}
    assert counts["areas"] == {"inserted": len(areas), "updated": 0, "unchanged": 0}
    mezzeh = session.scalars(select(Area).where(Area.slug == "mezzeh")).one()
    city = session.get(Area, mezzeh.parent_id)
    assert city.slug == "damascus-city" and session.get(Area, city.parent_id).slug == "damascus"
    assert "المزه" in mezzeh.alt_names
    cars = session.scalars(select(Category).where(Category.slug == "cars")).one()
    assert session.get(Category, cars.parent_id).slug == "vehicles"


def test_seed_is_idempotent_updates_changes_and_never_deletes(session, categories, areas):
    seed_taxonomy(session)
    again = seed_taxonomy(session)
    assert again["categories"] == {"inserted": 0, "updated": 0, "unchanged": len(categories)}
    assert again["areas"] == {"inserted": 0, "updated": 0, "unchanged": len(areas)}

    edited = [dict(c) for c in categories if c["slug"] != "books"]  # one entry dropped from the file
    cars = next(c for c in edited if c["slug"] == "cars")
    cars["name_ar"] = "سيارات للبيع"
    cars["parent"] = None
    counts = seed_taxonomy(session, categories=edited, areas=areas)
    assert counts["categories"]["updated"] == 1 and counts["categories"]["inserted"] == 0
    row = session.scalars(select(Category).where(Category.slug == "cars")).one()
    assert row.name_ar == "سيارات للبيع" and row.parent_id is None
    assert session.scalars(select(Category).where(Category.slug == "books")).one_or_none() is not None


def test_seed_rejects_unknown_parent_and_duplicates(session):
    with pytest.raises(ValueError, match="unknown parent"):
        seed_taxonomy(session, categories=[{"slug": "x", "parent": "nope", "name_ar": "س", "name_en": "X",
                                            "position": 1}], areas=[])
    session.rollback()
    dup = {"slug": "y", "parent": None, "name_ar": "ص", "name_en": "Y", "position": 1}
    with pytest.raises(ValueError, match="duplicate"):
        seed_taxonomy(session, categories=[dup, dup], areas=[])
