"""Generated ad dicts -> `ads` table rows in PostgreSQL COPY text format. Pure.

Sits between the generator (`souq_cli.demo_data.generator`) and the loader (`bench.data_load`):
it computes everything the API would have stored for the ad (slug, token hash,
version 1, expiry, normalised phone, category/area ids) without a database, so
the worker processes of a load can build rows in parallel and the loader only
streams bytes into `COPY ads FROM STDIN`.

Everything is a function of (seed, ad number, now): the same load twice gives
byte-identical rows, whatever the number of worker processes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.ads import SLUG_ALPHABET, SLUG_LENGTH, hash_token
from core.models import AdStatus
from core.text_input import normalise_phone
from souq_cli.demo_data.generator import generate_ads, generate_rows

COLUMNS = (
    "id", "slug", "title", "description", "category_id", "area_id", "lat", "lon", "price_amount",
    "currency", "negotiable", "condition", "contact_name", "contact_phone", "images", "status",
    "created_at", "updated_at", "expires_at", "version", "token_hash",
)
# Ads per unit of work. Fixed (not derived from the worker count) so that the
# data depend only on the seed; 2,000 ads are ~2 MB of COPY text, small enough
# to pass between processes cheaply and large enough to amortise the hand-off.
CHUNK_ADS = 2000
# Odd, so multiplying by it is a bijection modulo 32**10: distinct numbers give
# distinct slugs, and neighbouring ids do not give look-alike slugs.
_SLUG_MULTIPLIER = 0x2545F4914F6CDD1D | 1
_SLUG_SPACE = len(SLUG_ALPHABET) ** SLUG_LENGTH
NULL = "\\N"
_SLUG_PAIRS = [a + b for a in SLUG_ALPHABET for b in SLUG_ALPHABET]  # 32 x 32: ten bits per pair


@dataclass(frozen=True)
class LoadPlan:
    """What every worker needs to turn ad numbers into rows."""

    seed: int
    now: dt.datetime
    lifetime_days: int
    category_ids: Mapping[str, int]
    area_ids: Mapping[str, int]
    categories: Sequence[dict[str, Any]]
    areas: Sequence[dict[str, Any]]


def chunk_seed(seed: int, chunk: int) -> int:
    """An independent generator seed per chunk (hash, so chunk k of seed s != chunk s of seed k)."""
    digest = hashlib.sha256(f"souq-bench:{seed}:{chunk}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def ad_slug(number: int) -> str:
    """A unique 10-character slug in the app's alphabet for ad `number` (0-based).

    The 50-bit value is written as five 10-bit pairs of characters from a table.
    """
    value = (number * _SLUG_MULTIPLIER + 0x1F2E3D4C5B) % _SLUG_SPACE
    pairs = _SLUG_PAIRS
    return (pairs[value >> 40] + pairs[(value >> 30) & 1023] + pairs[(value >> 20) & 1023]
            + pairs[(value >> 10) & 1023] + pairs[value & 1023])


def bench_token(seed: int, number: int) -> str:
    """The management token of a generated ad: derivable from (seed, ad number), not secret.

    A real token is a random secret because it alone proves ownership of a live ad. Bench
    ads live only in the bench database, belong to nobody and are replaced by every load;
    a derivable token lets a benchmark manage any of them through the API, and costs one
    SHA-256 of a short string per ad (`token_hash` must stay `hash_token(token)`, which is
    what the API checks)."""
    return f"souq-bench-token:{seed}:{number}"


def lifecycle(status: str, created: dt.datetime, now: dt.datetime, lifetime: dt.timedelta
              ) -> tuple[dt.datetime, dt.datetime]:
    """(updated_at, expires_at) consistent with the status, as the app would have left them.

    An active ad older than its lifetime was renewed (expiry moved by whole lifetimes,
    so it lies in the future); an expired one ran out (never later than `now`); a
    withdrawn one was taken down halfway between posting and now.
    """
    if status == AdStatus.ACTIVE:
        renewals = (now - created) // lifetime
        expires = created + lifetime * (renewals + 1)
        return expires - lifetime, expires
    if status == AdStatus.EXPIRED:
        return created, min(created + lifetime, now)
    # Whole seconds, as `build_chunk` computes them.
    return created + dt.timedelta(seconds=(now - created) // dt.timedelta(seconds=1) // 2), created + lifetime


def copy_text(value: str) -> str:
    """Text escaped for COPY: backslash, tab, LF and CR (four C scans beat one translate()
    on non-ASCII text, and most values need no escape at all)."""
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if "\t" in value:
        value = value.replace("\t", "\\t")
    if "\n" in value:
        value = value.replace("\n", "\\n")
    if "\r" in value:
        value = value.replace("\r", "\\r")
    return value


def copy_field(value: Any) -> str:
    """One value in COPY text format: NULL as \\N, escapes for backslash, tab, CR and LF."""
    if value is None:
        return NULL
    if isinstance(value, str):
        return copy_text(value)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def copy_line(values: Sequence[Any]) -> str:
    return "\t".join([copy_field(v) for v in values]) + "\n"


def images_json(images: Sequence[str]) -> str:
    """The images column as JSON; generated paths need no escaping, so skip the encoder."""
    if not images:
        return "[]"
    if any('"' in p or "\\" in p or not p.isascii() for p in images):
        return json.dumps(list(images), ensure_ascii=False)
    return '["' + '", "'.join(images) + '"]'


def ad_row(ad: dict[str, Any], number: int, plan: LoadPlan) -> tuple[Any, ...]:
    """The `ads` row (in COLUMNS order) for generated ad `number`; its id is number + 1."""
    created = ad["created_at"]
    updated, expires = lifecycle(ad["status"], created, plan.now, dt.timedelta(days=plan.lifetime_days))
    return (
        number + 1, ad_slug(number), ad["title"], ad["description"],
        plan.category_ids[ad["category"]], plan.area_ids[ad["area"]], ad["lat"], ad["lon"],
        ad["price"], ad["currency"], ad["negotiable"], ad["condition"], ad["contact_name"],
        normalise_phone(ad["contact_phone"]), images_json(ad["images"]),
        ad["status"], created, updated, expires, 1, hash_token(bench_token(plan.seed, number)),
    )


def ad_copy_line(ad: dict[str, Any], number: int, plan: LoadPlan) -> str:
    """`copy_line(ad_row(...))` written out field by field: the same text, about twice as fast.

    Only fields that can hold arbitrary text are escaped; the others are numbers,
    slugs, fixed words, timestamps and hashes. A unit test keeps the two equal.
    """
    created = ad["created_at"]
    updated, expires = lifecycle(ad["status"], created, plan.now, dt.timedelta(days=plan.lifetime_days))
    lat, lon, price, condition = ad["lat"], ad["lon"], ad["price"], ad["condition"]
    return (
        f"{number + 1}\t{ad_slug(number)}\t{copy_text(ad['title'])}\t{copy_text(ad['description'])}\t"
        f"{plan.category_ids[ad['category']]}\t{plan.area_ids[ad['area']]}\t"
        f"{NULL if lat is None else lat}\t{NULL if lon is None else lon}\t{NULL if price is None else price}\t"
        f"{ad['currency']}\t{'t' if ad['negotiable'] else 'f'}\t{NULL if condition is None else condition}\t"
        f"{copy_text(ad['contact_name'])}\t{copy_text(normalise_phone(ad['contact_phone']) or NULL)}\t"
        f"{copy_text(images_json(ad['images']))}\t{ad['status']}\t{created.isoformat()}\t"
        f"{updated.isoformat()}\t{expires.isoformat()}\t1\t{hash_token(bench_token(plan.seed, number))}\n"
    )


def chunk_ads(plan: LoadPlan, chunk: int, total: int) -> list[dict[str, Any]]:
    """The generated ads of chunk `chunk` of a load of `total` ads (as dicts; `build_chunk`
    writes the same ads straight to COPY text)."""
    size = min(CHUNK_ADS, total - chunk * CHUNK_ADS)
    return list(generate_ads(size, chunk_seed(plan.seed, chunk), plan.categories, plan.areas, load_now(plan)))


def load_now(plan: LoadPlan) -> dt.datetime:
    """`plan.now` in UTC, whole seconds: the rows' timestamps are computed in integer seconds."""
    return plan.now.astimezone(dt.UTC).replace(microsecond=0)


