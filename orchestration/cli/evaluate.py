"""Measure: extraction on the labelled dev set, incident merging against the fixture corpus, and
merging's speed on synthetic mentions.

    newsevents evaluate [--cases C --gold G] [--json] [--errors]
    newsevents evaluate-merge [--db FILE] [--show-errors] [--fail-under X]
    newsevents bench-merge [--mentions N ...] [--mix towns realistic]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from orchestration.cli.inspect import open_read_only
from orchestration.cli.run import fixture_corpus
from transforms.settings import REPO_ROOT, Settings

log = logging.getLogger(__name__)

DEVSET = REPO_ROOT / "tests" / "data" / "devset"


def register(subparsers) -> None:
    """Add this module's subcommands to the `newsevents` parser."""
    ev = subparsers.add_parser(
        "evaluate",
        help="score the extractor on the labelled development set",
        description="Detection precision/recall/F1 and per-field agreement on a labelled set.",
    )
    ev.add_argument("--cases", type=Path, default=DEVSET / "cases.jsonl")
    ev.add_argument("--gold", type=Path, default=DEVSET / "gold.json")
    ev.add_argument("--json", action="store_true", help="machine-readable figures")
    ev.add_argument("--errors", action="store_true", help="list missed, spurious and wrong-field events")
    ev.set_defaults(func=cmd_evaluate)

    merge = subparsers.add_parser(
        "evaluate-merge",
        help="pairwise precision/recall of incident merging against the fixture corpus gold",
    )
    merge.add_argument("--db", help="warehouse DuckDB file (default $NEWSEVENTS_DB or warehouse/newsevents.duckdb)")
    merge.add_argument("--corpus", help="fixture articles directory (default: the bundled fixture sites')")
    merge.add_argument("--show-errors", action="store_true", help="list wrongly merged and missed pairs")
    merge.add_argument(
        "--fail-under", type=float, default=None, help="exit 1 when precision or recall of merging alone is below this"
    )
    merge.set_defaults(func=cmd_evaluate_merge)

    bench = subparsers.add_parser("bench-merge", help="time incident merging (dbt) on N synthetic mentions")
    bench.add_argument("--mentions", type=int, nargs="+", default=[10_000, 40_000])
    bench.add_argument(
        "--mix",
        choices=sorted(BENCH_MIXES),
        nargs="+",
        default=["towns", "realistic"],
        help="towns: every report placed to its town; realistic: busy countries, region- and "
        "country-level reports, sub-types that disagree",
    )
    bench.add_argument(
        "--add-day",
        action="store_true",
        help="then add one more day of mentions to the history and time that (incremental) build too",
    )
    bench.set_defaults(func=cmd_bench_merge)


# ---------------------------------------------------------------- extraction on the dev set


def cmd_evaluate(args: argparse.Namespace, settings: Settings) -> int:
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


# ---------------------------------------------------------------- merging against the fixture corpus


