"""CurlConnection against a scripted local HTTP server (the real engine path is covered by
every integration test, since make_client uses it for the stack's node): answers,
errors, warnings, timeouts, threads and forks behave as the library's own connection."""

from __future__ import annotations

import json
import multiprocessing
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from typing import Any

import pytest
from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as EngineConnectionError
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError, OpenSearchWarning, RequestError

from core.engine_connection import CurlConnection, warning_values
from core.opensearch import EngineJson


class Scripted(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the engine

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/echo"):
            seen = {"method": self.command, "path": self.path, "body": body.decode("utf-8"),
                    "content_types": self.headers.get_all("Content-Type") or [],
                    "expect": self.headers.get("Expect")}
            self._send(200, json.dumps(seen, ensure_ascii=False).encode("utf-8"), "application/json; charset=UTF-8")
        elif self.path == "/text":
            self._send(200, "green ١٢\n".encode(), "text/plain; charset=UTF-8")
        elif self.path == "/missing":
            error = {"error": {"type": "index_not_found_exception"}, "status": 404}
            self._send(404, json.dumps(error).encode(), "application/json; charset=UTF-8")
        elif self.path == "/bad":
            error = {"error": {"type": "parsing_exception", "reason": "no"}, "status": 400}
            self._send(400, json.dumps(error).encode(), "application/json; charset=UTF-8")
        elif self.path == "/warn":
            self._send(200, b"{}", "application/json", {"Warning": '299 OpenSearch-3.8.0 "field [x] is deprecated"'})
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, b"{}", "application/json")
        else:
            self._send(200, b"{}", "application/json")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def client_for(url: str, **options: Any) -> OpenSearch:
    return OpenSearch(hosts=[url], connection_class=CurlConnection, serializer=EngineJson(),
                      max_retries=0, **options)


def test_json_answers_are_parsed_and_bodies_arrive_intact(server: str) -> None:
    client = client_for(server)
    seen = client.transport.perform_request("POST", "/echo", params={"q": "شقة"}, body={"title": "سيارة ١٢"})
    assert seen["method"] == "POST"
    assert seen["path"] == "/echo?q=%D8%B4%D9%82%D8%A9"
    assert json.loads(seen["body"]) == {"title": "سيارة ١٢"}
    assert seen["content_types"] == ["application/json"]


def test_a_request_header_replaces_the_default_once(server: str) -> None:
    """The engine refuses two Content-Type headers (`_msearch` sends NDJSON)."""
    seen = client_for(server).transport.perform_request(
        "POST", "/echo", body='{"index":"x"}\n{}\n', headers={"Content-Type": "application/x-ndjson"})
    assert seen["content_types"] == ["application/x-ndjson"]


def test_large_bodies_do_not_wait_for_100_continue(server: str) -> None:
    body = "x" * 2_000_000
    started = time.monotonic()
    seen = client_for(server).transport.perform_request("PUT", "/echo", body=json.dumps({"blob": body}))
    assert json.loads(seen["body"])["blob"] == body
    assert seen["expect"] is None
    assert time.monotonic() - started < 30  # a bound against a hang, not a timing assertion


def test_text_answers_stay_text(server: str) -> None:
    assert client_for(server).transport.perform_request("GET", "/text") == "green ١٢\n"


def test_head_is_true_or_false(server: str) -> None:
    client = client_for(server)
    assert client.transport.perform_request("HEAD", "/anything") is True
    assert client.transport.perform_request("HEAD", "/missing") is False


def test_status_errors_raise_the_library_exceptions(server: str) -> None:
    client = client_for(server)
    with pytest.raises(NotFoundError) as missing:
        client.transport.perform_request("GET", "/missing")
    assert missing.value.error == "index_not_found_exception"
    with pytest.raises(RequestError) as bad:
        client.transport.perform_request("POST", "/bad", body={})
    assert bad.value.status_code == 400
    assert isinstance(bad.value.info, dict) and bad.value.info["error"]["reason"] == "no"
    assert client.transport.perform_request("GET", "/missing", params={"ignore": 404})["status"] == 404


def test_warning_headers_become_warnings(server: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client_for(server).transport.perform_request("GET", "/warn")
    assert [str(w.message) for w in caught if w.category is OpenSearchWarning] == ["field [x] is deprecated"]


def test_a_slow_answer_is_a_timeout_and_the_connection_recovers(server: str) -> None:
    client = client_for(server)
    with pytest.raises(ConnectionTimeout):
        client.transport.perform_request("GET", "/slow", timeout=0.2)
    assert client.transport.perform_request("GET", "/echo")["method"] == "GET"


def test_an_unreachable_node_is_a_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: refused
        with pytest.raises(EngineConnectionError):
            client_for(f"http://127.0.0.1:{port}").transport.perform_request("GET", "/")


def test_threads_use_their_own_handles(server: str) -> None:
    client = client_for(server)
    answers: list[str] = []

    def ask(number: int) -> None:
        for _ in range(20):
            answers.append(client.transport.perform_request("POST", "/echo", body={"n": number})["body"])

    threads = [threading.Thread(target=ask, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(json.loads(body)["n"] for body in answers) == sorted(list(range(6)) * 20)


def _ask_in_child(url: str, client: OpenSearch, pipe: Connection) -> None:
    pipe.send(client.transport.perform_request("POST", "/echo", body={"from": "child"})["body"])


def test_a_forked_process_opens_its_own_connection(server: str) -> None:
    client = client_for(server)
    assert client.transport.perform_request("GET", "/echo")["method"] == "GET"  # parent's handle is open
    context = multiprocessing.get_context("fork")
    parent_end, child_end = context.Pipe()
    child = context.Process(target=_ask_in_child, args=(server, client, child_end))
    child.start()
    assert parent_end.poll(20)
    assert json.loads(parent_end.recv()) == {"from": "child"}
    child.join(20)
    assert child.exitcode == 0
    assert client.transport.perform_request("POST", "/echo", body={"from": "parent"})["body"] == '{"from":"parent"}'


def test_only_plain_http_is_served() -> None:
    with pytest.raises(ValueError, match="plain HTTP"):
        CurlConnection(host="localhost", use_ssl=True)
    with pytest.raises(ValueError, match="plain HTTP"):
        CurlConnection(host="localhost", http_auth=("u", "p"))


def test_warnings_come_from_the_last_response_only() -> None:
    lines = [b"HTTP/1.1 100 Continue\r\n", b"Warning: 299 early\r\n", b"\r\n", b"HTTP/1.1 200 OK\r\n",
             b"Content-Type: application/json\r\n", b"Warning: 299 a\r\n", b"warning:  299 b \r\n", b"\r\n"]
    assert warning_values(lines) == ["299 a", "299 b"]
