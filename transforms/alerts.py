"""Watch alerts against the warehouse: which incidents are new or changed, what to send, the
`alerts_sent` ledger, and delivery (webhook, JSONL file).

One evaluation (`evaluate`):
1. incidents whose marts row (type, date, place, toll, sources, actors) differs from what the last
   evaluation saw (`watch_evaluated_incidents`) are matched against every enabled watch;
2. each match the watch has not been told about becomes a `new` alert, a match whose toll changed
   or that more sources now confirm becomes an `update`; alerts are recorded as `pending`, one
   row per delivery channel, together with the incidents seen, in one transaction;
3. every pending alert, and every failed one whose back-off has passed, is delivered; the row
   records the outcome. A failed alert waits retry_backoff_seconds, then twice that, and so on up
   to max_backoff_seconds; it is never dropped.

Delivery is at least once: a crash between sending and recording sends that alert again on the
next evaluation, with the same `alert_id` in the body for the receiver to drop the duplicate.
Webhook URLs and secrets are never logged or stored (errors name the host only).
"""

from __future__ import annotations

import http.client
import json
import logging
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from transforms import warehouse
from transforms.settings import Settings
from transforms.urls import BlockedAddressError, check_address
from transforms.watch import (
    AlertState,
    DeliverySettings,
    Incident,
    IncidentActor,
    IncidentReport,
    Watch,
    Watchlist,
    alert_decision,
    alert_payload,
    matches,
    state_of,
)

log = logging.getLogger(__name__)

MARTS = "marts"
USER_AGENT = "newsevents-alerts/0.1"


class AlertsError(RuntimeError):
    """The warehouse cannot be evaluated (no marts yet)."""


class DeliveryError(RuntimeError):
    """One delivery failed; the message is safe to log and store (no URL path, no secret)."""


@dataclass
class EvaluationResult:
    incidents_checked: int = 0  # new or changed since the last evaluation
    alerts_created: dict[str, int] = field(default_factory=lambda: {"new": 0, "update": 0})
    sent: int = 0
    failed: int = 0
    waiting: int = 0  # failed earlier, back-off not over yet

    def as_metadata(self) -> dict[str, int]:
        return {
            "incidents_checked": self.incidents_checked,
            "alerts_new": self.alerts_created["new"],
            "alerts_update": self.alerts_created["update"],
            "sent": self.sent,
            "failed": self.failed,
            "waiting_for_retry": self.waiting,
        }


# ------------------------------------------------------------------------------ reading the marts

# A version of each incident over everything an alert shows: when it moves, the watches look again.
_VERSIONS_SQL = f"""
with actor_lists as (
    select
        bridge.incident_id,
        string_agg(actors.actor_name || '/' || bridge.role, '|' order by actors.actor_name, bridge.role) as actors
    from {MARTS}.bridge_incident_actors as bridge
    inner join {MARTS}.dim_actors as actors using (actor_id)
    group by bridge.incident_id
),
report_lists as (
    select
        incident_id,
        string_agg(source_id || ' ' || url, '|' order by report_rank) as reports
    from {MARTS}.fct_incident_reports
    group by incident_id
)
select
    incidents.incident_id,
    md5(concat_ws('#', incidents.event_type, incidents.sub_event_type, incidents.event_date,
                  incidents.location, incidents.admin1, incidents.country_iso2, incidents.latitude,
                  incidents.longitude, incidents.geo_precision, incidents.fatalities_best,
                  incidents.fatalities_low, incidents.fatalities_high, incidents.n_articles, incidents.n_sources,
                  actor_lists.actors, report_lists.reports)) as version
from {MARTS}.fct_incidents as incidents
left join actor_lists using (incident_id)
left join report_lists using (incident_id)
"""


