"""The offline fixture news sites: corpus validation and the HTTP server, over real HTTP on 127.0.0.1.

Uses only the standard library as the client, so these tests do not depend on the crawler.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from orchestration.fixture_sites import server as fixture_server
from orchestration.fixture_sites.corpus import (
    ARTICLES_DIR,
    OUTLETS,
    CorpusError,
    FixtureArticle,
    default_corpus,
    gold_incidents,
    gold_inconsistencies,
    load_corpus,
    parse_article,
)
from orchestration.fixture_sites.server import FixtureServer

REPO = Path(__file__).resolve().parents[1]
SITES = REPO / "orchestration" / "fixture_sites"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


_no_redirect = urllib.request.build_opener(_NoRedirect)


def fetch(
    url: str, headers: dict[str, str] | None = None, *, follow: bool = True, timeout: float = 5.0
) -> tuple[int, dict[str, str], bytes, str]:
    """(status, headers, body, final url); HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, headers={"User-Agent": "fixture-test/1", **(headers or {})})
    opener = urllib.request.build_opener() if follow else _no_redirect
    try:
        with opener.open(request, timeout=timeout) as resp:
            return resp.status, dict(resp.headers.items()), resp.read(), resp.url
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read(), url


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.canonical: list[str] = []
        self.ld_json: list[str] = []
        self.meta: dict[str, str] = {}
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a.get("href") or "")
        if tag == "meta":
            name = a.get("property") or a.get("name")
            if name:
                self.meta[name] = a.get("content") or ""
        self._in_ld = tag == "script" and a.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_ld and data.strip():
            self.ld_json.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False


def parse_html(body: bytes, encoding: str = "utf-8") -> _Links:
    parser = _Links()
    parser.feed(body.decode(encoding))
    return parser


@pytest.fixture(scope="module")
def srv():
    with FixtureServer(port=0) as server:
        yield server


@pytest.fixture(scope="module")
def corpus() -> tuple[FixtureArticle, ...]:
    return default_corpus()


def by_outlet(corpus: tuple[FixtureArticle, ...], outlet: str) -> list[FixtureArticle]:
    return [a for a in corpus if a.outlet == outlet]


# ================================================================ corpus


def test_every_article_file_validates_and_each_outlet_has_articles(corpus):
    files = sorted(ARTICLES_DIR.glob("*/*.yml"))
    assert len(corpus) == len(files) >= 9
    for outlet in OUTLETS:
        assert by_outlet(corpus, outlet), f"no articles for {outlet}"
    for article in corpus:
        assert article.published.tzinfo is not None
        assert article.title and len(article.body) >= 2


def test_articles_fall_in_the_fixed_corpus_window(corpus):
    for article in corpus:
        assert date(2026, 11, 9) <= article.published.date() <= date(2026, 11, 20), article.file
        for incident in article.gold:
            assert incident.event_date <= article.published.date(), f"{article.file}: event after publication"


def test_bad_article_file_error_names_file_and_field(tmp_path):
    folder = tmp_path / "herald"
    folder.mkdir()
    good = yaml.safe_load((ARTICLES_DIR / "herald" / "2026-11-16-drone-strike-el-obeid-market.yml").read_text())

    cases = {
        "published": {**good, "published": "2026-11-16T09:20:00"},  # no UTC offset
        "section": {**good, "section": "weather"},
        "gold.incidents[0].sub_event_type": {
            **good,
            "gold": {"incidents": [{**good["gold"]["incidents"][0], "sub_event_type": "Drone strike"}]},
        },
        "title": {k: v for k, v in good.items() if k != "title"},
    }
    for field, data in cases.items():
        path = folder / "2026-11-16-drone-strike-el-obeid-market.yml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        with pytest.raises(CorpusError) as info:
            parse_article(path)
        assert str(path) in str(info.value) and f"'{field}'" in str(info.value)


def test_duplicate_slug_in_one_outlet_is_rejected(tmp_path):
    for outlet in OUTLETS:
        (tmp_path / outlet).mkdir()
    source = ARTICLES_DIR / "herald" / "2026-11-16-drone-strike-el-obeid-market.yml"
    (tmp_path / "herald" / source.name).write_bytes(source.read_bytes())
    (tmp_path / "herald" / "2026-11-17-drone-strike-el-obeid-market.yml").write_bytes(source.read_bytes())
    with pytest.raises(CorpusError, match="already used"):
        load_corpus(tmp_path)


