"""Foreign keys between columns InnoDB will not link (L335; issue 20, round 34).

InnoDB links a foreign key only between columns of like types: integers of one size and one
sign, strings with strings. MySQL 8.0 refuses anything else (ERROR 3780, Referencing column ...
and referenced column ... in foreign key ... are incompatible, the MySQL manual), MariaDB with
ERROR 1005 errno 150 (Foreign key constraint is incorrectly formed), checked on MariaDB 10.11:
INT to BIGINT, SMALLINT to TINYINT, INT to INT UNSIGNED, VARCHAR to INT and INT to VARCHAR are
refused, with foreign_key_checks=0 too; VARCHAR(50) to VARCHAR(20), VARCHAR to CHAR, BOOL to
TINYINT and INT(11) to INT are linked. The foreign keys read: a column's `sa.ForeignKey(...)`
and a one-column `sa.ForeignKeyConstraint` of create_table, add_column's column's, and
create_foreign_key's columns pair by pair. Each type is the one its statement gives, else the
one the upgrade's steps before it and the revisions before this one leave the column with
(column_state.type_at); a type lint cannot read, a TypeDecorator it cannot follow, a table the
upgrade dropped or made in raw SQL before: not known, not reported. Character sets are not
compared (the history does not keep a column's). Upgrade steps only.

Pure: revision_model, the history and this module's rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import NamedTuple

from alembic_sentinel.lint.column_state import type_at
from alembic_sentinel.lint.facts import Facts, Hit, LintOptions, op_hit
from alembic_sentinel.lint.literals import string_list
from alembic_sentinel.lint.revision_model import (
    BOOLEAN,
    INTEGER,
    STRING,
    ColumnSpec,
    Operation,
    TypeSpec,
)
from alembic_sentinel.lint.sql_reader import CREATE_TABLE, DROP_TABLE
from alembic_sentinel.lint.type_rules import INTEGER_BYTES

_INTEGER_NAMES: Mapping[int, str] = MappingProxyType(
    {1: "TINYINT", 2: "SMALLINT", 3: "MEDIUMINT", 4: "INT", 8: "BIGINT"}
)


class Mismatch(NamedTuple):
    """A foreign key of `op` whose column's type InnoDB will not link to the referred one's."""

    op: Operation
    table: str
    column: str
    column_type: str  # as MySQL names it: "INT", "BIGINT UNSIGNED", "VARCHAR"
    referred: str  # "table.column"
    referred_type: str


def _mysql_kind(spec: TypeSpec) -> str | None:
    """The type as InnoDB compares it for a foreign key, as MySQL names it; None when lint
    does not know it for sure (a type of another family, an unsigned= it cannot read)."""
    if spec.family in (INTEGER, BOOLEAN):
        size = INTEGER_BYTES.get(spec.name)
        if size is None or spec.unsigned is None:
            return None
        return _INTEGER_NAMES[size] + (" UNSIGNED" if spec.unsigned else "")
    if spec.family == STRING:
        return "VARCHAR"  # CHAR and VARCHAR of any length link (checked on MariaDB 10.11)
    return None


def _incompatible(one: str, other: str) -> bool:
    """Whether InnoDB refuses to link columns of the two kinds (_mysql_kind)."""
    return one != other


def _referred(target: str) -> tuple[str, str] | None:
    """(table, column) of a "table.column" target; None with a schema or without a column."""
    parts = target.split(".")
    return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None


def _pairs(op: Operation) -> Iterator[tuple[str, TypeSpec | None, str, str]]:
    """(column, its type when the statement gives it, referred table, referred column)
    of each one-column link the operation declares."""
    if op.name in ("create_table", "add_column"):
        by_name = {c.name.lower(): c for c in op.columns if c.name}
        for spec in op.columns:
            for fk in spec.foreign_keys:
                found = _referred(fk.target or "")
                if spec.name and found:
                    yield spec.name, spec.type, found[0], found[1]
        for constraint in op.constraints:
            found = _referred(constraint.target or "")
            if constraint.kind == "foreign_key" and found and len(constraint.columns) == 1:
                column = constraint.columns[0]
                own: ColumnSpec | None = by_name.get(column.lower())
                declared = own.type if own is not None else None
                yield column, declared, found[0], found[1]
    elif op.name == "create_foreign_key":
        local = string_list(op.param("local_cols")) or ()
        remote = string_list(op.param("remote_cols")) or ()
        referent = op.string("referent_table")
        if referent and len(local) == len(remote):
            for column, referred in zip(local, remote):
                yield column, None, referent.lower(), referred.lower()


def _remade_before(facts: Facts, table: str, seq: int) -> bool:
    """Whether the upgrade drops the table, or makes it in raw SQL, before step `seq`: what
    the revisions before said of its columns may no longer hold (a create_table op states its
    columns again)."""
    if any(
        o.seq < seq and o.name == "drop_table" and (o.table or "").lower() == table
        for o in facts.upgrade_ops
    ):
        return True
    return any(
        fill.seq < seq and statement.kind in (CREATE_TABLE, DROP_TABLE) and statement.table == table
        for fill in facts.fills
        for statement in fill.statements
    )


def _type_of(
    facts: Facts, options: LintOptions, op: Operation, table: str, column: str
) -> TypeSpec | None:
    """The column's type just before `op`: its own create_table's column for a table that
    refers to itself, else the steps and revisions before (type_at)."""
    if op.name == "create_table" and (op.table or "").lower() == table:
        return next(
            (c.type for c in op.columns if c.name and c.name.lower() == column.lower()), None
        )
    if _remade_before(facts, table, op.seq):
        return None
    return type_at(facts, options, table, column, op.seq)


def fk_type_mismatches(facts: Facts, options: LintOptions) -> list[Mismatch]:
    """The upgrade's foreign keys whose columns InnoDB will not link, read once per revision;
    [] when the file names no foreign key."""
    known = facts.memo.get("fk_type_mismatches")
    if isinstance(known, list):
        return known
    found: list[Mismatch] = []
    source = facts.source
    named = source is None or (
        b"oreign" in source if isinstance(source, bytes) else "oreign" in source
    )
    for op in facts.upgrade_ops if named else ():
        if op.name not in ("create_table", "add_column", "create_foreign_key") or op.spread:
            continue
        table = (op.table or "").lower()
        for column, declared, ref_table, ref_column in _pairs(op) if table else ():
            own = declared or _type_of(facts, options, op, table, column)
            other = _type_of(facts, options, op, ref_table, ref_column)
            own_kind = _mysql_kind(own) if own is not None else None
            other_kind = _mysql_kind(other) if other is not None else None
            if own_kind and other_kind and _incompatible(own_kind, other_kind):
                found.append(
                    Mismatch(op, table, column, own_kind, f"{ref_table}.{ref_column}", other_kind)
                )
    facts.memo["fk_type_mismatches"] = found
    return found


def refused_link(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether the server refuses the operation's statement for a foreign key L335 reports:
    it takes no lock and copies nothing (L314), names nothing (L311)."""
    if options.target.flavor not in ("mysql", "mariadb"):
        return False
    return any(m.op is op for m in fk_type_mismatches(facts, options))


# L335


def foreign_key_types(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    error = (
        "ERROR 1005 errno 150 (Foreign key constraint is incorrectly formed)"
        if options.target.flavor == "mariadb"
        else "ERROR 3780 (referencing and referenced columns are incompatible)"
    )
    for m in fk_type_mismatches(facts, options):
        yield op_hit(
            "L335",
            m.op,
            f"{m.op.name} {m.table}: the foreign key from {m.table}.{m.column} ({m.column_type}) "
            f"to {m.referred} ({m.referred_type}) links columns of unlike types, which InnoDB "
            f"refuses: {options.target} stops the migration with {error}",
            fix=f"give {m.table}.{m.column} the type of {m.referred} ({m.referred_type}), "
            "or alter one of them first so that both match in size and sign",
            subject=f"foreign key {m.table}.{m.column}",
        )
