"""The `newsevents` commands a person types first, run as subprocesses."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from transforms.publish import MART_TABLES

NEWSEVENTS = str(Path(sys.executable).with_name("newsevents"))


def _run(*args: str, env: dict[str, str] | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NEWSEVENTS, *args], capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _row_counts(db: Path, schema_tables: list[str]) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {table: con.execute(f"select count(*) from {table}").fetchone()[0] for table in schema_tables}


STAGING = ["pages", "articles", "parse_rejects", "event_mentions", "actor_mentions", "extraction_log"]


@pytest.mark.e2e
def test_demo_prints_a_short_account_and_a_second_run_changes_no_row_count(tmp_path):
    db = tmp_path / "demo.duckdb"
    published = tmp_path / "published"
    port = str(_free_port())  # fixed for both runs, as the default 8765 is for `make demo`
    env = {"NEWSEVENTS_PUBLISH_DIR": str(published)}
    first = _run("demo", "--db", str(db), "--port", port, env=env)
    assert first.returncode == 0, first.stderr[-3000:]
    printed = first.stdout + first.stderr
    assert len(printed.splitlines()) <= 40, printed
    for stage in ("[1/6] crawl", "[2/6] parse", "[3/6] extract", "[4/6] dbt build", "[5/6] publish", "[6/6] alerts"):
        assert stage in first.stderr
    for noise in ("DEBUG", "PASS", "STEP_START", "Warning"):
        assert noise not in printed  # Dagster's and dbt's log lines go to the log file
    for part in ("top incidents", str(published / "newsevents_bi.duckdb"), "make dashboard", "make dev"):
        assert part in first.stdout
    log_file = tmp_path / "logs" / f"demo-{first.stderr.split(', day ')[1][:10]}.log"
    assert f"full log: {log_file}" in first.stderr
    full_log = log_file.read_text(encoding="utf-8")
    assert "STEP_SUCCESS" in full_log and "PASS" in full_log

    marts = [f"marts.{table}" for table in MART_TABLES]
    before = _row_counts(db, STAGING + marts)
    assert before["marts.fct_incidents"] > 30
    second = _run("demo", "--db", str(db), "--port", port, env=env)
    assert second.returncode == 0, second.stderr[-3000:]
    assert _row_counts(db, STAGING + marts) == before
    with duckdb.connect(str(published / "newsevents_bi.duckdb"), read_only=True) as bi:
        assert {t: bi.execute(f"select count(*) from {t}").fetchone()[0] for t in MART_TABLES} == {
            t.removeprefix("marts."): n for t, n in before.items() if t.startswith("marts.")
        }


def test_demo_refuses_a_busy_port_in_one_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = _run("demo", "--db", str(tmp_path / "demo.duckdb"), "--port", str(busy.getsockname()[1]))
    assert result.returncode == 2
    assert "pass --port N" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "demo.duckdb").exists()


def test_verbose_flag_works_before_and_after_the_command():
    from orchestration.cli import build_parser

    assert build_parser().parse_args(["-v", "demo"]).verbose is True
    assert build_parser().parse_args(["demo", "-v"]).verbose is True
    assert build_parser().parse_args(["demo"]).verbose is False


def test_summary_names_the_warehouse_to_pass_when_there_is_none(tmp_path):
    result = _run("summary", env={"NEWSEVENTS_DB": str(tmp_path / "nothing.duckdb")})
    assert result.returncode == 1
    assert "no warehouse at" in result.stderr and "--db" in result.stderr


def test_summary_picks_the_newest_warehouse_and_says_how_to_choose_the_other(tmp_path, monkeypatch):
    from orchestration.cli import inspect
    from transforms.settings import Settings

    real, demo = tmp_path / "newsevents.duckdb", tmp_path / "demo.duckdb"
    settings = Settings(db_path=real)  # the default warehouse, not chosen
    monkeypatch.setattr(inspect, "DEMO_DB", demo)
    assert inspect.likely_warehouse(None, settings) == (None, [])
    real.write_bytes(b"")
    demo.write_bytes(b"")
    os.utime(real, (1_000_000, 1_000_000))
    assert inspect.likely_warehouse(None, settings) == (demo, [real])
    assert inspect.likely_warehouse(str(real), settings) == (real, [])


def test_summary_shows_top_incidents_and_the_bi_copy():
    from tests.test_dbt_warehouse import shared_day_1_warehouse

    result = _run("summary", "--db", str(shared_day_1_warehouse()))
    assert result.returncode == 0, result.stderr
    assert "top incidents" in result.stdout and "Kirkuk" in result.stdout
    assert "BI copy" in result.stdout and "next" in result.stdout


@pytest.mark.parametrize("args", [["--help"], ["summary", "--db", "{db}"]])
def test_a_closed_pipe_ends_the_command_quietly(args):
    from tests.test_dbt_warehouse import shared_day_1_warehouse

    args = [arg.replace("{db}", str(shared_day_1_warehouse())) for arg in args]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line, as with `| head -0`
    try:
        result = subprocess.run([NEWSEVENTS, *args], stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr
    assert result.returncode in (0, 141)  # argparse swallows the error itself; ours stops with 128 + SIGPIPE


def test_check_config_names_the_source_and_field_of_a_typo(tmp_path):
    bad = tmp_path / "sources.yml"
    bad.write_text(
        "sources:\n  - id: herald\n    name: Herald\n    homepage: https://herald.example/\n"
        "    feds: [https://herald.example/rss.xml]\n",
        encoding="utf-8",
    )
    result = _run("check-config", str(bad))
    assert result.returncode == 2
    assert "source 'herald': unknown field 'feds'" in result.stderr


def test_run_refuses_a_broken_config_before_starting(tmp_path):
    bad = tmp_path / "sources.yml"
    bad.write_text("sources: []\n", encoding="utf-8")
    result = _run("run", "--date", "2026-11-20", "--sources", str(bad), "--db", str(tmp_path / "x.duckdb"))
    assert result.returncode == 2
    assert "sources: must be a non-empty list" in result.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_run_outside_the_daily_partitions_says_so_in_one_line(tmp_path):
    result = _run(
        "run", "--date", "2020-01-01", "--db", str(tmp_path / "x.duckdb"), env={"NEWSEVENTS_START_DATE": "2026-01-01"}
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "newsevents run: 2020-01-01 is before the first daily partition 2026-01-01: "
        "set NEWSEVENTS_START_DATE=2020-01-01 (or earlier) to run it"
    )
    assert not (tmp_path / "x.duckdb").exists()


def test_partitions_start_where_the_environment_says_and_a_bad_value_is_named(monkeypatch):
    from orchestration import partitions

    monkeypatch.setenv(partitions.START_DATE_ENV, "2025-06-01")
    assert partitions.start_date().isoformat() == "2025-06-01"
    monkeypatch.setenv(partitions.START_DATE_ENV, "June 2025")
    with pytest.raises(partitions.PartitionDayError, match="NEWSEVENTS_START_DATE must be YYYY-MM-DD"):
        partitions.start_date()
