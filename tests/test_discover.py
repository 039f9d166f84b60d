"""Feed, sitemap and homepage discovery on documents written here."""

from datetime import date, datetime

from transforms.crawl import find_canonical, in_window
from transforms.discover import looks_like_article_url, parse_feed, parse_homepage, parse_sitemap
from transforms.records import Link

RSS = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Herald</title>
<item><title>Blast in market</title><link>https://herald.example/2026/11/15/blast?utm_source=rss</link>
<pubDate>Sun, 15 Nov 2026 07:45:00 +0300</pubDate></item>
<item><title>Same blast, share link</title><link>https://herald.example/2026/11/15/blast#comments</link></item>
<item><title>No date</title><link>/2026/11/14/talks</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Courier</title>
<entry><title>Clash</title><link href="https://courier.example/news/africa/clash"/>
<id>tag:courier.example,2026:1</id><updated>2026-11-12T10:00:00Z</updated></entry>
</feed>"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://ledger.example/story/raid-in-district-1043</loc>
<news:news><news:publication_date>2026-11-13T09:12:00+05:30</news:publication_date>
<news:title>Raid in district</news:title></news:news></url>
<url><loc>https://ledger.example/story/other-2001</loc><lastmod>2026-11-10</lastmod></url>
</urlset>"""

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://ledger.example/sitemap-news.xml</loc></sitemap>
</sitemapindex>"""


def test_rss_links_are_normalised_deduplicated_and_dated_in_utc():
    links = parse_feed(RSS, "https://herald.example/rss.xml", "herald")
    assert [link.url for link in links] == [
        "https://herald.example/2026/11/15/blast",
        "https://herald.example/2026/11/14/talks",
    ]
    assert links[0].published_at == datetime(2026, 11, 15, 4, 45)
    assert links[1].published_at is None


def test_atom_entries_are_found():
    links = parse_feed(ATOM, "https://courier.example/atom.xml", "courier")
    assert links[0].url == "https://courier.example/news/africa/clash"
    assert links[0].published_at == datetime(2026, 11, 12, 10, 0)


def test_news_sitemap_dates_and_titles():
    result = parse_sitemap(NEWS_SITEMAP, "https://ledger.example/sitemap-news.xml", "ledger")
    assert [link.url for link in result.links] == [
        "https://ledger.example/story/raid-in-district-1043",
        "https://ledger.example/story/other-2001",
    ]
    assert result.links[0].published_at == datetime(2026, 11, 13, 3, 42)
    assert result.links[0].title == "Raid in district"
    assert result.links[1].published_at == datetime(2026, 11, 10)


def test_sitemap_index_gives_children_and_garbage_gives_nothing():
    result = parse_sitemap(SITEMAP_INDEX, "https://ledger.example/sitemap.xml", "ledger")
    assert result.child_sitemaps == ("https://ledger.example/sitemap-news.xml",)
    assert parse_sitemap(b"<html>not xml", "https://x.example/s.xml", "x").links == ()
    assert parse_sitemap(b"", "https://x.example/s.xml", "x").links == ()


def test_xml_entities_are_not_expanded():
    evil = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/&x;</loc></url></urlset>"""
    result = parse_sitemap(evil, "https://a.example/s.xml", "a")
    assert all("root:" not in link.url for link in result.links)


def test_homepage_keeps_story_links_of_the_same_site_only():
    html = """<html><body><nav><a href="/observer/">Home</a><a href="/observer/tag/security/">Tag</a>
    <a href="/observer/about">About</a></nav>
    <a href="/observer/africa/gunmen-attack-village-near-maiduguri.html?ref=home">Gunmen attack</a>
    <a href="/observer/index.php?id=20431">Legacy id link</a>
    <a href="https://other.example/some-long-story-slug">Elsewhere</a>
    <a href="/observer/video/clip-of-the-day-here">Video</a></body></html>"""
    links = parse_homepage(html, "http://127.0.0.1:8000/observer/", "observer")
    assert [link.url for link in links] == [
        "http://127.0.0.1:8000/observer/africa/gunmen-attack-village-near-maiduguri.html",
        "http://127.0.0.1:8000/observer/index.php?id=20431",
    ]
    assert links[0].title == "Gunmen attack"


def test_article_url_heuristic():
    home = "https://site.example/news/"
    assert looks_like_article_url("https://site.example/news/world/rebels-seize-town-in-north", home)
    assert not looks_like_article_url("https://site.example/news/world/", home)
    assert not looks_like_article_url("https://site.example/shop/cheap-things-for-sale", home)


def test_crawl_window_keeps_undated_and_recent_links_only():
    day = date(2026, 11, 15)
    link = lambda when: Link(url="u", source_id="s", found_in="f", published_at=when)  # noqa: E731
    assert in_window(link(None), day, 3)
    assert in_window(link(datetime(2026, 11, 15, 23, 59)), day, 3)
    assert in_window(link(datetime(2026, 11, 12, 0, 0)), day, 3)
    assert not in_window(link(datetime(2026, 11, 16, 0, 0)), day, 3)  # belongs to a later day
    assert not in_window(link(datetime(2026, 11, 11, 23, 0)), day, 3)  # too old


def test_canonical_link_same_host_only():
    body = b'<html><head><link href="/news/world/story" rel="canonical"></head></html>'
    assert find_canonical(body, "https://c.example/amp/story") == "https://c.example/news/world/story"
    other = b'<link rel="canonical" href="https://wire.example/original">'
    assert find_canonical(other, "https://c.example/story") == "https://c.example/story"
    assert find_canonical(b"<html></html>", "https://c.example/x") == "https://c.example/x"


def test_gzipped_sitemap_is_inflated_whatever_the_headers_said():
    import gzip

    result = parse_sitemap(gzip.compress(NEWS_SITEMAP), "https://ledger.example/sitemap-news.xml.gz", "ledger")
    assert result.links == parse_sitemap(NEWS_SITEMAP, "https://ledger.example/sitemap-news.xml.gz", "ledger").links
    assert result.links


def test_gzip_bomb_sitemap_yields_nothing():
    import gzip

    from transforms.discover import gunzip_bounded

    bomb = gzip.compress(b"<urlset>" + b" " * 2_000_000 + b"</urlset>")
    assert gunzip_bounded(bomb, limit=1_000_000) is None
    assert parse_sitemap(b"\x1f\x8b not really gzip", "https://a.example/s.xml.gz", "a").links == ()
