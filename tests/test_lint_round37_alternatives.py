"""Round 37's classes (issue 20; our own fixtures): a handler another database's failure takes
(lint/try_blocks.py), scratch columns raw SQL adds and drops again and a column the downgrade
computes from an alias-naming subquery (L305), a replacement of another type family (L306),
and a lazy `map(lambda ...)` nobody consumes."""

from __future__ import annotations

import pytest
from test_lint_histories import lint
from test_lint_rules import revision

from alembic_sentinel.report.model import Finding

MYSQL = "mysql-8.0"


HEADER = "from sqlalchemy.dialects import mysql, postgresql"


def _found(
    upgrade: str, downgrade: str = "pass", code: str = "", target: str = MYSQL
) -> list[Finding]:
    source = revision(upgrade, downgrade, header=HEADER)
    return [f for f in lint(source, target=target) if f.code == code]


# a SQLite fallback: the body renames without the type, which Alembic's MySQL dialect refuses
# with CommandError (L322) before any SQL; the handler catches only database errors
RENAME_THEN_FALLBACK = """
try:
    op.alter_column("ledger", "memo", new_column_name="remark")
except {caught}:
    op.create_table("ledger_copy", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("remark", sa.String))
    op.execute('INSERT INTO "ledger_copy" SELECT id, memo FROM "ledger"')
    op.drop_table("ledger")
    op.rename_table("ledger_copy", "ledger")
"""


@pytest.mark.parametrize(
    "caught", ["sa.exc.OperationalError", "(OperationalError, sa.exc.ProgrammingError)"]
)
def test_a_handler_after_a_body_alembic_refuses_on_mysql_is_not_read(caught: str) -> None:
    upgrade = RENAME_THEN_FALLBACK.format(caught=caught)
    # the body's own error stays
    assert len(_found(upgrade, code="L322")) == 1
    for code in ("L324", "L331", "L304"):
        assert _found(upgrade, code=code) == [], code


@pytest.mark.parametrize("caught", ["Exception", "CommandError", "util.CommandError"])
def test_a_handler_catching_the_command_error_is_the_targets_path(caught: str) -> None:
    upgrade = RENAME_THEN_FALLBACK.format(caught=caught)
    assert _found(upgrade, code="L331")
    assert _found(upgrade, code="L324")


def test_a_body_alembic_can_run_keeps_its_database_error_fallback() -> None:
    # with its type the rename runs on MySQL; a server error there takes the handler
    upgrade = RENAME_THEN_FALLBACK.format(caught="sa.exc.OperationalError").replace(
        'new_column_name="remark")', 'new_column_name="remark", existing_type=sa.String(40))'
    )
    assert _found(upgrade, code="L331")
    # and a rename lint cannot be sure runs (under an undecided test) proves nothing
    undecided = RENAME_THEN_FALLBACK.format(caught="sa.exc.OperationalError").replace(
        '    op.alter_column("ledger", "memo", new_column_name="remark")',
        "    if context.get_x_argument():\n"
        '        op.alter_column("ledger", "memo", new_column_name="remark")',
    )
    assert _found(undecided, code="L331")


def test_the_command_error_stops_only_mysql() -> None:
    # on PostgreSQL the rename runs and a server error takes the handler: it is read there
    upgrade = RENAME_THEN_FALLBACK.format(caught="sa.exc.OperationalError")
    upgrade += '    op.drop_column("journal", "note")\n'
    assert _found(upgrade, code="L305", target="postgresql")
    assert _found(upgrade, code="L305") == []


# Alembic raises NotImplementedError for SQLite's ALTER of constraints only
FOREIGN_KEY_THEN_FALLBACK = """
try:
    op.create_foreign_key("fk_entry_book", "entry", "book", ["book_id"], ["id"])
except NotImplementedError:
    op.create_table("entry_new", sa.Column("id", sa.Integer, sa.ForeignKey("book.id"),
                    primary_key=True))
    op.drop_table("entry")
    op.rename_table("entry_new", "entry")
"""


@pytest.mark.parametrize("target", [MYSQL, "postgresql", "mariadb-10.11"])
def test_a_not_implemented_handler_is_sqlites_fallback(target: str) -> None:
    for code in ("L304", "L306", "L311"):
        assert _found(FOREIGN_KEY_THEN_FALLBACK, code=code, target=target) == [], code


@pytest.mark.parametrize(
    "body",
    [
        # MySQL's own NotImplementedError: a drop_constraint given no type_
        'op.drop_constraint("fk_entry_book", "entry")',
        # a function of the project's own may raise it for anything
        "migrate_entries()",
    ],
)
def test_a_not_implemented_handler_the_target_may_reach_is_read(body: str) -> None:
    upgrade = FOREIGN_KEY_THEN_FALLBACK.replace(
        'op.create_foreign_key("fk_entry_book", "entry", "book", ["book_id"], ["id"])', body
    )
    assert _found(upgrade, code="L311")


