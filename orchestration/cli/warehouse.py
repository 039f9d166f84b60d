"""The warehouse's own steps: prepare the dbt project, build it, publish the BI copy.

newsevents prepare-dbt                       # the set-up step: dbt_project/target/manifest.json
newsevents build-warehouse [--db FILE] [--no-publish] [--publish-dir DIR]
newsevents publish [--db FILE] [--publish-dir DIR]
"""

from __future__ import annotations

import argparse
import logging

from orchestration.dbt_cli import MANIFEST, prepare_manifest, run_dbt
from transforms.settings import Settings

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    """Add this module's subcommands to the `newsevents` parser."""
    prepare = subparsers.add_parser(
        "prepare-dbt", help="parse the dbt project into dbt_project/target/manifest.json (set-up step)"
    )
    prepare.add_argument(
        "--if-stale",
        action="store_true",
        help="only when the manifest is missing or older than a file of the dbt project",
    )
    prepare.set_defaults(func=cmd_prepare_dbt)

    build = subparsers.add_parser("build-warehouse", help="run `dbt build` on the warehouse, then publish the BI copy")
    build.add_argument("--db", help="warehouse DuckDB file (default $NEWSEVENTS_DB or warehouse/newsevents.duckdb)")
    build.add_argument("--no-publish", action="store_true", help="do not publish the BI copy afterwards")
    build.add_argument("--publish-dir", help="BI directory (default $NEWSEVENTS_PUBLISH_DIR or warehouse/published)")
    build.set_defaults(func=cmd_build_warehouse)

    publish = subparsers.add_parser("publish", help="publish the marts as a read-only BI copy (DuckDB + Parquet)")
    publish.add_argument("--db", help="warehouse DuckDB file (default $NEWSEVENTS_DB or warehouse/newsevents.duckdb)")
    publish.add_argument("--publish-dir", help="BI directory (default $NEWSEVENTS_PUBLISH_DIR or warehouse/published)")
    publish.set_defaults(func=cmd_publish)


def cmd_prepare_dbt(args: argparse.Namespace, settings: Settings) -> int:
    code = prepare_manifest(settings, if_stale=args.if_stale)
    if code == 0:
        print(f"manifest: {MANIFEST}")
    return code


def cmd_build_warehouse(args: argparse.Namespace, settings: Settings) -> int:
    settings = settings.replace(db_path=args.db, publish_dir=args.publish_dir)
    code = run_dbt(settings, "build")
    if code != 0:
        log.error("dbt build failed (exit %s); the BI copy was left as it was", code)
        return code
    return 0 if args.no_publish else publish_copy(settings)


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    return publish_copy(settings.replace(db_path=args.db, publish_dir=args.publish_dir))


def publish_copy(settings: Settings) -> int:
    from transforms.publish import PublishError, publish

    try:
        result = publish(settings.db_path, settings.publish_dir)
    except PublishError as error:
        log.error("%s", error)
        return 1
    print(f"published snapshot {result.snapshot_id} in {result.seconds:.2f}s")
    print(f"  duckdb : {result.duckdb_path}")
    print(f"  parquet: {result.parquet_dir}")
    for table, count in result.row_counts:
        print(f"  {table:<24} {count:>8} rows")
    return 0
