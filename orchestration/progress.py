"""What a person sees while the daily job runs from the CLI: one line per stage, a progress bar on a
terminal, and the full log in a file.

- `Progress` is a Dagster logger (attached to the in-process run) that turns step events into
  `[3/5] extract ... done` lines and writes every record, formatted, to the log.
- `output_to_log(path)` sends everything else this process and its children print (Dagster's
  set-up, dbt, warnings) to the log file, at the file-descriptor level, and hands back the
  terminal for the progress lines.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

# Step key -> what a person calls the stage.
STAGE_NAMES = {
    "raw_pages": "crawl",
    "articles": "parse",
    "event_mentions": "extract",
    "dbt_warehouse_assets": "dbt build",
    "bi_copy": "publish",
    "watch_alerts": "alerts",
}
SPINNER = "|/-\\"
BAR_WIDTH = 24


@contextlib.contextmanager
def output_to_log(log_path: Path) -> Iterator[IO[str]]:
    """Point stdout and stderr (fds 1 and 2, so subprocesses too) at the log file for the block;
    yield a stream on the real terminal (the original stderr)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved_out, saved_err = os.dup(1), os.dup(2)
    terminal = os.fdopen(os.dup(saved_err), "w", buffering=1, encoding="utf-8", errors="replace")
    # Dagster also hands each run record to Python's logging ("dagster.builtin"): the progress
    # logger already writes it to the file, so the root handlers skip it.
    not_twice = logging.Filter()
    not_twice.filter = lambda record: not record.name.startswith("dagster.builtin")
    handlers = logging.getLogger().handlers
    with open(log_path, "w", encoding="utf-8") as log_file:
        os.dup2(log_file.fileno(), 1)
        os.dup2(log_file.fileno(), 2)
        for handler in handlers:
            handler.addFilter(not_twice)
        try:
            yield terminal
        finally:
            for handler in handlers:
                handler.removeFilter(not_twice)
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved_out, 1)
            os.dup2(saved_err, 2)
            os.close(saved_out)
            os.close(saved_err)
            terminal.close()


@dataclass
class _Step:
    name: str
    number: int
    started: float = field(default_factory=time.monotonic)
    done_events: int = 0
    total_events: int = 0
    materialized: int = 0
    checks_passed: int = 0
    checks_failed: int = 0
    metadata: dict[str, Any] = field(default_factory=dict)


class Progress:
    """Progress lines for one run of the daily job, written to `terminal`."""

    def __init__(
        self,
        terminal: IO[str],
        step_totals: dict[str, int],
        *,
        live: bool | None = None,
        log_stream: IO[str] | None = None,
        verbose: bool = False,
    ) -> None:
        self.terminal = terminal
        self.verbose = verbose  # Dagster's own console log too (newsevents -v)
        self.step_totals = step_totals  # events (materialisations + checks) each step will emit
        self.live = terminal.isatty() if live is None else live
        self.log_stream = log_stream
        self.failed_steps: list[str] = []
        self._step: _Step | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        self._formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s")

    # -- Dagster logger --------------------------------------------------------------------------

    def logger_def(self):
        from dagster import logger

        progress = self

        class _Handler(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                progress.handle(record)

        @logger(description="newsevents CLI progress lines; every record to the run's log")
        def progress_logger(_init_context):
            log = logging.Logger("newsevents.progress", level=logging.DEBUG)
            log.addHandler(_Handler())
            return log

        return progress_logger

    def handle(self, record: logging.LogRecord) -> None:
        if self.log_stream is not None:
            self.log_stream.write(self._formatter.format(record) + "\n")
        meta = record.__dict__.get("dagster_meta") or {}
        event = meta.get("dagster_event") if isinstance(meta, dict) else None
        if event is None:
            return
        kind = event.event_type_value
        if kind == "STEP_START":
            self._start(event.step_key)
        elif kind == "ASSET_MATERIALIZATION" and self._step:
            with self._lock:
                self._step.materialized += 1
                self._step.done_events += 1
                metadata = event.event_specific_data.materialization.metadata
                self._step.metadata.update({k: getattr(v, "value", v) for k, v in metadata.items()})
        elif kind == "ASSET_CHECK_EVALUATION" and self._step:
            with self._lock:
                self._step.done_events += 1
                if event.event_specific_data.passed:
                    self._step.checks_passed += 1
                else:
                    self._step.checks_failed += 1
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
            self._finish(ok=kind == "STEP_SUCCESS")

    # -- lines -----------------------------------------------------------------------------------

    def _start(self, step_key: str) -> None:
        with self._lock:
            number = (self._step.number + 1) if self._step else 1
            self._step = _Step(
                STAGE_NAMES.get(step_key, step_key), number, total_events=self.step_totals.get(step_key, 0)
            )
        if self.live:
            self._stop.clear()
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()

    def _finish(self, ok: bool) -> None:
        if self._ticker is not None:
            self._stop.set()
            self._ticker.join()
            self._ticker = None
        step = self._step
        if step is None:
            return
        if not ok:
            self.failed_steps.append(step.name)
        status = self._result(step) if ok else "FAILED (see the log)"
        self._write(f"{self._prefix(step)} {status:<52} {time.monotonic() - step.started:6.1f}s", final=True)

    def _prefix(self, step: _Step) -> str:
        return f"[{step.number}/{len(STAGE_NAMES)}] {step.name:<10}"

    def _result(self, step: _Step) -> str:
        m = step.metadata
        if step.name == "crawl":
            return f"{m.get('day_article_pages', 0)} article pages, {m.get('failed_share', 0):.0%} of fetches failed"
        if step.name == "parse":
            return f"{m.get('day_articles', 0)} articles"
        if step.name == "extract":
            return f"{m.get('day_event_mentions', 0)} event mentions"
        if step.name == "dbt build":
            failed = f", {step.checks_failed} FAILED" if step.checks_failed else ""
            return f"{step.materialized} models, {step.checks_passed} tests passed{failed}"
        if step.name == "publish":
            return f"BI copy snapshot {m.get('snapshot_id', '?')}"
        if step.name == "alerts":
            if not m.get("watches"):
                return "no watchlist"
            return f"{m.get('watches', 0)} watches, {m.get('sent', 0)} alerts sent, {m.get('failed', 0)} failed"
        return "done"

    def _tick(self) -> None:
        n = 0
        while not self._stop.wait(0.2):
            step = self._step
            if step is None:
                continue
            elapsed = time.monotonic() - step.started
            if step.total_events > 10:  # the dbt step reports as it goes; a Python asset only at its end
                share = min(step.done_events / step.total_events, 1.0)
                filled = int(share * BAR_WIDTH)
                bar = "[" + "#" * filled + "." * (BAR_WIDTH - filled) + f"] {step.done_events}/{step.total_events}"
            else:
                bar = SPINNER[n % len(SPINNER)]
            self._write(f"{self._prefix(step)} {bar:<52} {elapsed:6.1f}s", final=False)
            n += 1

    def _write(self, line: str, final: bool) -> None:
        with self._lock:
            if self.live:
                self.terminal.write("\r\x1b[K" + line + ("\n" if final else ""))
            elif final:
                self.terminal.write(line + "\n")
            self.terminal.flush()


def step_totals(assets_defs) -> dict[str, int]:
    """Materialisations + checks each step of the job emits (the progress bar's 100 %)."""
    return {
        a.node_def.name: len(a.keys) + len(a.check_keys)
        for a in assets_defs
        if getattr(a, "is_executable", False) and a.node_def is not None
    }
