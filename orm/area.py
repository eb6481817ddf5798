from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String

from orm import Base


class Area(Base):
    __tablename__ = "area"

    areaId = Column(Integer, primary_key=True, autoincrement=True)
    areaName = Column(String(300), nullable=False)
    electionId = Column(Integer, ForeignKey("election.electionId"), nullable=False)
    areaType = Column(String(50), nullable=True)
