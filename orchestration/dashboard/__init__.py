"""The bundled dashboard over the published BI copy: queries (queries.py), server (server.py), page (static/)."""
