"""Watch alerts: watchlist validation, matching, and delivery for real.

The warehouse is the synthetic corpus of test_dbt_warehouse.py built by a real `dbt build` (day 1:
six incidents; day 2: the Mogadishu market bombing's toll rises from 7 to 9 with a second source,
a third outlet reports the Baghdad rockets, a new pipeline blast near Basra). Webhooks go to a
real HTTP receiver on 127.0.0.1, which needs the crawler's loopback opt-in.
"""

from __future__ import annotations

import json
import logging
import shutil
import ssl
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.conftest import FIXTURE_SOURCES, needs
from tests.test_dbt_warehouse import dbt_build, insert_articles, shared_day_1_warehouse, staging_day_2
from transforms import alerts, warehouse
from transforms.watch import (
    AlertState,
    DeliverySettings,
    Incident,
    IncidentActor,
    Near,
    Watch,
    WatchlistConfigError,
    distance_km,
    load_watchlist,
    matches,
    parse_watchlist,
)

SECRET = "s3cr3t-token-value"
HOOK_PATH = "/hooks/T0-private-path"
NOW = datetime(2026, 11, 15, 23, 0)


class Receiver:
    """A webhook receiver on 127.0.0.1 that records every POST; `stop()` takes it down, `start()`
    brings it back on the same port."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.requests: list[dict] = []
        self.port = 0
        self.tls = tls
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> Receiver:
        received = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)})
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        if self.tls:
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}{HOOK_PATH}"

    def bodies(self) -> list[dict]:
        return [request["body"] for request in self.requests]


@pytest.fixture()
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture()
def day_1(tmp_path) -> Path:
    db_path = tmp_path / "warehouse.duckdb"
    shutil.copy(shared_day_1_warehouse(), db_path)
    return db_path


def write_watchlist(path: Path, receiver_url: str, somalia_enabled: bool = True) -> Path:
    path.write_text(
        yaml.safe_dump(
            {
                "settings": {"timeout_seconds": 2, "retries": 1, "retry_backoff_seconds": 600},
                "watches": [
                    {
                        "name": "Somalia, deadly",
                        "countries": ["SO"],
                        "min_fatalities": 1,
                        "enabled": somalia_enabled,
                        "webhook": {"url": receiver_url, "secret_env": "WATCH_TEST_SECRET"},
                    },
                    {
                        "name": "Iraq explosions",
                        "countries": ["IQ"],
                        "event_types": ["Explosions/Remote violence"],
                        "jsonl": "alerts/iraq.jsonl",
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def evaluate(db_path: Path, watchlist_path: Path, now: datetime, allow_private: bool = True):
    conn = warehouse.connect(db_path)
    try:
        return alerts.evaluate(conn, load_watchlist(watchlist_path), allow_private=allow_private, now=now)
    finally:
        conn.close()


def ledger(db_path: Path) -> list[tuple]:
    conn = duckdb.connect(str(db_path), read_only=True)
    try:
        return conn.execute("""
            select watch, i.sub_event_type, kind, channel, status, attempts, fatalities, a.n_sources
            from alerts_sent a join marts.fct_incidents i using (incident_id)
            order by created_at, watch, sub_event_type, kind
        """).fetchall()
    finally:
        conn.close()


def jsonl_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


# ------------------------------------------------------------------ validation and matching


def test_bad_watchlist_is_refused_with_the_watch_and_field_named():
    raw = {
        "watches": [
            {"name": "staff", "countrys": ["SO"], "jsonl": "a.jsonl"},
            {"name": "types", "event_types": ["Battle"], "sub_event_types": ["Skirmish"], "jsonl": "b.jsonl"},
            {"name": "radius", "near": {"latitude": 2.0, "longitude": 45.3, "radius_km": -5}, "jsonl": "c.jsonl"},
            {"name": "nowhere", "countries": ["XX"], "min_sources": 0},
            {"name": "hook", "webhook": {"url": "ftp://127.0.0.1/x", "secret_env": "not a name"}},
            {"name": "staff", "jsonl": "d.jsonl"},
        ],
    }
    with pytest.raises(WatchlistConfigError) as error:
        parse_watchlist(raw, "watchlist.yml")
    problems = "\n".join(error.value.problems)
    for expected in (
        "watch 'staff': unknown field 'countrys'",
        "watch 'types': field 'event_types': unknown event type 'Battle'",
        "watch 'types': field 'sub_event_types': unknown sub-event type 'Skirmish'",
        "watch 'radius': field 'near.radius_km' must be a number greater than 0",
        "watch 'nowhere': field 'countries': 'XX' is not an ISO 3166-1 alpha-2 code",
        "watch 'nowhere': field 'min_sources' must be an integer >= 1",
        "watch 'nowhere': needs somewhere to send alerts",
        "watch 'hook': field 'webhook.url' must be an http(s) URL",
        "watch 'hook': field 'webhook.secret_env' must name an environment variable",
        "watch 'staff': duplicate name",
    ):
        assert expected in problems
    assert str(error.value).startswith("watchlist.yml: invalid watchlist")


def test_the_readme_example_watchlist_is_valid(monkeypatch, tmp_path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Watch alerts", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    monkeypatch.setenv("MOGADISHU_WEBHOOK_URL", "http://127.0.0.1:1/hook")
    watchlist = parse_watchlist(yaml.safe_load(example), "README.md", base_dir=tmp_path)
    office, iraq = watchlist.watches
    assert office.near == Near(2.0469, 45.3182, 25) and office.webhook.url == "http://127.0.0.1:1/hook"
    assert iraq.channels == ("webhook", "jsonl") and iraq.webhook.secret_env == "ALERTS_TOKEN"
    assert watchlist.settings == DeliverySettings()  # the README shows the defaults


def test_watchlist_settings_and_relative_jsonl_paths(tmp_path):
    path = write_watchlist(tmp_path / "watchlist.yml", "http://127.0.0.1:1/hook")
    watchlist = load_watchlist(path)
    assert watchlist.settings.retries == 1 and watchlist.settings.timeout_seconds == 2.0
    somalia, iraq = watchlist.watches
    assert somalia.channels == ("webhook",) and iraq.channels == ("jsonl",)
    assert iraq.jsonl == tmp_path / "alerts" / "iraq.jsonl"
    with pytest.raises(WatchlistConfigError, match="settings: unknown field 'retry'"):
        parse_watchlist({"settings": {"retry": 3}, "watches": [{"name": "a", "jsonl": "a.jsonl"}]})


def _incident(**changes) -> Incident:
    values = dict(
        incident_id="inc_1",
        event_type="Battles",
        sub_event_type="Armed clash",
        event_date=date(2026, 11, 14),
        location="Mogadishu",
        admin1="Banaadir",
        country_iso2="SO",
        country="Somalia",
        latitude=2.0371,
        longitude=45.3438,
        geo_precision=1,
        fatalities_best=4,
        fatalities_low=3,
        fatalities_high=4,
        n_articles=2,
        n_sources=2,
        last_reported_at=None,
        summary="",
    )
    values.update(changes)
    return Incident(**values)


def test_radius_matching_uses_great_circle_distance():
    # Mogadishu to Afgooye is about 27 km.
    assert 25 < distance_km(2.0371, 45.3438, 2.1414, 45.1213) < 29
    near_town = Watch("near", near=Near(2.1414, 45.1213, 30), jsonl=Path("x"))
    too_tight = Watch("tight", near=Near(2.1414, 45.1213, 20), jsonl=Path("x"))
    assert matches(near_town, _incident())
    assert not matches(too_tight, _incident())
    assert not matches(near_town, _incident(latitude=None, longitude=None))  # unlocated: no radius match
    assert not matches(near_town, _incident(geo_precision=3))  # a region's centroid is no place to measure from
    assert matches(near_town, _incident(geo_precision=2))


def test_criteria_combine_and_type_lists_offer_alternatives():
    watch = Watch(
        "w",
        countries=("SO",),
        admin1=("banaadir",),
        event_types=("Protests",),
        sub_event_types=("Armed clash",),
        min_fatalities=4,
        min_sources=2,
        jsonl=Path("x"),
    )
    assert matches(watch, _incident())
    assert not matches(watch, _incident(fatalities_best=3))
    assert not matches(watch, _incident(fatalities_best=None))
    assert not matches(watch, _incident(n_sources=1))
    assert not matches(watch, _incident(admin1="Lower Shabelle"))
    assert not matches(watch, _incident(sub_event_type="Attack", event_type="Violence against civilians"))
    assert matches(watch, _incident(sub_event_type="Peaceful protest", event_type="Protests"))


def test_old_incidents_stay_quiet_under_max_age_and_a_changed_toll_is_an_update():
    watch = Watch("w", countries=("SO",), jsonl=Path("x"))
    fresh = _incident(incident_id="inc_fresh", last_reported_at=datetime(2026, 11, 15, 9))
    old = _incident(incident_id="inc_old", last_reported_at=datetime(2026, 10, 1, 9))
    assert [row[2] for row in alerts.plan_alerts([watch], [fresh, old], {}, NOW, max_age_days=7)] == ["inc_fresh"]
    assert len(alerts.plan_alerts([watch], [fresh, old], {}, NOW)) == 2
    # told 4 killed / 2 sources: nothing; told 9 (a correction down to 4): an update with its own id
    assert alerts.plan_alerts([watch], [fresh], {("w", "inc_fresh"): AlertState(4, 2)}, NOW) == []
    (down,) = alerts.plan_alerts([watch], [fresh], {("w", "inc_fresh"): AlertState(9, 2)}, NOW)
    (first,) = alerts.plan_alerts([watch], [fresh], {}, NOW)
    assert (down[3], first[3]) == ("update", "new") and down[0] != first[0]
    assert alerts.plan_alerts([watch], [fresh], {("w", "inc_fresh"): AlertState(4, 3)}, NOW) == []  # fewer sources


def test_actor_names_resolve_through_the_dictionary_and_aliases():
    aliases = ("IS", "the Islamic State group")
    islamic_state = _incident(actors=(IncidentActor("Islamic State", "perpetrator", aliases),))
    for name in ("ISIS", "Daesh", "islamic state", "the Islamic State group"):
        assert matches(Watch("w", actors=(name,), jsonl=Path("x")), islamic_state), name
    assert not matches(Watch("w", actors=("Al-Shabaab",), jsonl=Path("x")), islamic_state)
    generic = _incident(actors=(IncidentActor("Unidentified armed group (Iraq)", "perpetrator", ("gunmen",)),))
    assert matches(Watch("w", actors=("Unidentified armed group",), jsonl=Path("x")), generic)


def test_watches_match_the_built_marts(day_1):
    conn = duckdb.connect(str(day_1), read_only=True)
    try:
        incidents = alerts.load_incidents(conn)
    finally:
        conn.close()

    def matched(**criteria) -> set[str]:
        watch = Watch("w", jsonl=Path("x"), **criteria)
        return {(i.sub_event_type, i.location) for i in incidents if matches(watch, i)}

    # 10 km around central Mogadishu: both Mogadishu incidents, nothing in Iraq or Nigeria.
    assert matched(near=Near(2.04, 45.34, 10)) == {
        ("Remote explosive/landmine/IED", "Mogadishu"),
        ("Armed clash", "Mogadishu"),
    }
    # "Daesh" is not a surface form in these articles: it resolves through transforms/data/actors.csv.
    assert matched(actors=("Daesh",)) == {("Suicide bomb", "Kirkuk")}
    # "Shabab" resolves to Al-Shabaab, perpetrator of the bombing and target in the clash; "al-Shabab"
    # is the spelling dim_actors.aliases keeps from the articles.
    assert matched(actors=("Shabab",)) == matched(countries=("SO",), actors=("al-Shabab",))
    assert len(matched(actors=("Shabab",))) == 2
    assert matched(countries=("IQ",), min_sources=2) == {
        ("Suicide bomb", "Kirkuk"),
        ("Shelling/artillery/missile attack", "Baghdad"),
    }


# ------------------------------------------------------------------ evaluation and delivery


def test_new_incidents_alert_once_rerun_sends_nothing_and_a_later_toll_sends_one_update(
    day_1, receiver, tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv("WATCH_TEST_SECRET", SECRET)
    watchlist = write_watchlist(tmp_path / "watchlist.yml", receiver.url)
    iraq_file = tmp_path / "alerts" / "iraq.jsonl"
    caplog.set_level(logging.DEBUG)

    first = evaluate(day_1, watchlist, NOW)
    assert (first.incidents_checked, first.alerts_created, first.sent, first.failed) == (
        6,
        {"new": 4, "update": 0},
        4,
        0,
    )
    # One alert per matching incident per watch: the two deadly Somali incidents by webhook...
    assert sorted(body["incident"]["sub_event_type"] for body in receiver.bodies()) == [
        "Armed clash",
        "Remote explosive/landmine/IED",
    ]
    assert {request["path"] for request in receiver.requests} == {HOOK_PATH}
    assert {request["headers"]["Authorization"] for request in receiver.requests} == {f"Bearer {SECRET}"}
    bombing = next(body for body in receiver.bodies() if body["incident"]["sub_event_type"].startswith("Remote"))
    assert bombing["kind"] == "new" and bombing["watch"] == "Somalia, deadly"
    text = bombing["text"]
    for part in (
        "New incident",
        "Remote explosive/landmine/IED",
        "2026-11-14",
        "Mogadishu",
        "Somalia",
        "7 killed",
        "Al-Shabaab (perpetrator)",
        "herald",
        bombing["incident"]["incident_id"],
    ):
        assert part in text
    # ...and the two Iraqi explosions to the JSONL file.
    assert sorted(line["incident"]["location"] for line in jsonl_lines(iraq_file)) == ["Baghdad", "Kirkuk"]

    second = evaluate(day_1, watchlist, NOW + timedelta(hours=1))
    assert (second.incidents_checked, second.alerts_created, second.sent) == (0, {"new": 0, "update": 0}, 0)
    assert len(receiver.requests) == 2 and len(jsonl_lines(iraq_file)) == 2

    insert_articles(day_1, staging_day_2())
    assert dbt_build(day_1, tmp_path / "dbt").returncode == 0
    third = evaluate(day_1, watchlist, NOW + timedelta(days=1))
    assert third.alerts_created == {"new": 1, "update": 2}
    (update,) = receiver.bodies()[2:]
    assert update["kind"] == "update" and update["incident"]["incident_id"] == bombing["incident"]["incident_id"]
    assert update["previous"] == {"fatalities_best": 7, "n_sources": 1}
    assert "Update" in update["text"] and "9 killed" in update["text"] and "was 7" in update["text"]
    iraq_day_2 = [(line["kind"], line["incident"]["location"]) for line in jsonl_lines(iraq_file)[2:]]
    assert sorted(iraq_day_2) == [("new", "Basra"), ("update", "Baghdad")]  # Baghdad: a third source

    fourth = evaluate(day_1, watchlist, NOW + timedelta(days=1, hours=1))
    assert fourth.sent == 0 and len(receiver.requests) == 3 and len(jsonl_lines(iraq_file)) == 4
    rows = ledger(day_1)
    assert len(rows) == 7 and {row[4] for row in rows} == {"sent"}
    assert ("Somalia, deadly", "Remote explosive/landmine/IED", "update", "webhook", "sent", 1, 9, 2) in rows
    assert SECRET not in caplog.text and HOOK_PATH not in caplog.text


def test_receiver_down_is_recorded_as_failed_and_sent_on_the_next_evaluation(day_1, receiver, tmp_path, monkeypatch):
    monkeypatch.setenv("WATCH_TEST_SECRET", SECRET)
    watchlist = write_watchlist(tmp_path / "watchlist.yml", receiver.url)
    receiver.stop()

    down = evaluate(day_1, watchlist, NOW)
    assert (down.sent, down.failed) == (2, 2)  # the JSONL alerts went out, the webhook ones did not
    conn = duckdb.connect(str(day_1), read_only=True)
    failed = conn.execute(
        "select status, attempts, next_retry_at, last_error from alerts_sent"
        " where channel = 'webhook' order by last_error"
    ).fetchall()
    conn.close()
    assert len(failed) == 2
    # the second alert is not tried once the receiver failed in this evaluation
    assert [error.startswith("not tried: ") for *_, error in failed] == [False, True]
    for status, attempts, next_retry_at, last_error in failed:
        assert (status, attempts, next_retry_at) == ("failed", 1, NOW + timedelta(seconds=600))
        assert f"127.0.0.1:{receiver.port}" in last_error and HOOK_PATH not in last_error
        assert SECRET not in last_error

    receiver.start()
    early = evaluate(day_1, watchlist, NOW + timedelta(seconds=60))  # back-off not over
    assert (early.sent, early.waiting, len(receiver.requests)) == (0, 2, 0)

    # A watch switched off keeps its failed alerts, unsent, until it is switched on again.
    write_watchlist(watchlist, receiver.url, somalia_enabled=False)
    paused = evaluate(day_1, watchlist, NOW + timedelta(seconds=600))
    assert (paused.sent, paused.failed, len(receiver.requests)) == (0, 0, 0)

    write_watchlist(watchlist, receiver.url)
    later = evaluate(day_1, watchlist, NOW + timedelta(seconds=600))
    assert (later.sent, later.failed) == (2, 0)
    assert sorted(body["kind"] for body in receiver.bodies()) == ["new", "new"]
    assert evaluate(day_1, watchlist, NOW + timedelta(hours=2)).sent == 0
    assert len(receiver.requests) == 2
    assert {(row[3], row[4], row[5]) for row in ledger(day_1)} == {("webhook", "sent", 2), ("jsonl", "sent", 1)}


def test_loopback_webhook_is_refused_without_the_opt_in_and_the_secret_must_be_set(
    day_1, receiver, tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv("WATCH_TEST_SECRET", SECRET)
    watchlist = write_watchlist(tmp_path / "watchlist.yml", receiver.url)
    result = evaluate(day_1, watchlist, NOW, allow_private=False)
    assert result.failed == 2 and receiver.requests == []
    assert "non-public address 127.0.0.1" in caplog.text and HOOK_PATH not in caplog.text

    monkeypatch.delenv("WATCH_TEST_SECRET")
    result = evaluate(day_1, watchlist, NOW + timedelta(days=1))
    assert result.failed == 2 and receiver.requests == []
    assert "WATCH_TEST_SECRET (the webhook secret) is not set" in caplog.text


def test_https_webhook_verifies_the_receiver_certificate(day_1, tmp_path, monkeypatch):
    if shutil.which("openssl") is None:
        needs("the openssl command, to make a certificate for 127.0.0.1")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    receiver = Receiver(tls).start()
    try:
        monkeypatch.setenv("WATCH_TEST_SECRET", SECRET)
        watchlist = write_watchlist(tmp_path / "watchlist.yml", receiver.url)
        untrusted = evaluate(day_1, watchlist, NOW)  # a certificate nobody vouches for: refused
        assert untrusted.failed == 2 and receiver.requests == []
        conn = duckdb.connect(str(day_1), read_only=True)
        errors = [
            row[0] for row in conn.execute("select last_error from alerts_sent where channel = 'webhook'").fetchall()
        ]
        conn.close()
        assert len(errors) == 2 and all("SSLCertVerificationError after 1 try" in error for error in errors), errors
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # OpenSSL's default trust store now holds it
        trusted = evaluate(day_1, watchlist, NOW + timedelta(days=1))
        assert trusted.failed == 0 and len(receiver.requests) == 2
        assert {request["headers"]["Authorization"] for request in receiver.requests} == {f"Bearer {SECRET}"}
    finally:
        receiver.stop()


def test_watch_alerts_asset_materialises_in_dagster(day_1, receiver, tmp_path, monkeypatch):
    from dagster import DagsterInstance, materialize

    from orchestration.partitions import daily_partitions
    from orchestration.resources import WarehouseResource
    from orchestration.watch_assets import WatchlistResource, build_watch_alerts
    from transforms.settings import Settings

    watch_alerts = build_watch_alerts(daily_partitions(Settings.from_env()))

    monkeypatch.setenv("WATCH_TEST_SECRET", SECRET)
    watchlist = write_watchlist(tmp_path / "watchlist.yml", receiver.url)
    resources = {
        # the fixture sources opt in to loopback addresses (crawler.allow_private_addresses)
        "warehouse": WarehouseResource(db_path=str(day_1), sources_path=str(FIXTURE_SOURCES)),
        "watchlist": WatchlistResource(path=str(watchlist)),
    }
    result = materialize(
        [watch_alerts], resources=resources, partition_key="2026-11-15", instance=DagsterInstance.ephemeral()
    )
    assert result.success
    (materialization,) = result.asset_materializations_for_node("watch_alerts")
    metadata = {key: value.value for key, value in materialization.metadata.items()}
    assert (metadata["alerts_new"], metadata["sent"], metadata["failed"], metadata["watches"]) == (4, 4, 0, 2)
    assert len(receiver.requests) == 2
    (check,) = result.get_asset_check_evaluations()
    assert check.passed

    again = materialize(
        [watch_alerts], resources=resources, partition_key="2026-11-15", instance=DagsterInstance.ephemeral()
    )
    assert again.success and len(receiver.requests) == 2


def test_watch_alerts_asset_refuses_a_bad_watchlist_before_marking_anything_seen(day_1, tmp_path):
    from dagster import DagsterInstance, materialize

    from orchestration.partitions import daily_partitions
    from orchestration.resources import WarehouseResource
    from orchestration.watch_assets import WatchlistResource, build_watch_alerts
    from transforms.settings import Settings

    watch_alerts = build_watch_alerts(daily_partitions(Settings.from_env()))

    bad = tmp_path / "watchlist.yml"
    bad.write_text("watches:\n  - name: typo\n    min_fatalites: 1\n    jsonl: x.jsonl\n", encoding="utf-8")
    resources = {
        "warehouse": WarehouseResource(db_path=str(day_1), sources_path=str(FIXTURE_SOURCES)),
        "watchlist": WatchlistResource(path=str(bad)),
    }
    result = materialize(
        [watch_alerts],
        resources=resources,
        partition_key="2026-11-15",
        instance=DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    assert not result.success
    failure = next(event for event in result.all_events if event.event_type_value == "STEP_FAILURE")
    assert "watch 'typo': unknown field 'min_fatalites'" in str(failure.event_specific_data.error)
    conn = duckdb.connect(str(day_1), read_only=True)
    try:
        assert conn.execute("select count(*) from watch_evaluated_incidents").fetchone()[0] == 0
    finally:
        conn.close()


def _newsevents(*args: str) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).with_name("newsevents")), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_watch_test_command_lists_matches_without_sending(day_1, receiver, tmp_path):
    watchlist = write_watchlist(tmp_path / "watchlist.yml", receiver.url)
    result = _newsevents("watch", "test", "--watchlist", str(watchlist), "--db", str(day_1))
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "watch 'Somalia, deadly' (webhook): 2 incident(s)" in out
    assert "watch 'Iraq explosions' (jsonl): 2 incident(s)" in out
    assert "Suicide bomb, Kirkuk, Iraq, 5 killed" in out
    assert receiver.requests == [] and not (tmp_path / "alerts").exists()
    conn = duckdb.connect(str(day_1), read_only=True)
    try:
        written = conn.execute(
            "select (select count(*) from alerts_sent) + (select count(*) from watch_evaluated_incidents)"
        ).fetchone()[0]
    finally:
        conn.close()
    assert written == 0  # nothing sent, nothing marked seen

    bad = tmp_path / "bad.yml"
    bad.write_text("watches:\n  - name: typo\n    countrie: [SO]\n    jsonl: x.jsonl\n", encoding="utf-8")
    result = _newsevents("watch", "test", "--watchlist", str(bad), "--db", str(day_1))
    assert result.returncode == 1
    assert "watch 'typo': unknown field 'countrie'" in result.stderr


def test_watch_alerts_runs_in_the_daily_job_after_the_marts():
    from dagster import AssetKey

    from orchestration.definitions import build_defs
    from orchestration.watch_assets import ALERT_INPUTS

    defs = build_defs()
    graph = defs.resolve_asset_graph()
    assert graph.get(AssetKey("watch_alerts")).parent_keys == set(ALERT_INPUTS)
    job = defs.resolve_job_def("daily_job")
    assert AssetKey("watch_alerts") in job.asset_layer.executable_asset_keys
