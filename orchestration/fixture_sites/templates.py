"""HTML and XML templates of the four fixture outlets.

Each outlet looks like a different kind of real news site, so that link discovery, date finding
and body extraction meet the variety they meet in the wild:

- herald:   modern HTML5, JSON-LD NewsArticle, OpenGraph and article:* meta, RSS 2.0 feed.
- courier:  OpenGraph + article:published_time meta only (no JSON-LD), AMP copies, Atom feed.
- ledger:   no machine-readable date at all; the date is only in the visible byline. News sitemap.
- observer: legacy CMS: layout tables, <font>, inline scripts, comments, unclosed <p>. No feed.

Templates are pure functions of (article, base URL, neighbours); the server decides which to call.
All text is escaped here; article fields are plain text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from urllib.parse import quote

from orchestration.fixture_sites.corpus import FixtureArticle

OUTLET_NAMES: dict[str, str] = {
    "herald": "The Meridian Herald",
    "courier": "Coastal Courier",
    "ledger": "Frontier Ledger",
    "observer": "Sahel Observer",
}

SECTION_LABELS: dict[str, str] = {
    "world": "World",
    "africa": "Africa",
    "middle-east": "Middle East",
    "asia": "Asia",
    "americas": "Americas",
    "europe": "Europe",
    "business": "Business",
    "sport": "Sport",
    "culture": "Culture",
    "politics": "Politics",
}

# Offsets the newsrooms print as zone names; anything else is printed as UTC+hh:mm.
_ZONE_NAMES: dict[timedelta, str] = {
    timedelta(hours=5, minutes=30): "IST",
    timedelta(hours=3): "EAT",
    timedelta(hours=1): "WAT",
    timedelta(0): "GMT",
}

SHARE_HOST = "https://social.example"  # reserved .example TLD: share widgets must never be followed


def e(text: str) -> str:
    return escape(text, quote=True)


def http_date(moment: datetime) -> str:
    """RFC 7231 date for Last-Modified headers."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def rfc822(moment: datetime) -> str:
    """RSS pubDate, keeping the newsroom's own offset."""
    return format_datetime(moment)


