"""The `newsevents` command line (filled in by the foundation issue)."""


def main() -> None:  # pragma: no cover - replaced below
    raise SystemExit("newsevents: not built yet")
