"""HTTP fetching: politeness, address guard, redirects, retries, size and time limits.

One `Fetcher` serves a whole crawl. Every attempt (including retries and refusals) comes back in
`FetchResult.attempts` so the caller can log it in `crawl_log`.

Built on http.client rather than requests so that the crawler controls the socket:
- the host is resolved once and checked (transforms.urls.resolve_checked); the connection goes to
  that address, never to the name again (no DNS-rebinding window);
- one deadline (`timeout_seconds`) covers connect, headers and body of an attempt. It starts when
  the request is sent, after the politeness wait, so waiting for a host never counts as a timeout.
  It is enforced while waiting: every socket operation has a timeout no longer than what is left,
  the deadline is checked between reads, and a watchdog shuts the socket at the deadline (a
  server that drips its headers a byte at a time cannot hold a worker).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from transforms.records import CrawlSettings
from transforms.urls import BlockedAddressError, host_key, normalize_url, resolve_checked

_REDIRECTS = {301, 302, 303, 307, 308}
_RETRYABLE = {429, 500, 502, 503, 504}
_CHUNK = 64 * 1024


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
    outcome: str  # fetched | not_modified | http_error | timeout | network_error
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
    def __init__(self, message: str, size: int | None):
        super().__init__(message)
        self.size = size


class _Deadline(Exception):
    pass


class _NetworkError(Exception):
    pass


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    try:
        import certifi  # the CA bundle requests used; the system store may be missing in containers

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:  # pragma: no cover
        return ssl.create_default_context()


class HostThrottle:
    """Per-host concurrency limit and minimum gap between request starts."""

    def __init__(self, per_host_concurrency: int):
        self._per_host = per_host_concurrency
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str, delay_seconds: float) -> Iterator[Callable[[], None]]:
        """Wait for the host's turn; yields `sent()`, to call when the request has gone out, so the
        gap is kept between actual sends, however late a thread got to send."""
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self._per_host))
        with semaphore:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + delay_seconds
            if start > now:
                time.sleep(start - now)

            def sent() -> None:
                with self._lock:
                    self._next_start[host] = max(self._next_start[host], time.monotonic() + delay_seconds)

            yield sent

    def ready_at(self, host: str) -> float:
        """Monotonic time at which the host may next be requested (for the crawl's scheduler)."""
        with self._lock:
            return self._next_start.get(host, 0.0)


class _Request:
    """One HTTP exchange with a fixed deadline on a socket connected to a checked address."""

    def __init__(self, url: str, address: str, deadline: float, user_agent: str, headers: dict[str, str]):
        self.url, self.address, self.deadline = url, address, deadline
        self.user_agent, self.headers = user_agent, headers
        self.sock: socket.socket | None = None
        self.conn: http.client.HTTPConnection | None = None
        self.expired = False
        self._watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), self._expire)
        self._watchdog.daemon = True

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0 or self.expired:
            raise _Deadline()
        return left

    def _expire(self) -> None:
        # shutdown() wakes a thread blocked in recv(); close() alone would not
        self.expired = True
        sock = self.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def open(self, sent: Callable[[], None]) -> http.client.HTTPResponse:
        parts = urlsplit(self.url)
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        self._watchdog.start()
        try:
            sock = socket.create_connection((self.address, port), timeout=self.remaining())
        except TimeoutError:
            raise _Deadline() from None
        except OSError as exc:
            raise _NetworkError(f"connect to {self.address}:{port}: {exc}") from None
        self.sock = sock
        if self.expired:
            self._expire()
        try:
            if https:
                sock.settimeout(self.remaining())
                sock = _tls_context().wrap_socket(sock, server_hostname=parts.hostname)
                self.sock = sock
            conn_class = http.client.HTTPSConnection if https else http.client.HTTPConnection
            conn = conn_class(parts.hostname, port, timeout=self.remaining())
            conn.sock = sock  # already connected to the checked address: http.client never resolves
            self.conn = conn
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
            conn.putrequest("GET", target, skip_accept_encoding=True)
            for name, value in {
                "User-Agent": self.user_agent,
                "Accept-Encoding": "gzip, deflate",
                "Accept": "*/*",
                "Connection": "close",
                **self.headers,
            }.items():
                conn.putheader(name, value)
            conn.endheaders()
            sent()
            sock.settimeout(self.remaining())
            return conn.getresponse()
        except TimeoutError:
            raise _Deadline() from None
        except _Deadline:
            raise
        except (OSError, http.client.HTTPException, ssl.SSLError, ValueError) as exc:
            if self.expired:
                raise _Deadline() from None
            raise _NetworkError(f"{type(exc).__name__}: {exc}") from None

    def read(self, response: http.client.HTTPResponse, limit: int) -> bytes:
        """The body, decoded from gzip/deflate, at most `limit` bytes, by the deadline."""
        declared = response.getheader("Content-Length")
        if declared and declared.strip().isdigit() and int(declared) > limit:
            raise _TooLarge(f"Content-Length {declared} exceeds max_page_bytes {limit}", int(declared))
        encoding = (response.getheader("Content-Encoding") or "").strip().lower()
        decoder = None
        if encoding in ("gzip", "x-gzip"):
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            decoder = _Deflate()
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                assert self.sock is not None
                self.sock.settimeout(self.remaining())
                raw = response.read1(_CHUNK)
                if self.expired:
                    raise _Deadline()
                if not raw:
                    break
                data = decoder.decompress(raw, limit - size + 1) if decoder else raw
                size += len(data)
                if size > limit or (decoder is not None and decoder.unconsumed_tail):
                    raise _TooLarge(f"body exceeds max_page_bytes {limit}", size)
                chunks.append(data)
        except TimeoutError:
            raise _Deadline() from None
        except (_Deadline, _TooLarge):
            raise
        except (OSError, http.client.HTTPException, zlib.error, ssl.SSLError) as exc:
            if self.expired:
                raise _Deadline() from None
            raise _NetworkError(f"{type(exc).__name__}: {exc}") from None
        return b"".join(chunks)

    def close(self) -> None:
        self._watchdog.cancel()
        if self.conn is not None:
            self.conn.close()
        elif self.sock is not None:
            self.sock.close()