def zone_name(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    if offset in _ZONE_NAMES:
        return _ZONE_NAMES[offset]
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def long_date(moment: datetime) -> str:
    """'15 November 2026, 09:12 IST' (ledger byline style)."""
    return f"{moment.day} {moment:%B %Y, %H:%M} {zone_name(moment)}"


def _authors_text(article: FixtureArticle) -> str:
    if not article.authors:
        return ""
    if len(article.authors) == 1:
        return article.authors[0]
    return ", ".join(article.authors[:-1]) + " and " + article.authors[-1]


def _share_widget(url: str, title: str) -> str:
    u, t = quote(url, safe=""), quote(title, safe="")
    return (
        '<div class="share-tools" aria-label="Share this article">'
        f'<a class="share share-x" href="{SHARE_HOST}/intent/post?url={u}&amp;text={t}">Post</a>'
        f'<a class="share share-fb" href="{SHARE_HOST}/sharer?u={u}">Share</a>'
        f'<a class="share share-wa" href="{SHARE_HOST}/send?text={t}%20{u}">WhatsApp</a>'
        f'<a class="share share-mail" href="mailto:?subject={t}&amp;body={u}">Email</a>'
        '<button class="share-copy" type="button">Copy link</button></div>'
    )


def _paragraphs(paras: Iterable[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return "\n".join(f"<p{attr}>{e(p)}</p>" for p in paras)


# ================================================================ herald


def _herald_nav() -> str:
    items = "".join(
        f'<li><a href="/herald/section/{s}">{e(SECTION_LABELS[s])}</a></li>'
        for s in ("world", "europe", "africa", "middle-east", "asia", "americas", "business", "sport", "culture")
    )
    return (
        '<header class="site-header"><a class="logo" href="/herald/">The Meridian Herald</a>'
        '<form class="search" action="/herald/search" method="get"><input name="q" placeholder="Search"></form>'
        '<a class="subscribe" href="/herald/subscribe">Subscribe from £1</a>'
        f'<nav class="primary-nav"><ul>{items}</ul></nav></header>'
        '<div class="cookie-banner" role="dialog"><p>We use cookies to personalise content and ads. '
        '<a href="/herald/cookies">Manage preferences</a></p><button>Accept all</button></div>'
    )


def _herald_footer() -> str:
    return (
        '<footer class="site-footer"><nav><ul>'
        '<li><a href="/herald/about">About us</a></li><li><a href="/herald/contact">Contact</a></li>'
        '<li><a href="/herald/corrections">Corrections</a></li><li><a href="/herald/rss.xml">RSS</a></li>'
        '<li><a href="/herald/terms">Terms</a></li></ul></nav>'
        '<p class="copyright">© 2026 Meridian Herald Media Ltd. All rights reserved. '
        "Registered in England and Wales.</p></footer>"
    )


def herald_article(article: FixtureArticle, base: str, related: Sequence[FixtureArticle]) -> str:
    url = base + article.path
    modified = article.last_modified
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.title,
        "description": article.standfirst,
        "datePublished": article.published.isoformat(),
        "dateModified": modified.isoformat(),
        "inLanguage": article.language,
        "articleSection": SECTION_LABELS[article.section],
        "keywords": list(article.tags),
        "author": [{"@type": "Person", "name": a} for a in article.authors],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": "The Meridian Herald",
            "logo": {"@type": "ImageObject", "url": f"{base}/herald/static/logo.png"},
        },
    }
    ld_json = json.dumps(ld, ensure_ascii=False, indent=1).replace("</", "<\\/")
    meta_authors = "".join(f'<meta name="author" content="{e(a)}">' for a in article.authors)
    tags_meta = "".join(f'<meta property="article:tag" content="{e(t)}">' for t in article.tags)
    body = list(article.body)
    # Inline clutter real CMSs inject between paragraphs.
    read_more = ""
    if related:
        r = related[0]
        read_more = (
            f'<aside class="inline-related"><strong>Read more:</strong> <a href="{r.path}">{e(r.title)}</a></aside>'
        )
    embed = (
        '<blockquote class="social-embed" data-platform="post">'
        f"<p>{e(article.title)} — latest updates from our correspondents</p>"
        "<footer>— Meridian Herald (@MeridianHerald)</footer></blockquote>"
    )
    body_html = (
        _paragraphs(body[:2])
        + "\n"
        + read_more
        + "\n"
        + '<div class="ad-slot ad-inarticle" data-slot="mpu-1">Advertisement</div>\n'
        + _paragraphs(body[2:3])
        + "\n"
        + embed
        + "\n"
        + _paragraphs(body[3:])
    )
    byline_authors = ", ".join(
        f'<a rel="author" href="/herald/profile/{quote(a.lower().replace(" ", "-"))}">{e(a)}</a>'
        for a in article.authors
    )
    updated_html = ""
    if article.updated:
        updated_html = (
            f' <span class="updated">Updated <time datetime="{article.updated.isoformat()}">'
            f"{article.updated:%H:%M} {zone_name(article.updated)}</time></span>"
        )
    related_html = "".join(
        f'<li><a href="{r.path}"><span class="kicker">{e(SECTION_LABELS[r.section])}</span> {e(r.title)}</a></li>'
        for r in related
    )
    tags_html = "".join(f'<li><a href="/herald/tag/{quote(t)}">{e(t)}</a></li>' for t in article.tags)
    return f"""<!DOCTYPE html>
<html lang="{article.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(article.title)} | The Meridian Herald</title>
<meta name="description" content="{e(article.standfirst)}">
{meta_authors}
<link rel="canonical" href="{e(url)}">
<link rel="alternate" type="application/rss+xml" title="The Meridian Herald" href="/herald/rss.xml">
<meta property="og:site_name" content="The Meridian Herald">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(article.title)}">
<meta property="og:description" content="{e(article.standfirst)}">
<meta property="og:url" content="{e(url)}">
<meta property="article:published_time" content="{article.published.isoformat()}">
<meta property="article:modified_time" content="{modified.isoformat()}">
<meta property="article:section" content="{e(SECTION_LABELS[article.section])}">
{tags_meta}
<script type="application/ld+json">
{ld_json}
</script>
<link rel="stylesheet" href="/herald/static/main.css">
<script async src="/herald/static/analytics.js"></script>
</head>
<body class="article-page">
{_herald_nav()}
<div class="ad-slot ad-leaderboard" data-slot="top">Advertisement</div>
<main id="content">
<nav class="breadcrumbs"><a href="/herald/">Home</a> › <a href="/herald/section/{article.section}">{e(SECTION_LABELS[article.section])}</a></nav>
<article class="story">
<header class="story-header">
<h1 class="headline">{e(article.title)}</h1>
<p class="standfirst">{e(article.standfirst)}</p>
<div class="byline">By {byline_authors} <time datetime="{article.published.isoformat()}" class="published">{article.published.day} {article.published:%B %Y}</time>{updated_html}</div>
{_share_widget(url, article.title)}
</header>
<div class="story-body" itemprop="articleBody">
{body_html}
</div>
<ul class="story-tags">{tags_html}</ul>
{_share_widget(url, article.title)}
<div class="newsletter-signup"><h3>Get the Morning Briefing</h3><p>The day's top stories in your inbox at 7am.</p><form action="/herald/newsletter"><input name="email"><button>Sign up</button></form></div>
</article>
<aside class="related-stories"><h2>Related stories</h2><ul>{related_html}</ul></aside>
<aside class="most-read"><h2>Most read</h2><ol>{related_html}</ol></aside>
</main>
<div class="ad-slot ad-footer" data-slot="bottom">Advertisement</div>
{_herald_footer()}
<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"pageType":"article","section":"{article.section}"}});</script>
</body>
</html>
"""


def herald_listing(
    title: str, articles: Sequence[FixtureArticle], *, top_ref: str | None = None, top_count: int = 0, canonical: str
) -> str:
    """Homepage, section and tag pages. The first `top_count` links carry `?ref=<top_ref>`."""

    def teaser(a: FixtureArticle, href: str) -> str:
        return (
            f'<div class="teaser"><span class="kicker">{e(SECTION_LABELS[a.section])}</span>'
            f'<h3><a href="{e(href)}">{e(a.title)}</a></h3><p>{e(a.standfirst)}</p></div>'
        )

    top = "".join(teaser(a, f"{a.path}?ref={top_ref}") for a in articles[:top_count]) if top_ref else ""
    latest = "".join(teaser(a, a.path) for a in articles)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)} | The Meridian Herald</title>
