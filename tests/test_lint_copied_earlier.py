"""L305 and a column whose values an earlier revision copied elsewhere (issue 20, round 22): the
expand/contract split puts the copy (`INSERT INTO account_private (...) SELECT api_key, ... FROM
account`) in one revision and the drop in a later one. Linted together, the drop's values are
already in their new place. A copy that only tests the column (in a WHERE), one of another
column, one in a later revision, or the column written onto itself is no copy: still reported.
Our own revisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files

COPY_INSERT = """
op.execute(
    "INSERT INTO account_private (account_id, api_key) SELECT id, api_key FROM account"
)
"""
COPY_UPDATE = """
op.execute(
    "UPDATE account_private SET api_key = account.api_key FROM account "
    "WHERE account.id = account_private.account_id"
)
"""
COPY_UPDATE_JOIN = """
op.execute(
    "UPDATE account_private JOIN account ON account.id = account_private.account_id "
    "SET account_private.api_key = account.api_key"
)
"""
DROP = 'op.drop_column("account", "api_key")'
RAW_DROP = 'op.execute("ALTER TABLE account DROP COLUMN api_key")'


def _l305(tmp_path: Path, first: str, second: str) -> list[str]:
    sources = [
        chained(revision(first), "c0ffee000001", "a8a2fc4e4c77"),
        chained(revision(second), "c0ffee000002", "c0ffee000001"),
    ]
    for number, source in enumerate(sources):
        (tmp_path / f"r{number}.py").write_text(source)
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    result = lint_files(files, LintOptions())
    return [f.path for f in result.findings if f.code == "L305"]


@pytest.mark.parametrize("copy", [COPY_INSERT, COPY_UPDATE, COPY_UPDATE_JOIN])
@pytest.mark.parametrize("drop", [DROP, RAW_DROP])
def test_a_drop_after_an_earlier_revision_copied_the_values_is_quiet(
    tmp_path: Path, copy: str, drop: str
) -> None:
    assert _l305(tmp_path, copy, drop) == []


@pytest.mark.parametrize(
    "earlier",
    [
        # the column only tested, its values not written anywhere
        "op.execute(\"UPDATE account SET plan = 'legacy' WHERE api_key IS NOT NULL\")",
        # another column copied
        'op.execute("INSERT INTO account_private (account_id) SELECT id FROM account")',
        # read, but nothing written
        'op.execute("SELECT api_key FROM account")',
        # no copy at all
        'op.add_column("account", sa.Column("plan", sa.String(20), nullable=True))',
        # copied into a rebuilt table that then takes the old one's name: the same column again
        """
        op.execute("INSERT INTO account_new (id, api_key) SELECT id, api_key FROM account")
        op.drop_table("account")
        op.rename_table("account_new", "account")
        """,
        """
        op.execute("INSERT INTO account_new (id, api_key) SELECT id, api_key FROM account")
        op.execute("DROP TABLE account")
        op.execute("ALTER TABLE account_new RENAME TO account")
        """,
    ],
)
def test_no_copy_of_the_values_leaves_the_drop_reported(tmp_path: Path, earlier: str) -> None:
    assert _l305(tmp_path, earlier, DROP) == ["r1.py"]


def test_a_copy_in_a_later_revision_does_not_vouch_for_an_earlier_drop(tmp_path: Path) -> None:
    assert _l305(tmp_path, DROP, COPY_INSERT) == ["r0.py"]


# round 28: the expand step's copy written through the ORM or Core, not in raw SQL
ACCOUNT_CLASS = """
from sqlalchemy import orm
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Account(Base):
    __tablename__ = "account"
    id = sa.Column(sa.Integer, primary_key=True)
    api_key = sa.Column(sa.String(64))
    secret = sa.Column(sa.String(64))
    plan = sa.Column(sa.String(20))


account = sa.table("account", sa.column("id"), sa.column("api_key"), sa.column("secret"))
"""
ORM_COPY = """
session = orm.Session(bind=op.get_bind())
for row in session.query(Account).all():
    row.secret = row.api_key
session.commit()
"""
CORE_COPY = "op.execute(account.update().values(secret=account.c.api_key))"
CORE_COPY_BY_NAME = 'op.execute(sa.update(account).values({"secret": account.c["api_key"]}))'
ORM_FILTER_ONLY = """
session = orm.Session(bind=op.get_bind())
for row in session.query(Account).filter(Account.api_key != None):
    row.plan = "legacy"
session.commit()
"""
CORE_WHERE_ONLY = 'op.execute(account.update().where(account.c.api_key != None).values(secret="x"))'
ORM_OTHER_COLUMN = """
session = orm.Session(bind=op.get_bind())
for row in session.query(Account):
    row.plan = row.secret
session.commit()
"""


def _l305_classes(tmp_path: Path, first: str, second: str) -> list[str]:
    sources = [
        chained(revision(first, header=ACCOUNT_CLASS), "c0ffee000001", "a8a2fc4e4c77"),
        chained(revision(second), "c0ffee000002", "c0ffee000001"),
    ]
    for number, source in enumerate(sources):
        (tmp_path / f"r{number}.py").write_text(source)
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    result = lint_files(files, LintOptions())
    return [f.path for f in result.findings if f.code == "L305"]


@pytest.mark.parametrize("copy", [ORM_COPY, CORE_COPY, CORE_COPY_BY_NAME])
@pytest.mark.parametrize("drop", [DROP, RAW_DROP])
def test_an_earlier_orm_or_core_copy_counts_as_the_expand_step(
    tmp_path: Path, copy: str, drop: str
) -> None:
    assert _l305_classes(tmp_path, copy, drop) == []


@pytest.mark.parametrize("earlier", [ORM_FILTER_ONLY, CORE_WHERE_ONLY, ORM_OTHER_COLUMN])
def test_an_orm_or_core_statement_that_copies_no_value_of_the_column_vouches_for_nothing(
    tmp_path: Path, earlier: str
) -> None:
    assert _l305_classes(tmp_path, earlier, DROP) == ["r1.py"]


def test_a_later_orm_copy_does_not_vouch_for_an_earlier_drop(tmp_path: Path) -> None:
    sources = [
        chained(revision(DROP), "c0ffee000001", "a8a2fc4e4c77"),
        chained(revision(ORM_COPY, header=ACCOUNT_CLASS), "c0ffee000002", "c0ffee000001"),
    ]
    for number, source in enumerate(sources):
        (tmp_path / f"r{number}.py").write_text(source)
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    result = lint_files(files, LintOptions())
    assert [f.path for f in result.findings if f.code == "L305"] == ["r0.py"]
