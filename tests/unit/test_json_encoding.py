"""orjson on both JSON paths of a search: what clients and the engine see does not change."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from opensearchpy.exceptions import SerializationError
from opensearchpy.serializer import JSONSerializer

from core.opensearch import EngineJson
from service.json_responses import OrjsonProvider


def engine_dumps(data: object) -> str:
    """EngineJson.dumps is typed `object` (the client's serializer protocol); a body is always text."""
    encoded = EngineJson().dumps(data)
    assert isinstance(encoded, str)
    return encoded


@dataclasses.dataclass
class Point:
    lat: float
    lon: float


SAMPLE = {
    "title": "سيارة <mark>كيا</mark> ريو ٢٠١٥",
    "price": Decimal("1500.50"),
    "when": dt.datetime(2026, 11, 29, 12, 30, tzinfo=dt.UTC),
    "day": dt.date(2026, 11, 29),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "point": Point(33.5, 36.3),
    "counts": {3: 10, 1: 2},
    "z": [1, 2.5, None, True],
    "a": "first key",
}


@pytest.fixture()
def app() -> Flask:
    return Flask(__name__)


def test_responses_decode_to_what_flask_wrote(app: Flask) -> None:
    ours, flask_default = OrjsonProvider(app), DefaultJSONProvider(app)
    flask_default.ensure_ascii = False
    assert json.loads(ours.dumps(SAMPLE)) == json.loads(flask_default.dumps(SAMPLE))
    compact = json.dumps(json.loads(flask_default.dumps(SAMPLE)), ensure_ascii=False, sort_keys=True,
                         separators=(",", ":"))
    assert ours.dumps(SAMPLE) == compact  # same text, byte for byte, once Flask's spaces are gone


def test_response_keeps_sorted_keys_utf8_and_trailing_newline(app: Flask) -> None:
    with app.app_context():
        response = OrjsonProvider(app).response({"b": "سوق", "a": 1})
    assert response.mimetype == "application/json"
    assert response.get_data() == '{"a":1,"b":"سوق"}\n'.encode()


def test_what_orjson_refuses_still_encodes(app: Flask) -> None:
    huge = {"n": 2**70}
    assert json.loads(OrjsonProvider(app).dumps(huge)) == huge
    assert json.loads(engine_dumps(huge)) == huge


def test_engine_bodies_equal_the_client_default() -> None:
    body = {"query": {"match": {"title": "سيارة"}}, "origin": SAMPLE["when"], "price": Decimal("2.5"),
            "day": SAMPLE["day"], "id": SAMPLE["id"]}
    assert json.loads(engine_dumps(body)) == json.loads(JSONSerializer().dumps(body))
    assert EngineJson().dumps("already a string") == "already a string"
    assert EngineJson().loads('{"hits": {"total": {"value": 3}}}') == {"hits": {"total": {"value": 3}}}


def test_engine_answer_that_is_not_json_raises_the_client_error() -> None:
    with pytest.raises(SerializationError):
        EngineJson().loads("<html>bad gateway</html>")
