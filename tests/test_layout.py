"""The package's layout rules, checked on the source (ast), so they stay true.

- imports run one way: orchestration -> transforms, never back; inside transforms the stages
  crawl -> parse -> extract -> warehouse, never back; the shared leaves (records, settings, urls,
  config) import no stage;
- nothing in the installed package imports from tests/;
- transforms/settings.py is the only module that reads the environment, and nothing writes it.
"""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("transforms", "orchestration")
# Stage of each transforms module (by dotted-name prefix); a module may import its own stage and
# later ones, never an earlier one.
STAGES = {
    "transforms.crawl": 0,
    "transforms.fetch": 0,
    "transforms.discover": 0,
    "transforms.robots": 0,
    "transforms.parse": 1,
    "transforms.extract": 2,
    "transforms.warehouse": 3,
    "transforms.publish": 3,
    "transforms.lake": 3,
}
LEAVES = ("transforms.records", "transforms.settings", "transforms.urls", "transforms.config")
# A child process started by dagster-dbt (standard library only): it hands its environment, plus
# the settings it was given as arguments, to dbt.
ENV_READERS = {"transforms/settings.py", "orchestration/dbt_child.py"}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def stage(name: str) -> int | None:
    return next((rank for prefix, rank in STAGES.items() if name == prefix or name.startswith(prefix + ".")), None)


def is_leaf(name: str) -> bool:
    return any(name == leaf or name.startswith(leaf + ".") for leaf in LEAVES)


MODULES = modules()


def test_the_rules_see_the_whole_package():
    assert {"transforms.parse.decoding", "transforms.crawl", "orchestration.cli.batch"} <= set(MODULES)
    assert stage("transforms.parse.decoding") == 1 and stage("transforms.pipeline") is None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_run_one_way(name):
    imports = imported(MODULES[name])
    assert not {i for i in imports if i == "tests" or i.startswith("tests.")}, "the package imports from tests/"
    if name.startswith("transforms"):
        assert not {i for i in imports if i.startswith("orchestration")}, "transforms imports orchestration"
    own = stage(name)
    if own is not None:
        back = sorted(i for i in imports if (s := stage(i)) is not None and s < own)
        assert not back, f"{name} (stage {own}) imports an earlier stage: {back}"
    if is_leaf(name):
        staged = sorted(i for i in imports if stage(i) is not None)
        assert not staged, f"{name} is shared by every stage but imports {staged}"


def env_uses(path: Path) -> list[int]:
    """Lines that touch os.environ, os.getenv, os.putenv or os.unsetenv."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
            and node.attr in ("environ", "getenv", "putenv", "unsetenv", "environb")
        ):
            lines.append(node.lineno)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and {alias.name for alias in node.names} & {"environ", "getenv", "putenv"}
        ):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_settings_read_the_environment(name):
    relative = MODULES[name].relative_to(REPO).as_posix()
    if relative not in ENV_READERS:
        assert env_uses(MODULES[name]) == [], f"{relative} touches the environment: use transforms.settings"


def test_the_checks_catch_what_they_forbid(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import os\nfrom tests.sites import server\ndef f():\n    from transforms.crawl import Crawl\n"
        "    os.environ['X'] = '1'\n    return os.getenv('Y')\n",
        encoding="utf-8",
    )
    assert {"tests.sites", "tests.sites.server", "transforms.crawl", "transforms.crawl.Crawl"} <= imported(bad)
    assert env_uses(bad) == [5, 6]
