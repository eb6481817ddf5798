"""L331 and a deferrable foreign key with use_alter=True inside create_table (issue 20, round 34).

SQLAlchemy leaves a use_alter foreign key out of CREATE TABLE on MySQL, and Alembic's
create_table issues no ALTER for it: its DEFERRABLE / INITIALLY never reaches the server, so
there is nothing to refuse. add_column's ADD CONSTRAINT, and a key without use_alter, still
write them. The rendering is checked here in Alembic's offline mode; snippets are our own."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from test_lint_rules import codes, revision


def _offline_mysql(build) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    context = MigrationContext.configure(
        dialect_name="mysql", opts={"as_sql": True, "output_buffer": out}
    )
    build(Operations(context))
    return out.getvalue()


def test_alembic_leaves_a_use_alter_key_out_of_create_table_on_mysql() -> None:
    sql = _offline_mysql(
        lambda op: op.create_table(
            "voucher",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("last_id", sa.Integer),
            sa.Column(
                "next_id",
                sa.Integer,
                sa.ForeignKey("voucher.id", use_alter=True, deferrable=True, name="fk_next"),
            ),
            sa.ForeignKeyConstraint(
                ["last_id"],
                ["voucher.id"],
                name="fk_last",
                deferrable=True,
                initially="DEFERRED",
                use_alter=True,
            ),
        )
    )
    assert "CREATE TABLE voucher" in sql and "FOREIGN KEY" not in sql
    assert "DEFERRABLE" not in sql and "INITIALLY" not in sql
    added = _offline_mysql(
        lambda op: op.add_column(
            "voucher",
            sa.Column(
                "prev_id",
                sa.Integer,
                sa.ForeignKey("voucher.id", use_alter=True, deferrable=True, name="fk_prev"),
            ),
        )
    )
    assert "FOREIGN KEY(prev_id) REFERENCES voucher (id) DEFERRABLE" in added


@pytest.mark.parametrize(
    "upgrade",
    [
        """
        op.create_table("voucher",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("last_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(["last_id"], ["voucher.id"], name="fk_voucher_last",
                                    deferrable=True, use_alter=True),
            sa.PrimaryKeyConstraint("id"))
        """,
        """
        op.create_table("voucher",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("next_id", sa.Integer(), sa.ForeignKey("voucher.id", use_alter=True,
                      initially="DEFERRED", name="fk_voucher_next")),
            sa.PrimaryKeyConstraint("id"))
        """,
    ],
)
def test_a_use_alter_key_in_create_table_is_not_reported(upgrade: str) -> None:
    assert "L331" not in codes(revision(upgrade, 'op.drop_table("voucher")'))


@pytest.mark.parametrize(
    "upgrade",
    [
        """
        op.create_table("voucher",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("last_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(["last_id"], ["voucher.id"], name="fk_voucher_last",
                                    deferrable=True, use_alter=False),
            sa.PrimaryKeyConstraint("id"))
        """,
        """
        op.create_table("voucher",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("last_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(["last_id"], ["voucher.id"], name="fk_voucher_last",
                                    use_alter=True),
            sa.UniqueConstraint("last_id", name="uq_voucher_last", deferrable=True),
            sa.PrimaryKeyConstraint("id"))
        """,
        """
        op.add_column("voucher", sa.Column("prev_id", sa.Integer(), sa.ForeignKey(
            "voucher.id", use_alter=True, deferrable=True, name="fk_voucher_prev")))
        """,
    ],
)
def test_a_deferrable_constraint_that_reaches_the_server_is_still_reported(upgrade: str) -> None:
    assert "L331" in codes(revision(upgrade, "pass"))
