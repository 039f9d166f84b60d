"""Dagster code location and the `newsevents` command line."""
