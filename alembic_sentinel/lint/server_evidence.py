"""What the revisions show of the server they ran on, when no setting or URL names it.

A revision that has run used syntax its server parses. IF [NOT] EXISTS on column and index
operations (L333) is MariaDB's alone: a history using it in MARIADB_EVIDENCE revisions or more
has run on MariaDB, and lint judges it for MariaDB, saying so once. A single such revision may
be a new one that never ran: it stays an error on the default target (MySQL 8.0), as it does
whenever `target-server` names MySQL. PostgreSQL parses those clauses too: a history that also
holds PostgreSQL-only SQL or types (L331) is not read as MariaDB's.
"""

from __future__ import annotations

from collections.abc import Iterable

from alembic_sentinel.report.model import Finding

# the MariaDB release a `mariadb://` URL or the revisions' own syntax are judged for (the
# long-term release the MariaDB projects measured in issue 20 ran on)
MARIADB_TARGET = "mariadb-10.11"
MARIADB_EVIDENCE = 2
_MARIADB_ONLY = "L333"
_POSTGRESQL_ONLY = "L331"


def mariadb_evidence(found: Iterable[Finding]) -> str | None:
    """Why the history ran on MariaDB, from the findings (reported or suppressed) of a review
    for MySQL; None when it does not show that. PostgreSQL parses IF [NOT] EXISTS too: a
    history that also holds PostgreSQL-only SQL or types (L331) shows PostgreSQL, not MariaDB
    (measured on the earlier sets: every history with L333 in two revisions or more and no
    L331 is a MariaDB project's, those with L331 are PostgreSQL projects')."""
    found = list(found)
    if any(finding.code == _POSTGRESQL_ONLY for finding in found):
        return None
    revisions = {finding.path for finding in found if finding.code == _MARIADB_ONLY}
    if len(revisions) < MARIADB_EVIDENCE:
        return None
    return (
        f"{len(revisions)} revisions use IF [NOT] EXISTS on columns or indexes, which only "
        "MariaDB parses: they ran on MariaDB"
    )
