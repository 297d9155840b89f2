"""What several page routes render alike: the city picker, an ad's facts, the post/manage
form's context, the secret manage link and the headers of pages that carry it.

Page routes never import one another; what two of them share lives here.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import url_for
from werkzeug.wrappers import Response as BaseResponse

from core.models import Ad
from core.taxonomy import Node, Tree
from service.ad_reading import ad_view
from service.clock import now
from service.resources import resources, trees
from service.web import formatting
from service.web.cards import thumbnail
from service.web.forms import CONDITION_LABELS, CURRENCY_LABELS, GENERAL_MESSAGE

AnyResponse = TypeVar("AnyResponse", bound=BaseResponse)  # a page or a redirect, returned as given


def cities(areas: Tree) -> list[tuple[Node, list[Node]]]:
    """Governorates with their cities, for the city picker."""
    return [(gov, [c for c in areas.children(gov.id) if c.kind == "city"])
            for gov in areas.children(None)]


def ad_facts(ad: Ad, categories: Tree, areas: Tree, *, as_listed: bool = False) -> dict[str, Any]:
    """The ad itself as its page shows it (templates/_ad_body.html); the operators' view shares it.

    With `as_listed` the contact name and masked phone are shown whatever the
    status, as they were while the ad was live (operators judge what users saw).
    """
    view = ad_view(ad, categories, areas, owner=as_listed)
    settings = resources().settings
    amount = view["price"]["amount"] if view["price"] else None
    return {
        "ad": view,
        "category_path": [categories.nodes[i] for i in categories.path(ad.category_id)],
        "area_path": [areas.nodes[i] for i in areas.path(ad.area_id)],
        "price": formatting.format_price(amount, ad.currency),
        "converted": formatting.converted_price(amount, ad.currency, settings.syp_per_usd),
        "posted": formatting.format_date(ad.created_at),
        "expires": formatting.format_date(ad.expires_at),
        "age": formatting.age(formatting.parse_iso(ad.created_at), now()),
        "photos": [image for image in view["images"] if thumbnail([image]) == image],
    }


def form_context(values: dict[str, str], errors: dict[str, str], general: str = GENERAL_MESSAGE
                 ) -> dict[str, Any]:
    categories, areas = trees()
    return {"values": values, "errors": errors, "category_groups": category_options(categories),
            "area_groups": area_options(areas), "conditions": CONDITION_LABELS,
            "currencies": CURRENCY_LABELS, "general_error": general if errors else None}


def private(response: AnyResponse) -> AnyResponse:
    """For pages that show or carry a management token."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def manage_link(ref: str, token: str) -> str:
    """The secret link: the token in the fragment, the host from settings (never the Host header)."""
    return f"{resources().settings.public_base_url}{url_for('web.manage_page', ref=ref)}#token={token}"


def category_options(categories: Tree) -> list[tuple[Node, list[Node]]]:
    """Ads go in leaf categories: each top-level category with its leaves."""
    groups = []
    for root in categories.children(None):
        leaves = categories.children(root.id)
        groups.append((root, leaves or [root]))
    return groups


def area_options(areas: Tree) -> list[tuple[Node, list[tuple[Node, int]]]]:
    """Governorates with their cities and, indented, each city's neighbourhoods."""
    groups = []
    for governorate in areas.children(None):
        places: list[tuple[Node, int]] = []
        for city in areas.children(governorate.id):
            places.append((city, 0))
            places.extend((hood, 1) for hood in areas.children(city.id))
        groups.append((governorate, places))
    return groups
