"""The offline fixture news sites: four fictional outlets, their articles (with gold incident
labels) and the server the demo and the tests run on 127.0.0.1. Package data of the project, so
`newsevents demo` and `newsevents serve-fixtures` work from an installed package; see README.md here."""

from pathlib import Path

SOURCES = Path(__file__).resolve().parent / "sources.yml"  # the sources config for the four outlets