def test_gold_incidents_group_article_keys_by_incident(corpus):
    clusters = gold_incidents(corpus)
    keys = {a.key for a in corpus}
    assert clusters["sd-el-obeid-market-drone-2026-11-16"] == ["herald/drone-strike-el-obeid-market"]
    for incident_id, members in clusters.items():
        assert members and set(members) <= keys, incident_id
    assert sum(len(a.gold) for a in corpus) == sum(len(m) for m in clusters.values())
    assert gold_inconsistencies(corpus) == []


def test_article_paths_follow_each_outlets_url_scheme(corpus):
    patterns = {
        "herald": r"^/herald/2026/11/\d\d/[a-z0-9-]+$",
        "courier": r"^/courier/news/[a-z-]+/[a-z0-9-]+$",
        "ledger": r"^/ledger/story/[a-z0-9-]+-\d{7}$",
        "observer": r"^/observer/(index\.php\?id=\d+|[a-z-]+/[a-z0-9-]+\.html)$",
    }
    for article in corpus:
        assert re.match(patterns[article.outlet], article.path), article.path
    herald = next(a for a in corpus if a.key == "herald/drone-strike-el-obeid-market")
    assert herald.path == "/herald/2026/11/16/drone-strike-el-obeid-market"


# ================================================================ server basics


def test_server_binds_loopback_and_records_requests(srv):
    assert srv.base_url.startswith("http://127.0.0.1:")
    srv.reset()
    status, _, _, _ = fetch(srv.url("/robots.txt"), {"If-None-Match": '"nope"'})
    assert status == 200
    [req] = srv.requests
    assert (req.method, req.path, req.status) == ("GET", "/robots.txt", 200)
    assert req.headers["User-Agent"] == "fixture-test/1" and req.headers["If-None-Match"] == '"nope"'


@pytest.mark.parametrize("outlet", OUTLETS)
def test_homepage_links_every_article_of_its_outlet(srv, corpus, outlet):
    status, headers, body, _ = fetch(srv.url(f"/{outlet}/"))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    hrefs = {h.split("?ref=")[0].split("&ref=")[0] for h in parse_html(body).hrefs}
    for article in by_outlet(corpus, outlet):
        assert article.path in hrefs, f"{article.path} missing from /{outlet}/"


def test_outlet_root_without_slash_redirects(srv):
    status, headers, _, _ = fetch(srv.url("/herald"), follow=False)
    assert status == 301 and headers["Location"] == srv.url("/herald/")


def test_herald_rss_lists_articles_with_dates_from_the_files(srv, corpus):
    status, headers, body, _ = fetch(srv.url("/herald/rss.xml"))
    assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(body).findall("./channel/item")
    herald = {a.title: a for a in by_outlet(corpus, "herald")}
    assert len(items) == len(herald) + 2  # + video page + dead link
    for item in items:
        link = item.findtext("link") or ""
        assert link.startswith(srv.base_url) and link.endswith("?utm_source=rss&utm_medium=feed")
        title = item.findtext("title") or ""
        if title in herald:
            assert parsedate_to_datetime(item.findtext("pubDate") or "") == herald[title].published


def test_courier_atom_lists_articles_and_non_article_entries(srv, corpus):
    status, headers, body, _ = fetch(srv.url("/courier/atom.xml"))
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(body).findall("atom:entry", NS)
    assert len(entries) == len(by_outlet(corpus, "courier")) + 2
    links = {e.find("atom:link", NS).get("href") for e in entries}  # type: ignore[union-attr]
    assert srv.url("/courier/tag/security") in links and srv.url("/courier/news/africa/") in links
    published = {e.findtext("atom:title", namespaces=NS): e.findtext("atom:published", namespaces=NS) for e in entries}
    for article in by_outlet(corpus, "courier"):
        assert datetime.fromisoformat(published[article.title]) == article.published


def test_ledger_sitemap_index_leads_to_news_sitemap_of_all_articles(srv, corpus):
    status, _, body, _ = fetch(srv.url("/ledger/sitemap.xml"))
    assert status == 200
    maps = [loc.text for loc in ET.fromstring(body).findall("sm:sitemap/sm:loc", NS)]
    assert srv.url("/ledger/sitemap-news.xml") in maps
    status, _, body, _ = fetch(srv.url("/ledger/sitemap-news.xml"))
    assert status == 200
    urls = ET.fromstring(body).findall("sm:url", NS)
    dates = {
        u.findtext("sm:loc", namespaces=NS): u.findtext("news:news/news:publication_date", namespaces=NS) for u in urls
    }
    for article in by_outlet(corpus, "ledger"):
        assert datetime.fromisoformat(dates[srv.url(article.path)]) == article.published
    assert srv.url(fixture_server.LEDGER_PRIVATE_PATH) in dates


