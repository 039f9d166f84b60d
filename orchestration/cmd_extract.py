"""`newsevents extract` and `newsevents evaluate`: the incident extractor from the command line.

    newsevents extract story.txt --published 2026-02-16            # JSON list of events
    newsevents extract page.html --html --url URL --published 2026-02-16
    newsevents extract --jsonl < batch.jsonl > events.jsonl         # {id, text|html, url, published}
    newsevents evaluate [--cases C --gold G] [--json] [--errors]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import sys
from pathlib import Path

DEVSET = Path("tests/data/devset")


def register(subparsers) -> None:
    """Add this module's subcommands to the `newsevents` parser."""
    parser = subparsers.add_parser(
        "extract", help="extract incidents from an article (text or HTML) or a JSONL batch",
        description="Print the incidents found in one article as JSON, or process a JSONL batch.",
    )
    parser.add_argument("file", nargs="?", default="-", help="text/HTML file, or - for stdin (default)")
    parser.add_argument("--url", default="", help="the article's URL (needed with --html)")
    parser.add_argument("--published", help="publication date YYYY-MM-DD (default: from the page, else today)")
    parser.add_argument("--title", default=None, help="article title (context only)")
    parser.add_argument("--source-country", default=None, help="ISO2 country of the outlet, for place disambiguation")
    parser.add_argument("--html", action="store_true", help="input is HTML: parse it with the pipeline's parser first")
    parser.add_argument("--jsonl", action="store_true",
                        help="read JSONL {id, text or html, url, published} on stdin, write JSONL {id, events}")
    parser.set_defaults(func=handle_extract)

    ev = subparsers.add_parser(
        "evaluate", help="score the extractor on the labelled development set",
        description="Detection precision/recall/F1 and per-field agreement on a labelled set.",
    )
    ev.add_argument("--cases", type=Path, default=DEVSET / "cases.jsonl")
    ev.add_argument("--gold", type=Path, default=DEVSET / "gold.json")
    ev.add_argument("--json", action="store_true", help="machine-readable figures")
    ev.add_argument("--errors", action="store_true", help="list missed, spurious and wrong-field events")
    ev.set_defaults(func=handle_evaluate)


def event_to_json(event) -> dict:
    out = dataclasses.asdict(event)
    out["event_date"] = event.event_date.isoformat() if event.event_date else None
    out["actors"] = [dataclasses.asdict(a) for a in event.actors]
    out["evidence"] = [list(span) for span in event.evidence]
    return out


# Relative dates ("last week", "three years ago") are computed from the publication date: far
# from the calendar's ends, so that arithmetic can never leave the representable range.
PUBLISHED_RANGE = (datetime.date(1900, 1, 1), datetime.date(2999, 12, 31))


def _parse_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    day = datetime.date.fromisoformat(str(value)[:10])
    if not PUBLISHED_RANGE[0] <= day <= PUBLISHED_RANGE[1]:
        raise ValueError(f"publication date {day} is outside {PUBLISHED_RANGE[0]}..{PUBLISHED_RANGE[1]}")
    return day


def _article_from_html(body: bytes, url: str):
    from transforms.parse import parse_page

    return parse_page(body, url)


def _extract_one(record: dict) -> dict:
    from transforms.extract import extract_events
    from transforms.records import ParseRejection

    text = record.get("text")
    title = record.get("title")
    published = _parse_date(record.get("published"))
    if text is None and record.get("html") is not None:
        html = record["html"]
        parsed = _article_from_html(html.encode("utf-8") if isinstance(html, str) else html, record.get("url", ""))
        if isinstance(parsed, ParseRejection):
            return {"rejected": parsed.reason, "detail": parsed.detail, "events": []}
        text, title = parsed.text, title or parsed.title
        if published is None and parsed.published_at:
            published = parsed.published_at.date()
    if text is None:
        raise ValueError("record has neither text nor html")
    published = published or datetime.date.today()
    events = extract_events(text, published, title=title, source_country=record.get("source_country"))
    return {"events": [event_to_json(e) for e in events]}


def handle_extract(args: argparse.Namespace) -> int:
    from transforms.extract import EXTRACTOR_VERSION

    if args.jsonl:
        failures = 0
        for line_no, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            record: dict = {}
            try:
                record = json.loads(line)
                out = {"id": record.get("id"), **_extract_one(record), "extractor_version": EXTRACTOR_VERSION}
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                # One bad line is reported in place; the batch goes on.
                failures += 1
                out = {"id": record.get("id") if isinstance(record, dict) else None, "error": f"line {line_no}: {exc}"}
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return 1 if failures else 0

    raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    record = {"url": args.url, "published": args.published, "title": args.title,
              "source_country": args.source_country}
    if args.html:
        record["html"] = raw
    else:
        record["text"] = raw.decode("utf-8", errors="replace")
    try:
        result = _extract_one(record)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if "rejected" in result:
        print(json.dumps({"rejected": result["rejected"], "detail": result["detail"]}))
        return 1
    print(json.dumps(result["events"], indent=2, ensure_ascii=False))
    return 0


def handle_evaluate(args: argparse.Namespace) -> int:
    from transforms.extract import EXTRACTOR_VERSION
    from transforms.extract.evaluate import evaluate, format_report

    for path in (args.cases, args.gold):
        if not path.exists():
            print(f"error: {path} not found", file=sys.stderr)
            return 2
    score = evaluate(args.cases, args.gold)
    figures = {"extractor_version": EXTRACTOR_VERSION, **score.figures()}
    if args.json:
        payload = dict(figures)
        if args.errors:
            payload["errors"] = score.errors
        print(json.dumps(payload, indent=2, default=str))
        return 0
    print(f"extractor {EXTRACTOR_VERSION} on {args.cases}")
    print(format_report(figures))
    if args.errors:
        print("\nerrors:")
        for err in score.errors:
            print(json.dumps(err, default=str, ensure_ascii=False))
    return 0
