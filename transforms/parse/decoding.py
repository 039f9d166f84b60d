"""Bytes to text: the charset an HTTP header or the markup declares, BOMs, and what to do when
they lie. Shared by the fetcher, the crawler and the parser."""

from __future__ import annotations

import codecs
import logging
import re

log = logging.getLogger(__name__)

_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)


def declared_charset(content_type: str | None) -> str | None:
    """The charset label a Content-Type header declares, lower-cased, or None."""
    match = _CT_CHARSET.search(content_type or "")
    return match.group(1).lower() if match else None


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)
# WHATWG: these labels mean windows-1252 in practice
_AS_WINDOWS_1252 = {"iso8859-1", "latin-1", "ascii", "us-ascii", "iso-8859-1", "cp819"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _codec_name(label: str | None, *, in_markup: bool = False) -> str | None:
    """Normalised Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _AS_WINDOWS_1252 or label in _AS_WINDOWS_1252:
        return "cp1252"
    if in_markup and (name.startswith("utf-16") or name.startswith("utf-32")):
        return "utf-8"  # WHATWG: a <meta> readable as ASCII cannot really mean utf-16
    return name


def _try_decode(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(text, encoding used): HTTP charset, BOM, <meta> charset, UTF-8, then windows-1252.

    A declared charset that fails on the bytes is skipped rather than trusted; the last resort
    decodes with replacement characters, so this never raises.
    """
    if label := declared_charset(content_type):
        if (encoding := _codec_name(label)) and (text := _try_decode(body, encoding)) is not None:
            return text.lstrip("\ufeff"), encoding
    for bom, encoding in _BOMS:
        if body.startswith(bom) and (text := _try_decode(body[len(bom) :], encoding)) is not None:
            return text, encoding.removesuffix("-sig")
    if match := _META_CHARSET.search(body[:4096]):
        if (encoding := _codec_name(match.group(1).decode("ascii", "ignore"), in_markup=True)) and (
            text := _try_decode(body, encoding)
        ) is not None:
            return text, encoding
    if (text := _try_decode(body, "utf-8")) is not None:
        return text, "utf-8"
    if _mostly_utf8(body):
        return body.decode("utf-8", errors="replace"), "utf-8"
    return body.decode("cp1252", errors="replace"), "cp1252"


def _mostly_utf8(body: bytes) -> bool:
    """UTF-8 with a few damaged bytes (a truncated character, one stray byte) rather than a legacy
    encoding: valid multi-byte sequences outnumber invalid bytes. cp1252 text almost never forms
    valid UTF-8 sequences, so one bad byte no longer turns a whole UTF-8 page into mojibake."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - body.count("\xef\xbf\xbd".encode("latin-1"))
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    return multibyte > 2 * bad


_UNDECODED = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def looks_binary(text: str) -> bool:
    """Replacement characters or control bytes in bulk: an image or PDF served as HTML."""
    sample = text[:20000]
    if not sample:
        return False
    return len(_UNDECODED.findall(sample)) / len(sample) > 0.05
