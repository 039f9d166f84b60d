"""`python -m orchestration.cli`: the `newsevents` command."""

from orchestration.cli import entry_point

entry_point()
