"""L341 in a downgrade: a column the downgrade drops while its unnamed foreign key is still on
it (issue 20, round 40's misses), and L341's one check, the upgrade's drops (name_clashes)
with them. Checked on MariaDB 10.11.

MySQL and MariaDB do not drop a foreign key with its column, whichever direction the migration
runs: the downgrade of `op.add_column("t", sa.Column("x_id", sa.Integer, sa.ForeignKey("x.id")))`
that autogenerate writes, `op.drop_column("t", "x_id")`, stops with MySQL's ERROR 1828 (Cannot
drop column 'x_id': needed in a foreign key constraint), MariaDB's ERROR 1553 (Cannot drop index
'x_id': ...): Alembic's add_column ran `ALTER TABLE t ADD FOREIGN KEY(x_id) REFERENCES x (id)`
(its offline SQL), which MySQL named `t_ibfk_1`.

A downgrade runs on the database its revision's upgrade left: the revisions before (in depth
order, branches agreeing) and this whole upgrade, as name_clashes reads them for the upgrade's
own drops, then the downgrade's steps before the drop. The same forgetting holds: a foreign key
of the table dropped by a name (MySQL's or a convention's may be this one), by reflection or a
loop (a name lint cannot read), `drop_constraint(None, ...)` (L310 says it cannot run), raw
DDL, a batch that rebuilds the table, a project helper acting on the table, or a drop under an
`if` lint cannot decide or in a `try`. Pure.
"""

from __future__ import annotations

from collections.abc import Iterator

from alembic_sentinel.lint.facts import Facts, Hit, LintOptions, op_hit
from alembic_sentinel.lint.name_clashes import (
    drop_column_under_foreign_key,
    drop_refused,
    exists_before,
    named_drops_forget,
)
from alembic_sentinel.lint.name_events import (
    ANY_NAME,
    ANY_SPACE,
    ANY_TABLE,
    FOREIGN_KEY,
    FORGET,
    UNNAMED,
    NameEvent,
    body_events,
    exists,
)
from alembic_sentinel.lint.revision_model import FunctionBody

# after every step of the upgrade
_UPGRADE_END = 1 << 30


def _downgrade_events(facts: Facts, body: FunctionBody) -> list[tuple[int, NameEvent]]:
    """(seq, event) of the downgrade, read once per revision; a project helper it calls
    (`drop_foreign_keys("t")`) may drop any name of the tables it acts on."""
    known = facts.memo.get("downgrade_name_events")
    if isinstance(known, list):
        return known
    found = body_events(body)
    for op in body.helper_operations:
        table = (op.table or "").lower() or ANY_TABLE
        found.append((op.seq, NameEvent(FORGET, ANY_SPACE, table, ANY_NAME)))
    found.sort(key=lambda item: item[0])
    facts.memo["downgrade_name_events"] = found
    return found


def column_dropped_under_foreign_key(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    """L341 in both directions: the upgrade's drops (name_clashes), then the downgrade's."""
    yield from drop_column_under_foreign_key(facts, options)
    yield from _downgrade_drops(facts, options)


def _downgrade_drops(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    body = facts.module.downgrade
    if body is None or body.always_raises or options.target.flavor not in ("mysql", "mariadb"):
        return
    uncertain = body.conditional | body.caught | body.swallowed
    for op in body.operations:
        column = (op.string("column_name") or "").lower()
        if op.name != "drop_column" or not op.table or not column:
            continue
        if op.seq in uncertain or op.rebuilt or op.spread:
            continue
        table = op.table.lower()
        name = UNNAMED + column
        # the database this revision's upgrade left, then the downgrade's steps before the drop
        after_upgrade = exists_before(
            facts, options, FOREIGN_KEY, table, name, _UPGRADE_END, read=named_drops_forget
        )
        if after_upgrade is not True:
            continue
        events = [event for seq, event in _downgrade_events(facts, body) if seq < op.seq]
        before = named_drops_forget(events)
        if any(e.covers(FOREIGN_KEY, table, name) for e in before) and (
            exists(before, FOREIGN_KEY, table, name) is not True
        ):
            continue
        yield op_hit(
            "L341",
            op,
            f"drop_column {table}.{column} in the downgrade: the column still has the foreign "
            f"key created without a name (this revision's upgrade or one before it), and "
            f"nothing dropped it since: {options.target} stops the downgrade with "
            f"{drop_refused(options, column)}",
            fix=f"drop the foreign key first (drop_constraint by the name the server gave it, "
            f"{table}_ibfk_<n> on MySQL: SHOW CREATE TABLE {table}), and name foreign keys "
            "when you create them",
        )
