"""Load and validate sources.yml.

The whole file is validated before anything runs: a typo names the source and the field, and a
config with any error is refused as a whole (never run half-configured).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from transforms.records import CrawlSettings, Source
from transforms.settings import Settings

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")
_LANG = re.compile(r"^[a-z]{2}$")
_ISO2 = re.compile(r"^[A-Z]{2}$")

_SOURCE_FIELDS = {
    "id",
    "name",
    "homepage",
    "country",
    "language",
    "feeds",
    "sitemaps",
    "max_articles",
    "max_age_days",
    "delay_seconds",
    "enabled",
}
_DEFAULT_FIELDS = {"max_articles", "max_age_days", "delay_seconds"}
_CRAWLER_FIELDS = {f.name for f in fields(CrawlSettings)}
# Upper bounds: far above any sensible value, low enough that a typo cannot start 100,000
# threads or park a host for years.
MAX_VALUES: dict[str, float] = {
    "timeout_seconds": 300,
    "max_page_bytes": 200_000_000,
    "max_retries": 10,
    "backoff_seconds": 300,
    "max_redirects": 20,
    "concurrency": 256,
    "per_host_concurrency": 16,
    "max_crawl_delay_seconds": 300,
    "max_articles": 100_000,
    "max_age_days": 3_650,
    "delay_seconds": 300,
}


def _out_of_range(key: str, value: float) -> str | None:
    """Why a number is unusable (negative, not finite, above its bound), or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number"
    if value < 0:
        return "must not be negative"
    if key in MAX_VALUES and value > MAX_VALUES[key]:
        return f"must be at most {MAX_VALUES[key]:g}"
    return None


class ConfigFileError(ValueError):
    """A YAML config file is unusable; the message lists every problem found."""

    what = "config"

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: invalid {self.what}:\n  - " + "\n  - ".join(problems))


class SourceConfigError(ConfigFileError):
    what = "sources config"


