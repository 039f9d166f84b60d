"""Incident extraction from English news text: rules and lexicons over an offline gazetteer,
with a small learned sub-type classifier (classifier.py). French and Spanish text is first glossed
into the English the rules read by its lexicons (lang.py), then coded by the same rules.

`extract_events(text, published, title=..., source_country=...)` returns zero or more
`EventMention`s (transforms.records). Bump EXTRACTOR_VERSION whenever rules or data change:
stored articles are re-extracted when it moves.
"""

from __future__ import annotations

import dataclasses
import datetime

from transforms.extract import lang as lang_mod
from transforms.records import EventMention

EXTRACTOR_VERSION = "0.11.0"


def extract_events(
    text: str,
    published: datetime.date,
    *,
    title: str | None = None,
    source_country: str | None = None,
    language: str | None = None,
) -> list[EventMention]:
    """Incidents reported in `text`; evidence offsets index into `text` itself.

    `language` (ISO 639-1; None reads as English): a language without a lexicon
    (`supported_language`) gives no events."""
    from transforms.extract.events import extract

    if isinstance(published, datetime.datetime):
        published = published.date()
    if not text or not text.strip():
        return []
    code = lang_mod.normalise_language(language)
    if code in (None, "en"):
        return extract(text, published, title=title, source_country=source_country)
    if code not in lang_mod.glossed_languages():
        return []
    glossed = lang_mod.gloss(text, code)
    title_en = lang_mod.gloss(title, code).text if title else title
    events = extract(glossed.text, published, title=title_en, source_country=source_country)
    return [_to_original(event, glossed) for event in events]


def supported_language(language: str | None) -> bool:
    """Whether `extract_events` reads this language (English, or one with a lexicon folder)."""
    code = lang_mod.normalise_language(language)
    return code in (None, "en") or code in lang_mod.glossed_languages()


def _to_original(event: EventMention, glossed: lang_mod.Glossed) -> EventMention:
    """The event with its evidence offsets, evidence text and actors' surface text as written."""
    evidence = tuple((glossed.to_original(start), glossed.to_original(end, end=True)) for start, end in event.evidence)
    text = glossed.original
    actors = tuple(
        dataclasses.replace(actor, surface_text=_as_written(actor.surface_text, glossed)) for actor in event.actors
    )
    return dataclasses.replace(
        event, evidence=evidence, evidence_text=" ".join(text[s:e] for s, e in evidence), actors=actors
    )


def _as_written(surface: str, glossed: lang_mod.Glossed) -> str:
    """The original words behind a glossed surface text ("gunmen" -> "hommes armés"); as is if not found."""
    start = glossed.text.find(surface) if surface else -1
    if start < 0:
        return surface
    original = glossed.original[glossed.to_original(start) : glossed.to_original(start + len(surface), end=True)]
    return original.strip() or surface


__all__ = ["EXTRACTOR_VERSION", "extract_events", "supported_language"]
