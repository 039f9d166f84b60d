"""Fault injection: hostile servers on 127.0.0.1, hostile markup, and kill -9 of the daily run.

Outcomes only (a timeout recorded, the run completes, counts equal an undisturbed run); the times
these take are printed by `python -m tests.benchmarks.faults`. Calls that used to hang run in a
thread with a generous join, so a regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import ipaddress
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURE_SOURCES, REPO
from tests.hostile_server import ARTICLES, HostileServer, article_html, canonical_bait, nul_title, script_bait
from transforms import settings, urls, warehouse
from transforms.config import parse_sources
from transforms.crawl import Crawl, CrawlState, find_canonical
from transforms.fetch import Fetcher
from transforms.parse import analyse_page, decode_html
from transforms.records import CrawlSettings, Page

DAY = date(2026, 11, 20)
HANG = 60  # seconds a call may take before the test calls it stuck (it takes about one timeout)


def _settings(**overrides) -> CrawlSettings:
    values = dict(allow_private_addresses=True, timeout_seconds=1.0, max_retries=0, backoff_seconds=0.0)
    values.update(overrides)
    return CrawlSettings(**values)


def _bounded(call):
    """Run `call` in a thread; fail (not hang) when it does not return within HANG seconds."""
    box: dict = {}
    thread = threading.Thread(target=lambda: box.update(value=call()), daemon=True)
    thread.start()
    thread.join(HANG)
    assert not thread.is_alive(), "the call is stuck"
    return box["value"]


@pytest.fixture(scope="module")
def hostile():
    with HostileServer() as server:
        yield server


# ---------------------------------------------------------------- the request deadline


@pytest.mark.parametrize("path", ["/drip", "/slow-headers"])
def test_a_server_that_drips_is_cut_off_at_the_deadline(hostile, path):
    result = _bounded(lambda: Fetcher(_settings()).fetch(hostile.url(path)))
    assert result.outcome == "timeout"
    assert [a.outcome for a in result.attempts] == ["timeout"]
    assert result.body is None


def test_retries_of_a_dripping_server_are_each_cut_off(hostile):
    result = _bounded(lambda: Fetcher(_settings(max_retries=1)).fetch(hostile.url("/drip")))
    assert [a.outcome for a in result.attempts] == ["timeout", "timeout"]


def test_a_body_without_content_length_is_read_to_the_end(hostile):
    result = Fetcher(_settings()).fetch(hostile.url("/no-length"))
    assert result.outcome == "fetched" and result.body == article_html(0)


def test_too_large_attempts_record_their_size(hostile):
    result = Fetcher(_settings(max_page_bytes=100_000)).fetch(hostile.url("/script-bait"))
    assert result.outcome == "too_large"
    assert result.attempts[-1].bytes and result.attempts[-1].bytes > 100_000


def test_politeness_waits_never_count_as_timeouts(hostile):
    """Eight pages of one host at once, a delay between starts that adds up to several timeouts:
    the clock starts when each request is sent, so every page is fetched on its first attempt."""
    fetcher = Fetcher(_settings(timeout_seconds=0.5, max_retries=2, per_host_concurrency=8))
    results: list = []
    threads = [
        threading.Thread(
            target=lambda n=n: results.append(fetcher.fetch(hostile.url(f"/article/{n}"), delay_seconds=0.3))
        )
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG)
    assert sorted(r.outcome for r in results) == ["fetched"] * 8
    assert all(len(r.attempts) == 1 for r in results)


def test_the_connection_goes_to_the_address_that_was_checked(hostile, monkeypatch):
    """One resolution per request: the address the guard checked is the one connected to."""
    calls = []
    real = socket.getaddrinfo

    def counting(host, *args, **kwargs):
        calls.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    result = Fetcher(_settings()).fetch(hostile.url("/article/1").replace("127.0.0.1", "localhost"))
    assert result.outcome == "fetched"
    names = [h for h in calls if not _is_address(h)]  # a numeric address is parsed, never looked up
    assert names == ["localhost"]


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def test_the_guard_refuses_loopback_without_the_opt_in(hostile):
    with pytest.raises(urls.BlockedAddressError):
        urls.check_url(hostile.url("/article/19"))
    assert urls.check_url(hostile.url("/article/19"), allow_private=True) == "127.0.0.1"
    result = Fetcher(_settings(allow_private_addresses=False)).fetch(hostile.url("/article/19"))
    assert result.outcome == "blocked_address"
    assert hostile.hits["/article/19"] == 0


# ---------------------------------------------------------------- discovery and the crawl


def _crawl(server: HostileServer, **source) -> tuple[int, dict[str, int]]:
    raw = {
        "crawler": {"allow_private_addresses": True, "timeout_seconds": 5},
        "sources": [{"id": "hostile", "name": "Hostile", "homepage": server.url("/"), "delay_seconds": 0, **source}],
    }
    pages, outcomes = 0, {}
    for record in Crawl(parse_sources(raw), DAY, CrawlState(), run_id="t").run():
        if isinstance(record, Page):
            pages += record.page_kind == "article"
        elif record.page_kind == "article":
            outcomes[record.outcome] = outcomes.get(record.outcome, 0) + 1
    return pages, outcomes


def test_a_gzipped_sitemap_without_content_encoding_yields_its_links(hostile):
    pages, outcomes = _crawl(hostile, sitemaps=[hostile.url("/sitemap.xml.gz")])
    assert pages == ARTICLES and outcomes == {"fetched": ARTICLES}


def test_the_crawl_archives_every_page_of_a_polite_host_without_timeouts():
    with HostileServer(crawl_delay=0.2) as server:
        pages, outcomes = _bounded(lambda: _crawl(server, feeds=[server.url("/feed.xml")]))
    assert pages == ARTICLES and outcomes == {"fetched": ARTICLES}


def test_canonical_scan_survives_regex_bait_and_still_finds_the_canonical():
    bait = canonical_bait().replace(b"</head>", b'<link rel="canonical" href="/story-1"></head>')
    assert _bounded(lambda: find_canonical(bait, "http://127.0.0.1/x")) == "http://127.0.0.1/story-1"
    assert find_canonical(b"<LINK REL='Canonical' HREF='/A-B'>", "http://127.0.0.1/x") == "http://127.0.0.1/A-B"


def test_archived_urls_are_looked_up_not_loaded(tmp_path, fixture_config):
    """The state asks the warehouse about the day's URLs only; a second crawl still adds nothing."""
    from transforms import pipeline

    conn = warehouse.connect(tmp_path / "w.duckdb")
    pipeline.run_crawl(conn, fixture_config, DAY, run_id="one")
    state = warehouse.load_crawl_state(conn)
    assert state.known_urls == set() and state.known_hashes == set()
    before = conn.execute("select count(*) from pages").fetchone()[0]
    stats = pipeline.run_crawl(conn, fixture_config, DAY, run_id="two")
    assert conn.execute("select count(*) from pages").fetchone()[0] == before
    assert stats.counts.get("links_already_archived", 0) > 50