<link rel="canonical" href="{e(canonical)}">
<link rel="alternate" type="application/rss+xml" title="The Meridian Herald" href="/herald/rss.xml">
<meta property="og:type" content="website"></head>
<body class="front">
{_herald_nav()}
<div class="ad-slot ad-leaderboard">Advertisement</div>
<main><h1 class="page-title">{e(title)}</h1>
<section class="top-stories"><h2>Top stories</h2>{top}</section>
<section class="latest"><h2>Latest</h2>{latest}</section>
<section class="promo"><h2>Podcasts</h2><p><a href="/herald/podcasts">The Briefing: 20 minutes on the world, every weekday</a></p></section>
<div class="ad-slot ad-mpu">Advertisement</div>
</main>
{_herald_footer()}
</body></html>
"""


def herald_video(base: str, path: str, title: str, caption: str, published: datetime) -> str:
    """A video page: og:type video.other and a one-line caption, no article body."""
    url = base + path
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)} | Video | The Meridian Herald</title>
<link rel="canonical" href="{e(url)}">
<meta property="og:type" content="video.other">
<meta property="og:title" content="{e(title)}">
<meta property="og:url" content="{e(url)}">
<meta property="og:video" content="{e(base)}/herald/media/flood-clip.mp4">
<meta property="video:release_date" content="{published.isoformat()}">
</head><body class="video-page">
{_herald_nav()}
<main><div class="player"><video controls preload="none" poster="/herald/media/flood-clip.jpg">
<source src="/herald/media/flood-clip.mp4" type="video/mp4"></video></div>
<h1>{e(title)}</h1><p class="caption">{e(caption)}</p>
{_share_widget(url, title)}
</main>
{_herald_footer()}
</body></html>
"""


def herald_rss(
    base: str, items: Sequence[tuple[str, str, str, datetime, str, Sequence[str], str]], build_date: datetime
) -> str:
    """RSS 2.0. items: (title, link, description, published, guid, authors, category)."""
    parts = []
    for title, link, description, published, guid, authors, category in items:
        creators = "".join(f"<dc:creator>{e(a)}</dc:creator>" for a in authors)
        parts.append(
            f"<item><title>{e(title)}</title><link>{e(link)}</link>"
            f"<description>{e(description)}</description><pubDate>{rfc822(published)}</pubDate>"
            f'<guid isPermaLink="false">{e(guid)}</guid>{creators}<category>{e(category)}</category></item>'
        )
    items_xml = "\n".join(parts)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>The Meridian Herald</title>
