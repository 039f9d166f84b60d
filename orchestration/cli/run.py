"""Run the pipeline: the daily job on real sources, or on the bundled fixture news sites.

newsevents run [--date YYYY-MM-DD] [--db FILE] [--sources FILE] [-v]
newsevents demo [--date YYYY-MM-DD] [--db FILE] [--port N] [-v]
newsevents serve-fixtures [--port N]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from transforms.settings import DEMO_DB, DEMO_PUBLISH_DIR, REPO_ROOT, Settings

FIXTURE_URL_VAR = "NEWSEVENTS_FIXTURE_URL"  # ${...} in the fixture sources config
# The demo serves the fixture sites on a fixed port, so a second demo sees the same URLs (and adds
# nothing), and `newsevents serve-fixtures` (same default) brings the stored URLs back to life.
DEMO_PORT = 8765


def register(subparsers) -> None:
    """Add this module's subcommands to the `newsevents` parser."""
    run = subparsers.add_parser("run", help="run the daily job for one day (in-process Dagster run)")
    run.add_argument("--date", help="partition day YYYY-MM-DD (default: yesterday, UTC)")
    run.add_argument("--db", help="DuckDB file (default: $NEWSEVENTS_DB or warehouse/newsevents.duckdb)")
    run.add_argument("--sources", help="sources config (default: $NEWSEVENTS_SOURCES or sources.yml)")
    _add_verbose(run)
    run.set_defaults(func=cmd_run)

    demo = subparsers.add_parser(
        "demo", help="serve the bundled fixture news sites on 127.0.0.1 and run the daily job on them"
    )
    demo.add_argument("--db", default=str(DEMO_DB), help=f"DuckDB file (default: {DEMO_DB.relative_to(REPO_ROOT)})")
    demo.add_argument("--date", help="partition day (default: the last day of the fixture corpus)")
    demo.add_argument(
        "--port",
        type=int,
        default=DEMO_PORT,
        help=f"port of the fixture sites (default {DEMO_PORT}; another port means other URLs)",
    )
    _add_verbose(demo)
    demo.set_defaults(func=cmd_demo)

    serve = subparsers.add_parser("serve-fixtures", help="serve the fixture news sites on 127.0.0.1 until Ctrl-C")
    serve.add_argument("--port", type=int, default=DEMO_PORT)
    serve.set_defaults(func=cmd_serve_fixtures)


def _add_verbose(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: `newsevents -v demo` and `newsevents demo -v` both work
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="the full log on the terminal instead of progress lines",
    )


def _parse_day(value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SystemExit(f"newsevents: --date must be YYYY-MM-DD, got {value!r}") from None


# ---------------------------------------------------------------- the fixture sites


def fixture_sources() -> Path:
    from orchestration.fixture_sites import SOURCES

    return SOURCES


def fixture_corpus(articles_dir: Path | None = None):
    from orchestration.fixture_sites import corpus

    return corpus.load_corpus(articles_dir) if articles_dir else corpus.default_corpus()


def fixture_last_day() -> date:
    return max(a.published.astimezone(UTC).date() for a in fixture_corpus())


# ---------------------------------------------------------------- the daily job


def run_daily_job(day: date, settings: Settings, progress=None) -> bool:
    """Execute the daily job for one partition in this process. True when every step succeeded."""
    from dagster import DagsterInstance

    from orchestration import run_guard
    from orchestration.definitions import build_defs
    from transforms.config import load_sources

    load_sources(settings.sources_path, settings.config_env())  # fail early, with the config's own message
    defs = build_defs(settings)
    instance = DagsterInstance.get() if settings.environ.get("DAGSTER_HOME") else DagsterInstance.ephemeral()
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
        result = job.execute_in_process(
            partition_key=day.isoformat(),
            instance=instance,
            raise_on_error=False,
            run_config=run_config,
            run_id=run_id,
            tags=run_guard.run_tags(),
        )
    for event in result.all_events:
        if event.is_step_failure:
            print(f"step failed: {event.step_key}: {event.event_specific_data.error.message.strip()}", file=sys.stderr)
    return result.success


def _run_with_progress(day: date, settings: Settings, verbose: bool) -> bool:
    """The daily job with a line per stage; its full log in <db dir>/logs/ (on the terminal with -v)."""
    from orchestration.cli.inspect import shown_path
    from orchestration.dbt_cli import prepare_manifest
    from orchestration.progress import Progress, output_to_log

    prepare_manifest(settings, if_stale=True)  # a dbt model edited since the set-up step
    db = settings.db_path
    if verbose:
        progress = Progress(sys.stderr, {}, live=False, verbose=True)
        return run_daily_job(day, settings, progress)
    log_path = db.parent / "logs" / f"{db.stem}-{day}.log"
    print(f"full log: {shown_path(log_path)}  (-v shows it here)", file=sys.stderr, flush=True)
    with output_to_log(log_path) as terminal:
        progress = Progress(terminal, {}, log_stream=sys.stderr)
        ok = run_daily_job(day, settings, progress)
    if not ok:
        print(
            f"the run failed in: {', '.join(progress.failed_steps) or 'set-up'}; see {shown_path(log_path)}",
            file=sys.stderr,
        )
    return ok


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from orchestration.cli.inspect import print_summary
    from orchestration.partitions import check_day
    from transforms.config import SourceConfigError

    day = _parse_day(args.date, datetime.now(UTC).date() - timedelta(days=1))
    settings = settings.replace(db_path=args.db, sources_path=args.sources)
    try:
        check_day(day, settings)
    except ValueError as outside:  # PartitionDayError
        print(f"newsevents run: {outside}", file=sys.stderr)
        return 2
    try:
        ok = _run_with_progress(day, settings, getattr(args, "verbose", False))
    except SourceConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    print_summary(settings.db_path, day, settings.publish_dir)
    return 0 if ok else 1


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from orchestration.cli.inspect import print_summary, shown_path

    day = _parse_day(args.date, fixture_last_day())
    settings = settings.replace(
        db_path=args.db,
        sources_path=fixture_sources(),
        # The demo's BI copy stays apart from the one built from real sources.
        publish_dir=None if settings.publish_dir_chosen else DEMO_PUBLISH_DIR,
        # The corpus has fixed dates: its days stay partitions however long after them the demo runs.
        start_date=settings.start_date or (day - timedelta(days=30)).isoformat(),
    )
    try:
        from orchestration.fixture_sites.server import FixtureServer

        server = FixtureServer(port=args.port).start()
    except OSError as error:
        print(
            f"newsevents demo: cannot serve the fixture sites on 127.0.0.1:{args.port} ({error.strerror}); "
            f"stop what uses it (`newsevents serve-fixtures`?) or pass --port N "
            f"(other URLs: the demo warehouse then gets a second copy)",
            file=sys.stderr,
        )
        return 2
    try:
        settings = settings.with_vars(**{FIXTURE_URL_VAR: server.base_url})
        print(
            f"newsevents demo: fixture news sites on {server.base_url}, day {day}, "
            f"warehouse {shown_path(settings.db_path)}",
            file=sys.stderr,
            flush=True,
        )
        ok = _run_with_progress(day, settings, getattr(args, "verbose", False))
    finally:
        server.stop()
    print_summary(settings.db_path, day, settings.publish_dir, demo=True)
    return 0 if ok else 1


def cmd_serve_fixtures(args: argparse.Namespace, settings: Settings) -> int:
    from orchestration.fixture_sites.server import main

    return main(["--port", str(args.port)])
