"""L301 and L309 over rows the upgrade itself accounts for (issue 20, round 18; lint/table_rows.py).

A NOT NULL column added without a default and then written by the same upgrade (`UPDATE t SET
c = ...`, with or without a WHERE, Core `.values(c=...)`, an ORM loop that is flushed) leaves
no row with a value MySQL picked unseen: on a MySQL/MariaDB target L301 has nothing to say.
PostgreSQL and SQLite refuse the ADD before the UPDATE runs, so on those targets it stays. A
table emptied earlier in the upgrade, with nothing put back since, has no row for L301 to fill
or for a unique key (L309) to find alike, on any target. Fixtures are our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import codes, revision, target

_TABLES = """
from sqlalchemy.orm import Session, declarative_base

account = sa.table(
    "account",
    sa.column("id", sa.Integer),
    sa.column("legacy", sa.Integer),
    sa.column("active", sa.Boolean),
    sa.column("tier", sa.Integer),
)
Base = declarative_base()


class Account(Base):
    __tablename__ = "account"
    id = sa.Column(sa.Integer, primary_key=True)
    legacy = sa.Column(sa.Integer)
    active = sa.Column(sa.Boolean)
    tier = sa.Column(sa.Integer)
"""

_ADD_ACTIVE = 'op.add_column("account", sa.Column("active", sa.Boolean(), nullable=False))'


def _l301(fill: str, add: str = _ADD_ACTIVE, server: str = "mysql-8.0") -> int:
    source = revision(f"{add}\n{fill}", header=_TABLES)
    return codes(source, target=target(server)).count("L301")


_WRITTEN_AFTER = [
    # raw SQL for every row
    'op.execute("UPDATE account SET active = TRUE")',
    # for the rows whose implicit 0 is wrong, through sa.text
    'op.execute(sa.text("UPDATE account SET active = 1 WHERE legacy = 0"))',
    # MySQL's multi-table UPDATE, quoted names
    'op.execute("UPDATE `account` INNER JOIN ban ON ban.account_id = `account`.id '
    'SET `active` = FALSE WHERE ban.id IS NULL")',
    # Core, run by the bind
    "op.get_bind().execute(account.update().values(active=account.c.legacy == 0))",
    # Core through sa.update and a dict of values
    'op.execute(sa.update(account).where(account.c.legacy == 1).values({"active": True}))',
    # the ORM's bulk update
    "session = Session(bind=op.get_bind())\n"
    "session.query(Account).filter(Account.legacy == 1).update({Account.active: True})",
    # an ORM loop over the rows, committed
    "session = Session(bind=op.get_bind())\n"
    "for row in session.query(Account):\n"
    "    row.active = row.legacy == 0\n"
    "session.commit()",
]


@pytest.mark.parametrize("fill", _WRITTEN_AFTER)
def test_a_column_the_upgrade_writes_after_adding_it_is_no_l301_on_mysql(fill: str) -> None:
    assert _l301(fill) == 0
    assert _l301(fill, server="mariadb-10.11") == 0


@pytest.mark.parametrize("fill", _WRITTEN_AFTER)
def test_postgresql_and_sqlite_refuse_the_add_before_the_update_runs(fill: str) -> None:
    assert _l301(fill, server="postgresql") == 1
    assert _l301(fill, server="sqlite") == 1


def test_several_columns_written_by_one_update_and_an_enum_column() -> None:
    add = (
        'op.add_column("account", sa.Column("notify_a", sa.Boolean(), nullable=False))\n'
        'op.add_column("account", sa.Column("notify_b", sa.Boolean(), nullable=False))\n'
        'op.add_column("account", sa.Column("kind", sa.Enum("plain", "admin"), nullable=False))'
    )
    fill = (
        'op.execute("UPDATE account SET notify_a = TRUE, notify_b = TRUE")\n'
        "op.execute(\"UPDATE account SET kind = 'admin' WHERE legacy = 9\")"
    )
    assert _l301(fill, add) == 0
    assert _l301(fill, add, server="postgresql") == 3


@pytest.mark.parametrize(
    "fill",
    [
        # nothing writes it
        "pass",
        # another column written
        'op.execute("UPDATE account SET tier = 1")',
        # an INSERT gives new rows the value, not the ones there
        'op.execute("INSERT INTO account (id, active) VALUES (7, TRUE)")',
        "op.execute(account.insert().values(id=7, active=True))",
        'op.bulk_insert(account, [{"id": 7, "active": True}])',
        # NULL is no value for it
        'op.execute("UPDATE account SET active = NULL WHERE legacy = 1")',
        # SQL held in a variable lint cannot read
        "statement = build_update()\nop.execute(statement)",
        # an ORM loop whose session is never flushed writes nothing
        "session = Session(bind=op.get_bind())\n"
        "for row in session.query(Account):\n"
        "    row.active = True",
        # a new object's attribute is a new row's
        "session = Session(bind=op.get_bind())\n"
        "obj = Account(id=7)\n"
        "obj.active = True\n"
        "session.add(obj)\n"
        "session.commit()",
    ],
)
def test_l301_stays_when_the_rows_there_keep_the_implicit_value(fill: str) -> None:
    assert _l301(fill) == 1


def test_an_update_before_the_add_is_no_fill_of_it() -> None:
    source = revision(
        f'op.execute("UPDATE account SET active = TRUE")\n{_ADD_ACTIVE}', header=_TABLES
    )
    assert codes(source).count("L301") == 1


@pytest.mark.parametrize(
    "add",
    [
        # MySQL 8's strict mode refuses the zero date the rows would get before any UPDATE
        'op.add_column("account", sa.Column("joined", sa.DateTime(), nullable=False))',
        'op.add_column("account", sa.Column("born", sa.Date(), nullable=False))',
        # a type lint cannot read: its implicit value is not known
        'op.add_column("account", sa.Column("joined", CustomType(), nullable=False))',
    ],
)
def test_a_type_without_a_known_implicit_value_stays_l301(add: str) -> None:
    column = add.split('"')[3]
    fill = f"op.execute(\"UPDATE account SET {column} = '2020-01-01'\")"
    assert _l301(fill, add) == 1


# B: a table emptied first


_EMPTIED = [
    'op.execute("DELETE FROM account")',
    'op.execute("TRUNCATE TABLE account")',
    "op.execute(account.delete())",
    "session = Session(bind=op.get_bind())\nsession.query(Account).delete()\nsession.commit()",
]

_KEYED = (
    'op.add_column("account", sa.Column("tier_rank", sa.Integer(), nullable=False))\n'
    'op.create_unique_constraint("uq_account_tier", "account", ["tier", "tier_rank"])'
)


@pytest.mark.parametrize("server", ["mysql-8.0", "postgresql"])
@pytest.mark.parametrize("emptied", _EMPTIED)
def test_a_table_emptied_first_has_no_rows_for_l301_or_l309(emptied: str, server: str) -> None:
    source = revision(
        f'op.execute("UPDATE account SET tier = tier + 1")\n{emptied}\n{_KEYED}',
        header=_TABLES,
    )
    found = codes(source, target=target(server))
    assert "L301" not in found and "L309" not in found


@pytest.mark.parametrize(
    "emptied",
    [
        # some rows deleted, not all
        "session = Session(bind=op.get_bind())\n"
        "session.query(Account).filter(Account.legacy == 1).delete()\nsession.commit()",
        # another table emptied
        'op.execute("DELETE FROM account_archive")',
        # emptied, then filled again before the key (a raw DELETE or TRUNCATE is L309's
        # "duplicates deleted first" on its own: Core and the ORM spell the emptying here)
        "op.execute(account.delete())\n"
        'op.execute("INSERT INTO account (id, tier) SELECT id, tier FROM account_archive")',
        "session = Session(bind=op.get_bind())\nsession.query(Account).delete()\n"
        'op.bulk_insert(account, [{"id": 1, "tier": 2}])',
        "op.execute(account.delete())\nop.execute(statement_built_elsewhere)",
    ],
)
def test_rows_left_or_put_back_keep_l301_and_l309(emptied: str) -> None:
    source = revision(
        f'op.execute("UPDATE account SET tier = tier + 1")\n{emptied}\n{_KEYED}',
        header=_TABLES,
    )
    found = codes(source)
    assert found.count("L301") == 1 and found.count("L309") == 1


@pytest.mark.parametrize(
    "refill",
    [
        'op.execute("INSERT INTO account (id, tier) SELECT id, tier FROM account_archive")',
        'op.bulk_insert(account, [{"id": 1, "tier": 2}])',
    ],
)
def test_rows_put_back_after_a_raw_delete_keep_l301(refill: str) -> None:
    source = revision(f'op.execute("DELETE FROM account")\n{refill}\n{_KEYED}', header=_TABLES)
    assert codes(source).count("L301") == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # a bool into a VARCHAR (the guide's isListed): MySQL stores '0'/'1', L303's case
        ("row.legacy == 0", 1),
        ("not row.legacy", 1),
        # a string of the column's kind
        ('"gold" if row.legacy else "plain"', 0),
        ("row.name", 0),
    ],
)
def test_a_write_of_the_wrong_kind_keeps_l301_beside_l303(value: str, expected: int) -> None:
    add = 'op.add_column("account", sa.Column("label", sa.String(20), nullable=False))'
    fill = (
        "session = Session(bind=op.get_bind())\n"
        "for row in session.query(Account):\n"
        f"    row.label = {value}\n"
        "session.flush()"
    )
    assert _l301(fill, add) == expected
