"""Fault cases against the hostile server on 127.0.0.1: outcome and seconds for each.

    python -m tests.benchmarks.faults            # all cases
    python -m tests.benchmarks.faults drip sitemap_gz

The fault-injection tests (tests/test_faults.py) assert the outcomes; the times are only printed here.
"""

from __future__ import annotations

import sys
import time
from datetime import date

from tests.hostile_server import ARTICLES, HostileServer
from transforms.config import parse_sources
from transforms.crawl import Crawl, CrawlState, find_canonical
from transforms.fetch import Fetcher
from transforms.parse import analyse_page, decode_html
from transforms.records import CrawlSettings, Page

DAY = date(2026, 11, 20)


def _settings(**overrides) -> CrawlSettings:
    values = dict(allow_private_addresses=True, timeout_seconds=2.0, max_retries=0, backoff_seconds=0.0)
    values.update(overrides)
    return CrawlSettings(**values)


def _fetch(path: str, **settings):
    with HostileServer() as server:
        result = Fetcher(_settings(**settings)).fetch(server.url(path))
    return f"{result.outcome} ({len(result.body or b'')} bytes, bytes logged {result.attempts[-1].bytes})"


def case_drip():
    """no Content-Length, one byte per 0.2 s, timeout 2 s"""
    return _fetch("/drip")


def case_slow_headers():
    """one header line per 0.2 s, timeout 2 s"""
    return _fetch("/slow-headers")


def case_no_length():
    """an ordinary page without Content-Length"""
    return _fetch("/no-length")


def case_too_large():
    """a 2 MB page against max_page_bytes 100 kB"""
    return _fetch("/script-bait", max_page_bytes=100_000)


def _crawl(server: HostileServer, source: dict, **crawler) -> dict:
    raw = {
        "crawler": {"allow_private_addresses": True, **crawler},
        "sources": [{"id": "hostile", "name": "Hostile", "homepage": server.url("/"), "max_articles": 1000, **source}],
    }
    config = parse_sources(raw)
    outcomes: dict[str, int] = {}
    pages = 0
    for record in Crawl(config, DAY, CrawlState(), run_id="bench").run():
        if isinstance(record, Page):
            pages += record.page_kind == "article"
        elif record.page_kind == "article":
            outcomes[record.outcome] = outcomes.get(record.outcome, 0) + 1
    return {"article pages": pages, **outcomes}


def case_politeness():
    """20 instant pages, Crawl-delay 1 s, timeout 4 s, 2 retries"""
    with HostileServer(crawl_delay=1.0) as server:
        return _crawl(
            server, {"feeds": [server.url("/feed.xml")]}, timeout_seconds=4, max_retries=2, backoff_seconds=0.1
        )


def case_sitemap_gz():
    """a sitemap.xml.gz served without Content-Encoding"""
    with HostileServer() as server:
        return _crawl(server, {"sitemaps": [server.url("/sitemap.xml.gz")]}) | {"expected": ARTICLES}


def case_canonical_bait():
    """find_canonical on ~190 KB of `<link rel=x `"""
    from tests.hostile_server import canonical_bait

    return find_canonical(canonical_bait(), "http://127.0.0.1/x")


def case_script_bait():
    """parse of a 2 MB page with 1,000 unclosed <script>"""
    from tests.hostile_server import script_bait

    parsed = analyse_page(script_bait(), "http://127.0.0.1/script-bait")
    return parsed.rejection.reason if parsed.rejection else f"article, {len(parsed.article.text)} chars"


def case_nul_title():
    """JSON-LD headline with \\u0000"""
    from tests.hostile_server import nul_title

    return repr(analyse_page(nul_title(), "http://127.0.0.1/nul-title").article.title)


def case_one_bad_byte():
    """a UTF-8 page with one invalid byte"""
    body = "<html><body><p>Café in Zürich — naïve façade</p></body></html>".encode() + b"\xff"
    text, encoding = decode_html(body, None)
    return f"{encoding}: {text[15:45]!r}"


def case_shared_address_space():
    """is 100.64.0.1 (shared address space, never contacted) accepted by the guard?"""
    from transforms import urls

    check = urls.is_public_address
    return "accepted" if check("100.64.0.1") else "refused"


def case_config_bounds():
    """crawler.concurrency 100000, delay_seconds 1e9"""
    from transforms.config import SourceConfigError

    raw = {
        "crawler": {"concurrency": 100000},
        "sources": [{"id": "x", "name": "X", "homepage": "http://127.0.0.1/", "delay_seconds": 1e9}],
    }
    try:
        parse_sources(raw)
    except SourceConfigError as exc:
        return f"refused: {'; '.join(exc.problems)}"
    return "accepted"


CASES = {name.removeprefix("case_"): fn for name, fn in globals().items() if name.startswith("case_")}


def main(argv: list[str]) -> int:
    for name in argv or list(CASES):
        started = time.monotonic()
        try:
            outcome = CASES[name]()
        except Exception as exc:  # a case that crashes is a finding too
            outcome = f"raised {type(exc).__name__}: {exc}"
        print(f"{name:<22} {time.monotonic() - started:7.1f} s  {CASES[name].__doc__}: {outcome}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
