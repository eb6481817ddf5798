"""A restatement that writes a primary-key column NULL (L330's error on MySQL; round 33).

Alembic's MySQL dialect writes an alter_column that changes the type or the name as `MODIFY` /
`CHANGE` with the whole column, `NULL` unless `nullable=False` or `existing_nullable=False` says
otherwise (checked in offline mode, Alembic 1.20: `alter_column("t", "id",
existing_type=INTEGER, type_=BigInteger, autoincrement=True)` is `ALTER TABLE t MODIFY id
BIGINT NULL AUTO_INCREMENT`). On a primary-key column MySQL 5.7+ refuses it (ERROR 1171, "All
parts of a PRIMARY KEY must be NOT NULL"), so the migration stops there and nothing is copied;
MariaDB keeps the column NOT NULL without a word (checked on MariaDB 10.11), so only a MySQL
target is told.
"""

from __future__ import annotations

from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.literals import literal_bool
from alembic_sentinel.lint.primary_keys import primary_key_steps
from alembic_sentinel.lint.revision_model import FunctionBody, Operation


def in_primary_key(facts: Facts, options: LintOptions, op: Operation, column: str) -> bool:
    """Whether the column is in its table's primary key as lint knows it (the revisions before,
    then this upgrade's steps before the alter; for a downgrade step, the whole upgrade's)."""
    table = (op.table or "").lower()
    key = options.primary_key(table)
    upgrade = facts.module.upgrade
    if upgrade is not None and any(other is op for other in facts.upgrade_ops):
        steps = primary_key_steps(other for other in upgrade.operations if other.seq < op.seq)
        key = steps.get(table, key)
    elif upgrade is not None:
        key = primary_key_steps(upgrade.operations).get(table, key)  # what the downgrade meets
    return key is not None and column.lower() in key


def writes_null(op: Operation) -> bool:
    """Whether Alembic writes the restated column NULL: `nullable=` if given, else
    `existing_nullable=`, neither given or given True (a value lint cannot read: not said)."""
    for keyword in ("nullable", "existing_nullable"):
        given = op.param(keyword)
        if given is not None:
            return literal_bool(given) is True
    return True


def refused_null_key(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether `op` is an alter_column MySQL refuses with ERROR 1171 on the target: a type or
    name change of a primary-key column that Alembic writes NULL."""
    if options.target.flavor != "mysql" or op.name != "alter_column":
        return False
    if op.spread or op.rebuilt or not op.table:
        return False  # a rebuilt batch restates the column from the reflected table
    if op.param("type_") is None and op.param("new_column_name") is None:
        return False  # no MODIFY / CHANGE of the whole column
    if op.param("type_") is None and op.param("existing_type") is None:
        return False  # a rename Alembic cannot write without the type: L322's error first
    column = op.string("column_name")
    if column is None or not writes_null(op):
        return False
    body = _body_of(facts, op)
    if body is not None and (op.seq in body.mariadb_only or op.seq in body.caught):
        return False  # in a MariaDB-only branch, or a handler carries on without it
    if body is not None and _key_dropped_in_sql(body, op):
        return False  # `ALTER TABLE t DROP PRIMARY KEY` before it: no key to keep NOT NULL
    return in_primary_key(facts, options, op, column)


def _key_dropped_in_sql(body: FunctionBody, op: Operation) -> bool:
    """Whether raw SQL of the function drops the table's primary key before `op` (a fill's
    seq is that of the operation before it)."""
    table = (op.table or "").lower()
    return any(
        action.kind == "drop_primary_key"
        for fill in body.fills
        if fill.seq < op.seq
        for statement in fill.statements
        if (statement.table or "").lower() == table
        for action in statement.actions
    )


def _body_of(facts: Facts, op: Operation) -> FunctionBody | None:
    for body in (facts.module.upgrade, facts.module.downgrade):
        if body is not None and any(other is op for other in body.operations):
            return body
    return None