def incident_versions(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        return dict(conn.execute(_VERSIONS_SQL).fetchall())
    except duckdb.CatalogException as error:
        raise AlertsError(f"the warehouse has no marts yet (run dbt build first): {error}") from None


def load_incidents(conn: duckdb.DuckDBPyConnection, incident_ids: Iterable[str] | None = None) -> list[Incident]:
    """Incidents from the marts with their actors and reports (all of them when ids is None)."""
    ids = None if incident_ids is None else sorted(set(incident_ids))
    if ids == []:
        return []
    where = "" if ids is None else "where incident_id in (select unnest(?::varchar[]))"
    params = [] if ids is None else [ids]
    try:
        rows = conn.execute(
            f"""
            select incident_id, event_type, sub_event_type, event_date, location, admin1, country_iso2, country,
                   latitude, longitude, geo_precision, fatalities_best, fatalities_low, fatalities_high,
                   n_articles, n_sources, last_reported_at, summary
            from {MARTS}.fct_incidents {where} order by event_date, incident_id
        """,
            params,
        ).fetchall()
        actor_rows = conn.execute(
            f"""
            select bridge.incident_id, actors.actor_name, bridge.role, coalesce(actors.aliases, '')
            from {MARTS}.bridge_incident_actors as bridge
            inner join {MARTS}.dim_actors as actors using (actor_id)
            {where.replace("incident_id", "bridge.incident_id", 1)}
            order by bridge.incident_id, bridge.role, actors.actor_name
        """,
            params,
        ).fetchall()
        report_rows = conn.execute(
            f"""
            select incident_id, source_id, url from {MARTS}.fct_incident_reports {where}
            order by incident_id, report_rank
        """,
            params,
        ).fetchall()
    except duckdb.CatalogException as error:
        raise AlertsError(f"the warehouse has no marts yet (run dbt build first): {error}") from None
    actors: dict[str, list[IncidentActor]] = {}
    for incident_id, name, role, aliases in actor_rows:
        actors.setdefault(incident_id, []).append(
            IncidentActor(name, role, tuple(alias for alias in aliases.split("; ") if alias))
        )
    reports: dict[str, list[IncidentReport]] = {}
    for incident_id, source_id, url in report_rows:
        reports.setdefault(incident_id, []).append(IncidentReport(source_id, url))
    return [
        Incident(*row, actors=tuple(actors.get(row[0], ())), reports=tuple(reports.get(row[0], ()))) for row in rows
    ]


# ------------------------------------------------------------------------------ evaluation


def _last_states(conn: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], AlertState]:
    """What each watch was last told about each incident (whatever became of the sending)."""
    rows = conn.execute("""
        select watch, incident_id, fatalities, n_sources
        from alerts_sent
        qualify row_number() over (partition by watch, incident_id order by created_at desc, kind desc) = 1
    """).fetchall()
    return {(watch, incident_id): AlertState(fatalities, sources) for watch, incident_id, fatalities, sources in rows}


def alert_id(watch: str, incident_id: str, kind: str, previous: str, revision: str, channel: str) -> str:
    # The previous revision is part of the key: a toll that goes 7 -> 9 -> 7 is two updates.
    return warehouse.short_hash(watch, incident_id, kind, previous, revision, channel)


def plan_alerts(
    watches: Iterable[Watch],
    incidents: Iterable[Incident],
    last_states: dict[tuple[str, str], AlertState],
    now: datetime,
    max_age_days: float = 0.0,
) -> list[tuple]:
    """alerts_sent rows (status pending) for the matches that need telling."""
    rows = []
    if max_age_days > 0:
        oldest = now - timedelta(days=max_age_days)
        incidents = [i for i in incidents if i.last_reported_at is not None and i.last_reported_at >= oldest]
    incidents = list(incidents)
    for watch in watches:
        for incident in incidents:
            if not matches(watch, incident):
                continue
            previous = last_states.get((watch.name, incident.incident_id))
            kind = alert_decision(incident, previous)
            if kind is None:
                continue
            state = state_of(incident)
            for channel in watch.channels:
                identifier = alert_id(
                    watch.name,
                    incident.incident_id,
                    kind,
                    previous.revision if previous else "",
                    state.revision,
                    channel,
                )
                payload = alert_payload(identifier, watch, incident, kind, previous)
                rows.append(
                    (
                        identifier,
                        watch.name,
                        incident.incident_id,
                        kind,
                        channel,
                        state.revision,
                        state.fatalities,
                        state.n_sources,
                        now,
                        "pending",
                        0,
                        json.dumps(payload),
                    )
                )
    return rows


