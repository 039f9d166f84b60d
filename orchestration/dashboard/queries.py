"""The dashboard's queries on the published BI copy (marts in schema main), as plain functions.

Each takes an open DuckDB connection and returns JSON-ready values (lists of dicts), so the
server stays a thin HTTP layer and the queries are tested on a real BI copy without a browser.
Filters are bound parameters, never spliced into SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

MAX_INCIDENTS = 1000


class FilterError(ValueError):
    """A filter value that cannot be read (bad date, negative number)."""


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    country_iso2: str | None = None
    event_type: str | None = None
    actor_id: str | None = None
    min_fatalities: int | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        """From URL query values (empty means no filter)."""

        def text(name: str) -> str | None:
            value = (query.get(name) or "").strip()
            return value or None

        def day(name: str) -> date | None:
            value = text(name)
            try:
                return date.fromisoformat(value) if value else None
            except ValueError:
                raise FilterError(f"{name} must be YYYY-MM-DD, got {value!r}") from None

        minimum = text("min_fatalities")
        try:
            min_fatalities = int(minimum) if minimum else None
        except ValueError:
            raise FilterError(f"min_fatalities must be a whole number, got {minimum!r}") from None
        if min_fatalities is not None and min_fatalities < 0:
            raise FilterError("min_fatalities must be 0 or more")
        return cls(day("start"), day("end"), text("country"), text("event_type"), text("actor"), min_fatalities)

    def where(self, alias: str = "incidents") -> tuple[str, list[Any]]:
        """A where clause on fct_incidents (as `alias`) and its parameters."""
        clauses, params = ["true"], []
        if self.start:
            clauses.append(f"{alias}.event_date >= ?")
            params.append(self.start)
        if self.end:
            clauses.append(f"{alias}.event_date <= ?")
            params.append(self.end)
        if self.country_iso2:
            clauses.append(f"{alias}.country_iso2 = ?")
            params.append(self.country_iso2)
        if self.event_type:
            clauses.append(f"{alias}.event_type = ?")
            params.append(self.event_type)
        if self.actor_id:
            clauses.append(
                f"{alias}.incident_id in (select incident_id from bridge_incident_actors where actor_id = ?)"
            )
            params.append(self.actor_id)
        if self.min_fatalities:
            clauses.append(f"coalesce({alias}.fatalities_best, 0) >= ?")
            params.append(self.min_fatalities)
        return " and ".join(clauses), params


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [{name: _json_value(value) for name, value in zip(names, row, strict=True)} for row in cursor.fetchall()]


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def meta(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The snapshot and what the filters can choose from."""
    snapshot = conn.execute("select any_value(snapshot_id), max(published_at) from _snapshot").fetchone()
    first, last, n_incidents = conn.execute(
        "select min(event_date), max(event_date), count(*) from fct_incidents"
    ).fetchone()
    return {
        "snapshot_id": snapshot[0],
        "published_at": _json_value(snapshot[1]),
        "first_date": _json_value(first),
        "last_date": _json_value(last),
        "n_incidents": n_incidents,
        "countries": _rows(
            conn,
            """
            select country_iso2, coalesce(any_value(country), country_iso2) as country, count(*) as n_incidents
            from fct_incidents where country_iso2 is not null group by country_iso2 order by 2""",
        ),
        "event_types": _rows(
            conn,
            """
            select event_type, count(*) as n_incidents from fct_incidents group by 1 order by 1""",
        ),
        "actors": _rows(
            conn,
            """
            select actor_id, actor_name, n_incidents from dim_actors order by actor_name""",
        ),
    }


def incidents(conn: duckdb.DuckDBPyConnection, filters: Filters, limit: int = MAX_INCIDENTS) -> list[dict[str, Any]]:
    """Incidents matching the filters, newest first (map points and table rows)."""
    where, params = filters.where()
    return _rows(
        conn,
        f"""
        select incident_id, event_date, event_type, sub_event_type, location, admin1, country_iso2, country,
               latitude, longitude, fatalities_best, perpetrator, target, n_sources, n_articles, summary
        from fct_incidents as incidents
        where {where}
        order by event_date desc, n_sources desc, incident_id
        limit ?""",
        [*params, limit],
    )