def _format(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def cmd_evaluate_merge(args: argparse.Namespace, settings: Settings) -> int:
    import duckdb

    from transforms import merge_eval

    db = settings.replace(db_path=args.db).db_path
    con = open_read_only(db)
    if con is None:
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

    corpus = fixture_corpus(Path(args.corpus) if args.corpus else None)
    gold = merge_eval.gold_clusters(
        (article.path, [incident.incident_id for incident in article.gold]) for article in corpus
    )
    predicted = merge_eval.predicted_clusters((incident_id, url) for incident_id, url, *_ in reports)
    merged = merge_eval.pairwise_scores(predicted, gold, common_articles_only=True)
    overall = merge_eval.pairwise_scores(predicted, gold, common_articles_only=False)
    mentions, gold_records = merge_eval.records_of(reports, corpus)
    alone = merge_eval.aligned_scores(mentions, gold_records)

    print(f"warehouse: {db}")
    print(
        f"gold: {len(gold)} incidents in {len(merge_eval.articles_of(gold))} articles; "
        f"predicted: {len(predicted)} incidents in {len(merge_eval.articles_of(predicted))} articles"
    )
    print(
        f"merging (articles with events on both sides, n={merged.n_articles}): "
        f"precision {_format(merged.precision)}  recall {_format(merged.recall)}  "
        f"pairs true/predicted/gold {merged.true_pairs}/{merged.predicted_pairs}/{merged.gold_pairs}"
    )
    print(
        f"end to end (all articles, n={overall.n_articles}): "
        f"precision {_format(overall.precision)}  recall {_format(overall.recall)}  "
        f"pairs true/predicted/gold {overall.true_pairs}/{overall.predicted_pairs}/{overall.gold_pairs}"
    )
    print(
        f"merging alone (reports matching a gold incident of their article on country, type and date +-1 day, "
        f"n={alone.n_articles}): precision {_format(alone.precision)}  recall {_format(alone.recall)}  "
        f"pairs true/predicted/gold {alone.true_pairs}/{alone.predicted_pairs}/{alone.gold_pairs}"
    )
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
    [],
    timestamp '2026-01-01 06:00:00' + to_days(cast(i * 365 // $n as integer)) + to_minutes(cast(i % 600 as integer)),
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
    timestamp '2026-01-01 12:00:00', null
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
        when k % 3 = 1 then
            case when other_sub_type then 'Shelling/artillery/missile attack' else 'Air/drone strike' end
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
    cast(k % 7 as integer), null, null, false, 0.8, 'evidence', '[]', timestamp '2026-01-01 12:00:00', null
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
            case when hash(i // 3, 'busy') % 100 < 60 then hash(i // 3, 'country') % 5
                else 5 + hash(i // 3, 'country') % 21 end as country,
            hash(i // 3, 'town') % 400 as town,
            case hash(i, 'precision') % 10
                when 7 then 'near' when 8 then 'region' when 9 then 'country' else 'town' end as precision,
            hash(i, 'sub_type') % 5 = 0 as other_sub_type
        from range($n) t(i)
    )
)
""",
}


def timed_dbt_build(command: list[str], settings: Settings, work: Path) -> tuple[int, float, int, str]:
    """One dbt build: exit code, seconds, its own peak RSS (MB), the slowest models."""
    import json
    import os
    import subprocess
    import time

    from orchestration.dbt_cli import DBT_PROJECT_DIR

    started = time.monotonic()
    process = subprocess.Popen(command, env=settings.child_env(), cwd=DBT_PROJECT_DIR)
    _, status, usage = os.wait4(process.pid, 0)  # this build's own peak RSS (KiB on Linux)
    code = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if code != 0:
        return code, seconds, 0, ""
    run_results = json.loads((work / "target" / "run_results.json").read_text())
    slowest = sorted(run_results["results"], key=lambda r: -r["execution_time"])[:3]
    timings = ", ".join(f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.1f}s" for r in slowest)
    return code, seconds, usage.ru_maxrss // 1024, timings


def cmd_bench_merge(args: argparse.Namespace, settings: Settings) -> int:
    import os
    import tempfile

    import duckdb

    from orchestration.dbt_cli import dbt_command
    from transforms.settings import SCHEMA_SQL

    runs: list[tuple[str, int, float, float, int]] = []
    for mix in args.mix:
        for n in args.mentions:
            with tempfile.TemporaryDirectory() as work:
                db = Path(work) / "bench.duckdb"
                con = duckdb.connect(str(db))
                con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
                con.execute((BENCH_ARTICLES_SQL + BENCH_MIXES[mix]).replace("$n", str(n)))
                con.close()
                command = dbt_command(
                    "build",
                    "--select",
                    "+int_event_mentions_clustered",
                    "--exclude",
                    "test_type:data",
                    "--exclude",
                    "test_type:unit",
                    "--target-path",
                    f"{work}/target",
                    "--log-path",
                    f"{work}/logs",
                    "--quiet",
                )

                code, seconds, peak_mb, timings = timed_dbt_build(command, settings.replace(db_path=db), Path(work))
                if code != 0:
                    return code
                con = duckdb.connect(str(db), read_only=True)
                pairs = con.execute("select count(*) from intermediate.int_mention_pairs_scored").fetchone()[0]
                incidents = con.execute(
                    "select count(distinct incident_id) from intermediate.int_event_mentions_clustered"
                ).fetchone()[0]
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
                print(
                    f"{mix:>9} {n:>8} mentions ({n // 365:>5}/day, {n // 3} true incidents): {pairs:>9} scored pairs "
                    f"({pairs / n:.2f} per mention), {incidents:>8} incidents, pairwise precision {precision:.3f} "
                    f"recall {true_pairs / gold_pairs:.3f}, dbt build {seconds:.1f}s, "
                    f"peak {peak_mb} MB (slowest: {timings})",
                    flush=True,
                )
                runs.append((mix, n, pairs / n, seconds, peak_mb))
                if args.add_day:
                    # the next day's mentions (n / 365 of them, dated after the history), built
                    # incrementally on top: what a daily build costs once the history is big
                    day = n // 365
                    con = duckdb.connect(str(db))
                    con.execute(
                        (BENCH_ARTICLES_SQL + BENCH_MIXES[mix])
                        .replace("range($n)", f"range({n}, {n + day})")
                        .replace("$n", str(n))
                    )
                    con.close()
                    code, seconds, peak_mb, timings = timed_dbt_build(command, settings.replace(db_path=db), Path(work))
                    if code != 0:
                        return code
                    print(
                        f"{mix:>9} {n:>8} mentions + one day of {day}: incremental dbt build {seconds:.1f}s, "
                        f"peak {peak_mb} MB (slowest: {timings})",
                        flush=True,
                    )
    # Scaling: how pairs per mention, seconds and memory grow from one size to the next (linear: the
    # pairs ratio stays near 1 and the seconds ratio near the mentions ratio).
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work on the machine slows the builds)"
    )
    print("      mix  mentions  pairs/mention  seconds  peak MB   x mentions  x pairs/mention  x seconds")
    for (mix, n, per, seconds, peak), previous in zip(runs, [None] + runs[:-1], strict=False):
        growth = (
            ""
            if previous is None or previous[0] != mix
            else f"   {n / previous[1]:>9.1f}  {per / previous[2]:>15.2f}  {seconds / previous[3]:>9.2f}"
        )
        print(f"{mix:>9} {n:>9} {per:>14.2f} {seconds:>8.1f} {peak:>8}{growth}")
    return 0
