"""How the lint's neighbours word what they report (issue 14): the drift summary's lines and fix,
the offline SQL's reason, the online-DDL kind of a VARCHAR made shorter."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from alembic_sentinel.ci.offline_sql import reason
from alembic_sentinel.drift.compare import MIGRATE_FIX, describe_diff
from alembic_sentinel.lint.linter import lint_source


def user_table() -> sa.Table:
    return sa.Table(
        "user",
        sa.MetaData(),
        sa.Column("email", sa.String(9)),
        sa.Column("kind", sa.Enum("a", "bbbbbbbbb")),
    )


def test_an_unnamed_constraint_is_described_by_its_kind_and_columns() -> None:
    table = user_table()
    unique = sa.UniqueConstraint(table.c.email)
    table.append_constraint(unique)
    assert describe_diff(("add_constraint", unique)) == (
        "+ unique constraint (unnamed) (email) on user"
    )


def test_type_changes_are_written_in_the_dialect_the_database_was_reflected_with() -> None:
    table = user_table()
    enum_change = ("modify_type", None, "user", "kind", {}, mysql.ENUM("a", "b"), table.c.kind.type)
    # SQLAlchemy's default rendering would read "VARCHAR(1) -> VARCHAR(9)"
    assert describe_diff(enum_change) == "~ type user.kind: ENUM('a','b') -> ENUM('a','bbbbbbbbb')"
    collation = mysql.VARCHAR(9, collation="utf8mb4_bin")
    changed = ("modify_type", None, "user", "email", {}, collation, sa.String(9))
    assert (
        describe_diff(changed) == "~ type user.email: VARCHAR(9) COLLATE utf8mb4_bin -> VARCHAR(9)"
    )


def test_an_added_column_is_written_in_the_dialect_given() -> None:
    column = sa.Column("kind", sa.Enum("p", "q"), nullable=False)
    diff = ("add_column", None, "user", column)
    assert describe_diff(diff, mysql.dialect()) == "+ column user.kind ENUM('p','q') NOT NULL"


def test_the_drift_fix_does_not_send_a_hand_written_change_to_migrate() -> None:
    assert MIGRATE_FIX.startswith('alembic-sentinel migrate -m "describe the change"')
    assert "hand-written revision" in MIGRATE_FIX and "update the models" in MIGRATE_FIX


def test_a_data_fill_that_cannot_render_offline_is_said_in_words(tmp_path: Path) -> None:
    settings = cast(Any, SimpleNamespace(version_locations=[], root=tmp_path, password=None))
    revision = cast(Any, SimpleNamespace(path="versions/x.py"))
    said = reason(
        AttributeError("'MockConnection' object has no attribute 'close'"), settings, revision
    )
    assert "MockConnection" not in said and "AttributeError" not in said
    assert "reads or writes rows" in said and "offline SQL cannot do" in said


def test_a_shorter_varchar_is_not_called_a_widening() -> None:
    source = (
        "import sqlalchemy as sa\nfrom alembic import op\n\n\ndef upgrade():\n"
        '    op.alter_column("party", "code", type_=sa.String(50), existing_type=sa.String(100))\n'
    )
    result = lint_source(source, "v.py")
    assert [s.operation for s in result.statements] == ["shorten_varchar party.code"]
    [copy] = [f for f in result.findings if f.code == "L314"]
    assert "shorten_varchar party.code: shrinking a VARCHAR" in copy.message
    assert "widen" not in copy.message


def test_a_key_named_at_run_time_is_not_called_unnamed() -> None:
    # round 22: a name built by an expression too long to quote is said to be computed at run time
    source = '''"""link the shelves"""
import sqlalchemy as sa
from alembic import op

revision = "0a1b2c3d4e5f"
down_revision = "f0e1d2c3b4a5"
NAMES = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def upgrade():
    with op.batch_alter_table("shelf") as batch_op:
        batch_op.create_foreign_key(
            NAMES["fk"]
            % dict(table_name="shelf", column_0_name="room_id", referred_table_name="room"),
            "room", ["room_id"], ["id"],
        )
        batch_op.create_foreign_key(short_name, "hall", ["hall_id"], ["id"])
        batch_op.create_foreign_key(None, "wing", ["wing_id"], ["id"])


def downgrade():
    pass
'''
    messages = [f.message for f in lint_source(source, "v/0a1b.py").findings if f.code == "L314"]
    assert any("add foreign key named at run time on shelf:" in m for m in messages), messages
    assert any("add foreign key named by `short_name` on shelf:" in m for m in messages), messages
    # an unnamed key is told by its columns
    assert any("add unnamed foreign key on shelf(wing_id):" in m for m in messages), messages
