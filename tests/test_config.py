"""sources.yml validation: clear messages naming source and field; nothing half-configured."""

from pathlib import Path

import pytest

from transforms.config import SourceConfigError, load_sources, parse_sources

REPO = Path(__file__).resolve().parents[1]


def _config(**source_overrides):
    source = {
        "id": "herald",
        "name": "Herald",
        "homepage": "https://herald.example/",
        "country": "GB",
        "language": "en",
        "feeds": ["https://herald.example/rss.xml"],
    }
    source.update(source_overrides)
    return {"sources": [source]}


def test_valid_config_loads_with_defaults_applied():
    raw = _config()
    raw["defaults"] = {"max_age_days": 5}
    config = parse_sources(raw)
    source = config.sources[0]
    assert source.source_id == "herald"
    assert source.max_age_days == 5
    assert source.feeds == ("https://herald.example/rss.xml",)
    assert config.crawler.allow_private_addresses is False


def test_typo_in_field_name_names_the_source_and_the_field():
    with pytest.raises(SourceConfigError) as err:
        parse_sources(_config(feeed=["https://x.example/rss"]))
    assert "source 'herald': unknown field 'feeed'" in str(err.value)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"homepage": "herald.example"}, "source 'herald': field 'homepage' must be an http(s) URL"),
        ({"country": "United Kingdom"}, "source 'herald': field 'country' must be an ISO 3166-1"),
        ({"language": "english"}, "source 'herald': field 'language' must be an ISO 639-1"),
        ({"max_articles": -1}, "source 'herald': field 'max_articles' must be a non-negative int"),
        ({"delay_seconds": "soon"}, "source 'herald': field 'delay_seconds'"),
        ({"feeds": [42]}, "source 'herald': field 'feeds'[0] must be a URL string"),
        ({"id": "Bad Id"}, "field 'id' must be lowercase"),
    ],
)
def test_bad_values_are_reported_with_source_and_field(override, message):
    with pytest.raises(SourceConfigError) as err:
        parse_sources(_config(**override))
    assert message in str(err.value)


def test_all_problems_are_reported_at_once_and_nothing_loads():
    raw = _config(country="xx")
    raw["sources"].append({"id": "herald", "name": "Dup", "homepage": "https://dup.example/"})
    raw["crawler"] = {"timeout_secs": 3}
    with pytest.raises(SourceConfigError) as err:
        parse_sources(raw)
    problems = err.value.problems
    assert any("crawler: unknown field 'timeout_secs'" in p for p in problems)
    assert any("duplicate id" in p for p in problems)
    assert any("'country'" in p for p in problems)


def test_environment_variables_are_expanded(monkeypatch):
    monkeypatch.setenv("SITE", "http://127.0.0.1:8000")
    config = parse_sources(_config(homepage="${SITE}/herald/", feeds=["${SITE}/herald/rss.xml"]))
    assert config.sources[0].homepage == "http://127.0.0.1:8000/herald/"


def test_unset_environment_variable_is_an_error_unless_defaulted(monkeypatch):
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    with pytest.raises(SourceConfigError, match="NOT_SET_ANYWHERE is not set"):
        parse_sources(_config(homepage="${NOT_SET_ANYWHERE}/x"))
    config = parse_sources(_config(homepage="${NOT_SET_ANYWHERE:-https://fallback.example}/x"))
    assert config.sources[0].homepage == "https://fallback.example/x"


def test_missing_file_and_bad_yaml_are_clear(tmp_path):
    with pytest.raises(SourceConfigError, match="file not found"):
        load_sources(tmp_path / "nope.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("sources: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(SourceConfigError, match="not valid YAML"):
        load_sources(bad)


def test_shipped_default_sources_validate():
    config = load_sources(REPO / "sources.yml")
    assert len(config.sources) >= 15
    assert config.crawler.allow_private_addresses is False
    assert all(s.feeds or s.sitemaps for s in config.sources)


@pytest.mark.parametrize(
    ("crawler", "source", "message"),
    [
        ({"concurrency": 100000}, {}, "crawler.concurrency: must be at most 256"),
        ({"timeout_seconds": "inf"}, {}, "crawler.timeout_seconds: must be a finite number"),
        ({"max_page_bytes": 10**12}, {}, "crawler.max_page_bytes: must be at most"),
        ({}, {"delay_seconds": 1e9}, "field 'delay_seconds' must be a non-negative float at most 300"),
        ({}, {"max_articles": 10**9}, "field 'max_articles' must be a non-negative int at most 100000"),
    ],
)
def test_numbers_have_upper_bounds(crawler, source, message):
    raw = {"crawler": crawler, "sources": [{"id": "a", "name": "A", "homepage": "http://127.0.0.1/", **source}]}
    with pytest.raises(SourceConfigError) as error:
        parse_sources(raw)
    assert any(message in problem for problem in error.value.problems), error.value.problems
