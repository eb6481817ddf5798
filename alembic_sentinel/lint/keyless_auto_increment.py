"""An AUTO_INCREMENT column added with no key, which MySQL/MariaDB refuse (L332, round 28).

`op.add_column("t", sa.Column("id", sa.Integer, primary_key=True))` (or `batch_op.add_column`)
puts the column alone in a table of its own: a lone Integer primary key, so SQLAlchemy makes it
the autoincrement column and its MySQL dialect writes `ADD COLUMN id INTEGER NOT NULL
AUTO_INCREMENT`. Alembic adds no PRIMARY KEY with it (only unique keys and indexes, in later
statements), and the server refuses a keyless auto column: ERROR 1075 "Incorrect table
definition; there can be only one auto column and it must be defined as a key" (checked on
MariaDB 10.11, on a table with rows, an empty one, and one with a primary key elsewhere).

Not refused: `autoincrement=False`, a `server_default` (SQLAlchemy then writes no
AUTO_INCREMENT), a non-Integer key, a computed column, and a batch that rebuilds the table
(`recreate="always"`: the new table is created with the key). Pure: revision_model only.
"""

from __future__ import annotations

from collections.abc import Iterator

from alembic_sentinel.lint.facts import Facts, Hit, LintOptions, op_hit
from alembic_sentinel.lint.revision_model import INTEGER, ColumnSpec, Operation


def refused_auto_column(op: Operation, column: ColumnSpec) -> bool:
    """Whether the ADD COLUMN Alembic writes for `column` is an AUTO_INCREMENT one with no key
    (see above)."""
    return (
        op.name == "add_column"
        and not op.rebuilt
        and column.primary_key
        and column.type is not None
        and column.type.family == INTEGER
        and column.autoincrement is not False
        and column.server_default is None
        and not column.generated
    )


def keyless_auto_increment(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    # the downgrade's too: adding the column back fails the same way
    for op in facts.all_ops:
        for column in op.columns:
            if not refused_auto_column(op, column):
                continue
            table, name = op.table_label(), column.name or "(a column named by a variable)"
            yield op_hit(
                "L332",
                op,
                f"add_column {table}.{name}: a lone Integer primary key is AUTO_INCREMENT, "
                f"Alembic writes ADD COLUMN {name} ... NOT NULL AUTO_INCREMENT with no key, and "
                f"{options.target} refuses it (ERROR 1075: there can be only one auto column "
                "and it must be defined as a key)",
                fix=(
                    f"create the key in the same statement: op.execute('ALTER TABLE {table} "
                    f"ADD COLUMN {name} INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY') (with "
                    "DROP PRIMARY KEY first in it when the table has one); or add the column "
                    f"with autoincrement=False, fill it, op.create_primary_key(..., [{name!r}]), "
                    "then alter_column(..., autoincrement=True)"
                ),
            )
