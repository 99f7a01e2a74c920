"""The durable store: items and their diff, source health, the runs log (SQLAlchemy Core)."""
