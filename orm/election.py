from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String

from orm import Base


class Election(Base):
    __tablename__ = "election"

    electionId = Column(Integer, primary_key=True, autoincrement=True)
    electionName = Column(String(100), nullable=False)
    rootElectionId = Column(
        Integer,
        ForeignKey("election.electionId", name="fk_election_root_election_id"),
        nullable=True,
    )
    parentElectionId = Column(Integer, ForeignKey("election.electionId"), nullable=True)
    # Filled by revision 65900aaf5afd for rows that existed before the column did.
    isListed = Column(Boolean, nullable=False, default=False)
