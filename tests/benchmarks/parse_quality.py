"""Body-text, date and page-kind quality of the parser on the hand-written layout set.

    python -m tests.benchmarks.parse_quality [--rounds N] [--strategy NAME ...]

For every text strategy in transforms.parse.TEXT_STRATEGIES: token-shingle precision/recall/F1
(4-token shingles, as in the public article-extraction benchmark: precision and recall averaged
over pages, F1 from the two means) per page and overall, and pages/s of the whole parse. For the
shipped strategy also date accuracy, title accuracy, language accuracy and the article/non-article
decisions. A command that prints figures, not a timed test.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from transforms.parse import DEFAULT_TEXT_STRATEGY, TEXT_STRATEGIES, analyse_page

LAYOUT_DIR = Path(__file__).resolve().parents[1] / "data" / "layouts"


@dataclass(frozen=True)
class Layout:
    name: str
    body: bytes
    url: str
    content_type: str | None
    expected: dict
    expected_text: str | None  # None for pages that are not articles


def load_layouts(directory: Path = LAYOUT_DIR) -> list[Layout]:
    layouts = []
    for html_path in sorted(directory.glob("*.html")):
        meta = json.loads(html_path.with_suffix(".json").read_text(encoding="utf-8"))
        text_path = html_path.with_suffix(".txt")
        layouts.append(
            Layout(
                name=html_path.stem,
                body=html_path.read_bytes(),
                url=meta["url"],
                content_type=meta.get("content_type"),
                expected=meta,
                expected_text=text_path.read_text(encoding="utf-8") if text_path.exists() else None,
            )
        )
    return layouts


def load_site_pages() -> list[Layout]:
    """Article pages of the offline fixture sites (orchestration/fixture_sites), rendered without a server, with
    the corpus's own bodies, titles and timestamps as the expected values."""
    from datetime import UTC

    from orchestration.fixture_sites.corpus import default_corpus
    from orchestration.fixture_sites.server import FixtureSite

    articles = default_corpus()
    site = FixtureSite(articles, "http://127.0.0.1:8765")
    pages = []
    for article in articles:
        response = site.respond(article.path)
        if response.status != 200 or len(response.body) > 3_000_000:  # the huge-page edge case
            continue
        published = article.published.astimezone(UTC).replace(tzinfo=None)
        pages.append(
            Layout(
                name=article.key,
                body=response.body,
                url=site.base + article.path,
                content_type=response.content_type,
                expected={"title": article.title, "published_at": published.isoformat(), "language": article.language},
                expected_text=article.text,
            )
        )
    return pages


_TOKEN = re.compile(r"\w+")


