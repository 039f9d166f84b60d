"""Watchlists: who wants to hear about which incidents, and the alert each one gets.

Pure functions over small records, no I/O beyond reading the watchlist file:
- `load_watchlist` / `parse_watchlist` validate watchlist.yml the way `transforms.config` validates
  sources.yml: every problem is listed with the watch and the field named, and a file with any
  problem is refused as a whole.
- `matches(watch, incident)` decides whether an incident is one the watch cares about.
- `alert_decision` says whether a matching incident needs an alert now (new, update or nothing),
  given what was last sent to that watch about it; `alert_payload` is the message itself.

The warehouse side (reading the marts, the `alerts_sent` ledger, sending) is `transforms.alerts`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pycountry

from transforms.config import ConfigFileError, coerce, expand_env, read_yaml
from transforms.extract.actors import load_lexicon, normalise_actor_name
from transforms.extract.places import distance_km
from transforms.extract.taxonomy import sub_event_types

_ISO2 = re.compile(r"^[A-Z]{2}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_WATCH_FIELDS = {
    "name",
    "countries",
    "admin1",
    "near",
    "actors",
    "event_types",
    "sub_event_types",
    "min_fatalities",
    "min_sources",
    "webhook",
    "jsonl",
    "enabled",
}
_NEAR_FIELDS = {"latitude", "longitude", "radius_km"}
_WEBHOOK_FIELDS = {"url", "secret_env", "secret_header"}


class WatchlistConfigError(ConfigFileError):
    """The watchlist file is unusable; the message lists every problem found."""

    what = "watchlist"


@dataclass(frozen=True)
class DeliverySettings:
    """The `settings:` block: how hard to try a webhook."""

    timeout_seconds: float = 10.0  # total per request
    retries: int = 2  # extra tries within one evaluation (timeouts, 5xx, refused)
    retry_backoff_seconds: float = 300.0  # a failed alert waits this long before the next evaluation
    max_backoff_seconds: float = 86400.0  # retries after that, doubling, never give up
    max_age_days: float = 0.0  # > 0: incidents last reported longer ago than this never alert


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    radius_km: float


@dataclass(frozen=True)
class Webhook:
    url: str  # may hold a secret (Slack puts it in the path): never logged
    secret_env: str | None = None  # environment variable holding the token, read at send time
    secret_header: str = "Authorization"  # "Authorization" sends "Bearer <token>", others the token as is


@dataclass(frozen=True)
class Watch:
    name: str
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2
    admin1: tuple[str, ...] = ()  # compared case-insensitively
    near: Near | None = None
    actors: tuple[str, ...] = ()  # as written in the file
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    min_fatalities: int | None = None
    min_sources: int | None = None
    webhook: Webhook | None = None
    jsonl: Path | None = None  # resolved against the watchlist file's folder
    enabled: bool = True

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(name for name, target in (("webhook", self.webhook), ("jsonl", self.jsonl)) if target)


@dataclass(frozen=True)
class Watchlist:
    path: str
    settings: DeliverySettings
    watches: tuple[Watch, ...]

    def enabled_watches(self) -> tuple[Watch, ...]:
        return tuple(watch for watch in self.watches if watch.enabled)


@dataclass(frozen=True)
class IncidentActor:
    name: str  # canonical name in dim_actors
    role: str  # perpetrator | target | associated
    aliases: tuple[str, ...]  # surface forms seen in articles


@dataclass(frozen=True)
class IncidentReport:
    source_id: str
    url: str


@dataclass(frozen=True)
class Incident:
    """What an alert needs from the marts (fct_incidents + bridge/dim actors + reports)."""

    incident_id: str
    event_type: str
    sub_event_type: str
    event_date: date
    location: str | None
    admin1: str | None
    country_iso2: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None  # 1 town, 2 near a town, 3 region or country (a centroid)
    fatalities_best: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    n_articles: int
    n_sources: int
    last_reported_at: datetime | None
    summary: str
    actors: tuple[IncidentActor, ...] = ()
    reports: tuple[IncidentReport, ...] = ()  # first report first


# ------------------------------------------------------------------------------ loading


def load_watchlist(path: str | os.PathLike[str]) -> Watchlist:
    path = str(path)
    return parse_watchlist(read_yaml(path, WatchlistConfigError), path, base_dir=Path(path).resolve().parent)


def parse_watchlist(raw: Any, path: str = "<watchlist>", base_dir: Path | None = None) -> Watchlist:
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise WatchlistConfigError(path, ["top level must be a mapping with a `watches:` list"])
    for key in sorted(set(raw) - {"settings", "watches"}):
        problems.append(f"unknown top-level key '{key}' (allowed: settings, watches)")
    settings = _parse_settings(raw.get("settings") or {}, problems)
    entries = raw.get("watches")
    if not isinstance(entries, list) or not entries:
        problems.append("watches: must be a non-empty list")
        entries = []
    watches: list[Watch] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        name = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(name, str) and name.strip():
            if name.strip() in seen:
                problems.append(f"watch '{name.strip()}': duplicate name")
            seen.add(name.strip())
        watch = _parse_watch(index, entry, base_dir or Path.cwd(), problems)
        if watch is not None:
            watches.append(watch)
    if problems:
        raise WatchlistConfigError(path, problems)
    return Watchlist(path=path, settings=settings, watches=tuple(watches))


def _parse_settings(block: Any, problems: list[str]) -> DeliverySettings:
    if not isinstance(block, dict):
        problems.append("settings: must be a mapping")
        return DeliverySettings()
    defaults = DeliverySettings()
    values: dict[str, Any] = {}
    for key, value in block.items():
        if not hasattr(defaults, key):
            allowed = ", ".join(DeliverySettings.__dataclass_fields__)
            problems.append(f"settings: unknown field '{key}' (allowed: {allowed})")
            continue
        kind = type(getattr(defaults, key))
        number = coerce(value, kind)
        if number is None or number < 0:
            problems.append(f"settings.{key}: expected a non-negative {kind.__name__}, got {value!r}")
            continue
        values[key] = number
    if values.get("timeout_seconds") == 0:
        problems.append("settings.timeout_seconds: must be greater than 0")
    return DeliverySettings(**values)


def _parse_watch(index: int, entry: Any, base_dir: Path, problems: list[str]) -> Watch | None:
    if not isinstance(entry, dict):
        problems.append(f"watches[{index}]: must be a mapping")
        return None
    name = entry.get("name")
    where = f"watch '{name.strip()}'" if isinstance(name, str) and name.strip() else f"watches[{index}]"
    before = len(problems)
    for key in sorted(set(entry) - _WATCH_FIELDS):
        problems.append(f"{where}: unknown field '{key}' (allowed: {', '.join(sorted(_WATCH_FIELDS))})")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: field 'name' is required")

    countries = _strings(entry.get("countries"), f"{where}: field 'countries'", problems)
    for code in countries:
        if not _ISO2.match(code) or pycountry.countries.get(alpha_2=code) is None:
            problems.append(f"{where}: field 'countries': {code!r} is not an ISO 3166-1 alpha-2 code like 'SO'")
    admin1 = _strings(entry.get("admin1"), f"{where}: field 'admin1'", problems)
    actors = _strings(entry.get("actors"), f"{where}: field 'actors'", problems)

    taxonomy = sub_event_types()
    known_types = {sub.event_type for sub in taxonomy.values()}
    event_types = _strings(entry.get("event_types"), f"{where}: field 'event_types'", problems)
    for value in event_types:
        if value not in known_types:
            problems.append(
                f"{where}: field 'event_types': unknown event type {value!r} "
                f"(allowed: {', '.join(sorted(known_types))})"
            )
    subs = _strings(entry.get("sub_event_types"), f"{where}: field 'sub_event_types'", problems)
    for value in subs:
        if value not in taxonomy:
            problems.append(
                f"{where}: field 'sub_event_types': unknown sub-event type {value!r} (see transforms/data/taxonomy.csv)"
            )

    near = _parse_near(entry.get("near"), where, problems)
    minimums: dict[str, int] = {}
    for key, floor in (("min_fatalities", 0), ("min_sources", 1)):
        value = entry.get(key)
        if value is None:
            continue
        number = coerce(value, int)
        if number is None or number < floor:
            problems.append(f"{where}: field '{key}' must be an integer >= {floor}, got {value!r}")
        else:
            minimums[key] = number

    webhook = _parse_webhook(entry.get("webhook"), where, problems)
    jsonl = None
    if entry.get("jsonl") is not None:
        value = entry["jsonl"]
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: field 'jsonl' must be a file path")
        else:
            jsonl = Path(expand_env(value.strip(), f"{where}: field 'jsonl'", problems)).expanduser()
            jsonl = jsonl if jsonl.is_absolute() else base_dir / jsonl
    if webhook is None and jsonl is None and "webhook" not in entry and "jsonl" not in entry:
        problems.append(f"{where}: needs somewhere to send alerts: field 'webhook' and/or 'jsonl'")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(f"{where}: field 'enabled' must be true or false")

    if len(problems) > before:
        return None
    return Watch(
        name=name.strip(),
        countries=countries,
        admin1=admin1,
        near=near,
        actors=actors,
        event_types=event_types,
        sub_event_types=subs,
        webhook=webhook,
        jsonl=jsonl,
        enabled=enabled,
        **minimums,
    )


def _parse_near(block: Any, where: str, problems: list[str]) -> Near | None:
    if block is None:
        return None
    if not isinstance(block, dict):
        problems.append(f"{where}: field 'near' must be a mapping with latitude, longitude, radius_km")
        return None
    for key in sorted(set(block) - _NEAR_FIELDS):
        problems.append(f"{where}: field 'near': unknown field '{key}' (allowed: latitude, longitude, radius_km)")
    values: dict[str, float] = {}
    for key, rule, valid in (
        ("latitude", "from -90 to 90", lambda v: -90 <= v <= 90),
        ("longitude", "from -180 to 180", lambda v: -180 <= v <= 180),
        ("radius_km", "greater than 0", lambda v: 0 < v <= 20_000),
    ):
        value = coerce(block.get(key), float)
        if value is None or not valid(value):
            problems.append(f"{where}: field 'near.{key}' must be a number {rule}, got {block.get(key)!r}")
        else:
            values[key] = value
    return Near(**values) if len(values) == 3 else None


def _parse_webhook(block: Any, where: str, problems: list[str]) -> Webhook | None:
    if block is None:
        return None
    if isinstance(block, str):
        block = {"url": block}
    if not isinstance(block, dict):
        problems.append(f"{where}: field 'webhook' must be a URL or a mapping with url, secret_env, secret_header")
        return None
    before = len(problems)
    for key in sorted(set(block) - _WEBHOOK_FIELDS):
        problems.append(
            f"{where}: field 'webhook': unknown field '{key}' (allowed: {', '.join(sorted(_WEBHOOK_FIELDS))})"
        )
    url = block.get("url")
    if not isinstance(url, str):
        problems.append(f"{where}: field 'webhook.url' is required")
        return None
    url = expand_env(url.strip(), f"{where}: field 'webhook.url'", problems)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        # The URL itself may carry a secret: name the field, never echo the value.
        problems.append(f"{where}: field 'webhook.url' must be an http(s) URL")
    secret_env = block.get("secret_env")
    if secret_env is not None and (not isinstance(secret_env, str) or not _ENV_NAME.match(secret_env)):
        problems.append(f"{where}: field 'webhook.secret_env' must name an environment variable, got {secret_env!r}")
    header = block.get("secret_header", "Authorization")
    if not isinstance(header, str) or not _HEADER_NAME.match(header):
        problems.append(f"{where}: field 'webhook.secret_header' must be an HTTP header name, got {header!r}")
    if len(problems) > before:
        return None
    return Webhook(url=url, secret_env=secret_env, secret_header=header)


def _strings(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        problems.append(f"{where} must be a list of non-empty strings, got {value!r}")
        return ()
    return tuple(item.strip() for item in value)


# ------------------------------------------------------------------------------ matching


def _actor_key(name: str) -> str:
    return " ".join(name.split()).lower()


@lru_cache(maxsize=8192)
def resolve_actor(name: str) -> str:
    """The canonical (lower-case) actor a watch means, through the extractor's actor dictionary and
    aliases: "ISIS" and "Daesh" both mean "islamic state"."""
    return normalise_actor_name(name) or _actor_key(name)


def dictionary_actor(name: str) -> str | None:
    """The actor dictionary's canonical name for a name or alias, None when it is not listed."""
    entry = load_lexicon().by_alias.get(_actor_key(name))
    return entry.name if entry else None