# ---------------------------------------------------------------- parsing


def test_a_page_with_a_thousand_unclosed_scripts_parses_to_its_story():
    parsed = _bounded(lambda: analyse_page(script_bait(), "http://127.0.0.1/script-bait"))
    assert parsed.rejection is None
    assert "flood barrier held overnight" in parsed.article.text


def test_a_page_over_its_parse_budget_is_rejected_as_parse_timeout():
    assert analyse_page(article_html(1), "http://127.0.0.1/a", budget_seconds=0).rejection.reason == "parse_timeout"
    # an extractor stuck on a pathological page, in a process's main thread (as the parse stage
    # and its workers run): the budget interrupts it
    stuck = (
        "import time\n"
        "from tests.hostile_server import article_html\n"
        "from transforms.parse import TEXT_STRATEGIES, analyse_page\n"
        "def never_returns(page):\n"
        "    while True:\n"
        "        time.sleep(0.01)\n"
        "TEXT_STRATEGIES['stuck'] = never_returns\n"
        "parsed = analyse_page(article_html(1), 'http://127.0.0.1/a', strategy='stuck', budget_seconds=1)\n"
        "print(parsed.rejection.reason)\n"
    )
    done = subprocess.run([sys.executable, "-c", stuck], cwd=REPO, capture_output=True, text=True, timeout=HANG)
    assert done.stdout.strip() == "parse_timeout", done.stderr


