"""alembic-sentinel: keeps SQLAlchemy models, Alembic revisions and the revision graph honest."""

from __future__ import annotations

__version__ = "0.1.0"
