from __future__ import annotations

from sqlalchemy import Column, Integer, String

from orm import Base


class Party(Base):
    __tablename__ = "party"

    partyId = Column(Integer, primary_key=True, autoincrement=True)
    partyName = Column(String(100), nullable=False, unique=True)
    partySymbol = Column(String(100), nullable=True)
