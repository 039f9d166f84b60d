"""Look at one thing at a time: parse a page, extract incidents, check a config, summarise a warehouse.

    newsevents parse page.html --url https://example.org/story     # one JSON object
    newsevents parse --jsonl < pages.jsonl > parsed.jsonl           # {id, html, url} per line
    newsevents extract story.txt --published 2026-02-16             # JSON list of events
    newsevents extract page.html --html --url URL --published 2026-02-16
    newsevents extract --jsonl < batch.jsonl > events.jsonl         # {id, text|html, url, published}
    newsevents check-config [sources.yml]
    newsevents summary [--db FILE] [--date YYYY-MM-DD]
    newsevents watch test --watchlist watchlist.yml

`parse` of one page exits 1 and prints {"rejected": reason, "detail": ...} when the page is not
kept as an article. The --jsonl forms follow orchestration.cli.batch: one line per input line, in
order; a bad line gets {"id", "error"} and the exit code 1. In `parse --jsonl` a page the pipeline
would reject still gets its fields and text (batch evaluation wants them) plus "rejected" and "detail".
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import logging
import os
import sys
from pathlib import Path

from transforms.settings import DEMO_DB, DEMO_PUBLISH_DIR, Settings

log = logging.getLogger(__name__)

DASHBOARD_URL = "http://127.0.0.1:8050"
# Relative dates ("last week", "three years ago") are computed from the publication date: far
# from the calendar's ends, so that arithmetic can never leave the representable range.
PUBLISHED_RANGE = (datetime.date(1900, 1, 1), datetime.date(2999, 12, 31))


def register(subparsers) -> None:
    """Add this module's subcommands to the `newsevents` parser."""
    parse = subparsers.add_parser(
        "parse",
        help="parse an HTML page (or a JSONL batch) into article fields",
        description="Parse one HTML page, or a JSONL batch, with the pipeline's parser.",
    )
    parse.add_argument("file", nargs="?", default="-", help="HTML file, or - for stdin (default)")
    parse.add_argument(
        "--url", default="", help="the page's URL (used for relative links and as the date of last resort)"
    )
    parse.add_argument("--content-type", default=None, help="HTTP Content-Type header, for its charset")
    parse.add_argument(
        "--jsonl", action="store_true", help="read JSONL {id, html, url} on stdin, write JSONL on stdout"
    )
    parse.add_argument("--workers", type=int, default=1, help="processes for --jsonl (output order is kept)")
    parse.set_defaults(func=cmd_parse)

    extract = subparsers.add_parser(
        "extract",
        help="extract incidents from an article (text or HTML) or a JSONL batch",
        description="Print the incidents found in one article as JSON, or process a JSONL batch.",
    )
    extract.add_argument("file", nargs="?", default="-", help="text/HTML file, or - for stdin (default)")
    extract.add_argument("--url", default="", help="the article's URL (needed with --html)")
    extract.add_argument("--published", help="publication date YYYY-MM-DD (default: from the page, else today)")
    extract.add_argument("--title", default=None, help="article title (context only)")
    extract.add_argument("--source-country", default=None, help="ISO2 country of the outlet, for place disambiguation")
    extract.add_argument("--html", action="store_true", help="input is HTML: parse it with the pipeline's parser first")
    extract.add_argument(
        "--language", default=None, help="the text's language, en (default), fr or es (with --html: from the page)"
    )
    extract.add_argument(
        "--jsonl",
        action="store_true",
        help="read JSONL {id, text or html, url, published} on stdin, write JSONL {id, events}",
    )
    extract.set_defaults(func=cmd_extract)

    check = subparsers.add_parser("check-config", help="validate a sources config and list its sources")
    check.add_argument("path", nargs="?", help="sources config (default: $NEWSEVENTS_SOURCES or sources.yml)")
    check.set_defaults(func=cmd_check_config)

    summary = subparsers.add_parser("summary", help="what the warehouse holds, the top incidents, where the BI copy is")
    summary.add_argument(
        "--db",
        help="DuckDB file (default: $NEWSEVENTS_DB, else the newest of "
        "warehouse/newsevents.duckdb and warehouse/demo.duckdb)",
    )
    summary.add_argument("--date", help="only this partition day (YYYY-MM-DD)")
    summary.set_defaults(func=cmd_summary)

    watch = subparsers.add_parser("watch", help="watch alerts: check a watchlist against the warehouse")
    commands = watch.add_subparsers(dest="watch_command", metavar="SUBCOMMAND", required=True)
    test = commands.add_parser(
        "test", help="validate a watchlist and list the incidents each watch would match (sends nothing)"
    )
    test.add_argument("--watchlist", required=True, help="watchlist YAML file")
    test.add_argument("--db", help="warehouse DuckDB file (default $NEWSEVENTS_DB or warehouse/newsevents.duckdb)")
    test.set_defaults(func=cmd_watch_test)


