"""The SQLite store: schema and migrations, all SQL, full-text search, the clusterer's saved state."""

from crosswire.store.db import Store

__all__ = ["Store"]