def _without_country(name: str) -> str:
    # Generic actors are kept per country in dim_actors: "Unidentified armed group (Iraq)".
    return re.sub(r"\s*\([^)]*\)$", "", name)


def actor_matches(wanted: str, actor: IncidentActor) -> bool:
    canonical = resolve_actor(wanted)
    names = {_actor_key(actor.name), _actor_key(_without_country(actor.name))}
    if canonical in names or canonical in {resolve_actor(name) for name in names}:
        return True
    return _actor_key(wanted) in {_actor_key(alias) for alias in actor.aliases}


def matches(watch: Watch, incident: Incident) -> bool:
    """Every criterion the watch sets must hold; within a list any one value will do. Event types
    and sub-event types together form one criterion (either list may name the incident's type)."""
    if watch.countries and incident.country_iso2 not in watch.countries:
        return False
    if watch.admin1 and (incident.admin1 or "").casefold() not in {a.casefold() for a in watch.admin1}:
        return False
    if watch.near:
        # A region's or country's centroid says nothing about distance: admin1/countries cover those.
        if incident.latitude is None or incident.longitude is None or (incident.geo_precision or 3) >= 3:
            return False
        away = distance_km(watch.near.latitude, watch.near.longitude, incident.latitude, incident.longitude)
        if away > watch.near.radius_km:
            return False
    if (watch.event_types or watch.sub_event_types) and not (
        incident.event_type in watch.event_types or incident.sub_event_type in watch.sub_event_types
    ):
        return False
    if watch.min_fatalities is not None and (incident.fatalities_best or 0) < watch.min_fatalities:
        return False
    if watch.min_sources is not None and incident.n_sources < watch.min_sources:
        return False
    if watch.actors and not any(actor_matches(wanted, actor) for wanted in watch.actors for actor in incident.actors):
        return False
    return True


