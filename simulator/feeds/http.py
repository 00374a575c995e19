"""A small threaded HTTP server that hosts one feed app and applies transport-level faults."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import parse_qsl, urlsplit

import orjson

from simulator.faults import HTTP_KINDS, FaultInjector

MAINTENANCE_HTML = b"<html><head><title>503 Service Unavailable</title></head><body>maintenance</body></html>"


@dataclass
class Request:
    method: str
    path: str  # as sent, without the query
    query: str  # raw query string as sent
    params: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    fault: str | None = None  # a feed-level fault drawn for this request


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: object, **headers: str) -> Response:
    return Response(status, orjson.dumps(payload), headers=dict(headers))


class FeedApp(Protocol):
    channel: str

    def handle(self, request: Request) -> Response: ...


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out in separate writes: with Nagle on, each answer waited for the
    # client's delayed ACK (~40 ms a request, measured by the connectors bench)
    disable_nagle_algorithm = True
    server: _FeedHTTPServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(
            method,
            parts.path,
            parts.query,
            dict(parse_qsl(parts.query, keep_blank_values=True)),
            {k.lower(): v for k, v in self.headers.items()},
            body,
        )
        host = self.server.host
        fault = host.faults.draw(f"{method} {self.path}") if host.faults else None
        if fault in HTTP_KINDS:
            self._transport_fault(fault, request)
            return
        request.fault = fault
        try:
            response = host.app.handle(request)
        except Exception as error:  # a simulator bug must look like a server failure, not a hang
            response = json_response(500, {"error": "internal", "detail": repr(error)})
        self._send(response)

    def _transport_fault(self, fault: str, request: Request) -> None:
        host = self.server.host
        if fault == "http_429":
            self._send(
                json_response(
                    429, {"error": "too_many_requests"}, **{"Retry-After": str(host.faults.plan.retry_after_seconds)}
                )
            )
        elif fault in ("http_500", "http_502"):
            self._send(json_response(int(fault[-3:]), {"error": "server_error"}))
        elif fault == "http_503":
            self._send(Response(503, MAINTENANCE_HTML, "text/html; charset=utf-8"))
        elif fault == "stall":
            time.sleep(host.faults.plan.stall_seconds)
            self._send(host.app.handle(request))
        elif fault == "cut":
            response = host.app.handle(request)
            self._send(response, cut=True)

    def _send(self, response: Response, cut: bool = False) -> None:
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            if cut:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(response.body[: len(response.body) // 2] if cut else response.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            cut = True
        if cut:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(2)


class _FeedHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    host: FeedServer


class FeedServer:
    """One feed app on 127.0.0.1, an ephemeral port, in a background thread."""

    def __init__(self, app: FeedApp, faults: FaultInjector | None = None, prefix: str = "") -> None:
        self.app, self.faults, self.prefix = app, faults, prefix
        self._server: _FeedHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._server = _FeedHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.host = self
        # a short poll so stop() returns at once rather than after serve_forever's default 0.5 s
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"feed-{self.app.channel}",
            daemon=True,
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.prefix}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