def test_robots_txt_disallows_a_linked_path_and_sets_crawl_delay(srv, corpus):
    status, _, body, _ = fetch(srv.url("/robots.txt"))
    assert status == 200
    text = body.decode()
    assert "Disallow: /ledger/private/" in text and "Crawl-delay:" in text
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(text.splitlines())
    assert not robots.can_fetch("newsevents-test/0.1", srv.url(fixture_server.LEDGER_PRIVATE_PATH))
    assert all(robots.can_fetch("newsevents-test/0.1", srv.url(a.path)) for a in corpus)
    assert not robots.can_fetch("GreedyArchiveBot", srv.url("/herald/"))


def test_crawl_delay_is_configurable():
    with FixtureServer(port=0, crawl_delay=2) as server:
        robots = urllib.robotparser.RobotFileParser()
        robots.parse(fetch(server.url("/robots.txt"))[2].decode().splitlines())
        assert robots.crawl_delay("newsevents-test/0.1") == 2


# ================================================================ article templates


def _article(corpus, key: str) -> FixtureArticle:
    return next(a for a in corpus if a.key == key)


def test_every_article_page_has_rel_canonical_and_title(srv, corpus):
    fast = [a for a in corpus if a.slug not in (fixture_server.LEDGER_SLOW, fixture_server.HERALD_FLAKY)]
    for article in fast:
        status, headers, body, _ = fetch(srv.url(article.path))
        assert status == 200, article.path
        charset = "windows-1252" if "windows-1252" in headers["Content-Type"] else "utf-8"
        page = parse_html(body, charset)
        assert page.canonical == [srv.url(article.path)], article.path
        assert article.body[1] in html.unescape(body.decode(charset)), article.path


def test_herald_page_carries_json_ld_news_article(srv, corpus):
    article = _article(corpus, "herald/drone-strike-el-obeid-market")
    page = parse_html(fetch(srv.url(article.path))[2])
    [ld] = [json.loads(block) for block in page.ld_json]
    assert ld["@type"] == "NewsArticle" and ld["headline"] == article.title
    assert datetime.fromisoformat(ld["datePublished"]) == article.published
    assert datetime.fromisoformat(ld["dateModified"]) == article.updated
    assert [a["name"] for a in ld["author"]] == list(article.authors)
    assert ld["publisher"]["name"] == "The Meridian Herald"


def test_courier_page_has_opengraph_dates_and_no_json_ld(srv, corpus):
    article = _article(corpus, f"courier/{fixture_server.COURIER_CHAIN}")
    page = parse_html(fetch(srv.url(article.path))[2])
    assert page.ld_json == []
    assert datetime.fromisoformat(page.meta["article:published_time"]) == article.published
    assert page.meta["og:type"] == "article" and page.meta["og:title"] == article.title


def test_ledger_page_has_its_date_only_in_the_visible_byline(srv, corpus):
    article = _article(corpus, "ledger/sensex-rural-demand-kharif")
    other = next(
        a for a in by_outlet(corpus, "ledger") if a.slug not in (fixture_server.LEDGER_SLOW, fixture_server.LEDGER_HUGE)
    )
    body = fetch(srv.url(other.path))[2].decode()
    page = parse_html(body.encode())
    assert page.ld_json == [] and not any("time" in name or "date" in name for name in page.meta)
    assert not re.search(r"\d{4}-\d\d-\d\d", body)  # no ISO date anywhere
    assert not re.search(r"/20\d\d/", other.path)
    day = other.published
    assert f"Published {day.day} {day:%B %Y, %H:%M}" in body
    assert article.path.startswith("/ledger/story/sensex-rural-demand-kharif-")


def test_observer_page_is_legacy_table_markup(srv, corpus):
    article = next(
        a
        for a in by_outlet(corpus, "observer")
        if a.slug not in (fixture_server.OBSERVER_CP1252, fixture_server.OBSERVER_MALFORMED)
    )
    status, headers, body, _ = fetch(srv.url(article.path))
    text = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"] == "text/html"  # charset only in <meta>
    assert "<table" in text and "<font" in text and "<!--" in text and "document.write" in text
    assert text.count("<p>") > 0 and "</p>" not in text