def _shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_counts(expected: str, predicted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over 4-token shingles, normalised to sum to 1 so long pages weigh the same."""
    truth, pred = _shingles(expected), _shingles(predicted)
    tp = sum((truth & pred).values())
    fp = sum((pred - truth).values())
    fn = sum((truth - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_recall(tp: float, fp: float, fn: float) -> tuple[float, float]:
    if fp == fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class StrategyScore:
    strategy: str
    precision: float
    recall: float
    f1: float
    per_page: dict[str, float]
    pages_per_second: float


def score_strategy(layouts: list[Layout], strategy: str, rounds: int = 3) -> StrategyScore:
    articles = [layout for layout in layouts if layout.expected_text is not None]
    precisions, recalls, per_page = [], [], {}
    for layout in articles:
        parsed = analyse_page(layout.body, layout.url, content_type=layout.content_type, strategy=strategy)
        p, r = precision_recall(*shingle_counts(layout.expected_text, parsed.article.text))
        precisions.append(p)
        recalls.append(r)
        per_page[layout.name] = f1(p, r)
    started = time.perf_counter()
    for _ in range(rounds):
        for layout in layouts:
            analyse_page(layout.body, layout.url, content_type=layout.content_type, strategy=strategy)
    elapsed = time.perf_counter() - started
    mean_p, mean_r = statistics.mean(precisions), statistics.mean(recalls)
    return StrategyScore(strategy, mean_p, mean_r, f1(mean_p, mean_r), per_page, rounds * len(layouts) / elapsed)


def metadata_report(layouts: list[Layout]) -> list[str]:
    """Dates, titles, languages and page-kind decisions of the shipped strategy."""
    lines = []
    dates_exact = dates_day = dated = titles = languages = kinds = 0
    articles = [layout for layout in layouts if layout.expected_text is not None]
    for layout in layouts:
        parsed = analyse_page(layout.body, layout.url, content_type=layout.content_type)
        article, rejection, want = parsed.article, parsed.rejection, layout.expected
        if layout.expected_text is None:
            ok = rejection is not None and rejection.reason == want["reason"]
            kinds += ok
            got = f"{rejection.reason}: {rejection.detail}" if rejection else "kept as article"
            lines.append(f"  {layout.name:<18} want {want['reason']:<12} got {got}")
            continue
        kinds += rejection is None
        expected_at = datetime.fromisoformat(want["published_at"]) if want.get("published_at") else None
        if expected_at is not None:
            dated += 1
            dates_exact += article.published_at == expected_at
            dates_day += bool(article.published_at and article.published_at.date() == expected_at.date())
        titles += article.title == want["title"]
        languages += article.language == want["language"]
        lines.append(
            f"  {layout.name:<18} date {'ok ' if article.published_at == expected_at else 'BAD'} "
            f"{article.published_at} ({article.published_at_source}) "
            f"title {'ok ' if article.title == want['title'] else 'BAD'} "
            f"lang {article.language} " + (f"REJECTED {rejection.reason}: {rejection.detail}" if rejection else "")
        )
    return [
        f"date accuracy (exact, UTC): {dates_exact}/{dated}   same day: {dates_day}/{dated}",
        f"title accuracy: {titles}/{len(articles)}   language accuracy: {languages}/{len(articles)}",
        f"page kind (article kept / non-article rejected with the right reason): {kinds}/{len(layouts)}",
        *lines,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds over the layout set")
    parser.add_argument(
        "--strategy", action="append", choices=sorted(TEXT_STRATEGIES), help="strategies to measure (default: all)"
    )
    parser.add_argument("--no-sites", action="store_true", help="skip the second set, the fixture sites' article pages")
    args = parser.parse_args(argv)
    layouts = load_layouts()
    n_articles = sum(layout.expected_text is not None for layout in layouts)
    print(f"layout set: {len(layouts)} pages ({n_articles} articles) in {LAYOUT_DIR}")
    # warm up imports and caches so the first strategy is not charged for them
    analyse_page(layouts[0].body, layouts[0].url, content_type=layouts[0].content_type)
    scores = [score_strategy(layouts, name, args.rounds) for name in (args.strategy or TEXT_STRATEGIES)]
    print(f"\n{'strategy':<26}{'F1':>7}{'prec':>7}{'recall':>8}{'pages/s':>9}")
    for score in scores:
        marker = "  <- shipped" if score.strategy == DEFAULT_TEXT_STRATEGY else ""
        print(
            f"{score.strategy:<26}{score.f1:>7.3f}{score.precision:>7.3f}{score.recall:>8.3f}"
            f"{score.pages_per_second:>9.1f}{marker}"
        )
    print("\nper-page F1:")
    names = list(scores[0].per_page)
    print(f"  {'page':<18}" + "".join(f"{s.strategy[:14]:>15}" for s in scores))
    for name in names:
        print(f"  {name:<18}" + "".join(f"{s.per_page[name]:>15.3f}" for s in scores))
    print(f"\nmetadata ({DEFAULT_TEXT_STRATEGY}):")
    print("\n".join(metadata_report(layouts)))
    if not args.no_sites:
        site_pages = load_site_pages()
        print(f"\nfixture sites (orchestration/fixture_sites): {len(site_pages)} article pages, bodies from the corpus")
        print(f"{'strategy':<26}{'F1':>7}{'prec':>7}{'recall':>8}{'pages/s':>9}")
        for name in args.strategy or TEXT_STRATEGIES:
            score = score_strategy(site_pages, name, rounds=1)
            print(
                f"{name:<26}{score.f1:>7.3f}{score.precision:>7.3f}{score.recall:>8.3f}{score.pages_per_second:>9.1f}"
            )
        report = metadata_report(site_pages)
        print("\n".join(report[:3]))
        misses = [line.split()[0] for line in report[3:] if " date BAD" in line]
        print(f"  exact-date misses: {len(misses)}" + (f" (e.g. {', '.join(misses[:3])})" if misses else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
