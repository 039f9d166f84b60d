"""URL normalisation and the private-address guard."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only track the reader; they never select content.
TRACKING_PARAMS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id", "utm_name",
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "yclid", "igshid", "_ga",
    "ref", "ref_src", "ref_url", "cmpid", "cmp", "ito", "ocid", "smid", "share", "s_cid",
    "at_medium", "at_campaign", "xtor", "rss", "feed", "src", "output",
})
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
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified
    )


def check_address(url: str, allow_private: bool) -> None:
    """Refuse a URL whose host resolves to a private, loopback or link-local address.

    Feeds are untrusted input: without this a feed could point the crawler at internal services.
    Every address the name resolves to must be public. (A resolver that answers differently at
    connect time could still slip through; the check narrows the window, it does not close it.)
    """
    if allow_private:
        return
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise BlockedAddressError(f"{url}: no host")
    try:
        infos = socket.getaddrinfo(host, parts.port or _DEFAULT_PORTS.get(parts.scheme, 80),
                                   proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise BlockedAddressError(f"{url}: cannot resolve {host}: {exc}") from None
    for info in infos:
        address = info[4][0]
        if not is_public_address(address):
            raise BlockedAddressError(
                f"{url}: {host} resolves to non-public address {address} "
                "(set crawler.allow_private_addresses: true to allow)"
            )
