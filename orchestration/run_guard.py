"""Keep an in-process run from blocking or being blocked forever (used by `newsevents run`/`demo`).

With a persistent DAGSTER_HOME the `duckdb_writer` pool's slots live in the instance's storage.
A run killed with -9 never frees its slot, and every later run waits for it without end. So:
- `free_stale_pool_claims` frees, before a run starts, the slots of runs that cannot release them
  any more: runs that ended, and runs whose process is gone (each `newsevents` run carries its
  process id and host name in tags; for other runs of a local instance, the process ids in their
  event log);
- `RunWatch` (a thread beside the run) says at INFO which run holds the slot a step waits for,
  and stops the process cleanly on SIGINT/SIGTERM when Dagster itself does not act on it: Dagster
  only records the signal while a step waits for a pool slot, so without this the wait ignored
  both signals. The run is marked canceled and its slots freed before the process exits.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from orchestration.resources import WRITER_POOL

log = logging.getLogger(__name__)

PID_TAG = "newsevents/pid"
HOST_TAG = "newsevents/host"
# Dagster raises the signal inside a running step by itself; past this grace we stop the process.
SIGNAL_GRACE_SECONDS = 5.0
WATCH_INTERVAL_SECONDS = 1.0


def run_tags() -> dict[str, str]:
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _event_pids(instance, run_id: str) -> set[int]:
    """Process ids that executed a run's steps, from its event log (runs without our tags: started
    by an older version, the UI or the daemon). Trusted only for a local (SQLite) instance."""
    from dagster import DagsterEventType

    if "sqlite" not in type(instance.event_log_storage).__module__:
        return set()
    entries = instance.all_logs(run_id, of_type={DagsterEventType.RUN_START, DagsterEventType.STEP_START})
    return {e.dagster_event.pid for e in entries if e.dagster_event and e.dagster_event.pid}


def stale_reason(instance, run) -> str | None:
    """Why a run holding pool slots can never release them, or None when it may still be live."""
    if run is None:
        return "the run is not in the instance any more"
    if run.is_finished:
        return f"the run ended ({run.status.value}) without releasing its slots"
    pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
    if pid and pid.isdigit():
        if host == socket.gethostname() and not _process_alive(int(pid)):
            return f"its process {pid} is gone"
        return None
    pids = _event_pids(instance, run.run_id)
    if pids and not any(_process_alive(p) for p in pids):
        return f"its process{'es' if len(pids) > 1 else ''} {', '.join(map(str, sorted(pids)))} gone"
    return None


def _supports_pools(instance) -> bool:
    return bool(getattr(instance.event_log_storage, "supports_global_concurrency_limits", False))


def free_stale_pool_claims(instance) -> list[str]:
    """Free the pool slots (claimed or pending) of runs that cannot release them; returns their ids."""
    if not _supports_pools(instance):
        return []
    storage = instance.event_log_storage
    freed = []
    for run_id in sorted(storage.get_concurrency_run_ids()):
        run = instance.get_run_by_id(run_id)
        reason = stale_reason(instance, run)
        if reason is None:
            continue
        storage.free_concurrency_slots_for_run(run_id)
        if run is not None and not run.is_finished:
            instance.report_run_failed(run, f"newsevents: {reason}; its pool slots were freed")
        log.info("freed the pool slots of run %s: %s", run_id, reason)
        freed.append(run_id)
    return freed


def describe_run(instance, run_id: str) -> str:
    run = instance.get_run_by_id(run_id)
    if run is None:
        return f"run {run_id} (unknown)"
    pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
    where = f", process {pid} on {host}" if pid else ""
    return f"run {run_id} ({run.job_name}, {run.status.value}{where})"


class RunWatch:
    """A thread beside an in-process run: reports pool waits at INFO, enforces signals."""

    def __init__(self, instance, run_id: str, pool: str = WRITER_POOL, notify=None):
        self.instance, self.run_id, self.pool = instance, run_id, pool
        # notify(line): also tell the person at the terminal (the log may be going to a file)
        self._notify = notify or (lambda line: None)
        self._stop = threading.Event()
        self._reported: set[str] = set()
        self._thread = threading.Thread(target=self._loop, name="newsevents-run-watch", daemon=True)

    def __enter__(self) -> RunWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        from dagster._utils.interrupts import check_captured_interrupt

        signalled_at: float | None = None
        while not self._stop.wait(WATCH_INTERVAL_SECONDS):
            try:
                self.report_wait()
            except Exception:  # the watch must never break the run it watches
                log.debug("pool check failed", exc_info=True)
            if check_captured_interrupt():
                signalled_at = signalled_at or time.monotonic()
                if time.monotonic() - signalled_at >= SIGNAL_GRACE_SECONDS:
                    self.stop_now()
            else:
                signalled_at = None

    def report_wait(self) -> None:
        if not _supports_pools(self.instance):
            return
        info = self.instance.event_log_storage.get_concurrency_info(self.pool)
        waiting = [s for s in info.pending_steps if s.run_id == self.run_id and s.assigned_timestamp is None]
        if not waiting:
            return
        holders = sorted(info.active_run_ids - {self.run_id})
        key = ",".join(holders)
        if key in self._reported:
            return
        self._reported.add(key)
        held_by = "; ".join(describe_run(self.instance, r) for r in holders) or "no run (limit reached)"
        message = (
            f"step {', '.join(s.step_key for s in waiting)} of run {self.run_id} waits for pool "
            f"{self.pool} (limit {info.slot_count}), held by {held_by}"
        )
        log.info("%s", message)
        self._notify(message)

    def stop_now(self) -> None:
        """Mark the run canceled, free its slots, exit. DuckDB writes are per-batch transactions and
        the dbt child dies with this process (orchestration/dbt_child.py), so nothing is left half."""
        log.warning("signal received while run %s waits: canceling it and stopping", self.run_id)
        self._notify(f"signal received while run {self.run_id} waits: canceling it and stopping")
        try:
            if _supports_pools(self.instance):
                self.instance.event_log_storage.free_concurrency_slots_for_run(self.run_id)
            run = self.instance.get_run_by_id(self.run_id)
            if run is not None and not run.is_finished:
                self.instance.report_run_canceled(run, "newsevents: stopped by a signal")
            if _supports_pools(self.instance):
                # again: the executor may have queued its pending step once more meanwhile
                self.instance.event_log_storage.free_concurrency_slots_for_run(self.run_id)
        finally:
            logging.shutdown()
            os._exit(130)
