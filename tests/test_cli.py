"""The `newsevents` commands a person types first, run as subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

NEWSEVENTS = str(Path(sys.executable).with_name("newsevents"))


def _run(*args: str, env: dict[str, str] | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([NEWSEVENTS, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


@pytest.mark.e2e
def test_demo_runs_the_daily_job_and_prints_what_landed(tmp_path):
    db = tmp_path / "demo.duckdb"
    published = tmp_path / "published"
    result = _run("demo", "--db", str(db), env={"NEWSEVENTS_PUBLISH_DIR": str(published)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "articles" in result.stdout and "marts.fct_incidents" in result.stdout
    assert "PASS" not in result.stdout  # dbt's log goes to stderr, the summary stays readable
    with duckdb.connect(str(published / "newsevents_bi.duckdb"), read_only=True) as bi:
        assert bi.execute("select count(*) from fct_incidents").fetchone()[0] > 30


def test_check_config_names_the_source_and_field_of_a_typo(tmp_path):
    bad = tmp_path / "sources.yml"
    bad.write_text("sources:\n  - id: herald\n    name: Herald\n    homepage: https://herald.example/\n"
                   "    feds: [https://herald.example/rss.xml]\n", encoding="utf-8")
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