_CLOCK: list[str] = []


def _clock() -> list[str]:
    """"THH:MM:SS+00:00" for every second of a day, made once per process: a timestamp is
    then two lookups and a concatenation instead of a datetime and its isoformat()."""
    if not _CLOCK:
        _CLOCK.extend(f"T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00:00" for s in range(86400))
    return _CLOCK


def build_chunk(plan: LoadPlan, chunk: int, total: int) -> tuple[bytes, Counter[str]]:
    """COPY text (UTF-8) of one chunk, and its status counts (for the load summary).

    The lines equal `ad_copy_line(ad, number, plan)` for the ads of `chunk_ads` (a unit test
    holds them equal), written from the generator's tuples with integer-second arithmetic:
    no dict, no datetime, no phone parsing, one hash per ad.
    """
    first = chunk * CHUNK_ADS
    size = min(CHUNK_ADS, total - first)
    now = load_now(plan)
    now_s = int(now.timestamp())
    life = plan.lifetime_days * 86400
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    days = {d: (epoch + dt.timedelta(days=d)).date().isoformat()
            for d in range((now_s - 91 * 86400) // 86400, (now_s + life) // 86400 + 2)}
    clock = _clock()
    category_ids, area_ids = plan.category_ids, plan.area_ids
    prefix = f"souq-bench-token:{plan.seed}:".encode()
    sha256 = hashlib.sha256
    counts = {s.value: 0 for s in (AdStatus.ACTIVE, AdStatus.EXPIRED, AdStatus.WITHDRAWN)}
    lines = []
    number = first
    for (title, description, kit, area, lat, lon, price, currency, negotiable, condition, contact_name,
         _, phone, images, age, status) in generate_rows(size, chunk_seed(plan.seed, chunk), plan.categories,
                                                         plan.areas):
        created = now_s - age
        if status == AdStatus.ACTIVE:
            expires = created + life * ((now_s - created) // life + 1)
            updated = expires - life
        elif status == AdStatus.EXPIRED:
            updated, expires = created, min(created + life, now_s)
        else:
            updated, expires = created + (now_s - created) // 2, created + life
        counts[status] += 1
        number += 1
        lines.append(
            f"{number}\t{ad_slug(number - 1)}\t{copy_text(title)}\t{copy_text(description)}\t"
            f"{category_ids[kit.slug]}\t{area_ids[area['slug']]}\t"
            f"{NULL if lat is None else lat}\t{NULL if lon is None else lon}\t{NULL if price is None else price}\t"
            f"{currency}\t{'t' if negotiable else 'f'}\t{NULL if condition is None else condition}\t"
            f"{contact_name}\t{phone}\t{images[1]}\t{status}\t"
            f"{days[created // 86400]}{clock[created % 86400]}\t{days[updated // 86400]}{clock[updated % 86400]}\t"
            f"{days[expires // 86400]}{clock[expires % 86400]}\t1\t"
            f"{sha256(prefix + b'%d' % (number - 1)).hexdigest()}\n"
        )
    return "".join(lines).encode("utf-8"), Counter({k: v for k, v in counts.items() if v})


def chunk_count(total: int) -> int:
    return -(-total // CHUNK_ADS)
