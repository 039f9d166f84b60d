"""The one builder of dbt command lines, and the set-up step that prepares the dbt manifest.

Every dbt process (the CLI's `prepare-dbt`, `build-warehouse` and `bench-merge`, and the daily
job through dagster-dbt) runs this environment's dbt with the project and profiles in
dbt_project/ and the environment `Settings.child_env()` gives: the warehouse path is absolute
everywhere, so the partial-parse state that `prepare-dbt` writes stays valid for the runs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from transforms.settings import DBT_PROJECT_DIR, Settings

TARGET_DIR = DBT_PROJECT_DIR / "target"
MANIFEST = TARGET_DIR / "manifest.json"
PROJECT_FOLDERS = ("models", "macros", "seeds", "tests", "analyses")


def dbt_executable() -> str:
    """The dbt next to this interpreter: the venv's bin is not always on PATH (make, tests, schedulers)."""
    venv_dbt = Path(sys.executable).with_name("dbt")
    return str(venv_dbt) if venv_dbt.exists() else "dbt"


def dbt_command(*args: str) -> list[str]:
    """`dbt <args>` for this project: this environment's dbt, project and profiles in dbt_project/."""
    return [dbt_executable(), *args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]


def run_dbt(settings: Settings, *args: str) -> int:
    """Run dbt on the settings' warehouse; dbt's own output goes to the terminal. Returns its exit code."""
    return subprocess.run(dbt_command(*args), env=settings.child_env(), cwd=DBT_PROJECT_DIR).returncode


def manifest_is_stale(project_dir: Path = DBT_PROJECT_DIR, manifest_path: Path = MANIFEST) -> bool:
    """True when the manifest is missing or older than a file of the dbt project."""
    if not manifest_path.exists():
        return True
    built = manifest_path.stat().st_mtime
    sources = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in PROJECT_FOLDERS:
        sources.extend(path for path in (project_dir / folder).rglob("*") if path.is_file())
    return any(path.stat().st_mtime > built for path in sources if path.exists())


def prepare_manifest(settings: Settings, if_stale: bool = False) -> int:
    """`dbt parse`: target/manifest.json (and partial_parse.msgpack) from this repository alone."""
    if if_stale and not manifest_is_stale():
        return 0
    return run_dbt(settings, "parse", "--quiet")
