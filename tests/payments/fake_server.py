"""What the fake payment providers share: a quiet request handler that answers with bytes,
and a threaded server on a free port of 127.0.0.1, started and closed by ``with``."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes, kind="application/json", headers=()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class LocalServer:
    """``with LocalServer(fake, make_handler) as fake:`` serves ``fake`` (which gets its
    ``url``) until the block ends, then closes the socket."""

    def __init__(self, fake, make_handler) -> None:
        self.fake = fake
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(fake))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.fake.url = self.url
        self.thread.start()
        return self.fake

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
