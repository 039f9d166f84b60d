"""The one JSONL batch loop of the command line (`parse --jsonl`, `extract --jsonl`).

One output line per non-blank input line, in input order. A bad line -- not JSON, not an object,
or one its handler cannot process -- is reported in its place as {"id", "error": "line N: ..."}
and skipped; the batch goes on, and the exit code is 1 when any line failed, else 0.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import partial

Handler = Callable[[dict], dict]  # one input object -> its output fields (may raise)


def handle_line(handler: Handler, numbered: tuple[int, str]) -> tuple[dict, bool]:
    """(output record, ok) for one numbered input line. Never raises."""
    line_no, line = numbered
    record_id = None
    try:
        item = json.loads(line)
        if not isinstance(item, dict):
            raise ValueError("line is not a JSON object")
        record_id = item.get("id")
        return {"id": record_id, **handler(item)}, True
    except Exception as exc:  # any bad line is reported in place; the batch goes on
        return {"id": record_id, "error": f"line {line_no}: {type(exc).__name__}: {exc}"[:500]}, False


def _numbered(stream: Iterable[str]) -> Iterator[tuple[int, str]]:
    return ((n, line) for n, line in enumerate(stream, 1) if line.strip())


def run_jsonl(handler: Handler, stdin: Iterable[str], stdout, workers: int = 1) -> int:
    """Apply `handler` to every line of `stdin`, write JSONL to `stdout`; 1 when a line failed."""
    one = partial(handle_line, handler)
    if workers <= 1:
        return _write(map(one, _numbered(stdin)), stdout)
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        return _write(pool.map(one, _numbered(stdin), chunksize=8), stdout)


def _write(results: Iterable[tuple[dict, bool]], stdout) -> int:
    failed = False
    for record, ok in results:
        failed |= not ok
        stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        stdout.flush()
    return 1 if failed else 0


def run_jsonl_on_stdio(handler: Handler, workers: int = 1) -> int:
    """run_jsonl on this process's stdin/stdout; undecodable bytes become U+FFFD (one broken line
    must not end the stream)."""
    if not hasattr(sys.stdin, "buffer"):  # already text (a caller's stream)
        return run_jsonl(handler, sys.stdin, sys.stdout, workers)
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    stdout = (
        io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", errors="replace")
        if hasattr(sys.stdout, "buffer")
        else sys.stdout
    )
    try:
        return run_jsonl(handler, stdin, stdout, workers)
    finally:
        stdout.flush()
        if stdout is not sys.stdout:
            stdout.detach()
        stdin.detach()
