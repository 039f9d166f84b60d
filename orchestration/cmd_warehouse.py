"""Warehouse subcommands: prepare/build the dbt project, publish the BI copy, evaluate merging."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
CORPUS_MODULE = REPO_ROOT / "tests" / "sites" / "corpus.py"
CORPUS_ARTICLES = REPO_ROOT / "tests" / "sites" / "articles"


def register(subparsers) -> None:
    """Add this module's subcommands to the `newsevents` parser."""
    prepare = subparsers.add_parser(
        "prepare-dbt", help="parse the dbt project into dbt_project/target/manifest.json (set-up step)"
    )
    prepare.set_defaults(func=_prepare_dbt)

    build = subparsers.add_parser("build-warehouse", help="run `dbt build` on the warehouse, then publish the BI copy")
    build.add_argument("--db", help="warehouse DuckDB file (default $NEWSEVENTS_DB or warehouse/newsevents.duckdb)")
    build.add_argument("--no-publish", action="store_true", help="do not publish the BI copy afterwards")
    build.add_argument("--publish-dir", help="BI directory (default $NEWSEVENTS_PUBLISH_DIR or warehouse/published)")
    build.set_defaults(func=_build_warehouse)

    publish = subparsers.add_parser("publish", help="publish the marts as a read-only BI copy (DuckDB + Parquet)")
    publish.add_argument("--db", help="warehouse DuckDB file (default $NEWSEVENTS_DB or warehouse/newsevents.duckdb)")
    publish.add_argument("--publish-dir", help="BI directory (default $NEWSEVENTS_PUBLISH_DIR or warehouse/published)")
    publish.set_defaults(func=_publish)

    evaluate = subparsers.add_parser(
        "evaluate-merge",
        help="pairwise precision/recall of incident merging against the fixture corpus gold",
    )
    evaluate.add_argument("--db", help="warehouse DuckDB file (default $NEWSEVENTS_DB or warehouse/newsevents.duckdb)")
    evaluate.add_argument("--corpus", default=str(CORPUS_ARTICLES), help="fixture articles directory")
    evaluate.add_argument("--show-errors", action="store_true", help="list wrongly merged and missed pairs")
    evaluate.add_argument(
        "--fail-under", type=float, default=None,
        help="exit 1 when precision or recall of merging alone is below this"
    )
    evaluate.set_defaults(func=_evaluate_merge)

    summary = subparsers.add_parser("summary", help="what the warehouse holds, the top incidents, where the BI copy is")
    summary.add_argument("--db", help="DuckDB file (default: $NEWSEVENTS_DB, else the newest of "
                                      "warehouse/newsevents.duckdb and warehouse/demo.duckdb)")
    summary.add_argument("--date", help="only this partition day (YYYY-MM-DD)")
    summary.set_defaults(func=_summary)

    register_bench(subparsers)


def dbt_command(*args: str) -> list[str]:
    """The dbt executable of this environment with the project and profiles dirs set."""
    dbt = Path(sys.executable).with_name("dbt")
    return [
        str(dbt) if dbt.exists() else "dbt",
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
    ]


def _dbt_env(db: str | None) -> dict[str, str]:
    from transforms import warehouse

    return dict(os.environ, NEWSEVENTS_DB=str(warehouse.db_path(db)), DBT_SEND_ANONYMOUS_USAGE_STATS="false")


def _prepare_dbt(args: argparse.Namespace) -> int:
    result = subprocess.run(dbt_command("parse"), env=_dbt_env(None), cwd=DBT_PROJECT_DIR)
    if result.returncode == 0:
        print(f"manifest: {DBT_PROJECT_DIR / 'target' / 'manifest.json'}")
    return result.returncode


def _build_warehouse(args: argparse.Namespace) -> int:
    result = subprocess.run(dbt_command("build"), env=_dbt_env(args.db), cwd=DBT_PROJECT_DIR)
    if result.returncode != 0:
        log.error("dbt build failed (exit %s); the BI copy was left as it was", result.returncode)
        return result.returncode
    if args.no_publish:
        return 0
    return _publish(args)


def _publish(args: argparse.Namespace) -> int:
    from transforms.publish import PublishError, publish

    try:
        result = publish(args.db, args.publish_dir)
    except PublishError as error:
        log.error("%s", error)
        return 1
    print(f"published snapshot {result.snapshot_id} in {result.seconds:.2f}s")
    print(f"  duckdb : {result.duckdb_path}")
    print(f"  parquet: {result.parquet_dir}")
    for table, count in result.row_counts:
        print(f"  {table:<24} {count:>8} rows")
    return 0