def read_yaml(path: str, error: type[ConfigFileError]) -> Any:
    """The parsed file, or `error` naming what is wrong with it (missing, not YAML)."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(path, ["file not found"]) from None
    except yaml.YAMLError as exc:
        raise error(path, [f"not valid YAML: {exc}"]) from None


@dataclass(frozen=True)
class SourcesConfig:
    path: str
    crawler: CrawlSettings
    sources: tuple[Source, ...]

    def enabled_sources(self) -> tuple[Source, ...]:
        return tuple(s for s in self.sources if s.enabled)

    def by_id(self, source_id: str) -> Source:
        for source in self.sources:
            if source.source_id == source_id:
                return source
        raise KeyError(source_id)


def expand_env(value: str, where: str, problems: list[str], env: Mapping[str, str] | None = None) -> str:
    """Replace ${VAR} and ${VAR:-default} from `env` (default: the settings' environment); an unset
    variable without default is a problem."""
    env = Settings.from_env().environ if env is None else env

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        problems.append(f"{where}: environment variable {name} is not set")
        return ""

    return _ENV_REF.sub(substitute, value)


def load_sources(path: str | os.PathLike[str], env: Mapping[str, str] | None = None) -> SourcesConfig:
    """The sources config at `path`; ${VAR} in it expand from `env` (default: the settings' environment)."""
    path = str(path)
    return parse_sources(read_yaml(path, SourceConfigError), path, env)


def parse_sources(raw: Any, path: str = "<config>", env: Mapping[str, str] | None = None) -> SourcesConfig:
    env = Settings.from_env().environ if env is None else env
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise SourceConfigError(path, ["top level must be a mapping with a `sources:` list"])
    unknown_top = set(raw) - {"crawler", "defaults", "sources"}
    if unknown_top:
        problems.append(f"unknown top-level key(s): {', '.join(sorted(unknown_top))}")

    crawler = _parse_crawler(raw.get("crawler") or {}, problems, env)
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict):
        problems.append("defaults: must be a mapping")
        defaults = {}
    for key in set(defaults) - _DEFAULT_FIELDS:
        problems.append(f"defaults: unknown field '{key}' (allowed: {', '.join(sorted(_DEFAULT_FIELDS))})")

    entries = raw.get("sources")
    if not isinstance(entries, list) or not entries:
        problems.append("sources: must be a non-empty list")
        entries = []

    sources: list[Source] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        raw_id = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(raw_id, str):
            if raw_id in seen:
                problems.append(f"source '{raw_id}': duplicate id")
            seen.add(raw_id)
        source = _parse_source(index, entry, defaults, problems, env)
        if source is not None:
            sources.append(source)

    if problems:
        raise SourceConfigError(path, problems)
    return SourcesConfig(path=path, crawler=crawler, sources=tuple(sources))


def _parse_crawler(block: Any, problems: list[str], env: Mapping[str, str]) -> CrawlSettings:
    if not isinstance(block, dict):
        problems.append("crawler: must be a mapping")
        return CrawlSettings()
    values: dict[str, Any] = {}
    template = CrawlSettings()
    for key, value in block.items():
        if key not in _CRAWLER_FIELDS:
            problems.append(f"crawler: unknown field '{key}'")
            continue
        if isinstance(value, str):
            value = expand_env(value, f"crawler.{key}", problems, env)
        expected = type(getattr(template, key))
        coerced = coerce(value, expected)
        if coerced is None:
            problems.append(f"crawler.{key}: expected {expected.__name__}, got {value!r}")
            continue
        if expected in (int, float) and (why := _out_of_range(key, coerced)):
            problems.append(f"crawler.{key}: {why}, got {value!r}")
            continue
        values[key] = coerced
    for key in ("timeout_seconds", "max_page_bytes", "concurrency", "per_host_concurrency"):
        if key in values and values[key] == 0:
            problems.append(f"crawler.{key}: must be greater than 0")
    return CrawlSettings(**values)


def _parse_source(
    index: int, entry: Any, defaults: dict[str, Any], problems: list[str], env: Mapping[str, str]
) -> Source | None:
    if not isinstance(entry, dict):
        problems.append(f"sources[{index}]: must be a mapping")
        return None
    source_id = entry.get("id")
    where = f"source '{source_id}'" if isinstance(source_id, str) else f"sources[{index}]"
    before = len(problems)

    for key in set(entry) - _SOURCE_FIELDS:
        problems.append(f"{where}: unknown field '{key}' (allowed: {', '.join(sorted(_SOURCE_FIELDS))})")
    if not isinstance(source_id, str) or not _SOURCE_ID.match(source_id):
        problems.append(f"{where}: field 'id' must be lowercase letters, digits, '-' or '_'")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: field 'name' is required")

    homepage = _url_field(entry.get("homepage"), f"{where}: field 'homepage'", problems, env, required=True)
    feeds = _url_list(entry.get("feeds"), f"{where}: field 'feeds'", problems, env)
    sitemaps = _url_list(entry.get("sitemaps"), f"{where}: field 'sitemaps'", problems, env)

    country = entry.get("country")
    if country is not None and (not isinstance(country, str) or not _ISO2.match(country)):
        problems.append(f"{where}: field 'country' must be an ISO 3166-1 alpha-2 code like 'GB', got {country!r}")
    language = entry.get("language", "en")
    if not isinstance(language, str) or not _LANG.match(language):
        problems.append(f"{where}: field 'language' must be an ISO 639-1 code like 'en', got {language!r}")

    numbers: dict[str, Any] = {}
    for key, kind in (("max_articles", int), ("max_age_days", int), ("delay_seconds", float)):
        value = entry.get(key, defaults.get(key))
        if value is None:
            continue
        coerced = coerce(value, kind)
        if coerced is None or _out_of_range(key, coerced):
            bound = f" at most {MAX_VALUES[key]:g}" if key in MAX_VALUES else ""
            problems.append(f"{where}: field '{key}' must be a non-negative {kind.__name__}{bound}, got {value!r}")
        else:
            numbers[key] = coerced
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(f"{where}: field 'enabled' must be true or false")

    if len(problems) > before:
        return None
    return Source(
        source_id=source_id,
        name=name.strip(),
        homepage=homepage,
        country_iso2=country,
        language=language,
        feeds=tuple(feeds),
        sitemaps=tuple(sitemaps),
        enabled=enabled,
        **numbers,
    )


def coerce(value: Any, kind: type) -> Any:
    """`value` as `kind` (bool, int, float or another type it must already be), None when it is not one."""
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return None
    if isinstance(value, bool):
        return None
    try:
        if kind is int:
            if isinstance(value, float) and not value.is_integer():
                return None
            return int(value)
        if kind is float:
            return float(value)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, kind) else None


def _url_field(value: Any, where: str, problems: list[str], env: Mapping[str, str], required: bool) -> str:
    if value is None:
        if required:
            problems.append(f"{where} is required")
        return ""
    if not isinstance(value, str):
        problems.append(f"{where} must be a URL string, got {value!r}")
        return ""
    url = expand_env(value, where, problems, env).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problems.append(f"{where} must be an http(s) URL, got {url!r}")
    return url


def _url_list(value: Any, where: str, problems: list[str], env: Mapping[str, str]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.append(f"{where} must be a list of URLs")
        return []
    return [_url_field(item, f"{where}[{i}]", problems, env, required=True) for i, item in enumerate(value)]
