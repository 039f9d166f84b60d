"""Plain-Python stages of the pipeline: crawl, parse, extract, load. No Dagster imports here."""
