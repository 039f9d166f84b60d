"""URL normalisation and the address guard (only globally routable addresses are contacted)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only track the reader; they never select content.
TRACKING_PARAMS = frozenset(
    {
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "utm_id",
        "utm_name",
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "yclid",
        "igshid",
        "_ga",
        "ref",
        "ref_src",
        "ref_url",
        "cmpid",
        "cmp",
        "ito",
        "ocid",
        "smid",
        "share",
        "s_cid",
        "at_medium",
        "at_campaign",
        "xtor",
        "rss",
        "feed",
        "src",
        "output",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class BlockedAddressError(ValueError):
    """The URL's host resolves to an address the crawler must not contact."""


def normalize_url(url: str, base: str | None = None) -> str | None:
    """Canonical form of an http(s) URL, or None when it is not one.

    Lower-cases scheme and host, drops default ports, fragments and tracking parameters, sorts the
    remaining query, resolves dot segments and normalises percent-encoding, so that the same story
    reached through a feed, a homepage and a share link compares equal.
    """
    if not url:
        return None
    url = url.strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _normalize_path(parts.path)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def _normalize_path(path: str) -> str:
    if not path:
        return "/"
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(segments) > 1:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    path = "/".join(segments)
    if not path.startswith("/"):
        path = "/" + path
    return quote(unquote(path), safe="/:@!$&'()*+,;=-._~%")


def host_key(url: str) -> str:
    """The politeness key of a URL: scheme, host and port."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address (ipaddress `is_global`), IPv4-mapped unwrapped.

    "Not private" is not enough: shared address space (100.64.0.0/10), benchmarking, documentation
    and other special ranges are not private yet not on the internet either.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve_checked(url: str, allow_private: bool) -> tuple[str, ...]:
    """Resolve the URL's host once and return the addresses to connect to, all of them checked.

    Feeds are untrusted input: without this a feed could point the crawler at internal services.
    Every address the name resolves to must be globally routable, else BlockedAddressError.
    `allow_private=True` (fixtures and local tests only) accepts any address. The caller connects
    to one of the returned addresses, never to the name again, so a resolver that answers
    differently the second time (DNS rebinding) cannot slip an internal address in.
    """
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise BlockedAddressError(f"{url}: no host")
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise BlockedAddressError(f"{url}: cannot resolve {host}: {exc}") from None
    addresses: list[str] = []
    for info in infos:
        address = info[4][0]
        if not allow_private and not is_public_address(address):
            raise BlockedAddressError(
                f"{url}: {host} resolves to non-public address {address} "
                "(set crawler.allow_private_addresses: true to allow)"
            )
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise BlockedAddressError(f"{url}: {host} resolves to no address")
    return tuple(addresses)


def check_url(url: str, allow_private: bool = False) -> str:
    """Validate a URL for an outgoing request and return the one address to connect to.

    The address is globally routable (see `resolve_checked`) unless `allow_private`; connect to
    it (with the URL's host in the Host header / TLS server name), not to the name, so the check
    and the connection see the same address. Raises BlockedAddressError.
    """
    return resolve_checked(url, allow_private)[0]


def check_address(url: str, allow_private: bool) -> str:
    """Older name of `check_url`."""
    return check_url(url, allow_private)
