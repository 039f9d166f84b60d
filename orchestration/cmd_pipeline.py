"""Subcommands that run the pipeline: run, demo, serve-fixtures, check-config."""

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
# The demo serves the fixture sites on a fixed port, so a second demo sees the same URLs (and adds
# nothing), and `newsevents serve-fixtures` (same default) brings the stored URLs back to life.
DEMO_PORT = 8765


def register(subparsers) -> None:
    run = subparsers.add_parser("run", help="run the daily job for one day (in-process Dagster run)")
    run.add_argument("--date", help="partition day YYYY-MM-DD (default: yesterday, UTC)")
    run.add_argument("--db", help="DuckDB file (default: $NEWSEVENTS_DB or warehouse/newsevents.duckdb)")
    run.add_argument("--sources", help="sources config (default: $NEWSEVENTS_SOURCES or sources.yml)")
    _add_verbose(run)
    run.set_defaults(func=cmd_run)

    demo = subparsers.add_parser(
        "demo", help="serve the bundled fixture news sites on 127.0.0.1 and run the daily job on them")
    demo.add_argument("--db", default=str(DEMO_DB), help=f"DuckDB file (default: {DEMO_DB.relative_to(REPO_ROOT)})")
    demo.add_argument("--date", help="partition day (default: the last day of the fixture corpus)")
    demo.add_argument("--port", type=int, default=DEMO_PORT,
                      help=f"port of the fixture sites (default {DEMO_PORT}; another port means other URLs)")
    _add_verbose(demo)
    demo.set_defaults(func=cmd_demo)

    serve = subparsers.add_parser("serve-fixtures", help="serve the fixture news sites on 127.0.0.1 until Ctrl-C")
    serve.add_argument("--port", type=int, default=DEMO_PORT)
    serve.set_defaults(func=cmd_serve_fixtures)

    check = subparsers.add_parser("check-config", help="validate a sources config and list its sources")
    check.add_argument("path", nargs="?", help="sources config (default: $NEWSEVENTS_SOURCES or sources.yml)")
    check.set_defaults(func=cmd_check_config)


def _add_verbose(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: `newsevents -v demo` and `newsevents demo -v` both work
    parser.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="the full log on the terminal instead of progress lines")


def _parse_day(value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SystemExit(f"newsevents: --date must be YYYY-MM-DD, got {value!r}") from None


def run_daily_job(day: date, db: str | None = None, sources: str | None = None, progress=None) -> bool:
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
    run_config: dict = {}
    if progress is not None:  # progress lines (and the run's log) instead of Dagster's console logger
        from orchestration.progress import step_totals

        progress.step_totals = step_totals(defs.assets)
        loggers = {"progress": progress.logger_def()}
        if progress.verbose:
            from dagster import colored_console_logger

            loggers["console"] = colored_console_logger
        job = job.with_logger_defs(loggers)
        run_config = {"loggers": {name: {} for name in loggers}}
        if progress.verbose:  # -v: everything Dagster logs, step starts (DEBUG) included
            run_config["loggers"]["console"] = {"config": {"log_level": "DEBUG"}}
    run_guard.free_stale_pool_claims(instance)  # a run killed earlier must not block this one
    run_id = str(uuid.uuid4())
    # dagster-dbt echoes dbt's log on stdout (for the UI's compute logs); keep stdout for our summary.
    # A pool wait is news for the person at the terminal too, not only for the log file.
    notify = None
    if progress is not None and not progress.verbose:
        notify = lambda line: print(line, file=progress.terminal, flush=True)  # noqa: E731
    with contextlib.redirect_stdout(sys.stderr), run_guard.RunWatch(instance, run_id, notify=notify):
        result = job.execute_in_process(partition_key=day.isoformat(), instance=instance, raise_on_error=False,
                                        run_config=run_config, run_id=run_id, tags=run_guard.run_tags())
    for event in result.all_events:
        if event.is_step_failure:
            print(f"step failed: {event.step_key}: {event.event_specific_data.error.message.strip()}",
                  file=sys.stderr)
    return result.success


def cmd_run(args: argparse.Namespace) -> int:
    from orchestration.cmd_warehouse import print_summary
    from transforms.config import SourceConfigError

    day = _parse_day(args.date, datetime.now(timezone.utc).date() - timedelta(days=1))
    db = warehouse.db_path(args.db)
    try:
        from orchestration.partitions import check_day  # a bad NEWSEVENTS_START_DATE fails the import

        check_day(day)
    except ValueError as outside:  # PartitionDayError
        print(f"newsevents run: {outside}", file=sys.stderr)
        return 2
    try:
        ok = _run_with_progress(day, db, args.sources, getattr(args, "verbose", False))
    except SourceConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    print_summary(db, day)
    return 0 if ok else 1


def _run_with_progress(day: date, db: Path, sources: str | None, verbose: bool) -> bool:
    """The daily job with a line per stage; its full log in <db dir>/logs/ (on the terminal with -v)."""
    from orchestration.cmd_warehouse import shown_path
    from orchestration.progress import Progress, output_to_log

    if verbose:
        progress = Progress(sys.stderr, {}, live=False, verbose=True)
        return run_daily_job(day, str(db), sources, progress)
    log_path = db.parent / "logs" / f"{db.stem}-{day}.log"
    print(f"full log: {shown_path(log_path)}  (-v shows it here)", file=sys.stderr, flush=True)
    with output_to_log(log_path) as terminal:
        progress = Progress(terminal, {}, log_stream=sys.stderr)
        ok = run_daily_job(day, str(db), sources, progress)
    if not ok:
        print(f"the run failed in: {', '.join(progress.failed_steps) or 'set-up'}; see {shown_path(log_path)}",
              file=sys.stderr)
    return ok


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

    from orchestration.cmd_warehouse import print_summary, shown_path

    day = _parse_day(args.date, fixture_last_day())
    db = Path(args.db).resolve()
    # The demo's BI copy stays apart from the one built from real sources.
    os.environ.setdefault("NEWSEVENTS_PUBLISH_DIR", str(DEMO_PUBLISH_DIR))
    # The corpus has fixed dates: its days stay partitions however long after them the demo runs.
    os.environ.setdefault("NEWSEVENTS_START_DATE", (day - timedelta(days=30)).isoformat())
    try:
        server = FixtureServer(port=args.port).start()
    except OSError as error:
        print(f"newsevents demo: cannot serve the fixture sites on 127.0.0.1:{args.port} ({error.strerror}); "
              f"stop what uses it (`newsevents serve-fixtures`?) or pass --port N "
              f"(other URLs: the demo warehouse then gets a second copy)", file=sys.stderr)
        return 2
    try:
        os.environ[FIXTURE_URL_ENV] = server.base_url
        print(f"newsevents demo: fixture news sites on {server.base_url}, day {day}, warehouse {shown_path(db)}",
              file=sys.stderr, flush=True)
        ok = _run_with_progress(day, db, str(FIXTURE_SOURCES), getattr(args, "verbose", False))
    finally:
        server.stop()
    print_summary(db, day, demo=True)
    return 0 if ok else 1


def cmd_serve_fixtures(args: argparse.Namespace) -> int:
    _use_checkout_tests()
    from tests.sites.server import main as serve

    return serve(["--port", str(args.port)])


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
