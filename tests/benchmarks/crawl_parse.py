"""Crawl + parse throughput and peak memory on N synthetic pages served on 127.0.0.1.

    python -m tests.benchmarks.crawl_parse --pages 1000 10000

For each N: starts a loopback server with N generated article pages listed in a sitemap, crawls
them into a fresh DuckDB file with the real crawler (politeness delay 0 for loopback), parses them
with the real parser, and prints pages/s for each stage, end to end, and peak RSS. Crawl and parse
run as in the daily job (one after the other), so end-to-end = N / (crawl + parse seconds).
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from transforms import pipeline, warehouse
from transforms.config import parse_sources

DAY = date(2026, 11, 20)
WORDS = (
    "government forces militia district officials reported attack village market police "
    "residents province security council minister election talks convoy checkpoint "
    "witnesses hospital statement authorities region capital border army rebels "
    "protesters ceasefire humanitarian agency displaced families local leaders"
).split()


def synthetic_page(n: int) -> bytes:
    rng = random.Random(n)
    title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
    paragraphs = "".join(
        "<p>" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 60))).capitalize() + ".</p>"
        for _ in range(rng.randint(6, 14))
    )
    published = (datetime(2026, 11, 20, 6) - timedelta(minutes=n)).isoformat() + "Z"
    related = "".join(f'<li><a href="/story/{(n + k) % 997}-other">Other story {k}</a></li>' for k in range(12))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="{published}">
<link rel="canonical" href="/story/{n}-{title.split()[0].lower()}"></head>
<body><header><nav><a href="/">Home</a><a href="/world">World</a><a href="/sport">Sport</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Staff Reporter</p>{paragraphs}</article>
<aside><h2>Related</h2><ul>{related}</ul></aside></main>
<footer><p>Copyright Benchmark News</p></footer></body></html>""".encode()


def make_handler(n_pages: int):
    urls = [f"/story/{i}-{synthetic_page(i).split(b'<title>')[1].split()[0].decode().lower()}" for i in range(n_pages)]
    sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{u}</loc></url>" for u in urls)
        + "</urlset>"
    ).encode()
    by_path = {u: i for i, u in enumerate(urls)}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 - stdlib name
            if self.path == "/robots.txt":
                body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
            elif self.path == "/sitemap.xml":
                body, ctype = sitemap, "application/xml"
            elif self.path in by_path:
                body, ctype = synthetic_page(by_path[self.path]), "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def run(n_pages: int) -> dict[str, float]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(n_pages))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    config = parse_sources(
        {
            "crawler": {
                "allow_private_addresses": True,
                "concurrency": 8,
                "per_host_concurrency": 8,
                "timeout_seconds": 30,
                "max_retries": 1,
            },
            "sources": [
                {
                    "id": "bench",
                    "name": "Benchmark News",
                    "homepage": f"{base}/",
                    "country": "GB",
                    "language": "en",
                    "sitemaps": [f"{base}/sitemap.xml"],
                    "max_articles": n_pages,
                    "delay_seconds": 0,
                }
            ],
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        conn = warehouse.connect(Path(tmp) / "bench.duckdb")
        started = time.perf_counter()
        crawl_stats = pipeline.run_crawl(conn, config, DAY, run_id="bench")
        crawled = time.perf_counter()
        parse_stats = pipeline.run_parse(conn, DAY)
        parsed = time.perf_counter()
        conn.close()
    server.shutdown()
    pages = crawl_stats.counts.get("pages_archived", 0)
    articles = parse_stats.counts.get("articles", 0)
    crawl_s, parse_s = crawled - started, parsed - crawled
    return {
        "pages": n_pages,
        "archived": pages,
        "articles": articles,
        "crawl_pages_per_s": pages / crawl_s,
        "parse_pages_per_s": articles / parse_s,
        "end_to_end_pages_per_s": articles / (crawl_s + parse_s),
        "crawl_s": crawl_s,
        "parse_s": parse_s,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="+", default=[1000])
    args = parser.parse_args()
    print(
        f"{'pages':>7} {'archived':>8} {'articles':>8} {'crawl/s':>8} {'parse/s':>8} {'e2e/s':>7} "
        f"{'crawl s':>8} {'parse s':>8} {'peak RSS MB':>11}"
    )
    for n in args.pages:
        r = run(n)
        print(
            f"{r['pages']:>7} {r['archived']:>8} {r['articles']:>8} {r['crawl_pages_per_s']:>8.1f} "
            f"{r['parse_pages_per_s']:>8.1f} {r['end_to_end_pages_per_s']:>7.1f} {r['crawl_s']:>8.1f} "
            f"{r['parse_s']:>8.1f} {r['peak_rss_mb']:>11.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
