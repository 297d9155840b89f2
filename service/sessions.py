"""Cookie sessions only where they are used: the web pages (their CSRF secret).

Flask opens the signed cookie session on every request, which builds a signing
serializer each time: a sixth of a millisecond of Python per request, paid by
every search through the JSON API, which never reads or writes a session. API
requests get Flask's null session instead (any write to it fails loudly).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSessionInterface

API_PREFIX = "/api/"


class PagesOnlySessions(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> Any:
        if request.path.startswith(API_PREFIX):
            return None  # Flask then uses its null session
        return super().open_session(app, request)


def use_pages_only_sessions(app: Flask) -> None:
    app.session_interface = PagesOnlySessions()
