"""The election-results models: ``orm:Base.metadata`` is the complete target metadata.

Every constraint name follows ``NAMING_CONVENTION`` (there is no "ck" entry: Boolean columns
create no CHECK constraint), so names in the database match names in the revision files.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.orm import declarative_base

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# declarative_base() rather than 2.0's DeclarativeBase class: the reference app runs on
# SQLAlchemy 1.4 too (the compatibility matrix, noxfile.py)
Base: Any = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))


# The model modules register their tables on Base.metadata when imported; they import Base
# from this package, so these imports must come after Base is defined.
from orm.area import Area  # noqa: E402
from orm.candidate import Candidate  # noqa: E402
from orm.election import Election  # noqa: E402
from orm.party import Party  # noqa: E402

__all__ = ["NAMING_CONVENTION", "Area", "Base", "Candidate", "Election", "Party"]
