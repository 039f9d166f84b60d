"""robots.txt policy."""

from transforms.robots import RobotsPolicy

ROBOTS = """User-agent: *
Disallow: /ledger/private/
Crawl-delay: 2

User-agent: badbot
Disallow: /
"""


def test_disallowed_path_is_refused_and_others_allowed():
    policy = RobotsPolicy.from_text(ROBOTS)
    assert not policy.allows("http://127.0.0.1:8000/ledger/private/x", "newsevents")
    assert policy.allows("http://127.0.0.1:8000/ledger/story/a-1", "newsevents")
    assert not policy.allows("http://127.0.0.1:8000/ledger/story/a-1", "badbot")
    assert policy.crawl_delay("newsevents") == 2.0


def test_missing_robots_allows_and_unreachable_robots_denies():
    assert RobotsPolicy.from_status(404).allows("http://h.example/a", "ua")
    assert not RobotsPolicy.from_status(503).allows("http://h.example/a", "ua")
    assert not RobotsPolicy.from_status(None).allows("http://h.example/a", "ua")
