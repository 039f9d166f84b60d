"""The `newsevents` command line: one module per command family.

- run.py        run, demo, serve-fixtures            (the daily job)
- inspect.py    parse, extract, check-config, summary, watch test   (one thing at a time)
- evaluate.py   evaluate, evaluate-merge, bench-merge (quality and speed)
- warehouse.py  prepare-dbt, build-warehouse, publish (the warehouse's own steps)
- dashboard.py  dashboard
- batch.py      the one JSONL batch loop (`--jsonl`)

Each family module exposes `register(subparsers)`; the handler of subcommand `a-b` is `cmd_a_b(args,
settings)` and returns an exit code. `main` reads the Settings once (transforms.settings) and
hands them to the handler. Heavy imports (Dagster, newspaper3k) happen inside handlers so
`newsevents --help` stays fast.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from orchestration.cli import dashboard, evaluate, inspect, run, warehouse
from transforms.settings import Settings

COMMAND_MODULES = (run, inspect, evaluate, warehouse, dashboard)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsevents",
        description="News-to-incident warehouse: crawl, parse, extract and model security incidents.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args, Settings.from_env()) or 0)


def entry_point() -> None:
    """Console-script entry point."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`newsevents summary | head`): stop quietly, like other Unix tools.
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 141  # 128 + SIGPIPE, what a shell reports for a command killed by a closed pipe
    sys.exit(code)
