"""Bench rows: deterministic, valid as API input, and correctly written in COPY text format."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from bench import ad_rows
from core.ad_input import AdCreate
from core.ads import SLUG_ALPHABET, hash_token
from core.seeding import load_area_seed, load_category_seed
from core.text_input import normalise_phone

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
LIFETIME = dt.timedelta(days=30)


def parse_copy_line(line: str) -> list[str | None]:
    """The inverse of COPY text format, written independently of the code under test."""
    assert line.endswith("\n") and "\n" not in line[:-1] and "\r" not in line
    fields: list[str | None] = []
    for raw in line[:-1].split("\t"):
        if raw == "\\N":
            fields.append(None)
            continue
        out, i = [], 0
        while i < len(raw):
            if raw[i] == "\\":
                out.append({"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}[raw[i + 1]])
                i += 2
            else:
                out.append(raw[i])
                i += 1
        fields.append("".join(out))
    return fields


@pytest.fixture(scope="module")
def plan() -> ad_rows.LoadPlan:
    categories, areas = load_category_seed(), load_area_seed()
    return ad_rows.LoadPlan(
        seed=5, now=NOW, lifetime_days=30,
        category_ids={c["slug"]: i + 1 for i, c in enumerate(categories)},
        area_ids={a["slug"]: i + 100 for i, a in enumerate(areas)},
        categories=categories, areas=areas,
    )


@pytest.fixture(scope="module")
def chunk(plan: ad_rows.LoadPlan) -> tuple[list[dict], bytes]:
    total = ad_rows.CHUNK_ADS + 500
    ads = ad_rows.chunk_ads(plan, 1, total)
    data, _ = ad_rows.build_chunk(plan, 1, total)
    return ads, data


def test_chunks_are_deterministic_and_independent(plan: ad_rows.LoadPlan) -> None:
    first = ad_rows.build_chunk(plan, 0, 300)
    assert first == ad_rows.build_chunk(plan, 0, 300)
    assert first[0] != ad_rows.build_chunk(plan, 1, ad_rows.CHUNK_ADS + 300)[0]
    assert ad_rows.chunk_seed(1, 2) != ad_rows.chunk_seed(2, 1)
    assert ad_rows.chunk_count(0) == 0 and ad_rows.chunk_count(1) == 1
    assert ad_rows.chunk_count(2 * ad_rows.CHUNK_ADS + 1) == 3


def test_last_chunk_is_short(chunk: tuple[list[dict], bytes]) -> None:
    ads, data = chunk
    assert len(ads) == 500 and data.decode().count("\n") == 500


def test_every_generated_ad_passes_the_api_validation(chunk: tuple[list[dict], bytes]) -> None:
    ads, _ = chunk
    for ad in ads:
        fields = {k: ad[k] for k in ("title", "description", "category", "area", "lat", "lon", "price",
                                      "currency", "negotiable", "condition", "contact_name",
                                      "contact_phone", "images")}
        valid = AdCreate.model_validate(fields)
        # Stored as generated: the text is already what validation would have kept.
        assert valid.title == ad["title"]
        assert valid.description == ad["description"]
        assert valid.contact_phone == normalise_phone(ad["contact_phone"])


def test_rows_hold_what_the_app_would_have_stored(plan: ad_rows.LoadPlan,
                                                  chunk: tuple[list[dict], bytes]) -> None:
    ads, data = chunk
    lines = data.decode("utf-8").splitlines(keepends=True)
    first_number = ad_rows.CHUNK_ADS
    for offset, (ad, line) in enumerate(zip(ads, lines, strict=True)):
        row = dict(zip(ad_rows.COLUMNS, parse_copy_line(line), strict=True))
        text = {column: value for column, value in row.items() if value is not None}  # NULLs left out
        number = first_number + offset
        assert row["id"] == str(number + 1)
        assert row["title"] == ad["title"] and row["description"] == ad["description"]
        assert int(text["category_id"]) == plan.category_ids[ad["category"]]
        assert int(text["area_id"]) == plan.area_ids[ad["area"]]
        assert row["price_amount"] == ad["price"] and row["currency"] == ad["currency"]
        assert row["negotiable"] == ("t" if ad["negotiable"] else "f")
        assert json.loads(text["images"]) == ad["images"]
        assert row["version"] == "1"
        assert row["token_hash"] == hash_token(ad_rows.bench_token(plan.seed, number))
        assert len(text["slug"]) == 10 and set(text["slug"]) <= set(SLUG_ALPHABET)
        expires = dt.datetime.fromisoformat(text["expires_at"])
        created = dt.datetime.fromisoformat(text["created_at"])
        if row["status"] in ("active", "expired"):  # a withdrawn ad keeps whatever expiry it had
            assert (expires > NOW) == (row["status"] == "active")
        assert created <= dt.datetime.fromisoformat(text["updated_at"]) <= NOW
    statuses = Counter(ad["status"] for ad in ads)
    assert statuses["withdrawn"] and statuses["expired"] and statuses["active"] > 0.7 * len(ads)


def test_slugs_are_unique_and_stable() -> None:
    slugs = [ad_rows.ad_slug(n) for n in range(50_000)]
    assert len(set(slugs)) == len(slugs)
    assert ad_rows.ad_slug(7) == ad_rows.ad_slug(7)


@pytest.mark.parametrize(("value", "expected"), [
    (None, "\\N"),
    ("سطر\tعمود", "سطر\\tعمود"),
    ("أول\nثاني\r\n", "أول\\nثاني\\r\\n"),
    ("C:\\path\\N", "C:\\\\path\\\\N"),
    ("\\N", "\\\\N"),  # the text "\N" is not NULL
    (True, "t"), (False, "f"), (3, "3"), (33.5, "33.5"), ("", ""),
    (dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC), "2026-01-02T03:04:05+00:00"),
])
def test_copy_field_escapes(value: object, expected: str) -> None:
    assert ad_rows.copy_field(value) == expected


def test_copy_line_round_trips_hostile_text() -> None:
    values = ["a\tb", "x\\ny", None, "سطر\nآخر\\", "\r"]
    assert parse_copy_line(ad_rows.copy_line(values)) == values


def test_images_json_matches_the_encoder() -> None:
    for images in ([], ["demo/cars-1.jpg"], ["demo/a-1.jpg", "demo/a-3.jpg"], ['we"ird\\.jpg', "صورة.jpg"]):
        assert json.loads(ad_rows.images_json(images)) == images


def test_lifecycle_matches_the_status() -> None:
    young = NOW - dt.timedelta(days=3)
    old = NOW - dt.timedelta(days=75)
    updated, expires = ad_rows.lifecycle("active", old, NOW, LIFETIME)
    assert expires > NOW and expires - updated == LIFETIME and updated >= old
    assert ad_rows.lifecycle("active", young, NOW, LIFETIME) == (young, young + LIFETIME)
    assert ad_rows.lifecycle("expired", old, NOW, LIFETIME)[1] == old + LIFETIME
    assert ad_rows.lifecycle("expired", young, NOW, LIFETIME)[1] <= NOW
    updated, _ = ad_rows.lifecycle("withdrawn", old, NOW, LIFETIME)
    assert old < updated < NOW


def test_the_fast_line_writer_equals_the_generic_one(plan: ad_rows.LoadPlan,
                                                     chunk: tuple[list[dict], bytes]) -> None:
    ads, _ = chunk
    for offset, ad in enumerate(ads[:300]):
        number = ad_rows.CHUNK_ADS + offset
        assert ad_rows.ad_copy_line(ad, number, plan) == ad_rows.copy_line(ad_rows.ad_row(ad, number, plan))
    hostile = {**ads[0], "title": "a\tb\\c", "description": "x\r\ny\\N", "contact_name": "n\tm"}
    assert ad_rows.ad_copy_line(hostile, 0, plan) == ad_rows.copy_line(ad_rows.ad_row(hostile, 0, plan))


def test_the_chunk_writer_equals_the_line_writer_on_the_same_ads(plan: ad_rows.LoadPlan,
                                                                 chunk: tuple[list[dict], bytes]) -> None:
    """`build_chunk` writes rows from the generator's tuples (integer seconds, stored phone,
    one hash); it must give exactly what `ad_copy_line` gives for the dicts of the same ads."""
    ads, data = chunk
    lines = data.decode("utf-8").splitlines(keepends=True)
    for offset, (ad, line) in enumerate(zip(ads, lines, strict=True)):
        assert line == ad_rows.ad_copy_line(ad, ad_rows.CHUNK_ADS + offset, plan)
