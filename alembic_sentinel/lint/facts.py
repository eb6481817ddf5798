"""What a lint rule is given and what it yields: the options, one revision's indexed facts, hits.

Every rule module checks `Facts` under `LintOptions` and yields `Hit`s; `linter.py` runs them and
turns the hits into findings (suppressions, severities). Pure, like the rules: ast and
revision_model only, so the `alembic-lint` hook stays free of SQLAlchemy and Alembic.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import NamedTuple

from alembic_sentinel.lint.column_charset import declared_charset
from alembic_sentinel.lint.expressions import computed_name_pattern, type_spec
from alembic_sentinel.lint.history import (
    BYTES_PER_CHAR,
    CHARSET_BYTES,
    EMPTY_HISTORY,
    ColumnHistory,
    ColumnState,
    KeyMade,
    RevisionHistory,
)
from alembic_sentinel.lint.literals import is_none, string_value
from alembic_sentinel.lint.model_defaults import ApplicationCode
from alembic_sentinel.lint.naming_convention import DEFAULT_CONVENTION
from alembic_sentinel.lint.online_ddl import DEFAULT_TARGET, ServerVersion
from alembic_sentinel.lint.opaque_steps import WRITES_ROWS, first_touching
from alembic_sentinel.lint.revision_model import (
    DEFAULT_NONE,
    INTEGER,
    UNNAMED_TABLE,
    Assignment,
    ColumnSpec,
    Fill,
    InsertedRows,
    OpaqueStep,
    Operation,
    RevisionModule,
    TypeSpec,
    quoted_expression,
)
from alembic_sentinel.lint.sql_reader import CREATE_TABLE, SqlStatement
from alembic_sentinel.lint.table_definitions import CREATE
from alembic_sentinel.lint.table_presence import table_present

# a revision linted alone, outside any history
UNPLACED = sys.maxsize


class LintOptions(NamedTuple):
    target: ServerVersion = DEFAULT_TARGET
    # rule code -> "error" | "warning" | "notice" | "off"
    severities: Mapping[str, str] = MappingProxyType({})
    # the project's MetaData has a naming_convention (unnamed constraints get names then);
    # None: not known (lint read no metadata and no revision showed a convention's names)
    naming_convention: bool | None = False
    # the convention's string templates ("ix" -> "ix_%(column_0_label)s"), when lint read them
    # from the MetaData; None: not read (naming_convention says whether there is one)
    naming_templates: Mapping[str, str] | None = None
    # top-level import names that are the application's own code
    local_packages: frozenset[str] = frozenset()
    # where that code is, read for its ORM models' column defaults when a rule asks (L301:
    # model_defaults.py); None: not known (a revision linted without its project)
    application_code: ApplicationCode | None = None
    # the dotted name the migration environment's directory (env.py's) is imported by from the
    # project root, when it sits inside a package (`airflow.migrations`): its modules are
    # written for the revisions, not the application's code (L316); None: not inside one
    migration_package: str | None = None
    # the modules importing env.py loads (`from app import schemas`: app, app.schemas): an
    # import of one the revision never uses adds no dependency the migrations lack (L316)
    env_modules: frozenset[str] = frozenset()
    # what the revisions linted together show of tables and columns, each fact with its place
    # in the revision graph; only what comes before `position` counts for this revision
    history: RevisionHistory = EMPTY_HISTORY
    position: int = UNPLACED
    # the target is the default, no setting or URL chose it: what the revisions themselves show
    # of the server may decide it (lint_files: MariaDB-only syntax that ran, server_evidence.py)
    target_guessed: bool = False

    def convention_templates(self) -> Mapping[str, str] | None:
        """The templates names are made by; None: a convention lint cannot read."""
        if self.naming_templates is not None:
            return self.naming_templates
        if self.naming_convention is False:
            return DEFAULT_CONVENTION  # SQLAlchemy names unnamed indexes itself
        return None

    def column_seen(self, table: str, column: str) -> ColumnHistory:
        return self.history.column(table, column, self.position)

    def state_before(self, table: str, column: str) -> ColumnState:
        """What the revisions before this one leave the column as (NOT NULL, computed)."""
        return self.history.state_before(table, column, self.position)

    def nullability_stated_by(self, table: str, column: str) -> tuple[str, ...]:
        """The revisions before this one whose word on the column's nullability is the latest,
        when it is certain (RevisionHistory.nullability_stated_by)."""
        return self.history.nullability_stated_by(table, column, self.position)

    def column_absent(self, table: str | None, column: str | None) -> str | None:
        """Why the revisions before this one leave no such column (table_presence), if they
        do."""
        if not table or not column:
            return None
        return self.history.column_absent(table, column, self.position)

    def table_state(self, table: str) -> str | None:
        """What the revisions before this one leave the table as (table_presence.table_state)."""
        return self.history.table_state(table, self.position)

    def table_present(self, table: str) -> bool:
        """Whether the revisions before this one leave the table there (table_presence)."""
        return table_present(self.history.tables, table, self.position)

    def table_never_made(self, table: str | None) -> bool:
        """Whether no revision before this one touched the table (history.table_never_made)."""
        return bool(table) and self.history.table_never_made(table or "", self.position)

    def table_dropped(self, table: str | None) -> bool:
        """Whether the revisions before this one dropped the table for good."""
        return bool(table) and self.history.table_dropped(table or "", self.position)

    def charset(self, table: str | None) -> str | None:
        return self.history.charset(table, self.position) if table else None

    def charset_before(self, table: str | None) -> str | None:
        """The table's character set as the revisions before this one left it (a revision's
        own raw `CONVERT TO CHARACTER SET` is what `charset` reads)."""
        return self.history.charset(table, self.position - 1) if table else None

    def key_named(self, name: str, table: str | None = None) -> KeyMade | None:
        """What an earlier revision created under this index or unique key name (on `table`,
        when given), if any."""
        return self.history.key_named(name, self.position, table)

    def copied_earlier(self, table: str | None, column: str | None) -> bool:
        """Whether an earlier revision linted with this one copied the column's values."""
        return bool(table and column) and self.history.copied_before(
            table or "", column or "", self.position
        )

    def rows_moved_earlier(self, table: str | None) -> bool:
        """Whether an earlier revision linted with this one copied every row of the table into
        other tables, nothing writing the table since (RevisionHistory.moved_before)."""
        return bool(table) and self.history.moved_before(table or "", self.position)

    def no_null_left_earlier(self, table: str | None, column: str | None) -> bool:
        """Whether the revisions before this one leave the column with no NULL to fail a NOT
        NULL on: one filled every row (filled_earlier), or made the NOT NULL column nullable
        keeping its server default (RevisionHistory.loosened_with_default), nothing since
        writing the table's rows."""
        return self.filled_earlier(table, column) or (
            bool(table and column)
            and self.history.loosened_with_default(table or "", column or "", self.position)
        )

    def filled_earlier(self, table: str | None, column: str | None) -> bool:
        """Whether an earlier revision linted with this one filled the column in every row,
        with nothing between that could have left a NULL (RevisionHistory.filled_before)."""
        return bool(table and column) and self.history.filled_before(
            table or "", column or "", self.position
        )

    def types_before(self, table: str, column: str) -> list[TypeSpec]:
        """Every type the revisions before this one gave the column (RevisionHistory)."""
        return self.history.types_before(table, column, self.position)

    def texts_before(self, table: str, column: str) -> list[str]:
        """The string literals the revisions before this one write into the column."""
        return self.history.texts_before(table, column, self.position)

    def primary_key(self, table: str) -> frozenset[str] | None:
        """The primary key's columns the revisions before this one leave the table with."""
        return self.history.primary_key(table, self.position)

    def refers_before(self, table: str, column: str) -> frozenset[str]:
        """The "table.column"s foreign keys from the column refer to, as the revisions before
        this one leave them."""
        return self.history.refers_before(table, column, self.position)

    def unique_keys(self, table: str) -> list[frozenset[str]]:
        return self.history.keys(table, self.position)

    def bytes_per_char(self, table: str | None) -> int:
        """The most bytes a character of the table takes: utf8mb4's 4 unless a revision
        declared the table with another character set (utf8mb3: 3)."""
        charset = self.charset(table)
        return CHARSET_BYTES.get(charset, BYTES_PER_CHAR) if charset else BYTES_PER_CHAR