def test_nul_characters_never_reach_the_article():
    article = analyse_page(nul_title(), "http://127.0.0.1/nul-title").article
    assert article.title == "Barrier holds in Westmarch"
    assert "\x00" not in article.text


def test_one_invalid_byte_keeps_a_utf8_page_utf8():
    body = "<p>Café in Zürich — naïve façade</p>".encode() + b"\xff"
    text, encoding = decode_html(body, None)
    assert encoding == "utf-8" and "Café in Zürich — naïve façade" in text
    legacy = "<p>Café à Niono, l'été</p>".encode("cp1252")
    assert decode_html(legacy, None) == ("<p>Café à Niono, l'été</p>", "cp1252")


# ---------------------------------------------------------------- kill -9 of the daily run

STAGING = ["pages", "articles", "parse_rejects", "event_mentions", "actor_mentions", "extraction_log"]


class Run:
    """`newsevents run -v` of the fixture day in its own session, its full log followed line by line."""

    def __init__(self, env: dict[str, str], db: Path):
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "orchestration.cli",
                "run",
                "-v",
                "--date",
                DAY.isoformat(),
                "--db",
                str(db),
                "--sources",
                str(FIXTURE_SOURCES),
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 900) -> None:
        """Until `text` is logged (generous: a loaded 2-core machine runs the job slowly)."""
        end = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.process.poll() is None, f"run ended before {text!r}:\n{''.join(self.lines[-30:])}"
            assert time.monotonic() < end, f"no {text!r} in the run's log:\n{''.join(self.lines[-30:])}"
            time.sleep(0.1)

    def kill_group(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def kill_main_alone(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def children(self) -> list[str]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    found.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            except (OSError, IndexError, ValueError):
                continue
        return found

    def finish(self, timeout: float = 900) -> int:
        code = self.process.wait(timeout)
        self._reader.join(10)
        return code


def _step(name: str) -> str:
    return f'Started execution of step "{name}"'


@pytest.fixture()
def run_env(fixture_server, tmp_path):
    def make(name: str) -> tuple[dict[str, str], Path]:
        home = tmp_path / name / "dagster_home"
        home.mkdir(parents=True)
        (home / "dagster.yaml").write_text((REPO / "orchestration" / "dagster.yaml").read_text())
        env = dict(
            os.environ,
            NEWSEVENTS_FIXTURE_URL=fixture_server.base_url,
            DAGSTER_HOME=str(home),
            NEWSEVENTS_PUBLISH_DIR=str(tmp_path / name / "published"),
        )
        env.pop(settings.DB_ENV, None)
        return env, tmp_path / name / "warehouse.duckdb"

    return make


def _landed(db: Path, published: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = warehouse.count_rows(con, STAGING)
        counts["incident_ids"] = [
            r[0] for r in con.execute("select incident_id from marts.fct_incidents order by 1").fetchall()
        ]
        counts["reports"] = con.execute("select count(*) from marts.fct_incident_reports").fetchone()[0]
    finally:
        con.close()
    manifest = json.loads((published / "manifest.json").read_text())
    bi = duckdb.connect(str(published / "newsevents_bi.duckdb"), read_only=True)
    try:
        (bi_snapshot,) = bi.execute("select any_value(snapshot_id) from _snapshot").fetchone()
        counts["bi_incidents"] = bi.execute("select count(*) from fct_incidents").fetchone()[0]
    finally:
        bi.close()
    parquet = duckdb.sql(f"select count(*) from '{published / 'parquet' / 'fct_incidents.parquet'}'").fetchone()[0]
    assert bi_snapshot == manifest["snapshot_id"] and parquet == counts["bi_incidents"]
    return counts


@pytest.mark.e2e
def test_kill_9_at_any_stage_then_a_clean_rerun_lands_what_an_undisturbed_run_lands(run_env):
    """One warehouse and Dagster instance, killed again and again further along the job: mid-crawl,
    at the parse boundary, the main process alone while dbt runs (dbt must not keep the DuckDB
    lock), and mid-publish. Every rerun gets past the previous kill (no stale pool slot blocks it)
    and the last one lands exactly what an undisturbed run lands."""
    clean_env, clean_db = run_env("clean")
    assert Run(clean_env, clean_db).finish() == 0
    expected = _landed(clean_db, Path(clean_env["NEWSEVENTS_PUBLISH_DIR"]))

    env, db = run_env("killed")
    run = Run(env, db)
    run.wait_for(_step("raw_pages"))
    time.sleep(2)
    run.kill_group()  # mid-crawl

    run = Run(env, db)
    run.wait_for(_step("articles"))
    run.kill_group()  # at the crawl/parse boundary

    run = Run(env, db)
    run.wait_for(_step("dbt_warehouse_assets"))
    end = time.monotonic() + 120
    while not any("dbt" in c and "build" in c for c in run.children()):
        assert time.monotonic() < end and run.process.poll() is None, "dbt never started"
        time.sleep(0.2)
    time.sleep(1)
    run.kill_main_alone()  # dbt must not outlive it holding the lock

    run = Run(env, db)
    run.wait_for(_step("bi_copy"))
    run.kill_group()  # mid-publish

    final = Run(env, db)
    assert final.finish() == 0, "".join(final.lines[-40:])
    assert not any("Conflicting lock" in line for line in final.lines)
    assert _landed(db, Path(env["NEWSEVENTS_PUBLISH_DIR"])) == expected
    leftovers = [p for p in Path(env["NEWSEVENTS_PUBLISH_DIR"]).rglob("*") if ".tmp" in p.name]
    assert leftovers == []


@pytest.mark.e2e
def test_a_run_waiting_for_a_live_holder_says_so_and_stops_on_sigterm(run_env):
    from dagster import DagsterInstance, DagsterRunStatus
    from dagster._core.instance.ref import InstanceRef
    from dagster._core.storage.dagster_run import DagsterRun

    from orchestration import run_guard
    from orchestration.resources import WRITER_POOL

    env, db = run_env("held")
    instance = DagsterInstance.from_ref(InstanceRef.from_dir(env["DAGSTER_HOME"]))
    holder = "holder-run"
    instance.add_run(
        DagsterRun(job_name="other_job", run_id=holder, status=DagsterRunStatus.STARTED, tags=run_guard.run_tags())
    )  # this test process: alive
    storage = instance.event_log_storage
    storage.initialize_concurrency_limit_to_default(WRITER_POOL)
    assert storage.claim_concurrency_slot(WRITER_POOL, holder, "step").slot_status.value == "CLAIMED"

    run = Run(env, db)
    run.wait_for(f"held by run {holder}")
    run.process.send_signal(signal.SIGTERM)
    assert run.finish(timeout=120) != 0
    runs = [r for r in instance.get_runs() if r.job_name == "daily_job"]
    assert [r.status for r in runs] == [DagsterRunStatus.CANCELED]
    assert storage.get_concurrency_info(WRITER_POOL).active_run_ids == {holder}
    assert runs[0].run_id not in storage.get_concurrency_run_ids()

    # a holder whose process is gone (a pid that is not running) is freed before the next run
    storage.free_concurrency_slots_for_run(holder)
    dead = "dead-holder-run"
    instance.add_run(
        DagsterRun(
            job_name="other_job",
            run_id=dead,
            status=DagsterRunStatus.STARTED,
            tags={run_guard.PID_TAG: str(_dead_pid()), run_guard.HOST_TAG: socket.gethostname()},
        )
    )
    assert storage.claim_concurrency_slot(WRITER_POOL, dead, "step").slot_status.value == "CLAIMED"
    assert run_guard.free_stale_pool_claims(instance) == [dead]
    assert storage.get_concurrency_info(WRITER_POOL).active_run_ids == set()
    assert instance.get_run_by_id(dead).status == DagsterRunStatus.FAILURE


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid
