"""Subcommands that run the pipeline: run, demo, serve-fixtures, summary, check-config."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from transforms import warehouse

REPO_ROOT = warehouse.REPO_ROOT
FIXTURE_SOURCES = REPO_ROOT / "tests" / "sites" / "sources.yml"
DEMO_DB = REPO_ROOT / "warehouse" / "demo.duckdb"
DEMO_PUBLISH_DIR = REPO_ROOT / "warehouse" / "demo_published"
FIXTURE_URL_ENV = "NEWSEVENTS_FIXTURE_URL"


def register(subparsers) -> None:
    run = subparsers.add_parser("run", help="run the daily job for one day (in-process Dagster run)")
    run.add_argument("--date", help="partition day YYYY-MM-DD (default: yesterday, UTC)")
    run.add_argument("--db", help="DuckDB file (default: $NEWSEVENTS_DB or warehouse/newsevents.duckdb)")
    run.add_argument("--sources", help="sources config (default: $NEWSEVENTS_SOURCES or sources.yml)")
    run.set_defaults(func=cmd_run)

    demo = subparsers.add_parser(
        "demo", help="serve the bundled fixture news sites on 127.0.0.1 and run the daily job on them")
    demo.add_argument("--db", default=str(DEMO_DB), help=f"DuckDB file (default: {DEMO_DB.relative_to(REPO_ROOT)})")
    demo.add_argument("--date", help="partition day (default: the last day of the fixture corpus)")
    demo.set_defaults(func=cmd_demo)

    serve = subparsers.add_parser("serve-fixtures", help="serve the fixture news sites on 127.0.0.1 until Ctrl-C")
    serve.add_argument("--port", type=int, default=8765)
    serve.set_defaults(func=cmd_serve_fixtures)

    summary = subparsers.add_parser("summary", help="print what the warehouse holds")
    summary.add_argument("--db", help="DuckDB file")
    summary.add_argument("--date", help="only this partition day")
    summary.set_defaults(func=cmd_summary)

    check = subparsers.add_parser("check-config", help="validate a sources config and list its sources")
    check.add_argument("path", nargs="?", help="sources config (default: $NEWSEVENTS_SOURCES or sources.yml)")
    check.set_defaults(func=cmd_check_config)


def _parse_day(value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SystemExit(f"newsevents: --date must be YYYY-MM-DD, got {value!r}") from None


def run_daily_job(day: date, db: str | None = None, sources: str | None = None) -> bool:
    """Execute the daily job for one partition in this process. True when every step succeeded.

    Paths are exported as environment variables before the code location loads, so Dagster
    resources and dbt read the same settings as an interactive `dagster dev` would.
    """
    if db:
        os.environ[warehouse.DB_ENV] = str(Path(db).resolve())
    if sources:
        os.environ["NEWSEVENTS_SOURCES"] = str(Path(sources).resolve())
    from orchestration.resources import default_sources_path
    from transforms.config import load_sources

    load_sources(default_sources_path())  # fail early, with the config's own message
    from dagster import DagsterInstance

    from orchestration import run_guard
    from orchestration.definitions import build_defs

    defs = build_defs()
    instance = DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else DagsterInstance.ephemeral()
    job = defs.resolve_job_def("daily_job")
    run_guard.free_stale_pool_claims(instance)  # a run killed earlier must not block this one
    run_id = str(uuid.uuid4())
    # dagster-dbt echoes dbt's log on stdout (for the UI's compute logs); keep stdout for our summary.
    with contextlib.redirect_stdout(sys.stderr), run_guard.RunWatch(instance, run_id):
        result = job.execute_in_process(partition_key=day.isoformat(), instance=instance, raise_on_error=False,
                                        run_id=run_id, tags=run_guard.run_tags())
    for event in result.all_events:
        if event.is_step_failure:
            print(f"step failed: {event.step_key}: {event.event_specific_data.error.message.strip()}",
                  file=sys.stderr)
    return result.success


def cmd_run(args: argparse.Namespace) -> int:
    from transforms.config import SourceConfigError

    day = _parse_day(args.date, datetime.now(timezone.utc).date() - timedelta(days=1))
    try:
        ok = run_daily_job(day, args.db, args.sources)
    except SourceConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    print_summary(warehouse.db_path(args.db), day)
    return 0 if ok else 1


def _use_checkout_tests() -> None:
    """The fixture sites live in tests/ of the checkout (not installed): make them importable."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))


