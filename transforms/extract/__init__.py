"""Incident extraction from English news text: rules and lexicons over an offline gazetteer,
with a small learned sub-type classifier (classifier.py).

`extract_events(text, published, title=..., source_country=...)` returns zero or more
`EventMention`s (transforms.records). Bump EXTRACTOR_VERSION whenever rules or data change:
stored articles are re-extracted when it moves.
"""

from __future__ import annotations

import datetime

from transforms.records import EventMention

EXTRACTOR_VERSION = "0.8.0"


def extract_events(
    text: str,
    published: datetime.date,
    *,
    title: str | None = None,
    source_country: str | None = None,
) -> list[EventMention]:
    """Incidents reported in `text`; evidence offsets index into `text` itself."""
    from transforms.extract.events import extract

    if isinstance(published, datetime.datetime):
        published = published.date()
    if not text or not text.strip():
        return []
    return extract(text, published, title=title, source_country=source_country)


__all__ = ["EXTRACTOR_VERSION", "extract_events"]