# ---------------------------------------------------------------- summary

DEMO_DB = REPO_ROOT / "warehouse" / "demo.duckdb"
DEMO_PUBLISH_DIR = REPO_ROOT / "warehouse" / "demo_published"
DASHBOARD_URL = "http://127.0.0.1:8050"


def likely_warehouse(explicit: str | None) -> tuple[Path | None, list[Path]]:
    """The warehouse a person most likely means, and the other candidates that exist.

    --db, else $NEWSEVENTS_DB, else the most recently written of the real-sources warehouse and the
    demo's (after `make demo` that is the demo's)."""
    from transforms import warehouse

    if explicit or os.environ.get(warehouse.DB_ENV):
        return warehouse.db_path(explicit), []
    candidates = [path for path in (warehouse.DEFAULT_DB.resolve(), DEMO_DB) if path.exists()]
    candidates.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    return (candidates[0] if candidates else None), candidates[1:]


def shown_path(path: Path) -> str:
    """A path as short as it is clear: relative to the working directory when under it. Links are
    kept as they are: the BI copy's stable path is a link to the current snapshot."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _summary(args: argparse.Namespace) -> int:
    from datetime import date

    day = None
    if args.date:
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            print(f"newsevents summary: --date must be YYYY-MM-DD, got {args.date!r}", file=sys.stderr)
            return 2
    db, others = likely_warehouse(args.db)
    if db is None:
        print("newsevents summary: no warehouse yet. `make demo` writes warehouse/demo.duckdb, "
              "`newsevents run` warehouse/newsevents.duckdb; or pass --db FILE", file=sys.stderr)
        return 1
    if others:
        print(f"(the most recent warehouse; also {', '.join(shown_path(o) for o in others)}: --db to choose)")
    return 0 if print_summary(db, day, demo=db == DEMO_DB) else 1


def print_summary(db: Path, day, demo: bool = False) -> bool:
    """What landed (for one day when given), the top incidents, where the BI copy is, what next."""
    import duckdb

    from transforms.publish import PUBLISH_DIR_ENV, PUBLISHED_DB_NAME, publish_dir

    if not db.exists():
        print(f"newsevents: no warehouse at {db}; pass --db FILE (`make demo` writes warehouse/demo.duckdb)",
              file=sys.stderr)
        return False
    try:
        conn = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as error:
        print(f"newsevents: cannot read {db} now ({str(error).splitlines()[0]}); a run may hold it: "
              "query the BI copy instead", file=sys.stderr)
        return False
    try:
        where, params = ("where partition_date = ?", [day]) if day else ("", [])

        def count(table: str) -> int:
            return conn.execute(f"select count(*) from {table} {where}", params).fetchone()[0]

        def grouped(sql: str) -> str:
            return ", ".join(f"{n} {label}" for label, n in conn.execute(sql, params).fetchall())

        attempts = count("crawl_log")
        fetched = conn.execute(f"select count(*) filter (where outcome in ('fetched', 'not_modified')) "
                               f"from crawl_log {where}", params).fetchone()[0]
        other = grouped(f"select outcome, count(*) from crawl_log {where} {'and' if day else 'where'} "
                        "outcome not in ('fetched', 'not_modified') group by 1 order by 2 desc, 1")
        print(f"\nwhat landed in {shown_path(db)} ({f'day {day}' if day else 'all days'})")
        print(f"  fetch attempts {attempts}: {fetched} fetched" + (f", {other}" if other else ""))
        print(f"  pages {count('pages')}, articles {count('articles')}, not articles {count('parse_rejects')}, "
              f"event mentions {count('event_mentions')}")
        types = grouped(f"select event_type, count(*) from event_mentions {where} group by 1 order by 2 desc, 1")
        if types:
            print(f"  by type: {types}")
        marts = {r[0] for r in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
        if "fct_incidents" in marts:
            n_incidents, n_multi = conn.execute(
                "select count(*), count(*) filter (where n_sources > 1) from marts.fct_incidents").fetchone()
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
    bi = publish_dir(DEMO_PUBLISH_DIR if demo and not os.environ.get(PUBLISH_DIR_ENV) else None) / PUBLISHED_DB_NAME
    print("\nBI copy (read-only, for dashboards and SQL)")
    if bi.exists():
        print(f"  {shown_path(bi)}  and  {shown_path(bi.parent / 'parquet')}/<table>.parquet")
    else:
        print(f"  not published yet ({shown_path(bi)}): `newsevents publish --db {shown_path(db)}`")
    print("\nnext")
    print(f"  make dashboard    the dashboard on {DASHBOARD_URL} (the newest BI copy)")
    print(f"  {'NEWSEVENTS_DB=' + shown_path(db) + ' ' if demo else ''}make dev    the Dagster UI on http://127.0.0.1:3000")
    print(f"  .venv/bin/python -c \"import duckdb; duckdb.connect('{shown_path(bi)}', read_only=True)"
          ".sql('select * from acled_events limit 5').show()\"")
    return True


def _load_corpus(articles_dir: Path):
    """The fixture corpus loader (tests/sites/corpus.py), loaded by path: tests/ is not installed."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("newsevents_fixture_corpus", CORPUS_MODULE)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(CORPUS_MODULE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module.load_corpus(articles_dir)