# ------------------------------------------------------------------------------ alerts


@dataclass(frozen=True)
class AlertState:
    """What an alert told the watch: an update is due when the toll changes or a new source confirms."""

    fatalities: int | None
    n_sources: int

    @property
    def revision(self) -> str:
        return f"fatalities={'' if self.fatalities is None else self.fatalities};sources={self.n_sources}"


def state_of(incident: Incident) -> AlertState:
    return AlertState(incident.fatalities_best, incident.n_sources)


def alert_decision(incident: Incident, last_sent: AlertState | None) -> str | None:
    """'new' for an incident the watch has never been told about, 'update' when the toll changed
    or more sources confirm it, None when nothing that matters changed."""
    if last_sent is None:
        return "new"
    now = state_of(incident)
    if now.fatalities != last_sent.fatalities or now.n_sources > last_sent.n_sources:
        return "update"
    return None


def _toll(incident: Incident) -> str:
    if incident.fatalities_best is None:
        return "no fatality figure reported"
    toll = f"{incident.fatalities_best} killed"
    if incident.fatalities_low is not None and incident.fatalities_low != incident.fatalities_high:
        toll += f" (reports: {incident.fatalities_low}-{incident.fatalities_high})"
    return toll


def _place(incident: Incident) -> str:
    parts = [
        incident.location,
        incident.admin1 if incident.admin1 != incident.location else None,
        incident.country or incident.country_iso2,
    ]
    return ", ".join(part for part in parts if part) or "unknown place"


