"""A real HTTP server on 127.0.0.1 for the follow tests: routes that tests change between polls.

Nothing here reaches any other address. Each route answers with its status, headers and body; an
``etag`` route answers 304 to a matching If-None-Match; ``delay`` holds the answer back (a slow
source); ``chunked`` sends the body without a Content-Length. Every request is logged.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: bool = True  # answer with an ETag, and 304 when the client already has it
    chunked: bool = False  # no Content-Length: the body ends when the connection closes
    fail_first: int = 0  # answer 503 to this many requests first (then the route as written)


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                with server._lock:
                    server.log.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                    route = server.routes.get(self.path)
                    if route is not None and route.fail_first > 0:
                        route.fail_first -= 1
                        route = Route(b"busy", "text/plain", status=503, etag=False)
                if route is None:
                    self._send(404, {"Content-Type": "text/plain"}, b"not found")
                    return
                if route.delay:
                    time.sleep(route.delay)
                headers = {"Content-Type": route.content_type, **route.headers}
                if route.etag and route.status == 200:
                    tag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
                    headers["ETag"] = tag
                    if self.headers.get("If-None-Match") == tag:
                        self._send(304, {"ETag": tag}, b"")
                        return
                self._send(route.status, headers, route.body, chunked=route.chunked)

            def _send(self, status: int, headers: dict[str, str], body: bytes, chunked: bool = False) -> None:
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    if not chunked:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if body:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a size cap or a timeout): expected

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