def evaluate(
    conn: duckdb.DuckDBPyConnection, watchlist: Watchlist | None, *, allow_private: bool, now: datetime | None = None
) -> EvaluationResult:
    """One evaluation: plan alerts for new or changed incidents, then deliver what is due.
    Without a watchlist the incidents are still marked seen, so a watchlist added later alerts on
    what lands from then on rather than on the whole history."""
    now = now or warehouse.utcnow()
    result = EvaluationResult()
    versions = incident_versions(conn)
    seen = dict(conn.execute("select incident_id, version from watch_evaluated_incidents").fetchall())
    changed = [incident_id for incident_id, version in versions.items() if seen.get(incident_id) != version]
    result.incidents_checked = len(changed)
    watches = watchlist.enabled_watches() if watchlist else ()
    planned = (
        plan_alerts(watches, load_incidents(conn, changed), _last_states(conn), now, watchlist.settings.max_age_days)
        if watches
        else []
    )
    with warehouse.transaction(conn):
        if planned:
            warehouse.insert_rows(
                conn,
                "alerts_sent",
                [
                    "alert_id",
                    "watch",
                    "incident_id",
                    "kind",
                    "channel",
                    "revision",
                    "fatalities",
                    "n_sources",
                    "created_at",
                    "status",
                    "attempts",
                    "payload",
                ],
                planned,
                suffix="on conflict do nothing",
            )
        if changed:
            warehouse.insert_rows(
                conn,
                "watch_evaluated_incidents",
                ["incident_id", "version", "evaluated_at"],
                [(incident_id, versions[incident_id], now) for incident_id in changed],
                suffix="on conflict (incident_id) do update set version = excluded.version, "
                "evaluated_at = excluded.evaluated_at",
            )
    for row in planned:
        result.alerts_created[row[3]] += 1
    if watchlist is not None:
        deliver_due(conn, watchlist, allow_private=allow_private, now=now, result=result)
    return result


def deliver_due(
    conn: duckdb.DuckDBPyConnection,
    watchlist: Watchlist,
    *,
    allow_private: bool,
    now: datetime,
    result: EvaluationResult,
) -> None:
    """Send every pending alert and every failed one whose back-off is over, oldest first."""
    watches = {watch.name: watch for watch in watchlist.enabled_watches()}
    due = conn.execute(
        """
        select alert_id, watch, channel, attempts, payload from alerts_sent
        where status in ('pending', 'failed') and (next_retry_at is null or next_retry_at <= ?)
        order by created_at, alert_id
    """,
        [now],
    ).fetchall()
    result.waiting = conn.execute(
        "select count(*) from alerts_sent where status = 'failed' and next_retry_at > ?", [now]
    ).fetchone()[0]
    # A webhook that failed once in this evaluation is not tried again for the next alerts: a
    # black-holed host would otherwise hold the run for timeout x tries x alerts.
    down: dict[str, str] = {}
    for identifier, watch_name, channel, attempts, payload in due:
        watch = watches.get(watch_name)
        if watch is None or channel not in watch.channels:
            # Kept, not dropped: it goes out when the watch (or channel) is back and enabled.
            log.warning(
                "alert %s: watch '%s' is disabled or has no %s channel in %s; kept unsent",
                identifier,
                watch_name,
                channel,
                watchlist.path,
            )
            continue
        try:
            if channel == "jsonl":
                append_jsonl(watch.jsonl, payload)
            elif watch.webhook.url in down:
                raise DeliveryError(f"not tried: {down[watch.webhook.url]} earlier in this evaluation")
            else:
                try:
                    post_webhook(watch, payload, watchlist.settings, allow_private)
                except DeliveryError as error:
                    down[watch.webhook.url] = str(error)
                    raise
        except DeliveryError as error:
            attempts += 1
            wait = min(
                watchlist.settings.retry_backoff_seconds * 2 ** (attempts - 1), watchlist.settings.max_backoff_seconds
            )
            retry_at = now + timedelta(seconds=wait)
            conn.execute(
                "update alerts_sent set status = 'failed', attempts = ?, last_attempt_at = ?, next_retry_at = ?,"
                " last_error = ? where alert_id = ?",
                [attempts, now, retry_at, str(error), identifier],
            )
            log.warning(
                "alert %s for watch '%s' (%s) failed (attempt %d), retry after %s: %s",
                identifier,
                watch_name,
                channel,
                attempts,
                retry_at.isoformat(timespec="seconds"),
                error,
            )
            result.failed += 1
            continue
        conn.execute(
            "update alerts_sent set status = 'sent', attempts = ?, last_attempt_at = ?, sent_at = ?,"
            " next_retry_at = null, last_error = null where alert_id = ?",
            [attempts + 1, now, now, identifier],
        )
        result.sent += 1