<link>{e(base)}/herald/</link>
<description>News, analysis and comment from The Meridian Herald</description>
<language>en-gb</language>
<lastBuildDate>{rfc822(build_date)}</lastBuildDate>
<atom:link href="{e(base)}/herald/rss.xml" rel="self" type="application/rss+xml"/>
<ttl>15</ttl>
{items_xml}
</channel>
</rss>
"""


# ================================================================ courier


def _courier_header() -> str:
    sections = "".join(
        f'<a href="/courier/news/{s}/">{e(SECTION_LABELS[s])}</a> '
        for s in ("africa", "world", "business", "politics", "sport", "culture")
    )
    return (
        '<div id="top-bar"><span>Mombasa 31°C</span> <a href="/courier/e-paper">E-Paper</a> '
        '<a href="/courier/login">Log in</a></div>'
        f'<header id="masthead"><a href="/courier/"><img src="/courier/img/logo.svg" alt="Coastal Courier"></a>'
        f'<nav class="menu">{sections}</nav></header>'
        '<div class="breaking-ticker"><strong>TRENDING</strong> <a href="/courier/tag/security">Security</a> '
        '<a href="/courier/tag/kenya">Kenya</a> <a href="/courier/tag/elections">Elections</a></div>'
    )


def _courier_footer() -> str:
    return (
        '<footer id="colophon"><div class="footer-links"><a href="/courier/about-us">About Us</a> | '
        '<a href="/courier/advertise">Advertise</a> | <a href="/courier/privacy-policy">Privacy</a> | '
        '<a href="/courier/atom.xml">Atom feed</a></div>'
        "<p>Coastal Courier is published by Pwani Media Group, Mombasa. © 2026</p></footer>"
    )


def courier_article(article: FixtureArticle, base: str, related: Sequence[FixtureArticle], *, amp: bool = False) -> str:
    """Main page (amp=False) or its AMP copy; both carry rel=canonical to the main URL."""
    url = base + article.path
    tags_meta = "".join(f'<meta property="article:tag" content="{e(t)}">' for t in article.tags)
    modified_meta = (
        f'<meta property="article:modified_time" content="{article.updated.isoformat()}">' if article.updated else ""
    )
    also = "".join(f'<li><a href="{r.path}">{e(r.title)}</a></li>' for r in related)
    authors = _authors_text(article)
    head_common = f"""<meta charset="utf-8">
<title>{e(article.title)} - Coastal Courier</title>
<link rel="canonical" href="{e(url)}">
<meta name="description" content="{e(article.standfirst)}">
<meta name="author" content="{e(authors)}">
<meta property="og:site_name" content="Coastal Courier">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(article.title)}">
<meta property="og:description" content="{e(article.standfirst)}">
<meta property="og:url" content="{e(url)}">
<meta property="og:locale" content="{article.language}_KE">
<meta property="article:published_time" content="{article.published.isoformat()}">
{modified_meta}
<meta property="article:section" content="{e(SECTION_LABELS[article.section])}">
{tags_meta}"""
    if amp:
        return f"""<!doctype html>
<html amp lang="{article.language}">
<head>
{head_common}
<meta name="viewport" content="width=device-width">
<script async src="/courier/amp/v0.js"></script>
<style amp-boilerplate>body{{visibility:hidden}}</style>
</head>
<body>
<header class="amp-header"><a href="/courier/">Coastal Courier</a></header>
<article>
<h1>{e(article.title)}</h1>
<p class="amp-byline">By {e(authors)} · {article.published:%B} {article.published.day}, {article.published:%Y}</p>
{_paragraphs(article.body)}
</article>
<amp-ad width="300" height="250" type="adsense"></amp-ad>
<footer><a href="{e(url)}">View full site</a></footer>
</body>
</html>
"""
    body = list(article.body)
    also_read = ""
    if related:
        also_read = f'<p class="also-read"><strong>ALSO READ:</strong> <a href="{related[-1].path}">{e(related[-1].title)}</a></p>'
    body_html = "\n".join(
        [_paragraphs(body[:1])]
        + ['<div class="advert inline-ad"><span>ADVERTISEMENT</span><ins class="adsbygoogle"></ins></div>']
        + [_paragraphs(body[1:3]), also_read]
        + ['<div class="advert inline-ad"><span>ADVERTISEMENT</span><ins class="adsbygoogle"></ins></div>']
        + [_paragraphs(body[3:])]
    )
    return f"""<!DOCTYPE html>