# ================================================================ conditional requests


@pytest.mark.parametrize(
    "path_of",
    [
        lambda c: "/herald/rss.xml",
        lambda c: "/courier/atom.xml",
        lambda c: "/ledger/sitemap-news.xml",
        lambda c: _article(c, "herald/drone-strike-el-obeid-market").path,
    ],
)
def test_conditional_get_answers_304(srv, corpus, path_of):
    url = srv.url(path_of(corpus))
    status, headers, body, _ = fetch(url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200
    assert fetch(url, {"If-Modified-Since": "Mon, 02 Nov 2026 00:00:00 GMT"})[0] == 200
    again = fetch(url)
    assert again[2] == body and again[1]["ETag"] == headers["ETag"]  # deterministic


def test_last_modified_is_the_articles_update_time(srv, corpus):
    article = _article(corpus, "herald/drone-strike-el-obeid-market")
    headers = fetch(srv.url(article.path))[1]
    assert parsedate_to_datetime(headers["Last-Modified"]) == article.updated


# ================================================================ edge cases


def test_flaky_page_fails_once_then_serves_and_reset_rearms_it(srv, corpus):
    srv.reset()
    url = srv.url(_article(corpus, f"herald/{fixture_server.HERALD_FLAKY}").path + "?utm_source=rss&utm_medium=feed")
    assert fetch(url)[0] == 500
    status, _, body, _ = fetch(url)
    assert status == 200 and b"Tbilisi" in body
    srv.reset()
    assert fetch(url)[0] == 500


def test_redirects_301_and_two_hop_302(srv, corpus):
    herald = _article(corpus, f"herald/{fixture_server.HERALD_REDIRECTED}")
    status, headers, _, _ = fetch(srv.url(f"/herald/news/{herald.slug}.html?utm_source=rss"), follow=False)
    assert status == 301 and headers["Location"] == srv.url(herald.path)

    courier = _article(corpus, f"courier/{fixture_server.COURIER_CHAIN}")
    status, headers, _, _ = fetch(srv.url(f"/courier/go/{courier.slug}"), follow=False)
    assert status == 302
    hop = headers["Location"]
    status, headers, _, _ = fetch(hop, follow=False)
    assert status == 302 and headers["Location"] == srv.url(courier.path)
    assert fetch(srv.url(f"/courier/go/{courier.slug}"))[3] == srv.url(courier.path)


def test_amp_copy_points_canonical_to_the_main_url(srv, corpus):
    article = _article(corpus, f"courier/{fixture_server.COURIER_AMP}")
    amp = fetch(srv.url(f"/courier/amp/{article.slug}"))
    main = fetch(srv.url(article.path))
    assert amp[0] == main[0] == 200 and amp[2] != main[2]
    assert parse_html(amp[2]).canonical == parse_html(main[2]).canonical == [srv.url(article.path)]


def test_tracking_parameters_serve_the_same_page(srv, corpus):
    article = by_outlet(corpus, "herald")[0]
    plain = fetch(srv.url(article.path))[2]
    assert fetch(srv.url(article.path + "?ref=home"))[2] == plain
    assert fetch(srv.url(article.path + "?utm_source=rss&utm_medium=feed"))[2] == plain
    observer = _article(corpus, f"observer/{fixture_server.OBSERVER_CP1252}")
    assert observer.path.startswith("/observer/index.php?id=") or observer.path.endswith(".html")
    sep = "&" if "?" in observer.path else "?"
    assert fetch(srv.url(observer.path + sep + "ref=home"))[2] == fetch(srv.url(observer.path))[2]


def test_legacy_encoding_page_is_windows_1252(srv, corpus):
    article = _article(corpus, f"observer/{fixture_server.OBSERVER_CP1252}")
    status, headers, body, _ = fetch(srv.url(article.path))
    assert status == 200 and headers["Content-Type"] == "text/html; charset=windows-1252"
    assert b'charset=windows-1252">' in body
    assert "Mali’s Ségou".encode("windows-1252") in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_non_article_pages(srv):
    status, _, body, _ = fetch(srv.url(fixture_server.VIDEO_PATH))
    assert status == 200 and parse_html(body).meta["og:type"] == "video.other"
    for path in ("/courier/tag/security", "/courier/news/africa/", "/ledger/section/politics"):
        status, _, body, _ = fetch(srv.url(path))
        assert status == 200 and parse_html(body).meta.get("og:type") != "article", path


def test_huge_empty_and_missing_pages(srv, corpus):
    huge = _article(corpus, f"ledger/{fixture_server.LEDGER_HUGE}")
    status, headers, body, _ = fetch(srv.url(huge.path), timeout=30)
    assert status == 200 and len(body) > 6_000_000 and "Content-Length" not in headers
    status, headers, body, _ = fetch(srv.url(fixture_server.LEDGER_EMPTY_PATH))
    assert status == 200 and body == b"" and headers["Content-Length"] == "0"
    assert fetch(srv.url(fixture_server.HERALD_DEAD_PATH))[0] == 404
    assert fetch(srv.url("/nowhere/at/all"))[0] == 404


def test_malformed_page_still_holds_the_article(srv, corpus):
    article = _article(corpus, f"observer/{fixture_server.OBSERVER_MALFORMED}")
    body = fetch(srv.url(article.path))[2].decode("utf-8")
    assert not body.rstrip().endswith("</html>") and body.count("<body") == 2
    text = html.unescape(body)
    for paragraph in article.body:
        assert paragraph in text


def test_slow_page_outlasts_a_short_client_timeout():
    with FixtureServer(port=0, slow_seconds=0.6) as server:
        article = _article(default_corpus(), f"ledger/{fixture_server.LEDGER_SLOW}")
        with pytest.raises((TimeoutError, urllib.error.URLError)):
            fetch(server.url(article.path), timeout=0.2)
        assert fetch(server.url(article.path), timeout=5)[0] == 200


def test_every_edge_case_is_reachable_from_a_discovery_document(srv):
    documents = b"".join(
        fetch(srv.url(p))[2]
        for p in (
            "/herald/rss.xml",
            "/courier/atom.xml",
            "/ledger/sitemap-news.xml",
            "/observer/",
            "/herald/",
            "/courier/",
        )
    )
    for case in srv.site.edge_cases():
        if case.path.startswith("/"):
            assert case.path.encode() in documents.replace(b"&amp;", b"&"), case.name


# ================================================================ config and CLI


def _expand(text: str, base: str) -> str:
    return re.sub(r"\$\{NEWSEVENTS_FIXTURE_URL(?::-[^}]*)?\}", base, text)


def test_sources_yml_points_at_live_discovery_documents(srv):
    config = yaml.safe_load(_expand((SITES / "sources.yml").read_text(), srv.base_url))
    assert config["crawler"]["timeout_seconds"] < fixture_server.SLOW_SECONDS
    assert config["crawler"]["max_page_bytes"] < fixture_server.HUGE_PAGE_BYTES
    sources = {s["id"]: s for s in config["sources"]}
    assert set(sources) == set(OUTLETS)
    assert not sources["observer"].get("feeds") and not sources["observer"].get("sitemaps")
    for source in sources.values():
        for url in [source["homepage"], *source.get("feeds", []), *source.get("sitemaps", [])]:
            assert fetch(url)[0] == 200, url


def test_cli_serves_until_interrupted():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "orchestration.fixture_sites.server", "--port", "0"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        base = (proc.stdout.readline() if proc.stdout else "").strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
        assert fetch(base + "/robots.txt")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_test_can_serve_its_own_small_corpus(corpus):
    subset = tuple(by_outlet(corpus, "courier")[:2])
    with FixtureServer(port=0, articles=subset) as server:
        hrefs = parse_html(fetch(server.url("/courier/"))[2]).hrefs
        assert [a.path for a in subset] == [h for h in hrefs if h.startswith("/courier/news/") and not h.endswith("/")]
        assert fetch(server.url("/herald/rss.xml"))[0] == 200
        assert all(
            case.article_key is None or case.article_key in {a.key for a in subset} for case in server.site.edge_cases()
        )


def test_modern_outlets_gzip_on_request_with_their_own_etag(srv, corpus):
    import gzip

    article = by_outlet(corpus, "herald")[0]
    plain = fetch(srv.url(article.path))
    packed = fetch(srv.url(article.path), {"Accept-Encoding": "gzip"})
    assert packed[1]["Content-Encoding"] == "gzip" and gzip.decompress(packed[2]) == plain[2]
    assert packed[1]["ETag"] != plain[1]["ETag"] and packed[1]["Vary"] == "Accept-Encoding"
    assert fetch(srv.url(article.path), {"Accept-Encoding": "gzip", "If-None-Match": packed[1]["ETag"]})[0] == 304
    ledger = fetch(srv.url("/ledger/"), {"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in ledger[1]