def _format(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _evaluate_merge(args: argparse.Namespace) -> int:
    import duckdb

    from transforms import merge_eval, warehouse

    db = warehouse.db_path(args.db)
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as error:
        log.error("cannot open warehouse %s read-only: %s", db, error)
        return 1
    try:
        reports = con.execute(
            "select incident_id, url, event_mention_id, country_iso2, event_type, event_date"
            " from marts.fct_incident_reports"
        ).fetchall()
    except duckdb.CatalogException:
        log.error("warehouse %s has no marts.fct_incident_reports: run the pipeline (dbt build) first", db)
        return 1
    finally:
        con.close()

    corpus = _load_corpus(Path(args.corpus))
    gold = merge_eval.gold_clusters(
        (article.path, [incident.incident_id for incident in article.gold]) for article in corpus
    )
    predicted = merge_eval.predicted_clusters((incident_id, url) for incident_id, url, *_ in reports)
    merged = merge_eval.pairwise_scores(predicted, gold, common_articles_only=True)
    overall = merge_eval.pairwise_scores(predicted, gold, common_articles_only=False)
    mentions = [
        merge_eval.MentionRecord(merge_eval.url_key(url), mention_id, incident_id, country, event_type, event_date)
        for incident_id, url, mention_id, country, event_type, event_date in reports
    ]
    gold_records = [
        merge_eval.GoldRecord(merge_eval.url_key(article.path), incident.incident_id, incident.country_iso2,
                              incident.event_type, incident.event_date)
        for article in corpus for incident in article.gold
    ]
    alone = merge_eval.aligned_scores(mentions, gold_records)

    print(f"warehouse: {db}")
    print(f"gold: {len(gold)} incidents in {len(merge_eval.articles_of(gold))} articles; "
          f"predicted: {len(predicted)} incidents in {len(merge_eval.articles_of(predicted))} articles")
    print(f"merging (articles with events on both sides, n={merged.n_articles}): "
          f"precision {_format(merged.precision)}  recall {_format(merged.recall)}  "
          f"pairs true/predicted/gold {merged.true_pairs}/{merged.predicted_pairs}/{merged.gold_pairs}")
    print(f"end to end (all articles, n={overall.n_articles}): "
          f"precision {_format(overall.precision)}  recall {_format(overall.recall)}  "
          f"pairs true/predicted/gold {overall.true_pairs}/{overall.predicted_pairs}/{overall.gold_pairs}")
    print(f"merging alone (reports matching a gold incident of their article on country, type and date +-1 day, "
          f"n={alone.n_articles}): precision {_format(alone.precision)}  recall {_format(alone.recall)}  "
          f"pairs true/predicted/gold {alone.true_pairs}/{alone.predicted_pairs}/{alone.gold_pairs}")
    if args.show_errors:
        universe = merge_eval.articles_of(predicted) & merge_eval.articles_of(gold)
        predicted_pairs = merge_eval.together_pairs(predicted, universe)
        gold_pairs = merge_eval.together_pairs(gold, universe)
        for left, right in sorted(predicted_pairs - gold_pairs):
            print(f"  wrongly merged: {left}  +  {right}")
        for left, right in sorted(gold_pairs - predicted_pairs):
            print(f"  missed merge:   {left}  +  {right}")
    if args.fail_under is not None:
        below = [value for value in (alone.precision, alone.recall) if value is not None and value < args.fail_under]
        return 1 if below else 0
    return 0


# ---------------------------------------------------------------- merge scaling benchmark

BENCH_ARTICLES_SQL = """
insert into articles
select
    'a' || i, 'p' || i, 's' || (i % 40), 'http://127.0.0.1/s/' || i, 'http://127.0.0.1/s/' || i, 'title ' || i,
    [], timestamp '2026-01-01 06:00:00' + to_days(cast(i * 365 // $n as integer)) + to_minutes(cast(i % 600 as integer)),
    'meta', 'en', 'text', 'bench', null, 4, timestamp '2026-01-01 12:00:00' + to_days(cast(i * 365 // $n as integer)),
    date '2026-01-01' + cast(i * 365 // $n as integer), 'bench', timestamp '2026-01-01 12:00:00'
from range($n) t(i);
insert into extraction_log
select 'a' || i, 'bench', date '2026-01-01', 1, timestamp '2026-01-01 12:00:00' from range($n) t(i);
"""

# One mention per article; every incident k is reported by 3 articles, over a year, so a day holds
# n / 365 mentions and grows with n.
BENCH_MIXES = {
    # 5,000 places at least 50 km apart in 26 countries, 3 types, every report placed to the town
    "towns": """
insert into event_mentions
select
    'm' || i, 'a' || i, 's' || (i % 40), date '2026-01-01', 'bench', 0,
    case k % 3 when 0 then 'Battles' when 1 then 'Explosions/Remote violence' else 'Violence against civilians' end,
    case k % 3 when 0 then 'Armed clash' when 1 then 'Air/drone strike' else 'Attack' end,
    date '2026-01-01' + cast(k * 3 * 365 // $n as integer),
    'day', false, 'place ' || place, 'region ' || (place % 5), 'country', chr(cast(65 + place % 26 as integer)) || 'X',
    (place % 100) * 0.5, (place // 100) * 0.5, 1, cast(k % 7 as integer), null, null, false, 0.8, 'evidence', '[]',
    timestamp '2026-01-01 12:00:00'
from (select i, i // 3 as k, (i // 3) % 5000 as place from range($n) t(i))
""",
    # What real days look like: 60% of incidents in 5 busy countries (400 towns 33 km apart in a
    # 6 x 6 degree box each), the rest in 21 others; of the reports 70% name the town, 10% are
    # "near" it, 10% give only the region (4 per country) and 10% only the country; one report in
    # five gives another sub-type of the same family.
    "realistic": """
insert into event_mentions
select
    'm' || i, 'a' || i, 's' || (i % 40), date '2026-01-01', 'bench', 0,
    case k % 3 when 0 then 'Battles' when 1 then 'Explosions/Remote violence' else 'Violence against civilians' end,
    case
        when k % 3 = 0 then case when other_sub_type then 'Non-state actor overtakes territory' else 'Armed clash' end
        when k % 3 = 1 then case when other_sub_type then 'Shelling/artillery/missile attack' else 'Air/drone strike' end
        else 'Attack'
    end,
    date '2026-01-01' + cast(k * 3 * 365 // $n as integer),
    'day', false,
    case precision when 'region' then 'region ' || country || '-' || region when 'country' then 'country ' || country
        else 'town ' || country || '-' || town end,
    case when precision = 'country' then null else 'region ' || country || '-' || region end,
    'country ' || country, chr(cast(65 + country as integer)) || 'Y',
    case precision
        when 'region' then base_lat + (region // 2) * 3 + 1.5
        when 'country' then base_lat + 3
        when 'near' then base_lat + (town // 20) * 0.3 + 0.05
        else base_lat + (town // 20) * 0.3
    end,
    case precision
        when 'region' then base_lon + (region % 2) * 3 + 1.5
        when 'country' then base_lon + 3
        else base_lon + (town % 20) * 0.3
    end,
    case precision when 'town' then 1 when 'near' then 2 else 3 end,
    cast(k % 7 as integer), null, null, false, 0.8, 'evidence', '[]', timestamp '2026-01-01 12:00:00'
from (
    select
        *,
        -20 + (country % 5) * 8 as base_lat,
        -10 + (country // 5) * 8 as base_lon,
        (town // 20 >= 10)::integer * 2 + (town % 20 >= 10)::integer as region
    from (
        select
            i,
            i // 3 as k,
            case when hash(i // 3, 'busy') % 100 < 60 then hash(i // 3, 'country') % 5 else 5 + hash(i // 3, 'country') % 21 end as country,
            hash(i // 3, 'town') % 400 as town,
            case hash(i, 'precision') % 10 when 7 then 'near' when 8 then 'region' when 9 then 'country' else 'town' end as precision,
            hash(i, 'sub_type') % 5 = 0 as other_sub_type
        from range($n) t(i)
    )
)
""",
}


def register_bench(subparsers) -> None:
    bench = subparsers.add_parser("bench-merge", help="time incident merging (dbt) on N synthetic mentions")
    bench.add_argument("--mentions", type=int, nargs="+", default=[10_000, 40_000])
    bench.add_argument("--mix", choices=sorted(BENCH_MIXES), nargs="+", default=["towns", "realistic"],
                       help="towns: every report placed to its town; realistic: busy countries, region- and "
                            "country-level reports, sub-types that disagree")
    bench.set_defaults(func=_bench_merge)


def _bench_merge(args: argparse.Namespace) -> int:
    import json
    import tempfile
    import time

    import duckdb

    from transforms import warehouse

    runs: list[tuple[str, int, float, float, int]] = []
    for mix in args.mix:
        for n in args.mentions:
            with tempfile.TemporaryDirectory() as work:
                db = Path(work) / "bench.duckdb"
                con = duckdb.connect(str(db))
                con.execute(warehouse.SCHEMA_SQL.read_text(encoding="utf-8"))
                con.execute((BENCH_ARTICLES_SQL + BENCH_MIXES[mix]).replace("$n", str(n)))
                con.close()
                command = dbt_command("build", "--select", "+int_event_mentions_clustered", "--exclude", "test_type:data",
                                      "--exclude", "test_type:unit", "--target-path", f"{work}/target",
                                      "--log-path", f"{work}/logs", "--quiet")
                started = time.monotonic()
                process = subprocess.Popen(command, env=_dbt_env(str(db)), cwd=DBT_PROJECT_DIR)
                _, status, usage = os.wait4(process.pid, 0)   # this build's own peak RSS (KiB on Linux)
                process.returncode = os.waitstatus_to_exitcode(status)
                seconds = time.monotonic() - started
                if process.returncode != 0:
                    return process.returncode
                run_results = json.loads((Path(work) / "target" / "run_results.json").read_text())
                slowest = sorted(run_results["results"], key=lambda r: -r["execution_time"])[:3]
                timings = ", ".join(f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.1f}s" for r in slowest)
                con = duckdb.connect(str(db), read_only=True)
                pairs = con.execute("select count(*) from intermediate.int_mention_pairs_scored").fetchone()[0]
                incidents = con.execute(
                    "select count(distinct incident_id) from intermediate.int_event_mentions_clustered").fetchone()[0]
                # pairwise against the truth: mention i belongs to incident i // 3
                true_pairs, predicted_pairs = con.execute("""
                    select count(*) filter (where a.k = b.k), count(*)
                    from (select incident_id, cast(substr(event_mention_id, 2) as bigint) // 3 as k, event_mention_id
                          from intermediate.int_event_mentions_clustered) as a
                    join (select incident_id, cast(substr(event_mention_id, 2) as bigint) // 3 as k, event_mention_id
                          from intermediate.int_event_mentions_clustered) as b
                      on a.incident_id = b.incident_id and a.event_mention_id < b.event_mention_id
                """).fetchone()
                con.close()
                gold_pairs = (n // 3) * 3 + (n % 3) * (n % 3 - 1) // 2
                precision = true_pairs / predicted_pairs if predicted_pairs else float("nan")
                print(f"{mix:>9} {n:>8} mentions ({n // 365:>5}/day, {n // 3} true incidents): {pairs:>9} scored pairs "
                      f"({pairs / n:.2f} per mention), {incidents:>8} incidents, pairwise precision {precision:.3f} "
                      f"recall {true_pairs / gold_pairs:.3f}, dbt build {seconds:.1f}s, peak {usage.ru_maxrss // 1024} MB "
                      f"(slowest: {timings})", flush=True)
                runs.append((mix, n, pairs / n, seconds, usage.ru_maxrss // 1024))
    # Scaling: how pairs per mention, seconds and memory grow from one size to the next (linear: the
    # pairs ratio stays near 1 and the seconds ratio near the mentions ratio).
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work on the machine slows the builds)")
    print("      mix  mentions  pairs/mention  seconds  peak MB   x mentions  x pairs/mention  x seconds")
    for (mix, n, per, seconds, peak), previous in zip(runs, [None] + runs[:-1]):
        growth = ("" if previous is None or previous[0] != mix else
                  f"   {n / previous[1]:>9.1f}  {per / previous[2]:>15.2f}  {seconds / previous[3]:>9.2f}")
        print(f"{mix:>9} {n:>9} {per:>14.2f} {seconds:>8.1f} {peak:>8}{growth}")
    return 0
