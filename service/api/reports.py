"""POST /ads/{ref}/reports: anyone may flag an ad for the moderators (rate limited)."""

from __future__ import annotations

from flask import Response, jsonify

from core.ad_input import ReportCreate
from core.ads import report_ad
from service.ad_reading import find_ad
from service.api import api
from service.api.wire import json_body, report_view
from service.clock import now
from service.rate_limits import per_client
from service.resources import db


@api.post("/ads/<ref>/reports")
@per_client("rate_limit_report")
def post_report(ref: str) -> Response:
    """Reports change nothing about the ad (no version bump): moderators decide."""
    ad = find_ad(ref)
    data = ReportCreate.model_validate(json_body())
    report = report_ad(db(), ad, data, now())
    body = report_view(report)
    db().commit()
    response = jsonify(body)
    response.status_code = 201
    return response
