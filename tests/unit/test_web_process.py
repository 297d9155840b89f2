"""What the web server's worker process sets up beyond the app: query arguments that are
cheap when absent, and the garbage collector tuned for request-shaped allocation."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from werkzeug.exceptions import BadRequestKeyError

from core.config import Settings
from service.app import GC_THRESHOLDS, create_app
from service.query_args import QueryArgs

REPO = Path(__file__).resolve().parents[2]
# No secret has a working default: every app here is given random ones.
SECRETS = {"secret_key": secrets.token_urlsafe(32), "operator_tokens": f"ops:{secrets.token_urlsafe(24)}"}


def test_absent_arguments_give_the_default_and_present_ones_werkzeugs_answer() -> None:
    args = QueryArgs([("q", "شقة"), ("size", "20"), ("size", "30"), ("page", "x")])
    assert args.get("missing") is None
    assert args.get("missing", "d") == "d"
    assert args.get("q") == "شقة"
    assert args.get("size") == "20"  # the first of several, as before
    assert args.getlist("size") == ["20", "30"]
    assert args.get("size", type=int) == 20
    assert args.get("page", 1, type=int) == 1  # a failed conversion gives the default
    try:
        args["missing"]
    except BadRequestKeyError:
        pass
    else:
        raise AssertionError("indexing an absent name still raises, as in werkzeug")


def test_the_app_parses_requests_into_query_args() -> None:
    app = create_app(Settings(**SECRETS))
    with app.test_request_context("/api/v1/search?q=x&q=y"):
        from flask import request
        assert isinstance(request.args, QueryArgs)
        assert request.args.getlist("q") == ["x", "y"]


def test_the_server_entry_point_freezes_startup_objects_and_raises_the_thresholds() -> None:
    """Run in a fresh interpreter: the tuning is for server workers, not this test process."""
    code = ("import gc, json; from service.app import create_app_from_env; before = gc.get_threshold();"
            "create_app_from_env(); print(json.dumps([before, gc.get_threshold(), gc.get_freeze_count()]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                         timeout=120, env={**os.environ, **Settings(**SECRETS).to_env()}).stdout
    before, after, frozen = json.loads(out.strip().splitlines()[-1])
    assert tuple(after) == GC_THRESHOLDS != tuple(before)
    assert frozen > 10_000  # the app, its libraries and their modules


def _seen_address(hops: int, forwarded: str | None) -> str | None:
    """The client address a view sees for a request from 127.0.0.1 carrying `forwarded`."""
    app = create_app(Settings(trusted_proxy_hops=hops, rate_limits_enabled=False, **SECRETS))
    seen: dict[str, str | None] = {}

    @app.get("/_who")
    def who() -> str:
        from flask import request
        seen["addr"] = request.remote_addr
        return "ok"

    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    app.test_client().get("/_who", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    return seen["addr"]


def test_forwarded_for_is_ignored_unless_a_proxy_hop_is_trusted() -> None:
    assert _seen_address(0, "203.0.113.9") == "127.0.0.1"  # direct: any client could send it
    assert _seen_address(1, "203.0.113.9") == "203.0.113.9"  # what our nginx wrote
    # A client-sent entry sits before the one the proxy adds; only the proxy's is believed.
    assert _seen_address(1, "198.51.100.1, 203.0.113.9") == "203.0.113.9"
    assert _seen_address(1, None) == "127.0.0.1"


def test_trusted_proxy_hops_come_from_the_environment_and_cannot_be_negative() -> None:
    assert Settings.from_env({"SOUQ_TRUSTED_PROXY_HOPS": "1"}).trusted_proxy_hops == 1
    assert Settings().trusted_proxy_hops == 0
    try:
        Settings.from_env({"SOUQ_TRUSTED_PROXY_HOPS": "-1"})
    except ValueError as exc:
        assert "SOUQ_TRUSTED_PROXY_HOPS" in str(exc)
    else:
        raise AssertionError("a negative hop count is refused")
