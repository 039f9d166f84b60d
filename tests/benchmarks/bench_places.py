"""Benchmark: place index start-up and place resolution per article, one core. Prints figures,
asserts nothing.

    .venv/bin/python -m tests.benchmarks.bench_places [--cases tests/data/devset/cases.jsonl] [--words 600]

Start-up is timed in a fresh interpreter (imports plus loading the cached index; run it twice
if the cache was cold). Resolution is what `article_places` and resolving every sentence cost
on ~600-word articles built from the dev set, as `bench_extract` builds them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from tests.benchmarks.bench_extract import build_articles

_STARTUP = (
    "import time; t, c = time.perf_counter(), time.process_time(); "
    "from transforms.extract.gazetteer import load_gazetteer; load_gazetteer(); "
    "print(time.perf_counter() - t, time.process_time() - c)"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=Path("tests/data/devset/cases.jsonl"))
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    runs = [
        subprocess.run([sys.executable, "-c", _STARTUP], capture_output=True, text=True, check=True).stdout.split()
        for _ in range(3)
    ]
    wall, cpu = min(float(r[0]) for r in runs), min(float(r[1]) for r in runs)
    from transforms.extract.events import split_sentences
    from transforms.extract.places import article_places

    cases = [json.loads(line) for line in args.cases.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [(text, split_sentences(text), cc) for text, _, cc in build_articles(cases, args.words)]
    best = float("inf")
    places = 0
    for _ in range(args.rounds):
        started = time.process_time()
        places = 0
        for text, sentences, cc in articles:
            article = article_places(text, sentences, [True] * len(sentences), None, cc)
            for i, (s, e) in enumerate(sentences):
                places += len(article.resolve_in(i, s, e))
        best = min(best, time.process_time() - started)
    # Wall time depends on what else the machine runs; CPU time is what this start-up itself costs.
    print(f"place index start-up (fresh interpreter, warm cache): {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"articles: {len(articles)}  resolved places: {places}")
    print(
        f"place resolution, every sentence read (CPU, best of {args.rounds}): "
        f"{best / len(articles) * 1000:.2f} ms per article"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