<html lang="{article.language}">
<head>
{head_common}
<link rel="amphtml" href="{e(base)}/courier/amp/{article.slug}">
<meta name="twitter:card" content="summary_large_image">
<link rel="stylesheet" href="/courier/css/style.min.css?ver=4.2.1">
<script src="/courier/js/jquery.min.js"></script>
</head>
<body class="post-template-default single single-post">
{_courier_header()}
<div id="page" class="container">
<div class="row">
<div class="col-md-8 main-column">
<div class="entry-header">
<span class="cat-links"><a href="/courier/news/{article.section}/">{e(SECTION_LABELS[article.section])}</a></span>
<h1 class="entry-title">{e(article.title)}</h1>
<div class="entry-summary"><p>{e(article.standfirst)}</p></div>
<div class="entry-meta"><span class="author vcard">By <a href="/courier/author/{quote(authors.lower().replace(" ", "-"))}">{e(authors)}</a></span>
<span class="posted-on">{article.published:%B} {article.published.day}, {article.published:%Y}</span></div>
</div>
{_share_widget(url, article.title)}
<div class="entry-content story-text">
{body_html}
</div>
<div class="entry-tags">Tags: {" ".join(f'<a href="/courier/tag/{quote(t)}" rel="tag">{e(t)}</a>' for t in article.tags)}</div>
<div id="comments" class="comments-area"><h3>Leave a comment</h3><p>Comments are moderated and may take time to appear.</p></div>
</div>
<div class="col-md-4 sidebar">
<section class="widget popular-posts"><h3 class="widget-title">Popular</h3><ul>{also}</ul></section>
<section class="widget advert"><span>ADVERTISEMENT</span></section>
<section class="widget newsletter"><h3>Courier Daily</h3><p>Sign up for our free newsletter.</p></section>
</div>
</div>
<section class="related-posts"><h3>You may also like</h3><ul>{also}</ul></section>
</div>
{_courier_footer()}
<script>jQuery(function($){{$('.share-copy').on('click',function(){{}});}});</script>
</body>
</html>
"""


def courier_listing(title: str, articles: Sequence[FixtureArticle], *, canonical: str) -> str:
    cards = "".join(
        f'<article class="card"><a class="cat" href="/courier/news/{a.section}/">{e(SECTION_LABELS[a.section])}</a>'
        f'<h2 class="card-title"><a href="{a.path}">{e(a.title)}</a></h2>'
        f'<p class="card-excerpt">{e(a.standfirst)}</p></article>'
        for a in articles
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)} - Coastal Courier</title>
<link rel="canonical" href="{e(canonical)}">
<meta property="og:type" content="website">
<link rel="alternate" type="application/atom+xml" href="/courier/atom.xml"></head>
<body class="archive">
{_courier_header()}
<div id="page" class="container"><h1 class="archive-title">{e(title)}</h1>
<div class="advert leaderboard"><span>ADVERTISEMENT</span></div>
<div class="cards">{cards}</div>
<nav class="pagination"><span class="current">1</span></nav></div>
{_courier_footer()}
</body></html>
"""


def courier_atom(
    base: str, entries: Sequence[tuple[str, str, str, datetime, datetime, Sequence[str], str]], updated: datetime
) -> str:
    """Atom 1.0. entries: (title, link, summary, published, updated, authors, entry_id)."""
    parts = []
    for title, link, summary, published, entry_updated, authors, entry_id in entries:
        author_xml = "".join(f"<author><name>{e(a)}</name></author>" for a in authors)
        parts.append(
            f'<entry><title type="text">{e(title)}</title><link rel="alternate" type="text/html" href="{e(link)}"/>'
            f"<id>{e(entry_id)}</id><published>{published.isoformat()}</published>"
            f"<updated>{entry_updated.isoformat()}</updated>{author_xml}"
            f'<summary type="text">{e(summary)}</summary></entry>'
        )
    entries_xml = "\n".join(parts)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title>Coastal Courier</title>
<subtitle>News from the Kenyan coast and the region</subtitle>
<link rel="self" type="application/atom+xml" href="{e(base)}/courier/atom.xml"/>
<link rel="alternate" type="text/html" href="{e(base)}/courier/"/>
<id>tag:coastal-courier.example,2026:feed</id>
<updated>{updated.isoformat()}</updated>
{entries_xml}
</feed>
"""


# ================================================================ ledger


def _ledger_header() -> str:
    return (
        '<div class="ledger-top"><a href="/ledger/">FRONTIER LEDGER</a><span class="tagline">News that counts</span>'
        '<a class="epaper" href="/ledger/epaper">ePaper</a> <a href="/ledger/private/subscriber-briefing-kashmir">Subscriber exclusive</a></div>'
        '<ul class="ledger-nav"><li><a href="/ledger/section/politics">Politics</a></li>'
        '<li><a href="/ledger/section/asia">India &amp; Asia</a></li><li><a href="/ledger/section/world">World</a></li>'
        '<li><a href="/ledger/section/business">Business</a></li><li><a href="/ledger/section/sport">Sport</a></li></ul>'
    )


def _ledger_footer() -> str:
    return (
        '<div class="ledger-footer"><a href="/ledger/about">About</a> · <a href="/ledger/careers">Careers</a> · '
        '<a href="/ledger/grievance">Grievance redressal</a> · <a href="/ledger/sitemap.xml">Sitemap</a>'
        "<p>Frontier Ledger Publications Pvt Ltd, Guwahati. All rights reserved.</p></div>"
    )


def ledger_byline(article: FixtureArticle) -> str:
    """The only place a ledger page carries its date: visible text, newsroom time zone."""
    who = f"By {_authors_text(article)} | " if article.authors else ""
    line = f"{who}Published {long_date(article.published)}"
    if article.updated:
        line += f" | Updated {long_date(article.updated)}"
    return line


def ledger_article(
    article: FixtureArticle, base: str, related: Sequence[FixtureArticle], *, comments_html: str = ""
) -> str:
    url = base + article.path
    trending = "".join(f'<li><a href="{r.path}">{e(r.title)}</a></li>' for r in related)
    body = list(article.body)
    body_html = "\n".join(
        [_paragraphs(body[:2])]
        + ['<div class="ldg-ad" id="div-gpt-ad-mid">Advertisement<br>Continue reading below</div>']
        + [_paragraphs(body[2:])]
    )
    return f"""<!DOCTYPE html>
