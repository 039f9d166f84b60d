"""URL normalisation and the private-address guard."""

import pytest

from transforms.urls import BlockedAddressError, check_address, host_key, is_public_address, normalize_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://Example.COM:80/a/b?utm_source=rss&utm_medium=feed", "http://example.com/a/b"),
        ("https://example.com:443/story#comments", "https://example.com/story"),
        ("https://example.com/story?b=2&a=1&fbclid=xyz", "https://example.com/story?a=1&b=2"),
        ("https://example.com/news/../world/./story", "https://example.com/world/story"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/caf%C3%A9", "https://example.com/caf%C3%A9"),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com:8443/x?ref=home", "https://example.com:8443/x"),
        ("https://example.com/read?id=42&mc_cid=1", "https://example.com/read?id=42"),
    ],
)
def test_normalize_url_canonicalises(raw, expected):
    assert normalize_url(raw) == expected


def test_normalize_url_resolves_relative_links_against_base():
    assert (
        normalize_url("../world/x?utm_campaign=a", base="https://site.example/news/today/")
        == "https://site.example/news/world/x"
    )


@pytest.mark.parametrize(
    "raw",
    ["", "mailto:desk@example.com", "javascript:void(0)", "ftp://example.com/f", "https:///nohost", "http://[bad"],
)
def test_normalize_url_rejects_non_http(raw):
    assert normalize_url(raw) is None


def test_same_story_through_feed_and_share_link_compares_equal():
    feed = normalize_url("https://news.example/2026/11/15/story?utm_source=rss&utm_medium=feed")
    share = normalize_url("https://NEWS.example/2026/11/15/story?ref=home#top")
    assert feed == share


def test_host_key_includes_port():
    assert host_key("http://127.0.0.1:8000/a") != host_key("http://127.0.0.1:9000/a")


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "0.0.0.0", "169.254.1.1", "fe80::1", "::ffff:127.0.0.1"])
def test_non_public_addresses_are_recognised(address):
    assert not is_public_address(address)


def test_guard_refuses_loopback_without_opt_in():
    with pytest.raises(BlockedAddressError, match="non-public address 127.0.0.1"):
        check_address("http://127.0.0.1:9/feed.xml", allow_private=False)
    with pytest.raises(BlockedAddressError, match="non-public"):
        check_address("http://localhost:9/feed.xml", allow_private=False)


def test_guard_allows_loopback_with_opt_in():
    check_address("http://127.0.0.1:9/feed.xml", allow_private=True)
