"""Crawl-only seconds and peak memory for N large pages over H hosts on 127.0.0.1.

    python -m tests.benchmarks.crawl_memory --pages 3000 --page-kib 206 --hosts 1 4
    python -m tests.benchmarks.crawl_memory --pages 400 --page-kib 20 --hosts 1 8 --delay 0.05

Each configuration runs in a fresh process (peak RSS does not carry over): H loopback servers
(one host each, by port), N pages of about K KiB spread over them and listed in one sitemap per
host, crawled by the real crawler into a fresh DuckDB file. With a politeness delay, seconds
show whether hosts are fetched in parallel; peak RSS shows whether bodies are let go once archived.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DAY = date(2026, 11, 20)


def page(n: int, kib: int) -> bytes:
    rng = random.Random(n)
    words = "council market convoy district officials province border statement".split()
    story = "".join(f"<p>{' '.join(rng.choice(words) for _ in range(40))}.</p>" for _ in range(8))
    filler = rng.randbytes(kib * 512).hex()  # inline data, as real pages carry (distinct per page)
    return (
        f"<html><head><title>Story {n}</title><link rel='canonical' href='/s/{n}'></head><body>"
        f"<article><h1>Story {n}</h1>{story}</article><script>var d='{filler}';</script></body></html>"
    ).encode()


def serve(n_pages: int, kib: int, first: int) -> ThreadingHTTPServer:
    sitemap_urls: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 - stdlib name
            if self.path == "/sitemap.xml":
                body = (
                    "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                    + "".join(f"<url><loc>{u}</loc></url>" for u in sitemap_urls)
                    + "</urlset>"
                ).encode()
            elif self.path.startswith("/s/") and self.path[3:].isdigit():
                body = page(int(self.path[3:]), kib)  # distinct stories on every host
            elif self.path == "/robots.txt":
                body = b"User-agent: *\nAllow: /\n"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sitemap_urls.extend(f"{base}/s/{i}" for i in range(first, first + n_pages))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def one(pages: int, kib: int, hosts: int, delay: float) -> dict:
    from transforms import pipeline, warehouse
    from transforms.config import parse_sources

    per_host = pages // hosts
    servers = [serve(per_host, kib, i * per_host) for i in range(hosts)]
    sources = [
        {
            "id": f"h{i}",
            "name": f"Host {i}",
            "homepage": f"http://127.0.0.1:{s.server_address[1]}/",
            "sitemaps": [f"http://127.0.0.1:{s.server_address[1]}/sitemap.xml"],
            "max_articles": per_host,
            "delay_seconds": delay,
        }
        for i, s in enumerate(servers)
    ]
    config = parse_sources(
        {"crawler": {"allow_private_addresses": True, "concurrency": 8, "per_host_concurrency": 2}, "sources": sources}
    )
    with tempfile.TemporaryDirectory() as tmp:
        conn = warehouse.connect(Path(tmp) / "crawl.duckdb")
        started = time.monotonic()
        stats = pipeline.run_crawl(conn, config, DAY, run_id="bench")
        seconds = time.monotonic() - started
        archived = conn.execute("select count(*) from pages where page_kind = 'article'").fetchone()[0]
        conn.close()
    return {
        "pages": pages,
        "kib": kib,
        "hosts": hosts,
        "delay": delay,
        "seconds": round(seconds, 1),
        "archived": archived,
        "pages_per_s": round(archived / seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "timeouts": stats.counts.get("article_timeout", 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--page-kib", type=int, default=206)
    parser.add_argument("--hosts", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--delay", type=float, default=0.0, help="politeness delay per host (s)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.pages, args.page_kib, args.hosts[0], args.delay)))
        return
    print(
        f"{'pages':>6} {'KiB':>5} {'hosts':>5} {'delay':>5} {'seconds':>8} {'pages/s':>8} {'archived':>8} "
        f"{'timeouts':>8} {'peak RSS MB':>11}"
    )
    for hosts in args.hosts:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.benchmarks.crawl_memory",
                "--one",
                "--pages",
                str(args.pages),
                "--page-kib",
                str(args.page_kib),
                "--hosts",
                str(hosts),
                "--delay",
                str(args.delay),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{r['pages']:>6} {r['kib']:>5} {r['hosts']:>5} {r['delay']:>5} {r['seconds']:>8} "
            f"{r['pages_per_s']:>8} {r['archived']:>8} {r['timeouts']:>8} {r['peak_rss_mb']:>11}",
            flush=True,
        )


if __name__ == "__main__":
    main()