<html lang="{article.language}">
<head>
<meta charset="UTF-8">
<title>{e(article.title)} — Frontier Ledger</title>
<meta name="description" content="{e(article.standfirst)}">
<meta name="keywords" content="{e(", ".join(article.tags))}">
<meta property="og:title" content="{e(article.title)}">
<meta property="og:site_name" content="Frontier Ledger">
<link rel="canonical" href="{e(url)}">
<link rel="stylesheet" href="/ledger/assets/app.css">
</head>
<body>
{_ledger_header()}
<div class="wrap">
<div class="story-col">
<div class="story-section">{e(SECTION_LABELS[article.section]).upper()}</div>
<h1>{e(article.title)}</h1>
<h2 class="synopsis">{e(article.standfirst)}</h2>
<div class="story-byline">{e(ledger_byline(article))}</div>
{_share_widget(url, article.title)}
<div class="story-content">
{body_html}
</div>
<div class="story-footer-note"><em>Follow Frontier Ledger for the latest news from India and the region.</em></div>
<div class="ldg-related"><h4>Also in {e(SECTION_LABELS[article.section])}</h4><ul>{trending}</ul></div>
{comments_html}
</div>
<div class="rail"><div class="ldg-ad">Advertisement</div><h4>Trending now</h4><ol>{trending}</ol></div>
</div>
{_ledger_footer()}
</body>
</html>
"""


_COMMENTERS = (
    "rkverma",
    "Sunita_B",
    "madhu.k",
    "PuneInvestor",
    "arjun_1987",
    "TeaGardenTalks",
    "vasudha",
    "chartwatcher",
    "Kishore M",
    "anon_trader",
)
_COMMENT_LINES = (
    "Rural demand story has been sold to us every year since the pandemic. Show me the volumes.",
    "Tractor sales are a lagging indicator, the real test is two-wheelers in the next quarter.",
    "Good analysis but what about the vegetable price spike? My grocery bill says otherwise.",
    "Foreign investors selling for three days and we celebrate a 0.8 per cent rise?",
    "Procurement prices went up, fine, but input costs went up more. Ask any farmer in Vidarbha.",
    "Booked profit in FMCG today. Will re-enter after the December policy.",
    "The wedding season effect is real, jewellery stocks already moved last week.",
    "Can the Ledger do a piece on cold storage capacity? That is where the money is lost.",
)


def ledger_comment_thread(min_bytes: int) -> str:
    """A deterministic reader-comment thread of at least min_bytes (the 'huge page' case)."""
    chunks = ['<section id="reader-comments" class="comments"><h3>Reader comments</h3>']
    size = len(chunks[0])
    i = 0
    while size < min_bytes:
        who = _COMMENTERS[i % len(_COMMENTERS)]
        text = _COMMENT_LINES[(i * 7 + i // len(_COMMENT_LINES)) % len(_COMMENT_LINES)]
        chunk = (
            f'<div class="comment" id="c{i + 1}"><span class="who">{e(who)}</span> '
            f'<span class="ago">{(i % 23) + 1}h ago</span><p>{e(text)}</p>'
            f'<a class="reply" href="#c{i + 1}">Reply</a> <span class="likes">{(i * 37) % 211} likes</span></div>\n'
        )
        chunks.append(chunk)
        size += len(chunk)
        i += 1
    chunks.append("</section>")
    return "".join(chunks)


def ledger_listing(title: str, articles: Sequence[FixtureArticle], *, canonical: str) -> str:
    rows = "".join(
        f'<li class="ldg-item"><a href="{a.path}">{e(a.title)}</a><p>{e(a.standfirst)}</p></li>' for a in articles
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>{e(title)} — Frontier Ledger</title>
<link rel="canonical" href="{e(canonical)}"></head>
<body>{_ledger_header()}
<div class="wrap"><h1>{e(title)}</h1><div class="ldg-ad">Advertisement</div><ul class="ldg-list">{rows}</ul></div>
{_ledger_footer()}</body></html>
"""