class Hit(NamedTuple):
    """A finding before suppressions and severities: its span is what a comment may cover."""

    code: str
    message: str
    line: int
    end_line: int
    severity: str | None = None  # None: the rule's
    fix: str | None = None  # None: the rule's
    subject: str = ""  # the table and object, when a grouped finding lists it ("" : its line)
    # the subjects of the other hits at its line it stands for (linter.merged_by_line), which a
    # grouped finding lists too
    merged_subjects: tuple[str, ...] = ()


def op_hit(
    code: str, op: Operation, message: str, fix: str | None = None, subject: str | None = None
) -> Hit:
    """A hit spanning the lines of `op`; its subject, unless given, the operation's table and
    named object."""
    if subject is None:
        named = op.string("column_name") or op.string("constraint_name") or op.string("index_name")
        subject = f"{table_of(op)}.{named}" if named else table_of(op)
    return Hit(code, message, op.line, op.end_line, fix=fix, subject=subject)


class Facts:
    """What the upgrade does, indexed once for the rules."""

    def __init__(self, module: RevisionModule, source: str | bytes | None = None) -> None:
        # what several rules compute from the same revision, computed once
        self.memo: dict[str, object] = {}
        # the file's text, when the caller has it: a rule whose forms need a word the text
        # lacks skips its walk of the syntax (None: every rule walks)
        self.source = source
        upgrade = module.upgrade
        self.module = module
        self.names = module.names
        self.upgrade_ops: tuple[Operation, ...] = upgrade.operations if upgrade else ()
        # the operations of upgrade() then downgrade()
        self.all_ops: tuple[Operation, ...] = tuple(all_operations(module))
        self.fills: tuple[Fill, ...] = upgrade.fills if upgrade else ()
        self.assignments: tuple[Assignment, ...] = upgrade.assignments if upgrade else ()
        self.inserted_rows: tuple[InsertedRows, ...] = upgrade.inserted_rows if upgrade else ()
        # what the upgrade does that lint cannot read (opaque_steps.py)
        self.opaque_steps: tuple[OpaqueStep, ...] = upgrade.opaque_steps if upgrade else ()
        self.created = {
            op.table for op in self.upgrade_ops if op.name == "create_table" and op.table
        }
        # and those SQLAlchemy creates from the file's definitions (table_definitions.py)
        self.created |= {
            table for _, kind, table in (upgrade.table_ddl if upgrade else ()) if kind == CREATE
        }
        # and those its raw SQL creates empty (round 39): `CREATE TABLE t (...)`, `CREATE TABLE
        # t LIKE u`; not one made with rows (`AS SELECT`), nor one `IF NOT EXISTS` may find
        # there already (a table the history has: nothing is created)
        raw_creations = [
            (fill.seq, statement.table)
            for fill in self.fills
            for statement in fill.statements
            if statement.kind == CREATE_TABLE
            and statement.table
            and not statement.with_rows
            and not statement.if_not_exists
        ]
        self.created |= {table for _, table in raw_creations}
        # (step, table) of each creation, by op.create_table, from the file's definitions or
        # in raw SQL
        self.creations: tuple[tuple[int, str], ...] = tuple(
            [
                (op.seq, op.table)
                for op in self.upgrade_ops
                if op.name == "create_table" and op.table
            ]
            + [
                (seq, table)
                for seq, kind, table in (upgrade.table_ddl if upgrade else ())
                if kind == CREATE
            ]
            + raw_creations
        )
        # the created tables' names in lowercase (raw SQL's are; an op's as written)
        self._created_lowered = {table.lower() for table in self.created}
        # tables created under a computed name ("shadow_" + name, in a loop over tables lint
        # cannot list): a table matching the name's literal parts may be one of them
        self.created_like = [
            pattern
            for op in self.upgrade_ops
            if op.name == "create_table" and not op.table
            for pattern in (computed_name_pattern(op.param("table_name")),)
            if pattern is not None
        ]
        # (table, column) -> the add_column and its column
        self.added: dict[tuple[str | None, str | None], tuple[Operation, ColumnSpec]] = {}
        # (table, column) -> its type as this revision writes it
        self.types: dict[tuple[str | None, str | None], TypeSpec] = {}
        # (table, column) -> the character set its type declares for MySQL (L312)
        self.column_charsets: dict[tuple[str | None, str | None], str | None] = {}
        for op in self.upgrade_ops:
            if op.name in ("create_table", "add_column"):
                for column in op.columns:
                    if op.name == "add_column":
                        self.added[(op.table, column.name)] = (op, column)
                    if column.type is not None:
                        self.types[(op.table, column.name)] = column.type
                        self.column_charsets[(op.table, column.name)] = column.charset
            elif op.name == "alter_column":
                type_node = op.param("type_")
                new_type = type_spec(type_node, self.names)
                if new_type is not None:
                    self.types[(op.table, op.string("column_name"))] = new_type
                    charset = declared_charset(type_node)
                    self.column_charsets[(op.table, op.string("column_name"))] = charset

    def is_new_table(self, table: str | None) -> bool:
        if table is None:
            return False
        lowered = table.lower()
        if table in self.created or lowered in self._created_lowered:
            return True
        return any(pattern.fullmatch(lowered) for pattern in self.created_like)

    def new_at(self, table: str | None, seq: int) -> bool:
        """Whether the table is one this upgrade made by step `seq` (that step may be its
        create_table itself), or one it makes under a computed name (whose order lint does not
        follow). is_new_table without the order: a table dropped and then created again under
        the same name (round 42) is the old table, rows and all, at every step before the
        create, so a drop or a key there meets its rows."""
        if table is None:
            return False
        lowered = table.lower()
        if any(created <= seq and name.lower() == lowered for created, name in self.creations):
            return True
        return any(pattern.fullmatch(lowered) for pattern in self.created_like)

    def created_before(self, table: str | None, seq: int) -> bool:
        """Whether this upgrade creates the table before step `seq`. A change made to it after
        that meets no state from before the revision: a column dropped from it loses only
        values this upgrade wrote (a temporary column), and dropping the table undoes it."""
        if table is None:
            return False
        lowered = table.lower()
        return any(created < seq and name.lower() == lowered for created, name in self.creations)

    def read_before(self, table: str | None, column: str | None, seq: int) -> Fill | None:
        """The first upgrade fill before `seq` that reads the column (its values copied), also
        as the key of an ORM relationship it reads (Fill.keys)."""
        if column is None:
            return None
        lowered = table.lower() if table else None
        wanted = {(lowered, column.lower()), (None, column.lower())}
        if lowered is not None:
            wanted.add((lowered, "*"))  # its rows read whole (row[0], a SELECT *)
        return next(
            (
                f
                for f in self.fills
                if f.seq < seq and not (wanted.isdisjoint(f.reads) and wanted.isdisjoint(f.keys))
            ),
            None,
        )

    def written_between(
        self,
        table: str | None,
        column: str,
        after: int,
        before: int,
        unread: bool = True,
        harmless: Callable[[Fill, str], bool] | None = None,
    ) -> bool:
        """Whether a fill between two upgrade steps may write the column (or, with `unread`,
        does not say what it writes); a fill `harmless` says of (fill, column) is not counted."""
        lowered = table.lower() if table else None
        wanted = {(lowered, column.lower()), (None, column.lower()), (lowered, "*")}
        for fill in self.fills:
            if harmless is not None and harmless(fill, column):
                continue
            if after < fill.seq < before and (
                (fill.opaque and unread) or not wanted.isdisjoint(fill.writes)
            ):
                return True
        return any(
            after <= a.seq < before
            and a.column.lower() == column.lower()
            and (a.table is None or table is None or a.table.lower() == lowered)
            for a in self.assignments
        )

    def emptied_before(self, table: str | None, seq: int) -> bool:
        """Whether a fill before `seq` deletes every row of the table (`DELETE FROM t` with no
        WHERE, `TRUNCATE t`, `t.delete()`, `session.query(T).delete()`): nothing is left in it
        for a later drop of a column to lose."""
        lowered = table.lower() if table else None
        return lowered is not None and any(
            fill.seq < seq and lowered in fill.emptied for fill in self.fills
        )

    def unread_before(
        self, table: str | None, before: int, after: int = 0, writes: bool = False
    ) -> OpaqueStep | None:
        """The first step of the upgrade between two others that lint cannot read and that may
        copy rows of `table` (a table lint cannot name counts; with `writes`, one that may
        only write them, as SQL whose reads lint knows): the fill or copy a rule finds missing
        may be that step (opaque_steps.py). A step that names only other tables, or can only
        make a change of its own kind (an operation on a table named at run time), is not."""
        effects = frozenset({WRITES_ROWS}) if writes else frozenset()
        return first_touching(self.opaque_steps, table, after, before, effects)

    def added_empty(self, table: str | None, column: str, before: int) -> Operation | None:
        """The add_column of this upgrade that left `column` NULL in every existing row, when
        nothing may have written it since (before `before`)."""
        added = self.added.get((table, column))
        if added is None or added[0].seq >= before:
            return None
        op, spec = added
        if spec.not_null or spec.server_default not in (None, DEFAULT_NONE) or spec.generated:
            return None
        if self.written_between(table, column, op.seq, before):
            return None
        return op


