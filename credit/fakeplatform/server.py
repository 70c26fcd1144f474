"""Serve the fake platform on 127.0.0.1 (threaded wsgiref), in a thread or as a process.

``python -m credit.fakeplatform.server --port 8765 --db var/fakeplatform.sqlite3`` is
what `make run` starts (Procfile). Tests use ``FakePlatform`` in-process: ``stop()``
really closes the socket (the platform is down: connections are refused) and
``start()`` listens again on the same port with the same store.
"""

from __future__ import annotations

import argparse
import socket
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from .app import FakePlatformApp
from .store import Store


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakePlatform:
    def __init__(self, port: int = 0, store: Store | None = None, seed: int | None = None):
        self.port = port or free_port()
        self.app = FakePlatformApp(store or Store(), seed=seed)
        self._server: _ThreadingServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakePlatform:
        server = make_server("127.0.0.1", self.port, self.app, server_class=_ThreadingServer,
                             handler_class=_QuietHandler)
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.1})
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default=":memory:")
    args = parser.parse_args()
    app = FakePlatformApp(Store(args.db))
    server = make_server("127.0.0.1", args.port, app, server_class=_ThreadingServer,
                         handler_class=_QuietHandler)
    print(f"fake credit platform on http://127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
