"""robots.txt rules for one host."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.robotparser import RobotFileParser


@dataclass
class RobotsPolicy:
    """What a host's robots.txt lets our user agent do.

    Missing robots.txt (4xx) allows everything; an unreachable one (5xx, timeout) disallows the
    host for this run, as the major crawlers do, rather than guessing.
    """

    parser: RobotFileParser | None
    allow_all: bool = False
    deny_all: bool = False

    @classmethod
    def from_text(cls, text: str) -> RobotsPolicy:
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        return cls(parser=parser)

    @classmethod
    def from_status(cls, status: int | None) -> RobotsPolicy:
        if status is not None and 400 <= status < 500:
            return cls(parser=None, allow_all=True)
        return cls(parser=None, deny_all=True)

    def allows(self, url: str, user_agent: str) -> bool:
        if self.allow_all:
            return True
        if self.deny_all or self.parser is None:
            return False
        return self.parser.can_fetch(user_agent, url)

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None
