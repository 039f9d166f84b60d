"""How well incidents are merged across articles: pairwise precision and recall.

Items are article keys. A clustering is a mapping cluster id -> article keys; an article may sit in
several clusters (it can report several incidents). Two articles are "together" when some cluster
holds both. Precision = share of predicted together-pairs that gold also has together; recall =
share of gold together-pairs that were predicted. By default only articles present on both sides
count, so an incident the extractor missed (or invented) is not mistaken for a merging error.

The gold of the fixture corpus is in orchestration/fixture_sites/articles/<outlet>/<YYYY-MM-DD>-<slug>.yml
(`gold.incidents[].incident_id`); the warehouse side is fct_incident_reports joined to the
articles' URLs, matched to gold by URL path and query (the fixture server serves /<outlet>/...;
orchestration/fixture_sites/corpus.py knows each article's path).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

ArticleKey = str  # the article URL path (and query) on its host, e.g. /herald/2026/11/15/<slug>
Clusters = Mapping[str, Iterable[ArticleKey]]


@dataclass(frozen=True)
class PairwiseScores:
    precision: float | None  # None when nothing was predicted together
    recall: float | None  # None when gold has no together-pair
    true_pairs: int
    predicted_pairs: int
    gold_pairs: int
    n_articles: int  # articles evaluated (the universe)

    @property
    def f1(self) -> float | None:
        if not self.precision or not self.recall:
            return None
        return 2 * self.precision * self.recall / (self.precision + self.recall)


def together_pairs(clusters: Clusters, universe: set[ArticleKey] | None = None) -> set[tuple[ArticleKey, ArticleKey]]:
    """Unordered pairs of distinct articles that share a cluster (restricted to the universe)."""
    pairs: set[tuple[ArticleKey, ArticleKey]] = set()
    for members in clusters.values():
        keys = sorted({key for key in members if universe is None or key in universe})
        pairs.update(itertools.combinations(keys, 2))
    return pairs


def articles_of(clusters: Clusters) -> set[ArticleKey]:
    return {key for members in clusters.values() for key in members}


def pairwise_scores(predicted: Clusters, gold: Clusters, common_articles_only: bool = True) -> PairwiseScores:
    """Pairwise precision/recall of 'same incident' decisions of predicted clusters against gold."""
    universe = articles_of(predicted) & articles_of(gold) if common_articles_only else None
    predicted_pairs = together_pairs(predicted, universe)
    gold_pairs = together_pairs(gold, universe)
    true_pairs = predicted_pairs & gold_pairs
    n_articles = len(universe) if universe is not None else len(articles_of(predicted) | articles_of(gold))
    return PairwiseScores(
        precision=len(true_pairs) / len(predicted_pairs) if predicted_pairs else None,
        recall=len(true_pairs) / len(gold_pairs) if gold_pairs else None,
        true_pairs=len(true_pairs),
        predicted_pairs=len(predicted_pairs),
        gold_pairs=len(gold_pairs),
        n_articles=n_articles,
    )


def url_key(url: str) -> str:
    """Path and query of a URL: how an article of the fixture host is known on both sides."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def gold_clusters(articles: Iterable[tuple[str, Iterable[str]]]) -> dict[str, set[ArticleKey]]:
    """Gold incident id -> article keys, from (article URL path, its gold incident ids)."""
    clusters: dict[str, set[ArticleKey]] = {}
    for path, incident_ids in articles:
        for incident_id in incident_ids:
            clusters.setdefault(incident_id, set()).add(url_key(path))
    return clusters


def predicted_clusters(rows: Iterable[tuple[str, str]]) -> dict[str, set[ArticleKey]]:
    """Incident id -> article keys from (incident_id, article URL) rows of fct_incident_reports."""
    clusters: dict[str, set[ArticleKey]] = {}
    for incident_id, url in rows:
        clusters.setdefault(incident_id, set()).add(url_key(url))
    return clusters


# ---------------------------------------------------------------- merging alone, on aligned mentions


@dataclass(frozen=True)
class MentionRecord:
    """One extracted report as the warehouse holds it (fct_incident_reports)."""

    article: ArticleKey
    mention_id: str
    incident_id: str
    country_iso2: str | None
    event_type: str
    event_date: date | None


@dataclass(frozen=True)
class GoldRecord:
    """One gold incident of one article."""

    article: ArticleKey
    incident_id: str
    country_iso2: str
    event_type: str
    event_date: date


def records_of(reports: Iterable[tuple], corpus: Iterable) -> tuple[list[MentionRecord], list[GoldRecord]]:
    """The warehouse's reports, rows of (incident_id, url, event_mention_id, country_iso2, event_type,
    event_date), and a gold corpus (articles with .path and .gold incidents) as the records
    aligned_scores compares."""
    mentions = [
        MentionRecord(url_key(url), mention_id, incident_id, country, event_type, event_date)
        for incident_id, url, mention_id, country, event_type, event_date in reports
    ]
    gold = [
        GoldRecord(url_key(article.path), g.incident_id, g.country_iso2, g.event_type, g.event_date)
        for article in corpus
        for g in article.gold
    ]
    return mentions, gold


def align_mentions(
    mentions: Iterable[MentionRecord], gold: Iterable[GoldRecord], max_days_apart: int = 1
) -> dict[str, GoldRecord]:
    """Match each extracted report to the gold incident of its article it describes, if any.

    A report matches a gold incident of the same article with the same country and event type and
    a date at most max_days_apart off; the closest date wins; each gold incident takes at most one
    report per article. Reports that got those wrong (or were invented) stay unmatched: extraction
    errors, not merging ones, which the end-to-end scores count.
    """
    gold_by_article: dict[ArticleKey, list[GoldRecord]] = {}
    for record in gold:
        gold_by_article.setdefault(record.article, []).append(record)
    candidates: list[tuple[tuple, MentionRecord, GoldRecord]] = []
    for mention in mentions:
        for record in gold_by_article.get(mention.article, []):
            if mention.country_iso2 != record.country_iso2 or mention.event_type != record.event_type:
                continue
            days_apart = abs((mention.event_date - record.event_date).days) if mention.event_date else None
            if days_apart is None or days_apart > max_days_apart:
                continue
            rank = (days_apart, mention.mention_id, record.incident_id)
            candidates.append((rank, mention, record))
    aligned: dict[str, GoldRecord] = {}
    taken: set[tuple[ArticleKey, str]] = set()
    for _, mention, record in sorted(candidates, key=lambda candidate: candidate[0]):
        if mention.mention_id in aligned or (record.article, record.incident_id) in taken:
            continue
        aligned[mention.mention_id] = record
        taken.add((record.article, record.incident_id))
    return aligned


def aligned_scores(mentions: Iterable[MentionRecord], gold: Iterable[GoldRecord]) -> PairwiseScores:
    """Pairwise scores of merging alone: items are (article, gold incident) pairs an extracted report
    was aligned to; predicted together = same warehouse incident, gold together = same gold id."""
    mentions = list(mentions)
    aligned = align_mentions(mentions, gold)
    predicted: dict[str, set[ArticleKey]] = {}
    expected: dict[str, set[ArticleKey]] = {}
    for mention in mentions:
        record = aligned.get(mention.mention_id)
        if record is None:
            continue
        item = f"{record.article}#{record.incident_id}"
        predicted.setdefault(mention.incident_id, set()).add(item)
        expected.setdefault(record.incident_id, set()).add(item)
    return pairwise_scores(predicted, expected)
