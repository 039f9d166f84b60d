"""Benchmark: extractor throughput on ~600-word articles, one core. Prints figures, asserts nothing.

    .venv/bin/python -m tests.benchmarks.bench_extract [--cases tests/data/devset/cases.jsonl] [--words 600]

Articles are built by joining dev-set texts (paragraph by paragraph) until each reaches the
target length, so the mix of event and background sentences stays realistic.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path


def build_articles(cases: list[dict], words: int) -> list[tuple[str, date, str | None]]:
    articles, parts, count = [], [], 0
    for case in cases * 4:
        parts.append(case["text"])
        count += len(case["text"].split())
        if count >= words:
            articles.append(
                ("\n\n".join(parts), date.fromisoformat(case["published"][:10]), case.get("source_country"))
            )
            parts, count = [], 0
    return articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=Path("tests/data/devset/cases.jsonl"))
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from transforms.extract import extract_events
    from transforms.extract.gazetteer import load_gazetteer

    load_gazetteer()
    load_seconds = time.perf_counter() - started
    cases = [json.loads(line) for line in args.cases.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = build_articles(cases, args.words)
    extract_events(articles[0][0], articles[0][1])  # compile lexicons outside the timing
    best = best_cpu = float("inf")
    events = 0
    for _ in range(args.rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        events = sum(len(extract_events(text, published, source_country=cc)) for text, published, cc in articles)
        best = min(best, time.perf_counter() - started)
        # CPU time of this process: what one core does, whatever else shares the machine.
        best_cpu = min(best_cpu, time.process_time() - started_cpu)
    mean_words = sum(len(t.split()) for t, _, _ in articles) / len(articles)
    print(f"gazetteer load (incl. imports): {load_seconds:.2f} s")
    print(f"articles: {len(articles)}  mean words: {mean_words:.0f}  events: {events}")
    words = sum(len(t.split()) for t, _, _ in articles)
    print(
        f"best of {args.rounds} (wall): {best:.3f} s  ->  {len(articles) / best:.1f} articles/s, "
        f"{words / best / 1000:.1f}k words/s"
    )
    print(
        f"best of {args.rounds} (CPU):  {best_cpu:.3f} s  ->  {len(articles) / best_cpu:.1f} articles/s, "
        f"{words / best_cpu / 1000:.1f}k words/s, {words / best_cpu / 600:.1f} 600-word articles/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
