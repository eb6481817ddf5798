from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String

from orm import Base


class Candidate(Base):
    __tablename__ = "candidate"

    candidateId = Column(Integer, primary_key=True, autoincrement=True)
    candidateName = Column(String(300), nullable=False)
    partyId = Column(Integer, ForeignKey("party.partyId"), nullable=False)
    electionId = Column(Integer, ForeignKey("election.electionId"), nullable=False)