def test_a_not_implemented_handler_runs_on_sqlite() -> None:
    assert _found(FOREIGN_KEY_THEN_FALLBACK, code="L304", target="sqlite")


# scratch columns: added and dropped again by the upgrade's raw SQL
SCRATCH = """
op.execute(
    '''
    ALTER TABLE entity {add} legacy_path text, {add} legacy_owner integer;
    UPDATE entity SET legacy_path = f.path FROM files f WHERE f.id = entity.id;
    INSERT INTO archive (id, path) SELECT id, legacy_path FROM entity;
    ALTER TABLE entity DROP COLUMN legacy_path, DROP COLUMN legacy_owner;
    '''
)
"""


@pytest.mark.parametrize("add", ["ADD", "ADD COLUMN"])
def test_columns_raw_sql_adds_and_drops_again_hold_nothing_old(add: str) -> None:
    upgrade = SCRATCH.format(add=add)
    assert _found(upgrade, code="L305", target="postgresql") == []
    # dropped by op after the raw add, the same
    by_op = (
        SCRATCH.format(add=add).replace(
            "    ALTER TABLE entity DROP COLUMN legacy_path, DROP COLUMN legacy_owner;\n", ""
        )
        + 'op.drop_column("entity", "legacy_owner")\n'
    )
    assert _found(by_op, code="L305", target="postgresql") == []


def test_a_column_dropped_before_raw_sql_adds_it_again_is_still_lost() -> None:
    upgrade = """
    op.execute("ALTER TABLE entity DROP COLUMN legacy_path")
    op.execute("ALTER TABLE entity ADD COLUMN legacy_path text")
    """
    assert _found(upgrade, code="L305", target="postgresql")
    # and another column than the one added is lost as ever
    other = SCRATCH.format(add="ADD").replace("DROP COLUMN legacy_owner", "DROP COLUMN owner")
    found = _found(other, code="L305", target="postgresql")
    assert [f for f in found if "entity.owner" in f.message]


# the downgrade adds the column back and computes it in a subquery naming its result
RECOMPUTED = """
op.add_column("project", sa.Column("active", sa.Boolean(), nullable=True))
op.execute(
    '''UPDATE project SET active = (
        SELECT (CASE WHEN project.status_id = (SELECT status.id FROM status
                                               WHERE status.code = 'WIP')
                THEN true ELSE false END) AS active
        FROM project)'''
)
"""


def test_a_column_the_downgrade_recomputes_under_its_own_alias_is_derivable() -> None:
    upgrade = 'op.drop_column("project", "active")'
    assert _found(upgrade, RECOMPUTED, "L305") == []
    # a constant restores nothing: the loss stays
    constant = """
    op.add_column("project", sa.Column("active", sa.Boolean(), nullable=True))
    op.execute("UPDATE project SET active = (SELECT true AS active)")
    """
    assert _found(upgrade, constant, "L305")
    # the downgrade computing it from a column this upgrade drops too: nothing survives
    both = 'op.drop_column("project", "active")\nop.drop_column("project", "status_id")'
    assert [f for f in _found(both, RECOMPUTED, "L305") if "project.active" in f.message]


# a column replaced by one of another type family under a related name
REPLACED = """
op.add_column("studio", sa.Column("hours_id", sa.Integer(), nullable=True))
op.drop_column("studio", "hours")
"""


@pytest.mark.parametrize(
    "old_type", ["postgresql.BYTEA()", "sa.LargeBinary()", "sa.DateTime()", "sa.JSON()"]
)
def test_a_column_replaced_by_another_type_family_is_no_rename(old_type: str) -> None:
    downgrade = f"""
    op.add_column("studio", sa.Column("hours", {old_type}, nullable=True))
    op.drop_column("studio", "hours_id")
    """
    assert _found(REPLACED, downgrade, "L306", target="postgresql") == []


@pytest.mark.parametrize("old_type", ["sa.BigInteger()", "mysql.INTEGER()"])
def test_a_replacement_of_the_same_family_may_be_a_rename(old_type: str) -> None:
    downgrade = f"""
    op.add_column("studio", sa.Column("hours", {old_type}, nullable=True))
    op.drop_column("studio", "hours_id")
    """
    assert _found(REPLACED, downgrade, "L306", target="postgresql")


LOOP = """
{call}(
    lambda kind: op.execute(
        'DELETE FROM "status_links" WHERE kind = \\'{{}}\\''.format(kind)
    ),
    ["Task", "Shot"],
)
"""


def test_a_lambda_in_a_dropped_map_never_runs() -> None:
    for call in ("map", "filter"):
        assert _found(LOOP.format(call=call), code="L331") == [], call


@pytest.mark.parametrize(
    "upgrade", [f"list({LOOP.format(call='map').strip()})", LOOP.format(call="for_each")]
)
def test_a_consumed_map_or_another_function_runs_its_lambda(upgrade: str) -> None:
    assert _found(upgrade, code="L331")
