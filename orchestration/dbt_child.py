#!/usr/bin/env python3
"""Start dbt with the settings it reads, so that it dies with the pipeline process that started it.

    dbt_child.py --dbt /path/to/dbt --set NEWSEVENTS_DB=/abs/warehouse.duckdb [--set ...] <dbt args>

dagster-dbt starts dbt as a plain child with this process's environment: the leading `--dbt` and
`--set NAME=VALUE` arguments (orchestration.dbt_assets passes them as dagster-dbt's global flags)
are how the run's settings reach dbt without writing them into the environment of the pipeline.
When the pipeline process alone is killed (kill -9, OOM killer), dbt would live on holding the
warehouse's DuckDB lock and the next run would fail with "Conflicting lock". On Linux the kernel
sends dbt SIGKILL when its parent dies (PR_SET_PDEATHSIG, kept across exec). Elsewhere dbt still
shares the run's process group, so killing the group stops it.
Standard library only: this may run under any Python 3.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def wrapper_args(dbt: str, variables: dict) -> list:
    """The leading arguments that tell this script which dbt to start, with which settings."""
    args = ["--dbt", dbt]
    for name, value in variables.items():
        args += ["--set", f"{name}={value}"]
    return args


def split_args(argv: list) -> tuple:
    """(dbt executable, settings, dbt's own arguments) from this script's arguments."""
    dbt, variables, rest = "dbt", {}, list(argv)
    while len(rest) >= 2 and rest[0] in ("--dbt", "--set"):
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag == "--dbt":
            dbt = value
        else:
            name, _, setting = value.partition("=")
            variables[name] = setting
    return dbt, variables, rest


def main() -> None:
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        sys.exit(1)
    dbt, variables, args = split_args(sys.argv[1:])
    # dbt's environment: the one dagster-dbt gave this process, with the run's settings
    os.execvpe(dbt, [dbt, *args], {**os.environ, **variables})


if __name__ == "__main__":
    main()
