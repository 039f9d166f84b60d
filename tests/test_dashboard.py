"""The bundled dashboard: its queries on a real BI copy (dbt build + publish of known staging rows),
its HTTP API, and the page in a real headless Chromium (screenshots under the pytest tmp dir)."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from orchestration.dashboard import queries
from orchestration.dashboard.server import DashboardServer
from tests import browser
from tests.conftest import needs
from tests.test_dbt_warehouse import shared_day_1_warehouse
from transforms.publish import publish

# Where the browser test leaves its screenshots, for a person to look at (pytest's tmp dir by default).
SCREENSHOT_DIR_ENV = "NEWSEVENTS_SCREENSHOT_DIR"


@pytest.fixture(scope="module")
def bi_copy(tmp_path_factory) -> Path:
    return publish(shared_day_1_warehouse(), tmp_path_factory.mktemp("bi")).duckdb_path


@pytest.fixture()
def conn(bi_copy):
    con = duckdb.connect(str(bi_copy), read_only=True)
    yield con
    con.close()


def _scalar(conn, sql, params=()):
    return conn.execute(sql, list(params)).fetchone()[0]


# ------------------------------------------------------------------ queries


def test_filters_read_query_values_and_refuse_bad_ones():
    filters = queries.Filters.from_query({"start": "2026-11-10", "end": "", "country": "IQ", "min_fatalities": "3"})
    assert filters == queries.Filters(start=date(2026, 11, 10), country_iso2="IQ", min_fatalities=3)
    for bad in ({"start": "10/11/2026"}, {"min_fatalities": "many"}, {"min_fatalities": "-1"}):
        with pytest.raises(queries.FilterError):
            queries.Filters.from_query(bad)


def test_each_filter_narrows_the_incidents_to_the_matching_rows(conn):
    everything = queries.incidents(conn, queries.Filters())
    assert len(everything) == _scalar(conn, "select count(*) from fct_incidents") > 3
    iraq = queries.incidents(conn, queries.Filters(country_iso2="IQ"))
    assert iraq and {row["country_iso2"] for row in iraq} == {"IQ"}
    assert len(iraq) == _scalar(conn, "select count(*) from fct_incidents where country_iso2 = 'IQ'")
    deadly = queries.incidents(conn, queries.Filters(min_fatalities=5))
    assert deadly and all(row["fatalities_best"] >= 5 for row in deadly)
    assert len(deadly) < len(everything)
    first_day = min(row["event_date"] for row in everything)
    later = queries.incidents(conn, queries.Filters(start=date.fromisoformat(first_day) + timedelta(days=1)))
    assert all(row["event_date"] > first_day for row in later) and len(later) < len(everything)
    kind = everything[0]["event_type"]
    assert {row["event_type"] for row in queries.incidents(conn, queries.Filters(event_type=kind))} == {kind}


def test_actor_filter_and_most_active_actors_agree_with_the_bridge(conn):
    actors = queries.top_actors(conn, queries.Filters())
    assert actors and actors == sorted(actors, key=lambda a: (-a["n_incidents"], a["is_generic"], a["actor_name"]))
    top = actors[0]
    theirs = queries.incidents(conn, queries.Filters(actor_id=top["actor_id"]))
    assert (
        len(theirs)
        == top["n_incidents"]
        == _scalar(
            conn, "select count(distinct incident_id) from bridge_incident_actors where actor_id = ?", [top["actor_id"]]
        )
    )


def test_timeline_counts_add_up_to_the_incidents(conn):
    rows = queries.timeline(conn, queries.Filters())
    assert sum(row["n_incidents"] for row in rows) == _scalar(conn, "select count(*) from fct_incidents")
    assert len({(row["event_date"], row["event_type"]) for row in rows}) == len(rows)


def test_incident_page_lists_every_report_with_outlet_url_evidence_and_toll(conn):
    incident_id = _scalar(conn, "select incident_id from fct_incidents order by n_sources desc, incident_id limit 1")
    record = queries.incident(conn, incident_id)
    assert len(record["reports"]) == record["n_reports"] >= 2
    assert all(r["outlet"] and r["url"].startswith("http") and r["evidence_text"] for r in record["reports"])
    assert {r["fatalities"] for r in record["reports"]} <= {None} | set(range(0, 1000))
    assert record["actors"] and {a["role"] for a in record["actors"]} <= {"perpetrator", "target", "associated"}
    assert queries.incident(conn, "inc_does_not_exist") is None


def test_health_names_every_source_with_its_last_crawl_day(conn):
    health = queries.health(conn)
    assert health["published_at"] and health["last_crawl_day"]
    assert {s["source_id"] for s in health["sources"]} == {
        r[0] for r in conn.execute("select source_id from dim_sources").fetchall()
    }
    assert all(s["n_attempts"] is None or s["n_attempts"] >= s["n_failed"] for s in health["sources"])


# ------------------------------------------------------------------ HTTP


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_api_answers_reads_a_new_snapshot_without_restart_and_never_writes(tmp_path):
    bi_dir = tmp_path / "bi"
    first = publish(shared_day_1_warehouse(), bi_dir)
    server = DashboardServer(first.duckdb_path, port=0)
    server.serve_in_thread()
    try:
        status, body = _get(server.url + "api/meta")
        assert status == 200 and json.loads(body)["snapshot_id"] == first.snapshot_id
        status, body = _get(server.url + "api/incidents?min_fatalities=lots")
        assert status == 400 and "min_fatalities" in json.loads(body)["error"]
        assert _get(server.url + "api/incident/nope")[0] == 404
        assert _get(server.url + "../../etc/passwd")[0] == 404
        status, page = _get(server.url)
        assert status == 200 and b"/static/app.js" in page
        # the publisher swaps a new snapshot in while the dashboard runs
        second = publish(shared_day_1_warehouse(), bi_dir)
        status, body = _get(server.url + "api/meta")
        assert json.loads(body)["snapshot_id"] == second.snapshot_id != first.snapshot_id
    finally:
        server.shutdown()
        server.server_close()
    # read-only: a writer can take the file at once (no lock left behind)
    duckdb.connect(str(second.duckdb_path)).close()


def test_without_a_published_copy_the_api_says_what_to_run(tmp_path):
    server = DashboardServer(tmp_path / "missing" / "newsevents_bi.duckdb", port=0)
    server.serve_in_thread()
    try:
        status, body = _get(server.url + "api/meta")
    finally:
        server.shutdown()
        server.server_close()
    assert status == 503 and "make demo" in json.loads(body)["error"]


# ------------------------------------------------------------------ the page in a browser


@pytest.mark.e2e
def test_dashboard_in_headless_chromium_filters_opens_an_incident_and_picks_up_a_new_snapshot(tmp_path):
    if not browser.available():
        needs("Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
    shots = Path(os.environ.get(SCREENSHOT_DIR_ENV) or tmp_path / "screenshots")
    bi_dir = tmp_path / "bi"
    first = publish(shared_day_1_warehouse(), bi_dir)
    con = duckdb.connect(str(first.duckdb_path), read_only=True)
    try:
        n_incidents = _scalar(con, "select count(*) from fct_incidents")
        n_iraq = _scalar(con, "select count(*) from fct_incidents where country_iso2 = 'IQ'")
        busiest = con.execute(
            "select incident_id, n_reports from fct_incidents order by n_sources desc, incident_id limit 1"
        ).fetchone()
        n_sources = _scalar(con, "select count(*) from dim_sources")
    finally:
        con.close()
    server = DashboardServer(first.duckdb_path, port=0)
    server.serve_in_thread()
    try:
        with browser.Browser(tmp_path) as page:
            page.get(server.url + "?poll_ms=500")
            page.wait_for("document.body.dataset.ready")
            assert page.run("return document.querySelectorAll('#incidents tbody tr').length") == n_incidents
            # the map drew the bundled outline and one point per located incident
            assert page.run("return document.querySelectorAll('#map path.country').length") > 150
            assert page.run("return document.querySelectorAll('#map circle.point').length") > 0
            assert page.run("return document.querySelectorAll('#timeline rect.bar').length") > 0
            assert page.run("return document.querySelectorAll('#actors li').length") > 0
            assert page.run("return document.querySelectorAll('#health tbody tr').length") == n_sources
            page.screenshot(shots / "dashboard_overview.png")

            page.run(
                "const s = document.getElementById('f-country'); s.value = 'IQ';"
                "s.dispatchEvent(new Event('change', {bubbles: true}));"
            )
            page.wait_for(f"document.querySelectorAll('#incidents tbody tr').length === {n_iraq}")
            page.screenshot(shots / "dashboard_filtered_iraq.png")
            page.run("document.getElementById('f-reset').click()")
            page.wait_for(f"document.querySelectorAll('#incidents tbody tr').length === {n_incidents}")

            page.click(f"#incidents tr[data-incident-id='{busiest[0]}']")
            page.wait_for(f"document.getElementById('incident').dataset.incidentId === '{busiest[0]}'")
            assert page.run("return document.querySelectorAll('#incident-reports tbody tr').length") == busiest[1]
            assert page.run("return document.querySelector('#incident-reports a').href").startswith("http")
            assert page.run("return document.querySelectorAll('#incident-actors li').length") > 0
            assert page.run("return document.getElementById('overview').offsetParent") is None  # a page of its own
            page.screenshot(shots / "dashboard_incident.png")

            second = publish(shared_day_1_warehouse(), bi_dir)
            page.wait_for(f"document.getElementById('snapshot').dataset.snapshotId === '{second.snapshot_id}'")
            assert "new snapshot" in page.run("return document.getElementById('notice').textContent")
    finally:
        server.shutdown()
        server.server_close()
    print(f"screenshots: {shots}")
