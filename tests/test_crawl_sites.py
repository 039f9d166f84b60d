"""The crawler against the fixture news sites over real HTTP on 127.0.0.1: every ugly case."""

from __future__ import annotations

import dataclasses
from datetime import date
from urllib.parse import urlsplit

import pytest

from orchestration.fixture_sites import server as site
from orchestration.fixture_sites.corpus import default_corpus
from transforms import pipeline, warehouse
from transforms.config import parse_sources

DAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def crawled(fixture_server, fixture_config, tmp_path_factory):
    """One crawl + parse of the fixture day, shared by the assertions below."""
    conn = warehouse.connect(tmp_path_factory.mktemp("crawl") / "crawl.duckdb")
    stats = pipeline.run_crawl(conn, fixture_config, DAY, run_id="run-1")
    pipeline.run_parse(conn, DAY)
    yield conn, stats
    conn.close()


def _path(url: str | None) -> str:
    parts = urlsplit(url or "")
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _log(conn, path_suffix: str):
    return conn.execute(
        "select attempt, http_status, outcome, final_url, canonical_url, error from crawl_log "
        "where url like ? order by attempted_at, attempt",
        [f"%{path_suffix}"],
    ).fetchall()


def test_every_reachable_corpus_article_is_archived_once(crawled, fixture_server):
    conn, _ = crawled
    unreachable = fixture_server.site.unreachable_keys()
    expected = {a.path for a in default_corpus() if a.key not in unreachable and a.published.date() <= DAY}
    archived = [
        _path(u) for (u,) in conn.execute("select canonical_url from pages where page_kind = 'article'").fetchall()
    ]
    assert expected <= set(archived)
    assert len(archived) == len(set(archived)), "a canonical URL was archived twice"


def test_robots_disallowed_path_is_never_requested(crawled, fixture_server):
    conn, _ = crawled
    assert fixture_server.requests_for("/ledger/private/") == []
    assert [row[2] for row in _log(conn, site.LEDGER_PRIVATE_PATH)] == ["robots_disallowed"]


def test_redirects_are_followed_and_final_url_kept(crawled, fixture_server):
    conn, _ = crawled
    herald = fixture_server.site._article("herald", site.HERALD_REDIRECTED).path
    rows = _log(conn, f"/herald/news/{site.HERALD_REDIRECTED}.html")
    assert rows[-1][2] == "fetched" and _path(rows[-1][3]) == herald
    chain_target = fixture_server.site._article("courier", site.COURIER_CHAIN).path
    rows = _log(conn, f"/courier/go/{site.COURIER_CHAIN}")
    assert rows[-1][2] == "fetched" and _path(rows[-1][3]) == chain_target


def test_tracking_parameters_are_stripped_before_fetching(crawled, fixture_server):
    assert not [r.path for r in fixture_server.requests if "utm_" in r.path or "ref=home" in r.path]


def test_amp_copy_is_stored_under_its_canonical_url(crawled, fixture_server):
    conn, _ = crawled
    main = fixture_server.site._article("courier", site.COURIER_AMP).path
    canonicals = [
        _path(u)
        for (u,) in conn.execute(
            "select canonical_url from pages where url like ?", [f"%{site.COURIER_AMP}"]
        ).fetchall()
    ]
    assert canonicals and set(canonicals) == {main}


def test_server_error_is_retried_and_then_succeeds(crawled, fixture_server):
    conn, _ = crawled
    rows = _log(conn, fixture_server.site._article("herald", site.HERALD_FLAKY).path)
    assert [(r[0], r[1], r[2]) for r in rows] == [(1, 500, "http_error"), (2, 200, "fetched")]


def test_not_found_is_logged_once_without_retry(crawled):
    conn, _ = crawled
    assert [(r[1], r[2]) for r in _log(conn, site.HERALD_DEAD_PATH)] == [(404, "http_error")]


def test_slow_page_times_out_after_retries_without_stopping_the_crawl(crawled, fixture_server, fixture_config):
    conn, _ = crawled
    rows = _log(conn, fixture_server.site._article("ledger", site.LEDGER_SLOW).path)
    assert [r[2] for r in rows] == ["timeout"] * (fixture_config.crawler.max_retries + 1)


def test_huge_page_is_cut_off_and_logged(crawled, fixture_server):
    conn, _ = crawled
    rows = _log(conn, fixture_server.site._article("ledger", site.LEDGER_HUGE).path)
    assert [r[2] for r in rows] == ["too_large"]
    assert "max_page_bytes" in rows[0][5]


