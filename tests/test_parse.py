"""The article parser: decoding, date order, language, body text, rejections, the CLI, no network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from tests.benchmarks.parse_quality import (
    f1,
    load_layouts,
    precision_recall,
    shingle_counts,
)
from transforms.parse import (
    PARSER_VERSION,
    analyse_page,
    decode_html,
    guess_language,
    parse_page,
    strip_site_name,
)
from transforms.records import Article, ParseRejection

REPO = Path(__file__).resolve().parents[1]
LAYOUTS = load_layouts()
ARTICLE_LAYOUTS = [layout for layout in LAYOUTS if layout.expected_text is not None]
OTHER_LAYOUTS = [layout for layout in LAYOUTS if layout.expected_text is None]

BODY = " ".join(
    [
        "Gunmen attacked a police checkpoint outside the town on Thursday night, killing two officers",
        "and wounding three others, a provincial police spokesman said on Friday.",
        "The attackers fled on motorcycles towards the forest after an exchange of fire that lasted",
        "about twenty minutes, according to residents who heard the shooting from their homes.",
        "No group has claimed responsibility, but armed groups have carried out several similar",
        "attacks on security posts in the province since the start of the year.",
    ]
)


def page(
    head: str = "",
    body: str = f"<article><h1>Checkpoint attacked</h1><p>{BODY}</p></article>",
    html_attrs: str = 'lang="en"',
) -> bytes:
    return (
        f"<!DOCTYPE html><html {html_attrs}><head><title>Checkpoint attacked</title>{head}</head>"
        f"<body>{body}</body></html>"
    ).encode()


def parsed_article(body: bytes, url: str = "https://news.example/world/story", **kwargs) -> Article:
    result = parse_page(body, url, **kwargs)
    assert isinstance(result, Article), result
    return result


# ---------------------------------------------------------------- decoding


def test_http_charset_wins():
    text, encoding = decode_html("café".encode("cp1252"), "text/html; charset=windows-1252")
    assert (text, encoding) == ("café", "cp1252")


def test_latin1_label_decodes_as_windows_1252_like_browsers():
    text, encoding = decode_html(b"\x93quoted\x94", "text/html; charset=ISO-8859-1")
    assert text == "\u201cquoted\u201d" and encoding == "cp1252"


def test_bom_beats_meta_and_guessing():
    body = "<meta charset='windows-1252'><p>naïve</p>".encode()
    assert decode_html(b"\xef\xbb\xbf" + body, None) == ("<meta charset='windows-1252'><p>naïve</p>", "utf-8")
    utf16 = "\ufeff<p>Kyiv – Київ</p>".encode("utf-16-le")
    assert decode_html(utf16, None) == ("<p>Kyiv – Київ</p>", "utf-16-le")


def test_meta_charset_and_http_equiv():
    body = '<meta charset="iso-8859-15"><p>€ 5</p>'.encode("iso-8859-15")
    assert decode_html(body, "text/html") == ('<meta charset="iso-8859-15"><p>€ 5</p>', "iso8859-15")
    body = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>señal</p>'.encode("cp1252")
    text, encoding = decode_html(body, None)
    assert "señal" in text and encoding == "cp1252"


def test_undeclared_utf8_then_windows_1252_fallback():
    assert decode_html("Ouagadougou — café".encode(), None) == ("Ouagadougou — café", "utf-8")
    assert decode_html("Ouagadougou — café".encode("cp1252"), None) == ("Ouagadougou — café", "cp1252")


def test_wrong_or_unknown_declared_charset_is_not_trusted_blindly():
    # header says utf-8 but the bytes are windows-1252; an unknown label is ignored
    assert decode_html("señal".encode("cp1252"), "text/html; charset=utf-8") == ("señal", "cp1252")
    assert decode_html("señal".encode(), "text/html; charset=x-no-such-charset") == ("señal", "utf-8")


def test_bad_bytes_never_crash_decoding():
    text, encoding = decode_html(bytes(range(256)) * 4, "text/html; charset=utf-8")
    assert encoding == "cp1252" and len(text) == 1024


# ---------------------------------------------------------------- dates, in order of trust


def test_jsonld_date_first_and_converted_to_utc():
    head = (
        '<script type="application/ld+json">'
        '{"@type":"NewsArticle","datePublished":"2026-11-18T09:42:00+01:00"}</script>'
        '<meta property="article:published_time" content="2026-11-17T00:00:00Z">'
    )
    article = parsed_article(page(head))
    assert article.published_at == datetime(2026, 11, 18, 8, 42)
    assert article.published_at_source == "jsonld"


def test_broken_jsonld_still_yields_its_date():
    head = (
        '<script type="application/ld+json">{"@type":"NewsArticle", "datePublished":"2026-11-12T10:00:00Z",}</script>'
    )
    article = parsed_article(page(head))
    assert (article.published_at, article.published_at_source) == (datetime(2026, 11, 12, 10), "jsonld")


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="article:published_time" content="2026-11-20T23:30:00-05:00">',
        '<meta property="og:published_time" content="2026-11-21T04:30:00Z">',
        '<meta itemprop="datePublished" content="2026-11-21T04:30:00+00:00">',
        '<meta name="DC.date.issued" content="2026-11-21T07:30:00+03:00">',
    ],
    ids=["article", "og", "itemprop", "dublin-core"],
)
def test_meta_dates(head):
    article = parsed_article(page(head))
    assert (article.published_at, article.published_at_source) == (datetime(2026, 11, 21, 4, 30), "meta")


def test_modified_time_is_not_a_publication_date():
    head = '<meta property="article:modified_time" content="2026-11-21T04:30:00Z">'
    article = parsed_article(page(head), url="https://news.example/world/story")
    assert article.published_at_source != "meta"


def test_visible_byline_date_via_htmldate():
    body = (
        f"<article><h1>Checkpoint attacked</h1><div class='byline'>By A. Reporter | 19 November 2026</div>"
        f"<p>{BODY}</p></article><ul class='related'><li><a href='/a'>Older story about the province</a>"
        "<span>3 November 2026</span></li></ul>"
    )
    article = parsed_article(page(body=body))
    assert (article.published_at, article.published_at_source) == (datetime(2026, 11, 19), "htmldate")


def test_url_date_is_the_last_resort():
    article = parsed_article(page(), url="https://news.example/2026/11/07/checkpoint-attacked")
    assert (article.published_at, article.published_at_source) == (datetime(2026, 11, 7), "url")


def test_url_date_not_trusted_over_page_metadata_or_byline():
    url = "https://news.example/2026/11/01/checkpoint-attacked"
    canonical = f'<link rel="canonical" href="{url}">'
    meta = parsed_article(
        page(canonical + '<meta property="article:published_time" content="2026-11-21T08:00:00Z">'), url
    )
    assert (meta.published_at, meta.published_at_source) == (datetime(2026, 11, 21, 8), "meta")
    body = f"<article><h1>Checkpoint attacked</h1><p class='date'>Published 19 November 2026</p><p>{BODY}</p></article>"
    byline = parsed_article(page(canonical, body=body), url)
    assert (byline.published_at, byline.published_at_source) == (datetime(2026, 11, 19), "htmldate")


def test_no_date_anywhere_is_none():
    article = parsed_article(page(), url="https://news.example/world/checkpoint-attacked")
    assert (article.published_at, article.published_at_source) == (None, None)


def test_implausible_dates_are_ignored():
    head = '<meta property="article:published_time" content="2091-01-01T00:00:00Z">'
    assert parsed_article(page(head)).published_at_source != "meta"


# ---------------------------------------------------------------- language and title


def test_declared_language_from_lang_then_og_locale():
    assert parsed_article(page(html_attrs='lang="en-GB"')).language == "en"
    french = (
        "Des hommes armés ont attaqué un poste de police dans la nuit de jeudi, tuant deux agents "
        "et en blessant trois autres, selon un porte-parole de la police provinciale. "
    ) * 3
    body = f"<article><h1>Attaque</h1><p>{french}</p></article>"
    assert (
        parsed_article(page('<meta property="og:locale" content="fr_FR">', body=body, html_attrs="")).language == "fr"
    )


def test_language_from_stopwords_when_undeclared():
    assert guess_language(BODY) == "en"
    spanish = (
        "Hombres armados atacaron un puesto de control de la policía en las afueras de la ciudad "
        "el jueves por la noche y mataron a dos agentes, según un portavoz de la policía."
    )
    assert guess_language(spanish) == "es"
    assert guess_language("Hello") is None


def test_site_name_is_cut_from_page_titles():
    assert strip_site_name("Rocket fire hits market | The Levant Ledger") == "Rocket fire hits market"
    assert strip_site_name("The Andean Tribune :: Police disperse teachers' march in La Paz") == (
        "Police disperse teachers' march in La Paz"
    )
    assert strip_site_name("Burkina Faso : une attaque près de Djibo") == "Burkina Faso : une attaque près de Djibo"


# ---------------------------------------------------------------- rejections


def test_empty_and_tiny_pages_are_empty_text():
    for body in (b"", b"   \n", b"<html><body></body></html>", page(body="<h1>Checkpoint</h1><p>More to follow.</p>")):
        result = parse_page(body, "https://news.example/x")
        assert isinstance(result, ParseRejection) and result.reason == "empty_text", body


def test_binary_content_is_undecodable():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    result = parse_page(png, "https://news.example/image")
    assert isinstance(result, ParseRejection) and result.reason == "undecodable"


def test_extractor_crash_becomes_parser_error(monkeypatch):
    import trafilatura

    def broken(*args, **kwargs):
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(trafilatura, "extract", broken)
    result = parse_page(page(), "https://news.example/x")
    assert isinstance(result, ParseRejection) and result.reason == "parser_error"
    assert "extractor bug" in result.detail


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>" + b"<div>" * 20000 + b"<p>deep</p>" + b"</div>" * 20000 + b"</body></html>",
        b'<?xml version="1.0" encoding="utf-8"?><html><body><p>' + BODY.encode() + b"</p></body></html>",
        b"<html><body><p>nul\x00byte " + BODY.encode() + b"</p>",
        b"<<<>>><p <a href='x' <p>" + BODY.encode(),
        b"<html><frameset><frame src='a.html'></frameset></html>",
    ],
    ids=["deep-nesting", "xml-declaration", "nul-byte", "garbage-tags", "frameset"],
)
def test_hostile_markup_never_raises(body):
    result = parse_page(body, "https://news.example/x")
    assert isinstance(result, (Article, ParseRejection))


def test_video_page_with_caption_only_is_not_article():
    head = '<meta property="og:type" content="video.other">'
    body = "<h1>Video: aftermath of the attack</h1><video src='/v.mp4'></video><p>Footage from the scene. (0:58)</p>"
    result = parse_page(page(head, body=body), "https://news.example/video/1")
    assert isinstance(result, ParseRejection) and result.reason == "not_article"


# ---------------------------------------------------------------- the layout set


def test_layout_set_is_big_and_consistent():
    assert len(ARTICLE_LAYOUTS) >= 12 and len(OTHER_LAYOUTS) >= 4
    for layout in ARTICLE_LAYOUTS:
        decoded, _ = decode_html(layout.body, layout.content_type)
        flat = " ".join(decoded.replace("&amp;", "&").split())
        for paragraph in layout.expected_text.split("\n\n"):
            # every expected paragraph is really on the page (a typo in a fixture fails here)
            assert " ".join(paragraph.split()) in flat or layout.name == "legacy_table", (layout.name, paragraph[:60])


@pytest.mark.parametrize("layout", ARTICLE_LAYOUTS, ids=lambda layout: layout.name)
def test_layout_article_fields(layout):
    parsed = analyse_page(layout.body, layout.url, content_type=layout.content_type)
    assert parsed.rejection is None, parsed.rejection
    want = layout.expected
    article = parsed.article
    assert article.published_at == datetime.fromisoformat(want["published_at"])
    assert article.published_at_source == want["published_at_source"]
    assert article.language == want["language"]
    if "encoding" in want:
        assert parsed.encoding == want["encoding"]
    precision, recall = precision_recall(*shingle_counts(layout.expected_text, article.text))
    assert f1(precision, recall) >= 0.85, (precision, recall)


def test_layout_titles_mostly_right():
    right = [
        layout.name
        for layout in ARTICLE_LAYOUTS
        if analyse_page(layout.body, layout.url, content_type=layout.content_type).article.title
        == layout.expected["title"]
    ]
    assert len(right) >= len(ARTICLE_LAYOUTS) - 1, sorted({layout.name for layout in ARTICLE_LAYOUTS} - set(right))


def test_layout_body_f1_overall():
    precisions, recalls = [], []
    for layout in ARTICLE_LAYOUTS:
        text = analyse_page(layout.body, layout.url, content_type=layout.content_type).article.text
        p, r = precision_recall(*shingle_counts(layout.expected_text, text))
        precisions.append(p)
        recalls.append(r)
    assert f1(sum(precisions) / len(precisions), sum(recalls) / len(recalls)) >= 0.95


@pytest.mark.parametrize("layout", OTHER_LAYOUTS, ids=lambda layout: layout.name)
def test_layout_non_articles_rejected_with_reason(layout):
    result = parse_page(layout.body, layout.url, content_type=layout.content_type)
    assert isinstance(result, ParseRejection)
    assert result.reason == layout.expected["reason"], result.detail
    assert result.detail


def test_parser_version_is_set():
    assert PARSER_VERSION and isinstance(PARSER_VERSION, str)


# ---------------------------------------------------------------- the CLI, end to end


def newsevents(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "parse", *args],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        timeout=300,
    )


def test_cli_single_page_and_rejection_exit_code(tmp_path):
    layout = next(x for x in ARTICLE_LAYOUTS if x.name == "byline_date")
    done = newsevents(str(REPO / "tests/data/layouts/byline_date.html"), "--url", layout.url)
    assert done.returncode == 0, done.stderr.decode()
    out = json.loads(done.stdout)
    assert set(out) == {"title", "authors", "published_at", "published_at_source", "language", "text", "text_extractor"}
    assert out["published_at"] == "2026-11-19T00:00:00" and out["published_at_source"] == "htmldate"
    rejected = newsevents(
        "-", "--url", "https://news.example/tag/x", stdin=(REPO / "tests/data/layouts/tag_page.html").read_bytes()
    )
    assert rejected.returncode == 1
    assert json.loads(rejected.stdout)["rejected"] == "not_article"


def test_cli_jsonl_batch_one_line_per_input_and_survives_bad_lines():
    wanted = ARTICLE_LAYOUTS[:3]
    lines = [
        json.dumps({"id": layout.name, "html": decode_html(layout.body, layout.content_type)[0], "url": layout.url})
        for layout in wanted
    ]
    lines[1:1] = ["{not json", json.dumps({"id": "no-html", "url": "https://x.example/"}), json.dumps([1, 2])]
    lines.append(
        json.dumps(
            {
                "id": "tag",
                "html": (REPO / "tests/data/layouts/tag_page.html").read_text(),
                "url": "https://deltastandard.example/tag/kidnapping",
            }
        )
    )
    stdin = ("\n".join(lines) + "\n").encode() + b"\xff\xfe broken bytes line\n"
    done = newsevents("--jsonl", stdin=stdin)
    assert done.returncode == 1, done.stderr.decode()  # the batch's one error policy: bad lines set the exit code
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(out) == len(lines) + 1
    assert [o["id"] for o in out] == [
        wanted[0].name,
        None,
        "no-html",
        None,
        wanted[1].name,
        wanted[2].name,
        "tag",
        None,
    ]
    assert all("error" in out[i] for i in (1, 2, 3, 7))
    assert [out[i]["error"].split(":")[0] for i in (1, 2, 3, 7)] == ["line 2", "line 3", "line 4", "line 8"]
    for record, layout in zip((out[0], out[4], out[5]), wanted, strict=True):
        assert {"id", "title", "authors", "published_at", "language", "text"} <= set(record)
        assert record["title"] == layout.expected["title"]
        assert record["published_at"] == layout.expected["published_at"]
        assert f1(*precision_recall(*shingle_counts(layout.expected_text, record["text"]))) >= 0.85
    assert out[6]["rejected"] == "not_article" and out[6]["text"]


# ---------------------------------------------------------------- no network


NO_NETWORK_SCRIPT = textwrap.dedent(
    """
    import ipaddress, socket, sys
    attempts = []

    def loopback(host):
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return host == "localhost"

    real_connect = socket.socket.connect
    def connect(self, address):
        if isinstance(address, tuple) and not loopback(address[0]):
            attempts.append(("connect", address))
            raise OSError("network refused by test")
        return real_connect(self, address)
    socket.socket.connect = connect
    real_getaddrinfo = socket.getaddrinfo
    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not loopback(str(host)):
            attempts.append(("dns", host))
            raise socket.gaierror("network refused by test")
        return real_getaddrinfo(host, *args, **kwargs)
    socket.getaddrinfo = getaddrinfo

    from pathlib import Path
    from transforms.parse import parse_page
    from transforms.parse.body import prepare_newspaper
    for path in sorted(Path("tests/data/layouts").glob("*.html")):
        parse_page(path.read_bytes(), "https://www.news.example.co.uk/2026/11/20/story.html")
    # newspaper3k's own tldextract call sites, which fetch the suffix list when left alone
    prepare_newspaper()
    from newspaper import urls, extractors, source
    assert urls.valid_url("https://www.bbc.co.uk/news/world-africa-12345678") in (True, False)
    assert urls.tldextract.extract("https://a.b.example.co.uk/x").suffix == "co.uk"
    assert extractors.tldextract.extract("https://news.example.com.au/").suffix == "com.au"
    print("ATTEMPTS", attempts)
    sys.exit(1 if attempts else 0)
    """
)


def test_parsing_makes_no_network_calls(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", NO_NETWORK_SCRIPT], cwd=REPO, env=env, capture_output=True, timeout=300
    )
    assert done.returncode == 0, (done.stdout.decode()[-2000:], done.stderr.decode()[-2000:])
    assert b"ATTEMPTS []" in done.stdout
    # tldextract wrote no suffix-list cache either (it only read its bundled snapshot)
    assert not (tmp_path / "cache" / "python-tldextract").exists()


# ---------------------------------------------------------------- index pages and page furniture


def _cards(n: int) -> str:
    return "".join(
        f"<article class='card'><a class='cat' href='/africa/'>Africa</a><h2><a href='/story-{i}'>"
        f"Headline number {i} about events in the region</a></h2><p>Short teaser number {i} for the "
        f"story, one sentence long.</p></article>"
        for i in range(n)
    )


def test_index_page_of_teaser_cards_is_not_article_even_if_it_claims_article():
    for head in ("", '<meta property="og:type" content="article">'):
        result = parse_page(
            page(head, body=f"<h1>Africa</h1><div class='cards'>{_cards(10)}</div>"), "https://news.example/africa/"
        )
        assert isinstance(result, ParseRejection) and result.reason == "not_article", head
        assert "teaser cards" in result.detail


def test_thin_section_front_with_two_cards_is_not_article():
    result = parse_page(
        page(body=f"<h1>Business</h1><div class='cards'>{_cards(2)}</div>"), "https://news.example/business/"
    )
    assert isinstance(result, ParseRejection) and result.reason == "not_article"


def test_article_with_related_teasers_is_still_an_article():
    body = (
        f"<article><h1>Checkpoint attacked</h1><p>{BODY}</p><p>{BODY}</p></article>"
        f"<section class='related'>{_cards(8)}</section>"
    )
    article = parsed_article(page(body=body))
    assert "Short teaser" not in article.text


def test_byline_time_with_zone_name_and_offset():
    for byline, expected in (
        ("By Priya Nair | Published 12 November 2026, 16:05 IST", datetime(2026, 11, 12, 10, 35)),
        ("Posted: Friday, November 13, 2026 10:10 AM", datetime(2026, 11, 13, 10, 10)),
        ("Le 17 novembre 2026 à 21h05 (UTC+1)", datetime(2026, 11, 17, 20, 5)),
    ):
        body = f"<article><h1>Checkpoint attacked</h1><div class='byline'>{byline}</div><p>{BODY}</p></article>"
        article = parsed_article(page(body=body))
        assert (article.published_at, article.published_at_source) == (expected, "htmldate"), byline


def test_headline_kicker_byline_and_table_debris_are_not_body():
    body = (
        f"<div class='story'><p>WORLD</p><p class='headline'>Checkpoint attacked</p><p>By A. Reporter</p>"
        f"<p>{BODY}</p><p>{BODY}</p><table><tr><td>Share:</td><td>X</td></tr></table></div>"
    )
    text = parsed_article(page(body=body)).text
    assert text.startswith("Gunmen attacked") and text.count("Gunmen attacked") == 2
    assert "WORLD" not in text and "By A. Reporter" not in text and "Share" not in text


def test_social_embeds_and_read_also_links_are_pruned():
    body = (
        f"<article><h1>Checkpoint attacked</h1><p>{BODY}</p>"
        "<blockquote class='social-embed'><p>Breaking: checkpoint attacked tonight, more soon</p></blockquote>"
        "<p><strong>READ ALSO:</strong> <a href='/x'>Another attack on a checkpoint last month in the north</a></p>"
        f"<p>{BODY}</p></article>"
    )
    text = parsed_article(page(body=body)).text
    assert "more soon" not in text and "READ ALSO" not in text and text.count("Gunmen attacked") == 2


def test_newspaper3k_body_is_the_fallback_when_trafilatura_finds_nothing(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: None)
    body = f"<article><h1>Checkpoint attacked</h1><p>{BODY}</p><p>{BODY.replace('Gunmen', 'Attackers')}</p></article>"
    article = parsed_article(page(body=body))
    assert article.text_extractor == "newspaper3k"
    assert "Attackers attacked a police checkpoint" in article.text


def test_video_typed_page_with_a_real_story_is_kept():
    head = '<meta property="og:type" content="video.other">'
    body = f"<h1>Checkpoint attacked</h1><video src='/v.mp4'></video><p>{BODY}</p><p>{BODY}</p>"
    assert isinstance(parse_page(page(head, body=body), "https://news.example/video/2"), Article)


def test_strip_scripts_keeps_json_ld_and_survives_unclosed_tags():
    from transforms.parse import strip_scripts

    markup = (
        "<p>a</p><script>x()</script><SCRIPT type='application/ld+json'>{\"k\": 1}</SCRIPT><style>p{}</style ><p>b</p>"
    )
    assert strip_scripts(markup) == "<p>a</p><SCRIPT type='application/ld+json'>{\"k\": 1}</SCRIPT><p>b</p>"
    assert strip_scripts("<p>kept</p><script>never closed<p>gone</p>") == "<p>kept</p>"
