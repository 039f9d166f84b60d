"""HTTP fetching: politeness, address guard, redirects, retries, size and time limits.

One `Fetcher` serves a whole crawl. Every attempt (including retries and refusals) comes back in
`FetchResult.attempts` so the caller can log it in `crawl_log`.
"""

from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterator

import requests

from transforms.records import CrawlSettings
from transforms.urls import BlockedAddressError, check_address, host_key, normalize_url

_REDIRECTS = {301, 302, 303, 307, 308}
_RETRYABLE = {429, 500, 502, 503, 504}
_CHUNK = 64 * 1024
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)


def declared_charset(content_type: str | None) -> str | None:
    """The charset label a Content-Type header declares, lower-cased, or None."""
    match = _CT_CHARSET.search(content_type or "")
    return match.group(1).lower() if match else None


@dataclass(frozen=True)
class Attempt:
    url: str
    attempt: int
    attempted_at: datetime
    http_status: int | None
    bytes: int | None
    elapsed_ms: int
    outcome: str
    error: str | None = None


@dataclass
class FetchResult:
    url: str
    outcome: str                      # fetched | not_modified | http_error | timeout | network_error
                                      # | too_large | blocked_address | robots_disallowed
    final_url: str | None = None
    http_status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome == "fetched"


class _TooLarge(Exception):
    pass


class _Deadline(Exception):
    pass


class HostThrottle:
    """Per-host concurrency limit and minimum gap between request starts."""

    def __init__(self, per_host_concurrency: int):
        self._per_host = per_host_concurrency
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str, delay_seconds: float) -> Iterator[None]:
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self._per_host))
        with semaphore:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + delay_seconds
            if start > now:
                time.sleep(start - now)
            yield


class Fetcher:
    def __init__(self, settings: CrawlSettings, sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.throttle = HostThrottle(settings.per_host_concurrency)
        self._sleep = sleep
        self._local = threading.local()

    def _session(self) -> requests.Session:
        # requests.Session is not documented as thread-safe: one per worker thread.
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = self.settings.user_agent
            session.headers["Accept-Encoding"] = "gzip, deflate"
            session.trust_env = False  # no proxies from the environment for a crawler
            self._local.session = session
        return session

    def fetch(
        self,
        url: str,
        *,
        delay_seconds: float = 0.0,
        etag: str | None = None,
        last_modified: str | None = None,
        allowed: Callable[[str], bool] | None = None,
    ) -> FetchResult:
        """GET with retries on timeouts, connection errors and 5xx/429, following redirects by hand
        so that every hop passes the address guard and `allowed` (robots)."""
        result = FetchResult(url=url, outcome="network_error")
        for attempt in range(1, self.settings.max_retries + 2):
            retry = self._attempt(url, attempt, delay_seconds, etag, last_modified, allowed, result)
            if not retry or attempt > self.settings.max_retries:
                break
            self._sleep(self.settings.backoff_seconds * (2 ** (attempt - 1)))
        return result

    def _attempt(self, url, attempt, delay_seconds, etag, last_modified, allowed, result) -> bool:
        """One try including its redirect chain. Returns True when a retry is worthwhile."""
        started = time.monotonic()
        deadline = started + self.settings.timeout_seconds
        attempted_at = datetime.now(timezone.utc).replace(tzinfo=None)
        current = url
        status = None
        n_bytes = None

        def record(outcome: str, error: str | None = None) -> None:
            result.outcome, result.error = outcome, error
            result.attempts.append(Attempt(
                url=url, attempt=attempt, attempted_at=attempted_at, http_status=status,
                bytes=n_bytes, elapsed_ms=int((time.monotonic() - started) * 1000),
                outcome=outcome, error=error,
            ))

        try:
            for _hop in range(self.settings.max_redirects + 1):
                check_address(current, self.settings.allow_private_addresses)
                if allowed is not None and not allowed(current):
                    record("robots_disallowed", f"robots.txt disallows {current}")
                    return False
                headers = {}
                if etag:
                    headers["If-None-Match"] = etag
                if last_modified:
                    headers["If-Modified-Since"] = last_modified
                remaining = max(0.05, deadline - time.monotonic())
                with self.throttle.slot(host_key(current), delay_seconds):
                    response = self._session().get(
                        current, headers=headers, stream=True, allow_redirects=False,
                        timeout=(min(remaining, 10.0), remaining),
                    )
                    try:
                        status = response.status_code
                        result.http_status = status
                        if status in _REDIRECTS and response.headers.get("Location"):
                            target = normalize_url(response.headers["Location"], base=current)
                            if not target:
                                record("http_error", f"bad redirect Location {response.headers['Location']!r}")
                                return False
                            current = target
                            continue
                        body = self._read_body(response, deadline) if status == 200 else b""
                    finally:
                        response.close()
                n_bytes = len(body)
                result.final_url = current
                if status == 304:
                    record("not_modified")
                    return False
                if status != 200:
                    record("http_error", f"HTTP {status}")
                    return status in _RETRYABLE
                result.body = body
                result.content_type = response.headers.get("Content-Type")
                result.etag = response.headers.get("ETag")
                result.last_modified = response.headers.get("Last-Modified")
                record("fetched")
                return False
            record("http_error", f"more than {self.settings.max_redirects} redirects")
            return False
        except BlockedAddressError as exc:
            record("blocked_address", str(exc))
            return False
        except _TooLarge as exc:
            record("too_large", str(exc))
            return False
        except (_Deadline, requests.Timeout) as exc:
            record("timeout", f"no complete response within {self.settings.timeout_seconds}s ({type(exc).__name__})")
            return True
        except requests.RequestException as exc:
            record("network_error", f"{type(exc).__name__}: {exc}")
            return True

    def _read_body(self, response: requests.Response, deadline: float) -> bytes:
        limit = self.settings.max_page_bytes
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise _TooLarge(f"Content-Length {declared} exceeds max_page_bytes {limit}")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise _TooLarge(f"body exceeds max_page_bytes {limit}")
            if time.monotonic() > deadline:
                raise _Deadline()
            chunks.append(chunk)
        return b"".join(chunks)