# a rule: the facts of one revision and the options in, its hits out
Check = Callable[[Facts, LintOptions], Iterator[Hit]]


SQL_TABLE = "(a table the SQL does not name)"


def table_of(op: Operation) -> str:
    """The table of messages (Operation.table_label)."""
    return op.table_label()


def object_name(op: Operation, *params: str) -> str:
    """The name of the object an operation is about: the literal, the expression that computes
    it quoted ("named by `fk.name`"; too long to quote, "(a name computed at run time)"), or
    "(unnamed)" when none is given."""
    for param in params:
        literal = op.string(param)
        if literal:
            return literal
        node = op.param(param)
        if node is not None and not is_none(node):
            return quoted_expression("named by", node) or "(a name computed at run time)"
    return "(unnamed)"


def column_label(op: Operation, column: str | None) -> str:
    """The "table.column" of messages. A part the operation does not name is quoted as the
    expression naming it ("`col` of the table `t.name`") or said in words, once: "table.column"
    is only written with both names known (a phrase joined by a dot does not read)."""
    if op.table and column:
        return f"{op.table}.{column}"
    named = column or quoted_expression("", op.params.get("column_name"))
    if op.table is None and named is None and table_of(op) == UNNAMED_TABLE:
        return "(a column of a table, both named by variables)"
    table = op.table or table_of(op)
    if table == UNNAMED_TABLE:
        table = "a table named by a variable"
    return f"{(named or '(a column named by a variable)').strip()} of {table}"


