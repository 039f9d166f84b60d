"""Shared fixtures: the fixture news sites on 127.0.0.1 and fresh DuckDB files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orchestration.fixture_sites.server import FixtureServer
from transforms.config import SourcesConfig, load_sources

# The fixture corpus is dated November 2026: keep its days inside the daily partitions whatever
# today's date (the default start is a year back).
os.environ.setdefault("NEWSEVENTS_START_DATE", "2026-11-01")

REPO = Path(__file__).resolve().parents[1]
FIXTURE_SOURCES = REPO / "orchestration" / "fixture_sites" / "sources.yml"


def pytest_configure(config) -> None:
    """The dbt manifest the Dagster assets are built from, prepared again when a file of the dbt
    project changed since `make setup` (importing the package never prepares it)."""
    from orchestration.dbt_cli import prepare_manifest
    from transforms.settings import Settings

    if prepare_manifest(Settings.from_env(), if_stale=True) != 0:
        raise pytest.UsageError("`newsevents prepare-dbt` failed: the dbt project does not parse")


def needs(reason: str, module: bool = False) -> None:
    """A test (or with `module`, a whole test module) whose tool is missing: skipped on a
    developer's machine, a failure in CI (`CI` set, as .ci/run does), where .ci/run installs every
    tool the suite needs."""
    if os.environ.get("CI"):
        pytest.fail(f"missing in CI: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=module)


@pytest.fixture(scope="module")
def fixture_server():
    """A fresh fixture server per test module (its request log and 500-once state start clean)."""
    with FixtureServer(port=0) as server:
        yield server


@pytest.fixture(scope="module")
def fixture_config(fixture_server) -> SourcesConfig:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSEVENTS_FIXTURE_URL", fixture_server.base_url)
        return load_sources(FIXTURE_SOURCES)