def alert_text(watch: Watch, incident: Incident, kind: str, previous: AlertState | None) -> str:
    """One Slack-compatible line (mrkdwn): type, date, place, toll, actors, sources, incident id."""
    head = "New incident" if kind == "new" else "Update"
    toll = _toll(incident)
    sources = sorted({report.source_id for report in incident.reports})
    source_text = str(incident.n_sources)
    if kind == "update" and previous is not None:
        if previous.fatalities != incident.fatalities_best:
            toll += f", was {'not reported' if previous.fatalities is None else previous.fatalities}"
        if previous.n_sources != incident.n_sources:
            source_text += f", was {previous.n_sources}"
    actors = "; ".join(f"{actor.name} ({actor.role})" for actor in incident.actors) or "none named"
    first_url = incident.reports[0].url if incident.reports else None
    return (
        f"*[{watch.name}] {head}:* {incident.sub_event_type} ({incident.event_type}) on "
        f"{incident.event_date.isoformat()} in {_place(incident)}. Toll: {toll}. Actors: {actors}. "
        f"Sources ({source_text}): {', '.join(sources) or 'none'}. Incident {incident.incident_id}"
        + (f" <{first_url}|first report>" if first_url else "")
    )


def alert_payload(
    alert_id: str, watch: Watch, incident: Incident, kind: str, previous: AlertState | None
) -> dict[str, Any]:
    """The JSON body: Slack reads `text`; other receivers get the fields (and `alert_id` to drop a
    duplicate should a crash between sending and recording make us send one twice)."""
    return {
        "text": alert_text(watch, incident, kind, previous),
        "alert_id": alert_id,
        "watch": watch.name,
        "kind": kind,
        "incident": {
            "incident_id": incident.incident_id,
            "event_type": incident.event_type,
            "sub_event_type": incident.sub_event_type,
            "event_date": incident.event_date.isoformat(),
            "location": incident.location,
            "admin1": incident.admin1,
            "country_iso2": incident.country_iso2,
            "country": incident.country,
            "latitude": incident.latitude,
            "longitude": incident.longitude,
            "geo_precision": incident.geo_precision,
            "fatalities_best": incident.fatalities_best,
            "fatalities_low": incident.fatalities_low,
            "fatalities_high": incident.fatalities_high,
            "n_articles": incident.n_articles,
            "n_sources": incident.n_sources,
            "actors": [{"name": actor.name, "role": actor.role} for actor in incident.actors],
            "reports": [{"source_id": report.source_id, "url": report.url} for report in incident.reports],
            "summary": incident.summary,
        },
        "previous": None
        if previous is None
        else {"fatalities_best": previous.fatalities, "n_sources": previous.n_sources},
    }