def fixture_last_day() -> date:
    _use_checkout_tests()
    from tests.sites.corpus import default_corpus

    return max(a.published.astimezone(timezone.utc).date() for a in default_corpus())


def cmd_demo(args: argparse.Namespace) -> int:
    _use_checkout_tests()
    from tests.sites.server import FixtureServer

    day = _parse_day(args.date, fixture_last_day())
    # The demo's BI copy stays apart from the one built from real sources.
    os.environ.setdefault("NEWSEVENTS_PUBLISH_DIR", str(DEMO_PUBLISH_DIR))
    with FixtureServer(port=0) as server:
        os.environ[FIXTURE_URL_ENV] = server.base_url
        print(f"fixture news sites on {server.base_url}; running the daily job for {day} into {args.db}",
              file=sys.stderr)
        ok = run_daily_job(day, args.db, str(FIXTURE_SOURCES))
    print_summary(Path(args.db).resolve(), day)
    return 0 if ok else 1


def cmd_serve_fixtures(args: argparse.Namespace) -> int:
    _use_checkout_tests()
    from tests.sites.server import main as serve

    return serve(["--port", str(args.port)])


def cmd_summary(args: argparse.Namespace) -> int:
    day = _parse_day(args.date, None) if args.date else None
    return 0 if print_summary(warehouse.db_path(args.db), day) else 1


def cmd_check_config(args: argparse.Namespace) -> int:
    from orchestration.resources import default_sources_path
    from transforms.config import SourceConfigError, load_sources

    try:
        config = load_sources(args.path or default_sources_path())
    except SourceConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    for source in config.sources:
        flag = "" if source.enabled else "  (disabled)"
        print(f"{source.source_id:<18} {source.country_iso2 or '--'} {source.language} "
              f"feeds={len(source.feeds)} sitemaps={len(source.sitemaps)} {source.name}{flag}")
    print(f"{config.path}: {len(config.sources)} sources, OK")
    return 0


def print_summary(db: Path, day: date | None) -> bool:
    """A short account of what the warehouse holds (for one day when given)."""
    import duckdb

    if not db.exists():
        print(f"no warehouse at {db}", file=sys.stderr)
        return False
    conn = duckdb.connect(str(db), read_only=True)
    try:
        where, params = ("where partition_date = ?", [day]) if day else ("", [])
        label = f"day {day}" if day else "all days"
        print(f"\nwarehouse {db} ({label})")
        for table in ("crawl_log", "pages", "articles", "parse_rejects", "event_mentions"):
            n = conn.execute(f"select count(*) from {table} {where}", params).fetchone()[0]
            print(f"  {table:<16} {n:>7}")
        outcomes = conn.execute(
            f"select outcome, count(*) from crawl_log {where} group by 1 order by 2 desc", params).fetchall()
        if outcomes:
            print("  fetch outcomes:  " + ", ".join(f"{o} {n}" for o, n in outcomes))
        rejects = conn.execute(
            f"select reason, count(*) from parse_rejects {where} group by 1 order by 2 desc", params).fetchall()
        if rejects:
            print("  not articles:    " + ", ".join(f"{r} {n}" for r, n in rejects))
        types = conn.execute(
            f"select event_type, count(*) from event_mentions {where} group by 1 order by 2 desc", params).fetchall()
        if types:
            print("  event mentions:  " + ", ".join(f"{t} {n}" for t, n in types))
        marts = {r[0] for r in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
        if "fct_incidents" in marts:
            n_incidents, n_multi = conn.execute(
                "select count(*), count(*) filter (where n_sources > 1) from marts.fct_incidents").fetchone()
            print(f"  marts.fct_incidents {n_incidents:>5} (all days; {n_multi} reported by several outlets)")
            for row in conn.execute(
                """
                select event_date, coalesce(location, country, '?'), sub_event_type,
                       coalesce(cast(fatalities_best as varchar), '-'), n_sources, n_articles
                from marts.fct_incidents order by n_sources desc, n_articles desc, event_date desc limit 8
                """
            ).fetchall():
                print("    {} {:<22} {:<34} killed {:>3}  sources {} articles {}".format(*row))
    finally:
        conn.close()
    return True