def timeline(conn: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict[str, Any]]:
    """Incidents and fatalities per day and event type."""
    where, params = filters.where()
    return _rows(
        conn,
        f"""
        select event_date, event_type, count(*) as n_incidents,
               coalesce(sum(fatalities_best), 0) as fatalities
        from fct_incidents as incidents
        where {where}
        group by 1, 2 order by 1, 2""",
        params,
    )


def top_actors(conn: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 10) -> list[dict[str, Any]]:
    """Actors in the most matching incidents (named actors first among equals)."""
    where, params = filters.where()
    return _rows(
        conn,
        f"""
        select actors.actor_id, actors.actor_name, actors.actor_type, actors.is_generic,
               count(distinct incidents.incident_id) as n_incidents,
               coalesce(sum(incidents.fatalities_best) filter (where roles.role = 'perpetrator'), 0)
                   as fatalities_as_perpetrator
        from fct_incidents as incidents
        inner join bridge_incident_actors as roles on incidents.incident_id = roles.incident_id
        inner join dim_actors as actors on roles.actor_id = actors.actor_id
        where {where}
        group by all
        order by n_incidents desc, actors.is_generic, actors.actor_name
        limit ?""",
        [*params, limit],
    )


def incident(conn: duckdb.DuckDBPyConnection, incident_id: str) -> dict[str, Any] | None:
    """One incident with every report behind it (outlet, URL, evidence, toll as reported) and its actors."""
    found = _rows(conn, "select * from fct_incidents where incident_id = ?", [incident_id])
    if not found:
        return None
    record = found[0]
    record["reports"] = _rows(
        conn,
        """
        select reports.report_rank, reports.source_id, coalesce(sources.source_name, reports.source_id) as outlet,
               reports.url, reports.title, reports.published_at, reports.event_date, reports.location,
               reports.fatalities, reports.injured, reports.evidence_text, reports.is_first_report
        from fct_incident_reports as reports
        left join dim_sources as sources on reports.source_id = sources.source_id
        where reports.incident_id = ?
        order by reports.report_rank""",
        [incident_id],
    )
    record["actors"] = _rows(
        conn,
        """
        select roles.role, actors.actor_id, actors.actor_name, actors.actor_type, actors.aliases, roles.n_reports
        from bridge_incident_actors as roles
        inner join dim_actors as actors on roles.actor_id = actors.actor_id
        where roles.incident_id = ?
        order by case roles.role when 'perpetrator' then 1 when 'target' then 2 else 3 end,
                 roles.n_reports desc, actors.actor_name""",
        [incident_id],
    )
    return record


def health(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Pipeline health: when the copy was published, the last crawl, failures by source."""
    (published_at,) = conn.execute("select max(published_at) from _snapshot").fetchone()
    last_day, last_attempt = conn.execute(
        "select max(partition_date), max(last_attempted_at) from fct_crawl_days"
    ).fetchone()
    sources = _rows(
        conn,
        """
        with latest as (
            select * from fct_crawl_days
            qualify row_number() over (partition by source_id order by partition_date desc) = 1
        )
        select coalesce(sources.source_id, latest.source_id) as source_id,
               coalesce(sources.source_name, latest.source_id) as outlet,
               latest.partition_date as last_day, latest.n_attempts, latest.n_fetched, latest.n_failed,
               latest.top_failure, latest.last_attempted_at,
               coalesce(sources.n_fetch_errors, 0) as n_failed_all_days
        from latest
        full join dim_sources as sources on latest.source_id = sources.source_id
        order by latest.n_failed desc nulls last, 2""",
    )
    return {
        "published_at": _json_value(published_at),
        "last_crawl_day": _json_value(last_day),
        "last_attempt_at": _json_value(last_attempt),
        "sources": sources,
    }