# ---------------------------------------------------------------- parse


def cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    from orchestration.cli.batch import run_jsonl_on_stdio
    from transforms.parse import analyse_page, article_to_json

    if args.jsonl:
        return run_jsonl_on_stdio(parse_record, workers=max(1, args.workers))
    try:
        body = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        print(f"newsevents parse: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    parsed = analyse_page(body, args.url, content_type=args.content_type)
    if parsed.rejection is not None:
        print(json.dumps({"rejected": parsed.rejection.reason, "detail": parsed.rejection.detail}, ensure_ascii=False))
        return 1
    print(json.dumps(article_to_json(parsed.article), ensure_ascii=False))
    return 0


def parse_record(item: dict) -> dict:
    """One batch record {html, url} -> the article's fields (and the rejection, if any)."""
    from transforms.parse import analyse_page, article_to_json

    html = item.get("html")
    if not isinstance(html, str):
        raise ValueError("missing or non-string 'html'")
    url = item.get("url") or ""
    if not isinstance(url, str):
        raise ValueError("'url' is not a string")
    # the HTML arrived as decoded text: say so, or a stale <meta charset> would re-decode it
    parsed = analyse_page(html.encode("utf-8", "surrogatepass"), url, content_type="text/html; charset=utf-8")
    out = article_to_json(parsed.article)
    if parsed.rejection is not None:
        out["rejected"] = parsed.rejection.reason
        out["detail"] = parsed.rejection.detail
    return out


# ---------------------------------------------------------------- extract


def event_to_json(event) -> dict:
    out = dataclasses.asdict(event)
    out["event_date"] = event.event_date.isoformat() if event.event_date else None
    out["actors"] = [dataclasses.asdict(a) for a in event.actors]
    out["evidence"] = [list(span) for span in event.evidence]
    return out


def _parse_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    day = datetime.date.fromisoformat(str(value)[:10])
    if not PUBLISHED_RANGE[0] <= day <= PUBLISHED_RANGE[1]:
        raise ValueError(f"publication date {day} is outside {PUBLISHED_RANGE[0]}..{PUBLISHED_RANGE[1]}")
    return day


def _published(record: dict, warnings: list[str]) -> datetime.date | None:
    """The record's publication date; an implausible one (a placeholder such as 1753-01-01, a
    malformed string) is dropped with a warning rather than losing the record: the text is still
    worth coding, and its dates are then read against the page's own date, else today."""
    try:
        return _parse_date(record.get("published"))
    except ValueError as exc:
        warnings.append(f"published ignored: {exc}")
        log.warning("extract: record %s: published ignored: %s", record.get("id"), exc)
        return None


def extract_record(record: dict) -> dict:
    """One record {text | html, url, published, title, source_country, language} -> {events} (or the rejection).

    A dropped field is reported in "warnings" beside the events."""
    from transforms.extract import extract_events
    from transforms.extract import lang as lang_mod
    from transforms.parse import parse_page
    from transforms.records import ParseRejection

    warnings: list[str] = []
    text = record.get("text")
    title = record.get("title")
    language = record.get("language")
    published = _published(record, warnings)
    if text is None and record.get("html") is not None:
        html = record["html"]
        parsed = parse_page(html.encode("utf-8") if isinstance(html, str) else html, record.get("url", ""))
        if isinstance(parsed, ParseRejection):
            return {"rejected": parsed.reason, "detail": parsed.detail, "events": []}
        text, title = parsed.text, title or parsed.title
        if language is None and lang_mod.normalise_language(parsed.language) in lang_mod.glossed_languages():
            language = parsed.language  # a French or Spanish page is read in its language; others as before
        if published is None and parsed.published_at:
            published = parsed.published_at.date()
    if text is None:
        raise ValueError("record has neither text nor html")
    published = published or datetime.date.today()
    events = extract_events(
        text, published, title=title, source_country=record.get("source_country"), language=language
    )
    out = {"events": [event_to_json(e) for e in events]}
    if warnings:
        out["warnings"] = warnings
    return out


def extract_batch_record(record: dict) -> dict:
    from transforms.extract import EXTRACTOR_VERSION

    return {**extract_record(record), "extractor_version": EXTRACTOR_VERSION}


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from orchestration.cli.batch import run_jsonl_on_stdio

    if args.jsonl:
        return run_jsonl_on_stdio(extract_batch_record)
    raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    record = {
        "url": args.url,
        "published": args.published,
        "title": args.title,
        "source_country": args.source_country,
        "language": args.language,
    }
    if args.html:
        record["html"] = raw
    else:
        record["text"] = raw.decode("utf-8", errors="replace")
    try:
        result = extract_record(record)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if "rejected" in result:
        print(json.dumps({"rejected": result["rejected"], "detail": result["detail"]}))
        return 1
    print(json.dumps(result["events"], indent=2, ensure_ascii=False))
    return 0


# ---------------------------------------------------------------- check-config


def cmd_check_config(args: argparse.Namespace, settings: Settings) -> int:
    from transforms.config import SourceConfigError, load_sources

    try:
        config = load_sources(args.path or settings.sources_path, settings.config_env())
    except SourceConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    for source in config.sources:
        flag = "" if source.enabled else "  (disabled)"
        print(
            f"{source.source_id:<18} {source.country_iso2 or '--'} {source.language} "
            f"feeds={len(source.feeds)} sitemaps={len(source.sitemaps)} {source.name}{flag}"
        )
    print(f"{config.path}: {len(config.sources)} sources, OK")
    return 0


# ---------------------------------------------------------------- summary


def likely_warehouse(explicit: str | None, settings: Settings) -> tuple[Path | None, list[Path]]:
    """The warehouse a person most likely means, and the other candidates that exist.

    --db, else $NEWSEVENTS_DB, else the most recently written of the real-sources warehouse and the
    demo's (after `make demo` that is the demo's)."""
    if explicit or settings.db_chosen:
        return settings.replace(db_path=explicit).db_path, []
    candidates = [path for path in (settings.db_path, DEMO_DB) if path.exists()]
    candidates.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    return (candidates[0] if candidates else None), candidates[1:]


def shown_path(path: Path) -> str:
    """A path as short as it is clear: relative to the working directory when under it. Links are
    kept as they are: the BI copy's stable path is a link to the current snapshot."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def cmd_summary(args: argparse.Namespace, settings: Settings) -> int:
    day = None
    if args.date:
        try:
            day = datetime.date.fromisoformat(args.date)
        except ValueError:
            print(f"newsevents summary: --date must be YYYY-MM-DD, got {args.date!r}", file=sys.stderr)
            return 2
    db, others = likely_warehouse(args.db, settings)
    if db is None:
        print(
            "newsevents summary: no warehouse yet. `make demo` writes warehouse/demo.duckdb, "
            "`newsevents run` warehouse/newsevents.duckdb; or pass --db FILE",
            file=sys.stderr,
        )
        return 1
    if others:
        print(f"(the most recent warehouse; also {', '.join(shown_path(o) for o in others)}: --db to choose)")
    demo = db == DEMO_DB
    if demo and not settings.publish_dir_chosen:
        settings = settings.replace(publish_dir=DEMO_PUBLISH_DIR)
    return 0 if print_summary(db, day, settings.publish_dir, demo=demo) else 1


def print_summary(db: Path, day, bi_dir: Path, demo: bool = False) -> bool:
    """What landed (for one day when given), the top incidents, where the BI copy is, what next."""
    import duckdb

    from transforms.publish import PUBLISHED_DB_NAME

    if not db.exists():
        print(
            f"newsevents: no warehouse at {db}; pass --db FILE (`make demo` writes warehouse/demo.duckdb)",
            file=sys.stderr,
        )
        return False
    try:
        conn = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as error:
        print(
            f"newsevents: cannot read {db} now ({str(error).splitlines()[0]}); a run may hold it: "
            "query the BI copy instead",
            file=sys.stderr,
        )
        return False
    try:
        where, params = ("where partition_date = ?", [day]) if day else ("", [])

        def count(table: str) -> int:
            return conn.execute(f"select count(*) from {table} {where}", params).fetchone()[0]

        def grouped(sql: str) -> str:
            return ", ".join(f"{n} {label}" for label, n in conn.execute(sql, params).fetchall())

        attempts = count("crawl_log")
        fetched = conn.execute(
            f"select count(*) filter (where outcome in ('fetched', 'not_modified')) from crawl_log {where}", params
        ).fetchone()[0]
        other = grouped(
            f"select outcome, count(*) from crawl_log {where} {'and' if day else 'where'} "
            "outcome not in ('fetched', 'not_modified') group by 1 order by 2 desc, 1"
        )
        print(f"\nwhat landed in {shown_path(db)} ({f'day {day}' if day else 'all days'})")
        print(f"  fetch attempts {attempts}: {fetched} fetched" + (f", {other}" if other else ""))
        print(
            f"  pages {count('pages')}, articles {count('articles')}, not articles {count('parse_rejects')}, "
            f"event mentions {count('event_mentions')}"
        )
        types = grouped(f"select event_type, count(*) from event_mentions {where} group by 1 order by 2 desc, 1")
        if types:
            print(f"  by type: {types}")
        marts = {
            r[0]
            for r in conn.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        if "fct_incidents" in marts:
            n_incidents, n_multi = conn.execute(
                "select count(*), count(*) filter (where n_sources > 1) from marts.fct_incidents"
            ).fetchone()
            n_actors = conn.execute("select count(*) from marts.dim_actors").fetchone()[0]
            print(f"  incidents {n_incidents} (all days; {n_multi} reported by several outlets), actors {n_actors}")
            print("\ntop incidents (most outlets, then most killed)")
            for row in conn.execute(
                """
                select event_date, coalesce(location || ', ', '') || coalesce(country, country_iso2, '?'),
                       sub_event_type, coalesce(cast(fatalities_best as varchar), '-'), n_sources
                from marts.fct_incidents
                order by n_sources desc, fatalities_best desc nulls last, event_date desc, incident_id limit 5
                """
            ).fetchall():
                print("  {} {:<36.36} {:<34.34} killed {:>3}  outlets {}".format(*row))
    finally:
        conn.close()
    bi = bi_dir / PUBLISHED_DB_NAME
    print("\nBI copy (read-only, for dashboards and SQL)")
    if bi.exists():
        print(f"  {shown_path(bi)}  and  {shown_path(bi.parent / 'parquet')}/<table>.parquet")
    else:
        print(f"  not published yet ({shown_path(bi)}): `newsevents publish --db {shown_path(db)}`")
    print("\nnext")
    print(f"  make dashboard    the dashboard on {DASHBOARD_URL} (the newest BI copy)")
    print(
        f"  {'NEWSEVENTS_DB=' + shown_path(db) + ' ' if demo else ''}make dev    the Dagster UI on http://127.0.0.1:3000"
    )
    print(
        f"  .venv/bin/python -c \"import duckdb; duckdb.connect('{shown_path(bi)}', read_only=True)"
        ".sql('select * from acled_events limit 5').show()\""
    )
    return True


# ---------------------------------------------------------------- watch test


def open_read_only(db: Path):
    """A read-only connection to the warehouse, or None (the reason logged)."""
    import duckdb

    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.Error as error:
        log.error("cannot open warehouse %s read-only: %s", db, error)
        return None


def _describe(incident) -> str:
    toll = "toll not reported" if incident.fatalities_best is None else f"{incident.fatalities_best} killed"
    place = ", ".join(part for part in (incident.location, incident.country or incident.country_iso2) if part)
    actors = "; ".join(dict.fromkeys(actor.name for actor in incident.actors)) or "no actor named"
    return (
        f"{incident.incident_id}  {incident.event_date}  {incident.sub_event_type}, {place or 'unknown place'}, "
        f"{toll}, {incident.n_sources} source(s), {actors}"
    )


def cmd_watch_test(args: argparse.Namespace, settings: Settings) -> int:
    """Which existing incidents each watch would match, without sending anything."""

    from transforms import alerts
    from transforms.watch import WatchlistConfigError, dictionary_actor, load_watchlist, matches

    try:
        watchlist = load_watchlist(args.watchlist)
    except WatchlistConfigError as error:
        log.error("%s", error)
        return 1
    db = settings.replace(db_path=args.db).db_path
    conn = open_read_only(db)
    if conn is None:
        return 1
    try:
        incidents = alerts.load_incidents(conn)
    except alerts.AlertsError as error:
        log.error("%s: %s", db, error)
        return 1
    finally:
        conn.close()

    print(
        f"watchlist: {watchlist.path} ({len(watchlist.watches)} watches); warehouse: {db} ({len(incidents)} incidents)"
    )
    for watch in watchlist.watches:
        matched = [incident for incident in incidents if matches(watch, incident)]
        state = "" if watch.enabled else ", disabled"
        print(f"\nwatch '{watch.name}' ({' + '.join(watch.channels)}{state}): {len(matched)} incident(s)")
        for name in watch.actors:
            canonical = dictionary_actor(name)
            print(
                f"  actor {name!r}: "
                + (
                    f"-> {canonical} (actor dictionary)"
                    if canonical
                    else "not in the actor dictionary, matched by name as written"
                )
            )
        for incident in matched:
            print(f"  {_describe(incident)}")
    return 0
