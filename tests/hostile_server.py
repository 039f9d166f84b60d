"""A hostile web server on 127.0.0.1 for the fault-injection tests and the fault benchmark.

    with HostileServer() as srv:
        srv.url("/drip")                 # http://127.0.0.1:<port>/drip
        srv.hits["/article/3"]           # how often a path was requested

Every route misbehaves in one way a real server or a feed author can (text written by us):

/drip                one byte every DRIP_GAP seconds, no Content-Length, never ends on its own
/slow-headers        the status line, then one header line every DRIP_GAP seconds, never a body
/no-length           an ordinary article without Content-Length (ends by closing the connection)
/canonical-bait      a page opening with ~190 KB of unterminated `<link rel=x ` (quadratic regex bait)
/script-bait         a 2 MB page with 1,000 unclosed <script> tags (quadratic regex bait)
/nul-title           an article whose JSON-LD headline carries \\u0000
/sitemap.xml.gz      a gzipped sitemap served as application/x-gzip, no Content-Encoding
/article/<n>         instant, ordinary articles (n = 0..ARTICLES-1)
/feed.xml            RSS linking every /article/<n>
/robots.txt          Crawl-delay: `crawl_delay` (constructor argument; none when 0)

The server stops its dripping handlers when it shuts down, so a test never waits for them.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"
DRIP_GAP = 0.2
ARTICLES = 20
DAY = "2026-11-20"

_PARAGRAPH = (
    "Officials in the fictional river town of Westmarch said on Friday that the flood barrier "
    "held overnight, and that residents could return to the lower streets by the afternoon. "
)


def article_html(n: int, headline: str | None = None) -> bytes:
    headline = headline or f"Westmarch flood barrier holds for night {n}"
    body = "".join(f"<p>{_PARAGRAPH} Report {n}, paragraph {i}.</p>" for i in range(6))
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{headline}</title>"
        f"<meta property='og:type' content='article'>"
        f"<meta property='article:published_time' content='{DAY}T08:00:00Z'></head>"
        f"<body><article><h1>{headline}</h1>{body}</article></body></html>"
    ).encode()


def canonical_bait() -> bytes:
    return b"<html><head>" + b"<link rel=x " * 16_000 + b"</head><body><p>bait</p></body></html>"


def script_bait() -> bytes:
    story = "".join(f"<p>{_PARAGRAPH}</p>" for _ in range(8))
    filler = "<script>var x = 1;" + "y" * 2_000 + "\n"
    return (
        f"<html><head><title>Script bait</title></head><body><article><h1>Script bait page</h1>{story}"
        + filler * 1_000
        + "</article></body></html>"
    ).encode()


def nul_title() -> bytes:
    ld = json.dumps(
        {"@type": "NewsArticle", "headline": "Barrier\u0000 holds in Westmarch", "datePublished": f"{DAY}T08:00:00Z"}
    )
    page = article_html(99).decode().replace("</head>", f"<script type='application/ld+json'>{ld}</script></head>")
    return page.encode()


def sitemap(base: str) -> bytes:
    urls = "".join(f"<url><loc>{base}/article/{n}</loc><lastmod>{DAY}</lastmod></url>" for n in range(ARTICLES))
    return (
        f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        f"{urls}</urlset>"
    ).encode()


def feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>Night {n}</title><link>{base}/article/{n}</link>"
        f"<pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate></item>"
        for n in range(ARTICLES)
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>W</title>{items}</channel></rss>".encode()


class HostileServer:
    def __init__(self, port: int = 0, crawl_delay: float = 0.0):
        self.crawl_delay = crawl_delay
        self.hits: Counter[str] = Counter()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((HOST, port), self._handler())
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda request, address: None  # clients hang up on purpose
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def __enter__(self) -> HostileServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _send(self, body: bytes, content_type: str = "text/html; charset=utf-8", length: bool = True) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                if length:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True

            def _drip(self, data: bytes) -> None:
                for i in range(len(data)):
                    if server.stopping.wait(DRIP_GAP):
                        return
                    try:
                        self.wfile.write(data[i : i + 1])
                        self.wfile.flush()
                    except OSError:
                        return

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                with server._lock:
                    server.hits[path] += 1
                base = server.base_url
                if path == "/robots.txt":
                    delay = f"Crawl-delay: {server.crawl_delay:g}\n" if server.crawl_delay else ""
                    self._send(f"User-agent: *\n{delay}Allow: /\n".encode(), "text/plain")
                elif path == "/drip":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.flush()
                    self._drip(b"<html>" + b"x" * 100_000)
                    self.close_connection = True
                elif path == "/slow-headers":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    self.wfile.flush()
                    self._drip(b"X-Slow: " + b"y" * 100_000)
                    self.close_connection = True
                elif path == "/no-length":
                    self._send(article_html(0), length=False)
                elif path == "/canonical-bait":
                    self._send(canonical_bait())
                elif path == "/script-bait":
                    self._send(script_bait())
                elif path == "/nul-title":
                    self._send(nul_title())
                elif path == "/sitemap.xml.gz":
                    self._send(gzip.compress(sitemap(base)), "application/x-gzip")
                elif path == "/feed.xml":
                    self._send(feed(base), "application/rss+xml")
                elif path.startswith("/article/") and path.rsplit("/", 1)[1].isdigit():
                    self._send(article_html(int(path.rsplit("/", 1)[1])))
                else:
                    self.send_error(404)

        return Handler
