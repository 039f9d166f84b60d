#!/usr/bin/env python3
"""Start dbt so that it dies with the pipeline process that started it.

dagster-dbt starts dbt as a plain child: when the pipeline process alone is killed (kill -9,
OOM killer), dbt would live on holding the warehouse's DuckDB lock and the next run would fail
with "Conflicting lock". On Linux the kernel sends dbt SIGKILL when its parent dies
(PR_SET_PDEATHSIG, kept across exec). Elsewhere dbt still shares the run's process group, so
killing the group stops it. The real dbt is $NEWSEVENTS_DBT (set by orchestration.dbt_assets).
Standard library only: this may run under any Python 3.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def main() -> None:
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        sys.exit(1)
    dbt = os.environ.get("NEWSEVENTS_DBT", "dbt")
    os.execvp(dbt, [dbt, *sys.argv[1:]])


if __name__ == "__main__":
    main()
