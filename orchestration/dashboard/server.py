"""The bundled dashboard: a small stdlib HTTP server over the published BI copy, read-only.

    newsevents dashboard [--port 8050] [--bi DIR]

Every API request opens the BI copy read-only and closes it again: the publisher swaps a new
snapshot in with a rename, so the next request reads it, with no restart and no lock held on the
file between requests. It never opens the working warehouse. The page (static/) is plain HTML,
JS and SVG with a bundled world outline: nothing is fetched from outside 127.0.0.1.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import os
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import duckdb

from orchestration.dashboard import queries
from transforms.publish import PUBLISHED_DB_NAME
from transforms.settings import DEFAULT_PUBLISH_DIR, DEMO_PUBLISH_DIR

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
DEFAULT_PORT = 8050
HOST = "127.0.0.1"
# Where `newsevents run` and `newsevents demo` publish; the newest copy is shown unless told.
CANDIDATE_DIRS = (DEFAULT_PUBLISH_DIR, DEMO_PUBLISH_DIR)


def find_bi_copy(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The BI copy to show: the chosen directory (--bi DIR, else $NEWSEVENTS_PUBLISH_DIR), else the
    newest of the real sources' copy and the demo's (the first candidate when neither exists yet)."""
    if explicit:
        return Path(explicit).expanduser().resolve() / PUBLISHED_DB_NAME
    existing = [d / PUBLISHED_DB_NAME for d in CANDIDATE_DIRS if (d / PUBLISHED_DB_NAME).exists()]
    if not existing:
        return CANDIDATE_DIRS[0] / PUBLISHED_DB_NAME
    return max(existing, key=lambda path: path.stat().st_mtime)


class NoSnapshot(RuntimeError):
    """No BI copy has been published where the dashboard looks."""


class Dashboard:
    """Answers the API on one BI copy path."""

    def __init__(self, bi_path: Path, find_again=None) -> None:
        self.bi_path = bi_path
        self.find_again = find_again  # while nothing is published, look again on each request

    def connect(self) -> duckdb.DuckDBPyConnection:
        if not self.bi_path.exists() and self.find_again is not None:
            self.bi_path = self.find_again()
        if not self.bi_path.exists():
            raise NoSnapshot(f"no BI copy at {self.bi_path} yet: run `make demo` or `newsevents run`")
        return duckdb.connect(str(self.bi_path), read_only=True)

    def answer(self, route: str, query: dict[str, str]) -> tuple[int, object]:
        """(HTTP status, JSON value) for an API route."""
        try:
            conn = self.connect()
        except NoSnapshot as missing:
            return HTTPStatus.SERVICE_UNAVAILABLE, {"error": str(missing)}
        try:
            if route == "meta":
                return HTTPStatus.OK, {**queries.meta(conn), "bi_path": str(self.bi_path)}
            if route == "health":
                return HTTPStatus.OK, queries.health(conn)
            if route.startswith("incident/"):
                found = queries.incident(conn, unquote(route.removeprefix("incident/")))
                return (HTTPStatus.OK, found) if found else (HTTPStatus.NOT_FOUND, {"error": "no such incident"})
            filters = queries.Filters.from_query(query)
            if route == "incidents":
                return HTTPStatus.OK, queries.incidents(conn, filters)
            if route == "timeline":
                return HTTPStatus.OK, queries.timeline(conn, filters)
            if route == "actors":
                return HTTPStatus.OK, queries.top_actors(conn, filters)
            return HTTPStatus.NOT_FOUND, {"error": f"no API route {route!r}"}
        except queries.FilterError as bad:
            return HTTPStatus.BAD_REQUEST, {"error": str(bad)}
        except duckdb.Error as error:
            log.warning("dashboard query %s failed: %s", route, error)
            return HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"the BI copy could not answer: {error}"}
        finally:
            conn.close()


class _Handler(BaseHTTPRequestHandler):
    server: DashboardServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        if parts.path.startswith("/api/"):
            status, value = self.server.dashboard.answer(parts.path.removeprefix("/api/"), dict(parse_qsl(parts.query)))
            self._send(status, json.dumps(value, default=str).encode("utf-8"), "application/json")
            return
        name = "index.html" if parts.path in ("", "/") else parts.path.lstrip("/").removeprefix("static/")
        path = (STATIC_DIR / name).resolve()
        if STATIC_DIR not in path.parents or not path.is_file():
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".geojson":
            kind = "application/geo+json"
        self._send(HTTPStatus.OK, path.read_bytes(), kind)

    def _send(self, status: int, body: bytes, kind: str) -> None:
        try:
            self.send_response(status)
            self.send_header(
                "Content-Type", kind + ("; charset=utf-8" if kind.startswith(("text/", "application/json")) else "")
            )
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser navigated away

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's signature)
        log.debug("dashboard %s - %s", self.address_string(), format % args)


class DashboardServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, bi_path: Path, port: int = DEFAULT_PORT, find_again=None) -> None:
        super().__init__((HOST, port), _Handler)
        self.dashboard = Dashboard(bi_path, find_again)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def serve_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        thread.start()
        return thread
