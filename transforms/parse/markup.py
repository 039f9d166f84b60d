"""The HTML tree the parse works on: cleaned markup, scripts stripped from huge pages, and the
per-page time budget every step checks."""

from __future__ import annotations

import logging
import re
import signal
import threading
import time

from lxml import etree
from lxml import html as lxml_html

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- HTML tree

# Extractors slow down linearly with size; beyond this we drop scripts and then cut.
MAX_MARKUP_CHARS = 2_000_000
_OPEN_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b", re.IGNORECASE)
_MAX_TAG_CHARS = 4_096


def strip_scripts(markup: str) -> str:
    """Drop <script> and <style> elements (JSON-LD scripts stay) in one linear pass.

    A backtracking regex over `<script ... </script>` is quadratic when the tags are not closed;
    here each search starts where the last one ended, and an element that is never closed takes
    the rest of the page with it (a browser would treat that rest as script text too).
    """
    lowered = markup.lower()
    kept: list[str] = []
    position = 0
    while match := _OPEN_SCRIPT_OR_STYLE.search(markup, position):
        start, name = match.start(), match.group(1).lower()
        tag_end = lowered.find(">", match.end(), match.end() + _MAX_TAG_CHARS)
        if tag_end != -1 and "application/ld+json" in lowered[start:tag_end]:
            kept.append(markup[position : tag_end + 1])
            position = tag_end + 1
            continue
        kept.append(markup[position:start])
        close = lowered.find(f"</{name}", match.end())
        if close == -1:
            return "".join(kept)
        close_end = lowered.find(">", close)
        position = len(markup) if close_end == -1 else close_end + 1
    kept.append(markup[position:])
    return "".join(kept)


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def clean_markup(text: str) -> str:
    """What lxml refuses: an XML encoding declaration in a str, control characters."""
    return _CONTROL.sub("", _XML_DECL.sub("", text, count=1))


def clean_field(value: str | None) -> str | None:
    """Control characters out of a parsed value: JSON-LD escapes (\\u0000) decode to them after
    the markup was cleaned, and a NUL in a title breaks BI tools downstream."""
    return _CONTROL.sub("", value) if value else value


# ---------------------------------------------------------------- time budget

# Normal pages parse in tens of milliseconds and a 2 MB page in about a second; a page still
# being parsed after this long is hostile or pathological and is rejected as parse_timeout.
PARSE_BUDGET_SECONDS = 20.0


class ParseTimeout(BaseException):
    """BaseException: the extractors' own `except Exception` blocks must not swallow it."""


_budget = threading.local()


def check_budget() -> None:
    """Raise ParseTimeout when the current page's budget is spent (called between parse stages)."""
    deadline = getattr(_budget, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise ParseTimeout()


def _on_alarm(signum, frame) -> None:
    raise ParseTimeout()


class Budget:
    """A deadline for one page. Checked between stages; in a process's main thread a SIGALRM
    timer also interrupts a stage that runs long inside Python code (e.g. the text extractor)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._alarm = False

    def __enter__(self) -> Budget:
        _budget.deadline = time.monotonic() + self.seconds
        if (
            self.seconds > 0
            and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        ):
            signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self._alarm = True
        return self

    def __exit__(self, *exc) -> None:
        if self._alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
        _budget.deadline = None


def build_tree(markup: str) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None
