"""`newsevents parse`: parse one HTML page, or a JSONL batch, with the pipeline's parser.

    newsevents parse page.html --url https://example.org/story     # one JSON object
    newsevents parse - --url URL < page.html
    newsevents parse --jsonl < pages.jsonl > parsed.jsonl           # {id, html, url} per line

The single-page form exits 1 and prints {"rejected": reason, "detail": ...} when the page is not
kept as an article. The batch form writes one line per input line, in order, and never stops on a
bad line: unreadable input gives {"id", "error"}; a page the pipeline would reject still gets its
fields and text (batch evaluation wants them) plus "rejected" and "detail".
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path


def register(subparsers) -> None:
    """Add this module's subcommands to the `newsevents` parser."""
    parser = subparsers.add_parser(
        "parse",
        help="parse an HTML page (or a JSONL batch) into article fields",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("file", nargs="?", default="-", help="HTML file, or - for stdin (default)")
    parser.add_argument("--url", default="", help="the page's URL (used for relative links and as the date of last resort)")
    parser.add_argument("--content-type", default=None, help="HTTP Content-Type header, for its charset")
    parser.add_argument("--jsonl", action="store_true",
                        help="read JSONL {id, html, url} on stdin, write JSONL on stdout")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes for --jsonl (output order is kept)")
    parser.set_defaults(func=handle_parse)


def handle_parse(args: argparse.Namespace) -> int:
    if args.jsonl:
        # bytes in, replacement on bad UTF-8: one broken line must not end the stream
        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", errors="replace")
        try:
            return run_jsonl(stdin, stdout, workers=max(1, args.workers))
        finally:
            stdout.flush()
            stdout.detach()
    return run_single(args.file, args.url, args.content_type)


def run_single(file: str, url: str, content_type: str | None) -> int:
    from transforms.parse import analyse_page, article_to_json

    try:
        body = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        print(f"newsevents parse: cannot read {file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    parsed = analyse_page(body, url, content_type=content_type)
    if parsed.rejection is not None:
        print(json.dumps({"rejected": parsed.rejection.reason, "detail": parsed.rejection.detail},
                         ensure_ascii=False))
        return 1
    print(json.dumps(article_to_json(parsed.article), ensure_ascii=False))
    return 0


def parse_jsonl_line(line: str) -> dict:
    """One input line → one output record. Never raises."""
    from transforms.parse import analyse_page

    record_id = None
    try:
        item = json.loads(line)
        if not isinstance(item, dict):
            raise ValueError("line is not a JSON object")
        record_id = item.get("id")
        html = item.get("html")
        if not isinstance(html, str):
            raise ValueError("missing or non-string 'html'")
        url = item.get("url") or ""
        if not isinstance(url, str):
            raise ValueError("'url' is not a string")
        # the HTML arrived as decoded text: say so, or a stale <meta charset> would re-decode it
        parsed = analyse_page(html.encode("utf-8", "surrogatepass"), url,
                              content_type="text/html; charset=utf-8")
    except Exception as exc:  # a bad line is reported on its own line, the batch goes on
        return {"id": record_id, "error": f"{type(exc).__name__}: {exc}"[:500]}
    article = parsed.article
    out = {
        "id": record_id,
        "title": article.title,
        "authors": list(article.authors),
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "language": article.language,
        "text": article.text,
        "published_at_source": article.published_at_source,
        "text_extractor": article.text_extractor,
    }
    if parsed.rejection is not None:
        out["rejected"] = parsed.rejection.reason
        out["detail"] = parsed.rejection.detail
    return out


def _lines(stream: Iterable[str]) -> Iterator[str]:
    return (line for line in stream if line.strip())


def run_jsonl(stdin, stdout, *, workers: int = 1) -> int:
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = pool.map(parse_jsonl_line, _lines(stdin), chunksize=8)
            for record in results:
                stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                stdout.flush()
        return 0
    for line in _lines(stdin):
        stdout.write(json.dumps(parse_jsonl_line(line), ensure_ascii=False) + "\n")
        stdout.flush()
    return 0
