"""POST /ads/{ref}/contact: the full phone, on request only and rate limited.

Search results and the ad page show a masked number; revealing it is a
deliberate act so scrapers have to pay the rate limit for every number.
"""

from __future__ import annotations

from flask import Response, jsonify

from core.models import AdStatus
from service.ad_reading import find_ad
from service.api import api
from service.errors import ApiError
from service.rate_limits import per_client


@api.post("/ads/<ref>/contact")
@per_client("rate_limit_contact")
def reveal_contact(ref: str) -> Response:
    """Only a live ad gives out its phone: once withdrawn or expired, the poster is left alone."""
    ad = find_ad(ref)
    if ad.status != AdStatus.ACTIVE:
        raise ApiError(409, "not_active", f"the ad is {ad.status}", {"status": f"the ad is {ad.status}"})
    response = jsonify({"id": ad.id, "contact_name": ad.contact_name, "contact_phone": ad.contact_phone})
    response.headers["Cache-Control"] = "no-store"
    return response