# ------------------------------------------------------------------------------ delivery


def redact(url: str) -> str:
    """scheme://host[:port] only: webhook paths often carry the secret (Slack)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/…"


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a given address, with the certificate verified for the URL's host name."""

    def __init__(self, address: str, port: int, server_name: str, timeout: float):
        super().__init__(address, port, timeout=timeout, context=ssl.create_default_context())
        self._server_name = server_name

    def connect(self) -> None:
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self._server_name)


def post_webhook(watch: Watch, payload: str, settings: DeliverySettings, allow_private: bool) -> None:
    """POST the JSON body; retries timeouts, refused connections, 5xx and 429 up to settings.retries
    times. The target goes through the crawler's address guard first; redirects are not followed
    (a redirect could lead past the guard). Plain http.client rather than requests: urllib3 logs
    request paths at debug level, and a webhook path can be the secret."""
    webhook = watch.webhook
    assert webhook is not None
    where = redact(webhook.url)
    parts = urlsplit(webhook.url)
    try:
        checked = check_address(webhook.url, allow_private)
    except BlockedAddressError as error:
        raise DeliveryError(str(error).replace(webhook.url, where)) from None
    # Where the guard hands back the address it checked, connect there and not to the name again
    # (a second lookup could answer differently); the name still goes in Host and the TLS check.
    address = checked if isinstance(checked, str) else parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    headers = {"Host": parts.netloc.rsplit("@", 1)[-1], "Content-Type": "application/json", "User-Agent": USER_AGENT}
    if webhook.secret_env:
        secret = Settings.from_env().environ.get(webhook.secret_env)
        if not secret:
            raise DeliveryError(f"{where}: environment variable {webhook.secret_env} (the webhook secret) is not set")
        bearer = webhook.secret_header.lower() == "authorization"
        headers[webhook.secret_header] = f"Bearer {secret}" if bearer else secret
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    body = payload.encode("utf-8")
    problem = "not tried"
    for attempt in range(settings.retries + 1):
        if attempt:
            time.sleep(min(0.2 * 2 ** (attempt - 1), 2.0))
        if parts.scheme == "https":
            connection = _CheckedHTTPSConnection(address, port, parts.hostname, timeout=settings.timeout_seconds)
        else:
            connection = http.client.HTTPConnection(address, port, timeout=settings.timeout_seconds)
        try:
            connection.request("POST", target, body=body, headers=headers)
            status = connection.getresponse().status
        except TimeoutError:
            problem = f"{where}: no response within {settings.timeout_seconds}s"
            continue
        except ssl.SSLCertVerificationError:
            problem = f"{where}: SSLCertVerificationError"
            break  # the same certificate will not verify a moment later
        except (OSError, http.client.HTTPException) as error:
            problem = f"{where}: {type(error).__name__}"
            continue
        finally:
            connection.close()
        if 200 <= status < 300:
            return
        problem = f"{where}: HTTP {status}"
        if status < 500 and status != 429:
            break  # the receiver refused this body: trying again now will not help
    raise DeliveryError(f"{problem} after {attempt + 1} tr{'y' if attempt == 0 else 'ies'}")


def append_jsonl(path: Path | None, payload: str) -> None:
    """Append one line (the payload) to the watch's file, creating its folder."""
    assert path is not None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(json.loads(payload), ensure_ascii=False) + "\n")
    except OSError as error:
        raise DeliveryError(f"{path}: {error.strerror or error}") from None
