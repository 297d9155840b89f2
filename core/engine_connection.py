"""The engine client's HTTP connection on libcurl (pycurl) instead of urllib3.

Every search the web serves makes one engine round trip whose Python cost is
paid on the same two cores as the engine itself. Sending a captured `_msearch`
of the search mix and reading its ~25 KB answer cost ~0.8 ms of CPU through
urllib3 and http.client (header parsing via the email package, buffered reads)
and ~0.2 ms through libcurl, and the library's connection added its own
decode-to-str on top, which the JSON parser then re-encoded. This connection
hands JSON answers over as bytes (orjson reads them directly) and keeps every
behaviour the client relies on: status errors raise the library's exceptions,
warnings headers become warnings, timeouts are `ConnectionTimeout` (retried on
timeouts, as configured), anything else on the wire is `ConnectionError`. One
difference: the timeout bounds the whole request here, where urllib3 bounded
each read. The engine answers only once it has done the work, so the wait for
the first byte was already nearly all of a request's time.

One libcurl handle per thread (a handle is not thread-safe) and per process (a
forked worker must not share its parent's socket); each handle keeps its
connection alive between requests.
"""

from __future__ import annotations

import io
import logging
import os
import threading
import time
from collections.abc import Collection, Mapping
from typing import Any
from urllib.parse import urlencode

import pycurl
from opensearchpy.connection.base import Connection
from opensearchpy.exceptions import ConnectionError as EngineConnectionError
from opensearchpy.exceptions import ConnectionTimeout

JSON_TYPE = "application/json"
# The loggers the library's `Connection` writes a request's answer to (at DEBUG, and as a trace).
_CLIENT_LOG = logging.getLogger("opensearch")
_TRACE_LOG = logging.getLogger("opensearchpy.trace")


def _answer_for_log(raw: bytes) -> str:
    """An answer as text for the library's request log, decoded only when a log would show it.

    The base class logs answers as text (its urllib3 connection decoded every body); decoding
    each one for a log that is off would spend again what keeping JSON as bytes saves.
    """
    if _CLIENT_LOG.isEnabledFor(logging.DEBUG) or _TRACE_LOG.isEnabledFor(logging.INFO):
        return raw.decode("utf-8", "surrogatepass")
    return ""


class CurlConnection(Connection):
    """An opensearch-py `Connection` (plain HTTP) whose requests go through libcurl."""

    def __init__(self, host: str = "localhost", port: int | None = None, **kwargs: Any) -> None:
        unsupported = sorted(key for key in ("http_auth", "use_ssl", "http_compress", "ssl_context",
                                             "client_cert", "ca_certs") if kwargs.get(key))
        if unsupported or kwargs.get("scheme", "http") != "http":
            raise ValueError(f"CurlConnection serves plain HTTP only, not {unsupported or kwargs['scheme']}")
        super().__init__(host=host, port=port, **kwargs)
        self._local = threading.local()

    def _handle(self) -> pycurl.Curl:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.curl, local.pid = pycurl.Curl(), os.getpid()
        return local.curl

    def _discard_handle(self) -> None:
        curl = getattr(self._local, "curl", None)
        if curl is not None:
            curl.close()
        self._local.pid = None

    def perform_request(self, method: str, url: str, params: Mapping[str, Any] | None = None,
                        body: bytes | None = None, timeout: float | None = None,
                        ignore: Collection[int] = (), headers: Mapping[str, str] | None = None) -> Any:
        url = self.url_prefix + url
        if params:
            url = f"{url}?{urlencode(params)}"
        full_url = self.host + url
        merged = dict(self.headers)  # lower-case names; a request's own headers win
        merged.update((name.lower(), value) for name, value in (headers or {}).items())
        # "Expect:" stops libcurl from waiting for a 100-continue before large bulk bodies.
        request_headers = [f"{name}: {value}" for name, value in merged.items()] + ["Expect:"]
        response_headers: list[bytes] = []
        sink = io.BytesIO()

        curl = self._handle()
        curl.reset()  # forget the previous request's options; the connection stays open
        curl.setopt(pycurl.URL, full_url)
        curl.setopt(pycurl.NOSIGNAL, 1)
        curl.setopt(pycurl.TIMEOUT_MS, int(float(timeout or self.timeout) * 1000))
        curl.setopt(pycurl.HTTPHEADER, request_headers)
        curl.setopt(pycurl.WRITEDATA, sink)
        curl.setopt(pycurl.HEADERFUNCTION, response_headers.append)
        if method == "HEAD":
            curl.setopt(pycurl.NOBODY, 1)
        else:
            curl.setopt(pycurl.CUSTOMREQUEST, method)
            if body is not None:
                curl.setopt(pycurl.POSTFIELDS, body if isinstance(body, bytes) else body.encode("utf-8"))

        start = time.time()
        try:
            curl.perform()
        except pycurl.error as exc:
            self._discard_handle()
            code, message = exc.args if len(exc.args) == 2 else (None, str(exc))
            self.log_request_fail(method, full_url, url, body, time.time() - start, exception=exc)
            if code == pycurl.E_OPERATION_TIMEDOUT:
                raise ConnectionTimeout("TIMEOUT", message, exc) from exc
            raise EngineConnectionError("N/A", message, exc) from exc
        duration = time.time() - start
        status = int(curl.getinfo(pycurl.RESPONSE_CODE))
        content_type = curl.getinfo(pycurl.CONTENT_TYPE) or ""
        raw = sink.getvalue()
        # JSON stays bytes for the serializer (orjson); anything else is text, as before.
        is_json = content_type.split(";")[0].strip() == JSON_TYPE
        data: bytes | str = raw if is_json else raw.decode("utf-8", "surrogatepass")

        self._raise_warnings(warning_values(response_headers))
        if not (200 <= status < 300) and status not in ignore:
            text = raw.decode("utf-8", "surrogatepass")
            self.log_request_fail(method, full_url, url, body, duration, status, text)
            self._raise_error(status, text, content_type or None)
        self.log_request_success(method, full_url, url, body, status, _answer_for_log(raw), duration)
        # The transport reads only the content type of an answer's headers.
        return status, {"content-type": content_type}, data

    def close(self) -> None:
        self._discard_handle()


def warning_values(lines: list[bytes]) -> list[str]:
    """The values of the answer's Warning headers, from libcurl's raw header lines.

    After a redirect or a 100-continue, libcurl reports every response's headers: a
    status line starts the headers of the next response, so only the last one counts."""
    values: list[str] = []
    for line in lines:
        if line.startswith(b"HTTP/"):
            values = []
        elif line[:8].lower() == b"warning:":
            values.append(line[8:].decode("iso-8859-1").strip())
    return values
