"""L305 / L304 and fills assembled over several lines (issue 20, round 14; lint/core_reads.py).

A revision copies a column's values through a same-file helper given the table
(`_copy(step, ...)` builds `target.update().where(condition)`), a condition kept in a local name
(built in two branches), `getattr(target.c, name)` over a literal list, or an INSERT whose SELECT
is a query kept in a name. The values are read before the drop: not lost. A helper reading other
columns, another table, or names that leave the column out still loses it. Our own fixtures."""

from __future__ import annotations

import textwrap

import pytest
from test_lint_histories import codes

HEADER = '''\
"""x

Revision ID: 1234abcd5678
Revises: a8a2fc4e4c77
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import and_, select
from sqlalchemy.sql import column, table

revision = "1234abcd5678"
down_revision = "a8a2fc4e4c77"

run = table("run", column("job_id"), column("run_id"), column("started"))
step = table("step", column("job_id"), column("run_id"), column("started"))
'''

DOWNGRADE = """

def downgrade():
    op.add_column("step", sa.Column("started", sa.DateTime()))
"""


def _revision(helpers: str, upgrade: str) -> str:
    body = textwrap.indent(textwrap.dedent(upgrade).strip(), "    ")
    return (
        HEADER
        + "\n\n"
        + textwrap.dedent(helpers).strip()
        + "\n\n\ndef upgrade():\n"
        + body
        + "\n"
        + DOWNGRADE
    )


UPGRADE = """
op.add_column("step", sa.Column("run_id", sa.String(50)))
op.execute({call})
op.drop_column("step", "started")
"""

READ_BEFORE_THE_DROP = [
    # the table as a parameter, the condition in a local name
    (
        """
        def _fill(target, wanted):
            condition = and_(run.c.job_id == target.c.job_id, run.c.started == target.c.started)
            return target.update().where(condition).values({wanted: run.c[wanted.name]})
        """,
        "_fill(step, step.c.run_id)",
    ),
    # the condition built in two branches: either may be the one that runs
    (
        """
        def _fill(dialect, target, wanted):
            condition = run.c.job_id == target.c.job_id
            if wanted is target.c.run_id:
                condition = and_(condition, run.c.started == target.c.started)
            else:
                condition = and_(condition, run.c.run_id == target.c.run_id)
            return target.update().where(condition).values({wanted: run.c[wanted.name]})
        """,
        "_fill('mysql', step, wanted=step.c.run_id)",
    ),
    # getattr over a literal list given by keyword
    (
        """
        def _fill(target_table, target_column, join_columns):
            pairs = [getattr(run.c, x) == getattr(target_table.c, x) for x in join_columns]
            return (
                target_table.update()
                .where(and_(*pairs))
                .values({target_column: run.c[target_column.name]})
            )
        """,
        '_fill(target_table=step, target_column=step.c.run_id, join_columns=["job_id", "started"])',
    ),
    # a delete chosen by the column (its values read to pick the rows)
    (
        """
        def _prune(target):
            stale = target.c.started < sa.text("'2020-01-01'")
            return target.delete().where(stale)
        """,
        "_prune(step)",
    ),
]


@pytest.mark.parametrize(("helpers", "call"), READ_BEFORE_THE_DROP)
def test_a_column_read_by_a_fill_built_over_several_lines_is_not_lost(
    helpers: str, call: str
) -> None:
    assert "L305" not in codes(_revision(helpers, UPGRADE.format(call=call)))


LOST = [
    # the helper reads other columns of the table only
    (
        """
        def _fill(target, wanted):
            condition = run.c.job_id == target.c.job_id
            return target.update().where(condition).values({wanted: run.c[wanted.name]})
        """,
        "_fill(step, step.c.run_id)",
    ),
    # the helper is given another table: `run.started` is read, not `step.started`
    (
        """
        def _fill(target, source):
            condition = source.c.started < sa.func.now()
            return target.update().where(condition).values(run_id="x")
        """,
        "_fill(step, run)",
    ),
    # getattr over names that leave the column out
    (
        """
        def _fill(target_table, join_columns):
            pairs = [getattr(run.c, x) == getattr(target_table.c, x) for x in join_columns]
            return target_table.update().where(and_(*pairs)).values(run_id=run.c.run_id)
        """,
        '_fill(step, ["job_id"])',
    ),
    # a name bound to the column's read but never used by the statement
    (
        """
        def _fill(target):
            unused = target.c.started
            return target.update().values(run_id="x")
        """,
        "_fill(step)",
    ),
]


@pytest.mark.parametrize(("helpers", "call"), LOST)
def test_a_fill_that_does_not_read_the_column_still_loses_it(helpers: str, call: str) -> None:
    assert "L305" in codes(_revision(helpers, UPGRADE.format(call=call)))


COPY_SWAP = """
op.create_table("step_new", sa.Column("job_id", sa.Integer()), sa.Column("started", sa.DateTime()))
query = select(step.c.job_id, step.c.started).select_from(step)
op.execute(f"INSERT INTO step_new {query.compile(op.get_bind())}")
op.drop_table("step")
op.rename_table("step_new", "step")
"""


def test_rows_copied_by_an_insert_of_a_query_kept_in_a_name_are_not_lost() -> None:
    assert "L304" not in codes(_revision("", COPY_SWAP))


def test_a_query_of_another_table_does_not_copy_the_dropped_ones_rows() -> None:
    other = COPY_SWAP.replace(
        "select(step.c.job_id, step.c.started).select_from(step)",
        "select(run.c.job_id, run.c.started)",
    )
    assert "L304" in codes(_revision("", other))