class _Deflate:
    """'deflate' is a zlib stream by the RFC, raw deflate on some servers: take either."""

    def __init__(self):
        self._inner = None
        self.unconsumed_tail = b""

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if self._inner is None:
            raw = not data or (data[0] & 0x0F) != 8
            self._inner = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        out = self._inner.decompress(data, max_length)
        self.unconsumed_tail = self._inner.unconsumed_tail
        return out


class Fetcher:
    def __init__(self, settings: CrawlSettings, sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.throttle = HostThrottle(settings.per_host_concurrency)
        self._sleep = sleep

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
        timeout = self.settings.timeout_seconds
        started: float | None = None  # when the first request went out (after politeness)
        deadline: float | None = None
        attempted_at = datetime.now(UTC).replace(tzinfo=None)
        current = url
        status = None
        n_bytes = None
        hop_end = 0.0  # when the previous redirect hop ended (set before the next hop reads it)

        def record(outcome: str, error: str | None = None) -> None:
            result.outcome, result.error = outcome, error
            elapsed = time.monotonic() - started if started is not None else 0.0
            result.attempts.append(
                Attempt(
                    url=url,
                    attempt=attempt,
                    attempted_at=attempted_at,
                    http_status=status,
                    bytes=n_bytes,
                    elapsed_ms=int(elapsed * 1000),
                    outcome=outcome,
                    error=error,
                )
            )

        try:
            for _hop in range(self.settings.max_redirects + 1):
                addresses = resolve_checked(current, self.settings.allow_private_addresses)
                if allowed is not None and not allowed(current):
                    record("robots_disallowed", f"robots.txt disallows {current}")
                    return False
                headers = {}
                if etag:
                    headers["If-None-Match"] = etag
                if last_modified:
                    headers["If-Modified-Since"] = last_modified
                with self.throttle.slot(host_key(current), delay_seconds) as sent:
                    now = time.monotonic()
                    if started is None:
                        started, deadline = now, now + timeout
                        attempted_at = datetime.now(UTC).replace(tzinfo=None)
                    else:  # a later hop's politeness wait does not eat the attempt's time either
                        deadline += now - hop_end
                    request = _Request(current, addresses[0], deadline, self.settings.user_agent, headers)
                    try:
                        response = request.open(sent)
                        status = response.status
                        result.http_status = status
                        location = response.getheader("Location")
                        if status in _REDIRECTS and location:
                            target = normalize_url(location, base=current)
                            if not target:
                                record("http_error", f"bad redirect Location {location!r}")
                                return False
                            current = target
                            hop_end = time.monotonic()
                            continue
                        body = request.read(response, self.settings.max_page_bytes) if status == 200 else b""
                        response_headers = response
                    finally:
                        request.close()
                n_bytes = len(body)
                result.final_url = current
                if status == 304:
                    record("not_modified")
                    return False
                if status != 200:
                    record("http_error", f"HTTP {status}")
                    return status in _RETRYABLE
                result.body = body
                result.content_type = response_headers.getheader("Content-Type")
                result.etag = response_headers.getheader("ETag")
                result.last_modified = response_headers.getheader("Last-Modified")
                record("fetched")
                return False
            record("http_error", f"more than {self.settings.max_redirects} redirects")
            return False
        except BlockedAddressError as exc:
            record("blocked_address", str(exc))
            return False
        except _TooLarge as exc:
            n_bytes = exc.size
            record("too_large", str(exc))
            return False
        except _Deadline:
            record("timeout", f"no complete response within {timeout}s")
            return True
        except _NetworkError as exc:
            record("network_error", str(exc))
            return True