def all_operations(module: RevisionModule) -> Iterator[Operation]:
    """The operations of upgrade() then downgrade()."""
    for name in ("upgrade", "downgrade"):
        body = module.functions.get(name)
        if body is not None:
            yield from body.operations


def literal_bool(node: ast.expr | None) -> bool | None:
    """True or False when the argument is that literal, else None."""
    if type(node) is ast.Constant and type(node.value) is bool:
        return node.value
    return None


def auto_increment(column: ColumnSpec, rebuilt: bool = False) -> bool:
    """Whether the server numbers the column itself (SQLAlchemy's autoincrement rules): only a
    primary-key column is the table's autoincrement column, numbered unless
    autoincrement=False (a type lint cannot read counts when autoincrement=True says so).
    autoincrement=True on a column that is no key makes SQLAlchemy write no AUTO_INCREMENT (no
    SERIAL either): `add_column(sa.Column("id", sa.Integer, autoincrement=True,
    nullable=False))` is `ADD COLUMN id INTEGER NOT NULL`, every existing row 0 on MySQL (round
    38). In a batch that rebuilds the table (`rebuilt`) the new table's key may take the column:
    autoincrement=True is believed there."""
    integer = column.type is not None and column.type.family == INTEGER
    if column.primary_key:
        return column.autoincrement is True or (integer and column.autoincrement is not False)
    return rebuilt and column.autoincrement is True


def raw_sql(facts: Facts) -> Iterator[tuple[Fill, SqlStatement]]:
    """Each raw SQL statement the upgrade runs, with its fill."""
    for fill in facts.fills:
        for statement in fill.statements:
            yield fill, statement


def sql_text(op: Operation) -> str | None:
    """The literal SQL of an op.execute (sa.text included), else None."""
    node = op.param("sqltext")
    if type(node) is ast.Call and node.args:
        node = node.args[0]  # sa.text("...")
    return string_value(node) if node is not None else None
