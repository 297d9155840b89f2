"""Ads API: post without an account, manage with the one-time token.

Every write commits the ad and its outbox row together, then kicks the relay
(best effort). Nothing here talks to OpenSearch.
"""

from __future__ import annotations

from flask import Response, request

from core.ad_input import AdCreate, AdUpdate
from core.ads import (
    DuplicateAd,
    StateConflict,
    UnknownReference,
    create_ad,
    renew_ad,
    token_matches,
    update_ad,
    withdraw_ad,
)
from core.models import Ad
from service.ad_reading import find_ad
from service.api import api
from service.api.wire import TOKEN_HEADER, commit_and_kick, conflict_error, json_body, render
from service.clock import now
from service.errors import ApiError
from service.posting_limits import phone_limit_breach, posting_prefix_limit
from service.rate_limits import per_client
from service.resources import db, resources


def owned_ad(ref: str) -> Ad:
    """The ad, if the request carries its management token: 401 without, 403 wrong."""
    token = request.headers.get(TOKEN_HEADER, "")
    if not token:
        raise ApiError(401, "token_required", f"send the management token in the {TOKEN_HEADER} header")
    ad = find_ad(ref, include_hidden=True, by_id=True)
    if not token_matches(ad, token):
        raise ApiError(403, "wrong_token", "this token does not manage this ad")
    return ad



def reference_error(exc: UnknownReference) -> ApiError:
    return ApiError(422, "invalid", str(exc), {exc.field: str(exc)})



DUPLICATE_TEXT = ("this phone number already has an ad with this title and description online: "
                  "change that ad (with its management link) instead of posting it again")
DUPLICATE_TEXT_AR = "لديك إعلان منشور بهذا الرقم وبالعنوان والوصف نفسيهما. عدّل إعلانك السابق بدلاً من نشره مرة أخرى."


def duplicate_error() -> ApiError:
    """409 naming the fields, in English and Arabic; never the other ad's ref.

    The poster proved nothing about owning the other ad (a phone number is
    public on every ad), so the answer must not lead to it.
    """
    message = f"{DUPLICATE_TEXT} / {DUPLICATE_TEXT_AR}"
    return ApiError(409, "duplicate", message,
                    {name: "same as a live ad with this phone" for name in ("contact_phone", "title", "description")})


@api.post("/ads")
@posting_prefix_limit
@per_client("rate_limit_create")
def post_ad() -> Response:
    """Anyone may post, no account: the answer carries the one-time management token."""
    data = AdCreate.model_validate(json_body())
    settings = resources().settings
    wait = phone_limit_breach(data.contact_phone)
    if wait is not None:
        raise ApiError(429, "too_many_requests", "too many ads from this phone number, retry later",
                       {"contact_phone": "too many ads from this phone number"}, {"Retry-After": str(wait)})
    try:
        created = create_ad(db(), data, now(), settings.ad_lifetime_days, settings.duplicate_check_enabled)
    except UnknownReference as exc:
        raise reference_error(exc) from exc
    except DuplicateAd as exc:
        db().rollback()  # ends the transaction, and with it the phone's lock
        raise duplicate_error() from exc
    commit_and_kick()
    manage_url = f"{settings.public_base_url}/manage/{created.ad.slug}#token={created.token}"
    response = render(created.ad, 201, owner=True, management_token=created.token, manage_url=manage_url)
    response.headers["Location"] = f"/api/v1/ads/{created.ad.slug}"
    response.headers["Cache-Control"] = "no-store"
    return response


@api.get("/ads/<ref>")
@per_client("rate_limit_read")
def get_ad(ref: str) -> Response:
    return render(find_ad(ref))


@api.patch("/ads/<ref>")
def patch_ad(ref: str) -> Response:
    """Ownership first: without the right token, not even the body is looked at."""
    ad = owned_ad(ref)
    data = AdUpdate.model_validate(json_body())
    try:
        update_ad(db(), ad, data, now())
    except UnknownReference as exc:
        raise reference_error(exc) from exc
    commit_and_kick()
    return render(ad, owner=True)


@api.delete("/ads/<ref>")
def delete_ad(ref: str) -> Response:
    ad = owned_ad(ref)
    version = ad.version
    withdraw_ad(db(), ad, now())
    if ad.version != version:
        commit_and_kick()
    return render(ad, owner=True)


@api.post("/ads/<ref>/renew")
def renew(ref: str) -> Response:
    ad = owned_ad(ref)
    try:
        renew_ad(db(), ad, now(), resources().settings.ad_lifetime_days)
    except StateConflict as exc:
        raise conflict_error(exc) from exc
    commit_and_kick()
    return render(ad, owner=True)
