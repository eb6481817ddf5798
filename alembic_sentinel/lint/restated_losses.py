"""What a MySQL CHANGE / MODIFY restating a column would drop of it (L330), and who says so.

An `alter_column` that changes the type or renames a column is written by Alembic's MySQL
implementation as `CHANGE` / `MODIFY COLUMN` with the whole column definition; without
`existing_nullable=` it writes the column NULL, without `existing_server_default=` it writes
no DEFAULT. `restatement_losses` names what the revisions show the column has and the
restatement would drop. L330 reports it as the effect of the statement; but when the
`alter_column` gives no type at all (neither `type_=` nor `existing_type=`), Alembic refuses
it before writing any SQL (L322's CommandError): no CHANGE runs, nothing is dropped, and L330's
"silently drops" is false as written (round 38: labelled false beside L322 in two sets). The
losses are still what the natural fix (adding `existing_type=` alone) would bring about, so
L322's finding names them (`refusal_covers`): one finding at the line, the error, saying both.
"""

from __future__ import annotations

from alembic_sentinel.lint.column_changes import needs_existing_type
from alembic_sentinel.lint.column_state import (
    default_before,
    not_null_before,
    not_null_witness,
    restated_before,
)
from alembic_sentinel.lint.column_steps import modifying_alter
from alembic_sentinel.lint.facts import Facts, LintOptions, literal_bool
from alembic_sentinel.lint.primary_key_nulls import in_primary_key
from alembic_sentinel.lint.revision_model import Operation

# the rule whose refusal comes first, and the one describing the refused statement's effect
ALEMBIC_REFUSAL = "L322"
OFF = "off"


def restatement_losses(facts: Facts, options: LintOptions, op: Operation) -> list[str]:
    """What a type change or rename by `op` would drop of the column on MySQL: its NOT NULL
    and its DEFAULT, where the revisions show it has them (this file's steps before it, or
    those of the revisions linted with it); [] when nothing, or `op` restates nothing."""
    changes = [p for p in ("type_", "new_column_name") if op.param(p) is not None]
    column = op.string("column_name")
    if not changes or not op.table or column is None:
        return []
    seen = options.column_seen(op.table.lower(), column.lower())  # this revision included
    lost = []
    # NOT NULL somewhere in the revisions, unless the latest step stating the column (an
    # earlier alter_column(nullable=True), say) left it nullable
    if drops_not_null(facts, options, op):
        lost.append("NOT NULL (Alembic writes the column NULL)")
    if (
        seen.has_default
        and all(op.param(p) is None for p in ("server_default", "existing_server_default"))
        and default_before(facts, options, op) is not False
    ):
        lost.append("its DEFAULT")
    return lost


def drops_not_null(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether a MODIFY/CHANGE by `op` that states no nullability (neither `nullable=` nor
    `existing_nullable=`) writes NULL a column the revisions show NOT NULL: unless the latest
    step stating the column left it nullable, a restatement since already declared it NULL,
    or it is a primary-key column (MySQL refuses the NULL, MariaDB keeps the NOT NULL)."""
    column = op.string("column_name")
    if not op.table or column is None:
        return False
    return (
        options.column_seen(op.table.lower(), column.lower()).not_null
        and all(op.param(p) is None for p in ("nullable", "existing_nullable"))
        and not_null_before(facts, options, op) is not False
        and not restated_before(facts, options, op)
        and not in_primary_key(facts, options, op, column)
    )


def contradicted_nullable(facts: Facts, options: LintOptions, op: Operation) -> str | None:
    """Who says the column is NOT NULL when an upgrade's type change or rename restates it
    with `existing_nullable=True` and no `nullable=` (issue 20): Alembic writes what it is
    told, `MODIFY c ... NULL`, so the NOT NULL goes as silently as with no word at all. Only
    when the history is certain (column_state.not_null_witness: "line N" / "revision X"), no
    restatement since declared it NULL already, and it is no primary-key column (MySQL
    refuses that restatement, MariaDB keeps the NOT NULL: primary_key_nulls'). A
    `nullable=True` is a change the author asks for, not a restatement: never."""
    column = op.string("column_name")
    if not modifying_alter(op) or op.param("nullable") is not None or column is None:
        return None
    if literal_bool(op.param("existing_nullable")) is not True:
        return None
    if restated_before(facts, options, op) or in_primary_key(facts, options, op, column):
        return None
    return not_null_witness(facts, options, op)


def refusal_covers(options: LintOptions, op: Operation) -> bool:
    """Whether Alembic refuses `op` before writing any SQL for want of the column's type, and
    L322 (not turned off) says so: what the refused statement would do is L322's to name."""
    return needs_existing_type(op) and options.severities.get(ALEMBIC_REFUSAL) != OFF