def ledger_static(title: str, paragraphs: Sequence[str], *, canonical: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>{e(title)} — Frontier Ledger</title>
<link rel="canonical" href="{e(canonical)}"></head>
<body>{_ledger_header()}<div class="wrap"><h1>{e(title)}</h1>{_paragraphs(paragraphs)}</div>{_ledger_footer()}</body></html>
"""


def ledger_news_sitemap(entries: Sequence[tuple[str, datetime, str, str]]) -> str:
    """Google News sitemap. entries: (loc, publication_date, title, language)."""
    urls = "\n".join(
        f"<url><loc>{e(loc)}</loc><news:news><news:publication><news:name>Frontier Ledger</news:name>"
        f"<news:language>{lang}</news:language></news:publication>"
        f"<news:publication_date>{published.isoformat()}</news:publication_date>"
        f"<news:title>{e(title)}</news:title></news:news></url>"
        for loc, published, title, lang in entries
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{urls}
</urlset>
"""


def plain_sitemap(entries: Sequence[tuple[str, datetime]]) -> str:
    urls = "\n".join(
        f"<url><loc>{e(loc)}</loc><lastmod>{lastmod.isoformat()}</lastmod></url>" for loc, lastmod in entries
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{urls}
</urlset>
"""


def sitemap_index(entries: Sequence[tuple[str, datetime]]) -> str:
    maps = "\n".join(
        f"<sitemap><loc>{e(loc)}</loc><lastmod>{lastmod.isoformat()}</lastmod></sitemap>" for loc, lastmod in entries
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{maps}
</sitemapindex>
"""


# ================================================================ observer


def _observer_left_nav() -> str:
    return """<table width="100%" border="0" cellspacing="0" cellpadding="3" bgcolor="#e8e1c8">
<tr><td><font face="Verdana" size="1"><b>SECTIONS</b></font></td></tr>
<tr><td><a href="/observer/"><font face="Verdana" size="2">Home</font></a></td></tr>
<tr><td><a href="/observer/africa/"><font face="Verdana" size="2">Africa</font></a></td></tr>
<tr><td><a href="/observer/world/"><font face="Verdana" size="2">World</font></a></td></tr>
<tr><td><a href="/observer/business/"><font face="Verdana" size="2">Business</font></a></td></tr>
<tr><td><a href="/observer/sport/"><font face="Verdana" size="2">Sport</font></a></td></tr>
<tr><td><a href="/observer/about.html"><font face="Verdana" size="2">About Us</font></a></td></tr>
<tr><td><a href="/observer/contact.php"><font face="Verdana" size="2">Contact</font></a></td></tr>
<tr><td><a href="/observer/cgi-bin/poll.cgi?vote=1"><font face="Verdana" size="1">Vote in our poll</font></a></td></tr>
</table>"""


def _observer_sidebar(others: Sequence[FixtureArticle], ref: str | None = None) -> str:
    def href(a: FixtureArticle) -> str:
        if ref is None:
            return a.path
        return a.path + ("&" if "?" in a.path else "?") + f"ref={ref}"

    rows = "\n".join(
        f'<tr><td valign="top"><img src="/observer/img/bullet.gif" width="7" height="7"></td>'
        f'<td><a href="{e(href(a))}"><font face="Arial" size="2" color="#003366">{e(a.title)}</font></a>'
        for a in others  # <td> and <tr> deliberately left unclosed, as the old CMS does
    )
    return f"""<table width="100%" border="0" cellpadding="2" cellspacing="0">
<tr><td colspan="2" bgcolor="#8b1a1a"><font color="#ffffff" face="Arial" size="2"><b>OTHER HEADLINES</b></font></td></tr>
{rows}
</table>
<!-- BEGIN ADVERT 160x600 -->
<script language="JavaScript">document.write('<a href="/observer/ads/click.php?id=77"><img src="/observer/ads/banner160.gif" border=0></a>');</script>
<!-- END ADVERT -->"""


def _observer_page(title: str, centre: str, sidebar: str, canonical: str, charset: str, extra_head: str = "") -> str:
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>Sahel Observer :: {e(title)}</title>
<link rel="canonical" href="{e(canonical)}">
{extra_head}
<script language="JavaScript" type="text/javascript">
<!--
var hitcounter_site = "sahelobserver"; var pageTracker = null;
function popUp(URL) {{ window.open(URL, 'poll', 'width=300,height=200'); }}
//-->
</script>
</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0" marginwidth="0" marginheight="0">
<!-- ======== HEADER ======== -->
<table width="980" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td colspan="3" bgcolor="#8b1a1a"><a href="/observer/"><img src="/observer/img/masthead.gif" width="980" height="90" border="0" alt="Sahel Observer - The Voice of the Sahel"></a></td></tr>
<tr><td colspan="3" bgcolor="#f2eedc"><font face="Verdana" size="1">&nbsp;Breaking: <a href="/observer/">Visit our homepage for the latest news</a> &nbsp;|&nbsp; <a href="/observer/archive.php">Archives</a></font></td></tr>
<tr>
<td width="160" valign="top">{_observer_left_nav()}</td>
<td width="620" valign="top">
<!-- ======== CONTENT ======== -->
{centre}
<!-- ======== /CONTENT ======== -->
</td>
<td width="200" valign="top">{sidebar}</td>
</tr>
<tr><td colspan="3" align="center"><font face="Verdana" size="1" color="#666666">Copyright &copy; 2003-2026 Sahel Observer Newspapers Ltd. Kano &amp; Niamey. Powered by NewsPro CMS 2.1</font></td></tr>
</table>
<script language="JavaScript">var d=new Date(); document.write('<img src="/observer/counter.php?t='+d.getTime()+'" width=1 height=1>');</script>
</body>
</html>
"""


def observer_article(
    article: FixtureArticle,
    base: str,
    others: Sequence[FixtureArticle],
    *,
    charset: str = "utf-8",
    malformed: bool = False,
) -> str:
    """The old CMS page. charset only changes the declaration; the server encodes the bytes.

    malformed=True breaks the markup further (mis-nested and stray tags, bare ampersands,
    duplicate <body>, a document cut off mid-tag) while the article text stays intact.
    """
    url = base + article.path
    authors = _authors_text(article) or "Staff Reporter"
    posted = (
        f"{article.published:%A, %B} {article.published.day}, {article.published:%Y} "
        f"{article.published:%I:%M %p}".replace(" 0", " ")
    )
    paras = "\n".join(f'<p><font face="Verdana" size="2">{e(p)}' for p in article.body)  # unclosed <p> and <font>
    if malformed:
        first, *rest = article.body
        paras = f"<p><font face=Verdana size=2><b><i>{e(first)}</b></i>\n" + "\n".join(
            (f"<P><font face=Verdana size=2>{e(p)}</div></span>" if i % 2 else f"<p class=txt>{e(p)}</td>")
            for i, p in enumerate(rest)
        )
    centre = f"""<table width="100%" border="0" cellpadding="6" cellspacing="0"><tr><td>
<font face="Arial" size="1" color="#8b1a1a"><b>{e(SECTION_LABELS[article.section]).upper()}</b></font><br>
<font face="Georgia" size="5" color="#000000"><b>{e(article.title)}</b></font><br>
<font face="Verdana" size="1" color="#666666">By {e(authors)} &nbsp;&middot;&nbsp; Posted: {e(posted)}</font>
<br><br>
<!-- google_ad_section_start -->
<font face="Verdana" size="2"><i>{e(article.standfirst)}</i></font>
{paras}
<!-- google_ad_section_end -->
<br><table border="0" cellpadding="2"><tr><td><font size="1">Share:</font></td>
<td><a href="{SHARE_HOST}/sharer?u={quote(url, safe="")}"><img src="/observer/img/fb.gif" border="0"></a></td>
<td><a href="javascript:popUp('/observer/print.php')"><img src="/observer/img/print.gif" border="0"></a></td></tr></table>
<!-- comments disabled 2019 -->
</td></tr></table>"""
    page = _observer_page(article.title, centre, _observer_sidebar(others), url, charset)
    if malformed:
        page = page.replace("<body ", "<body><div id=wrap><body ", 1)
        page = page.replace("Kano &amp; Niamey", "Kano & Niamey &copy 2026 &nbsp")
        cut = page.rfind("<script language")
        page = page[:cut] + '<td class="foot" colspan=3 <font size=1>'  # cut off mid-tag, no </html>
    return page


def observer_listing(
    title: str, articles: Sequence[FixtureArticle], hot: Sequence[FixtureArticle], *, canonical: str
) -> str:
    rows = "\n".join(
        f'<tr><td><a href="{e(a.path)}"><font face="Georgia" size="3"><b>{e(a.title)}</b></font></a><br>'
        f'<font face="Verdana" size="2">{e(a.standfirst)}</font> <a href="{e(a.path)}"><font size="1">more &raquo;</font></a></td></tr>'
        for a in articles
    )
    centre = f"""<font face="Arial" size="4"><b>{e(title)}</b></font>
<table width="100%" border="0" cellpadding="5" cellspacing="0">
{rows}
</table>
<p><font size="1"><a href="/observer/archive.php">Older stories &raquo;</a></font>"""
    return _observer_page(title, centre, _observer_sidebar(hot, ref="home"), canonical, "utf-8")


def observer_static(title: str, text: str, *, canonical: str) -> str:
    centre = f'<font face="Arial" size="4"><b>{e(title)}</b></font><p><font face="Verdana" size="2">{e(text)}'
    return _observer_page(title, centre, "", canonical, "utf-8")


# ================================================================ shared small pages


def not_found_page(outlet: str | None) -> str:
    name = OUTLET_NAMES.get(outlet or "", "Fixture news host")
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Page not found | {e(name)}</title></head>'
        f"<body><h1>Page not found</h1><p>The page you requested does not exist or has been removed.</p>"
        f'<p><a href="/{outlet or ""}">Return to the homepage</a></p></body></html>'
    )


def error_page(status: int) -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{status} Internal Server Error</title></head>"
        f"<body><h1>Internal Server Error</h1><p>The server encountered a temporary error. Please try again.</p>"
        f"</body></html>"
    )
