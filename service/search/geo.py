"""Geography for search: distances on hits and the map-cluster request. Pure."""

from __future__ import annotations

import math
from typing import Any

from search_config import fields as F

EARTH_RADIUS_KM = 6371.0088  # mean radius, as OpenSearch's arc distance uses
MAX_ZOOM = 22
# Grid cells a little smaller than the map tiles at `zoom`, so a screen shows
# a few dozen clusters rather than one per tile; capped at geotile's maximum.
ZOOM_TO_PRECISION = 3
MAX_PRECISION = 29
MAX_CLUSTERS = 2000


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def hit_distance_km(source: dict[str, Any], point: tuple[float, float]) -> float | None:
    location = source.get(F.LOCATION)
    if not isinstance(location, dict) or "lat" not in location:
        return None
    return round(haversine_km(point[0], point[1], location["lat"], location["lon"]), 3)


def clusters_aggs(zoom: int, bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    west, south, east, north = bbox
    return {"cells": {
        "geotile_grid": {"field": F.LOCATION, "precision": min(zoom + ZOOM_TO_PRECISION, MAX_PRECISION),
                         "size": MAX_CLUSTERS,
                         "bounds": {"top_left": {"lat": north, "lon": west},
                                    "bottom_right": {"lat": south, "lon": east}}},
        "aggs": {"centroid": {"geo_centroid": {"field": F.LOCATION}}},
    }}


def tile_bounds(key: str) -> dict[str, float]:
    """The west/south/east/north of geotile `z/x/y` (web-mercator tiles)."""
    z, x, y = (int(part) for part in key.split("/"))
    n = 2 ** z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return {"west": x / n * 360 - 180, "south": lat(y + 1), "east": (x + 1) / n * 360 - 180,
            "north": lat(y)}


def read_clusters(aggs: dict[str, Any]) -> list[dict[str, Any]]:
    clusters = []
    for bucket in aggs["cells"]["buckets"]:
        centroid = bucket["centroid"].get("location") or {}
        clusters.append({"key": bucket["key"], "count": bucket["doc_count"],
                         "lat": centroid.get("lat"), "lon": centroid.get("lon"),
                         "bounds": tile_bounds(bucket["key"])})
    return clusters