def test_empty_page_is_archived_and_rejected_by_the_parser(crawled):
    conn, _ = crawled
    reasons = conn.execute(
        "select reason from parse_rejects where url like ?", [f"%{site.LEDGER_EMPTY_PATH}"]
    ).fetchall()
    assert reasons == [("empty_text",)]


def test_non_article_pages_are_kept_out_of_articles_with_a_reason(crawled):
    conn, _ = crawled
    rejected = dict(conn.execute("select url, reason from parse_rejects").fetchall())
    video = [u for u in rejected if u.endswith(site.VIDEO_PATH)]
    assert video and rejected[video[0]] == "not_article"
    in_articles = conn.execute(
        "select count(*) from articles where url like '%/video/%' or url like '%/section/%' or url like '%/tag/%'"
    ).fetchone()[0]
    assert in_articles == 0


def test_legacy_encoding_french_and_malformed_pages_become_articles(crawled, fixture_server):
    conn, _ = crawled
    rows = {
        (_path(u)): (lang, text)
        for u, lang, text in conn.execute("select canonical_url, language, text from articles").fetchall()
    }
    cp1252 = fixture_server.site._article("observer", site.OBSERVER_CP1252)
    lang, text = rows[cp1252.path]
    assert "\ufffd" not in text and "Ã" not in text
    assert any(ch in text for ch in "’“”é")
    french = fixture_server.site._article("observer", site.OBSERVER_FRENCH)
    assert rows[french.path][0] == "fr"
    malformed = fixture_server.site._article("observer", site.OBSERVER_MALFORMED)
    assert malformed.body[0][:40] in rows[malformed.path][1]


def test_second_crawl_uses_conditional_requests_and_adds_nothing(crawled, fixture_server, fixture_config):
    conn, _ = crawled
    before = warehouse.count_rows(conn, ["pages", "articles"])
    fixture_server.reset()
    stats = pipeline.run_crawl(conn, fixture_config, DAY, run_id="run-2")
    pipeline.run_parse(conn, DAY)
    assert stats.counts.get("pages_archived", 0) == 0
    assert warehouse.count_rows(conn, ["pages", "articles"]) == before
    feeds = [r for r in fixture_server.requests if r.path.endswith(("rss.xml", "atom.xml", "sitemap-news.xml"))]
    assert feeds and all("If-None-Match" in r.headers or "If-Modified-Since" in r.headers for r in feeds)
    assert {r.status for r in feeds} == {304}
    outcomes = dict(
        conn.execute(
            "select page_kind, count(*) from crawl_log where run_id = 'run-2' "
            "and outcome = 'fetched' and page_kind = 'article' group by 1"
        ).fetchall()
    )
    assert outcomes.get("article", 0) <= 1  # only what failed before (nothing else is re-fetched)


def test_private_address_guard_refuses_loopback_without_opt_in(fixture_server, fixture_config, tmp_path):
    closed = dataclasses.replace(
        fixture_config, crawler=dataclasses.replace(fixture_config.crawler, allow_private_addresses=False)
    )
    fixture_server.reset()
    conn = warehouse.connect(tmp_path / "guard.duckdb")
    stats = pipeline.run_crawl(conn, closed, DAY, run_id="guard")
    assert fixture_server.requests == []
    outcomes = {o for (o,) in conn.execute("select distinct outcome from crawl_log").fetchall()}
    assert outcomes == {"blocked_address"}
    assert stats.counts.get("pages_archived", 0) == 0


def test_per_host_delay_spaces_requests(fixture_server, tmp_path):
    config = parse_sources(
        {
            "crawler": {
                "allow_private_addresses": True,
                "per_host_concurrency": 1,
                "max_retries": 0,
                "timeout_seconds": 1,
            },
            "sources": [
                {
                    "id": "herald",
                    "name": "Herald",
                    "homepage": f"{fixture_server.base_url}/herald/",
                    "feeds": [f"{fixture_server.base_url}/herald/rss.xml"],
                    "delay_seconds": 0.15,
                    "max_articles": 6,
                    "max_age_days": 14,
                }
            ],
        }
    )
    fixture_server.reset()
    conn = warehouse.connect(tmp_path / "polite.duckdb")
    pipeline.run_crawl(conn, config, DAY, run_id="polite")
    starts = sorted(r.at for r in fixture_server.requests if r.path != "/robots.txt")
    assert len(starts) >= 6
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.14
