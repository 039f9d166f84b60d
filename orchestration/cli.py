"""The `newsevents` command line.

Each group of subcommands lives in its own `cmd_*.py` module exposing `register(subparsers)`;
a handler takes the parsed args and returns an exit code. Heavy imports (Dagster, newspaper3k)
happen inside handlers so `newsevents --help` stays fast.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from orchestration import cmd_dashboard, cmd_extract, cmd_parse, cmd_pipeline, cmd_warehouse, cmd_watch

COMMAND_MODULES = (cmd_pipeline, cmd_parse, cmd_extract, cmd_warehouse, cmd_watch, cmd_dashboard)


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
    return int(args.func(args) or 0)


def run() -> None:
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


if __name__ == "__main__":
    run()
