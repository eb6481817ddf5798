"""What a revision file does, as data: operations, fills, columns, tables, imports.

The lint rules read this model; `revision_reader` builds it from the syntax of one file
(`expressions` reads the single expressions: types, columns, defaults, constraints).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from alembic_sentinel.lint.literals import Names, string_value
from alembic_sentinel.lint.project_modules import ImportedFunctions
from alembic_sentinel.lint.reflected_keys import ReflectedKeys
from alembic_sentinel.lint.sql_reader import ColumnRef, SqlStatement

UPGRADE = "upgrade"
DOWNGRADE = "downgrade"

# type families: what a rule needs to know about a column type
STRING = "string"  # VARCHAR / CHAR: a length in characters
TEXT = "text"
BLOB = "blob"
JSON = "json"
INTEGER = "integer"
BOOLEAN = "boolean"
NUMERIC = "numeric"
DATETIME = "datetime"
DATE = "date"
TIME = "time"
ENUM = "enum"

# server_default kinds
DEFAULT_NONE = "none"  # server_default=None
DEFAULT_LITERAL = "literal"  # rendered as DEFAULT 'x' / DEFAULT 0
DEFAULT_EXPRESSION = "expression"  # rendered in parentheses: DEFAULT (...)
DEFAULT_UNKNOWN = "unknown"  # a variable or anything else not readable here


class TypeSpec(NamedTuple):
    """A column type as written: `sa.String(length=100)` -> ("String", "string", length=100)."""

    name: str
    family: str
    length: int | None = None
    values: tuple[str, ...] | None = None  # Enum values, when written as literals
    precision: int | None = None
    scale: int | None = None
    display_width: int | None = None  # mysql.TINYINT(display_width=1): MySQL's BOOL
    # an Enum given native_enum=False: a VARCHAR (and CHECK) on MySQL, not an ENUM
    non_native: bool = False
    # a MySQL integer's unsigned=True (False: not given, signed; None: not a literal)
    unsigned: bool | None = False

    def __str__(self) -> str:
        if self.values is not None:
            return f"{self.name}({', '.join(repr(v) for v in self.values)})"
        params = [str(p) for p in (self.length, self.precision, self.scale) if p is not None]
        return f"{self.name}({', '.join(params)})" if params else self.name


class ConstraintSpec(NamedTuple):
    """A constraint or index declared in `create_table` / on a `Column`."""

    kind: str  # "foreign_key" | "unique" | "check" | "primary_key" | "index"
    named: bool  # a name other than None is given (perhaps a variable)
    name: str | None  # the name, when it is a literal (or op.f("literal"))
    columns: tuple[str, ...]
    line: int
    end_line: int
    unique: bool = False  # an Index(..., unique=True)
    lengths: ast.expr | None = None  # an Index's mysql_length= (prefix lengths)
    # a column's sa.ForeignKey("users.id"): the table it refers to ("users"), when a literal
    refers: str | None = None
    # the one column a foreign key refers to, "table.column" lowercase (`sa.ForeignKey(
    # "users.id")`, a one-column ForeignKeyConstraint's), when literal
    target: str | None = None
    # a foreign key's use_alter=True (None: not a literal): create_table's CREATE TABLE leaves
    # it out on MySQL and PostgreSQL (metadata.create_all adds it by a later ALTER; Alembic's
    # create_table does not), add_column adds it all the same (round 34)
    use_alter: bool | None = False
    # the name is given through op.f("x") / conv("x"): final, no naming_convention expands it
    final: bool = False


class ColumnSpec(NamedTuple):
    """`sa.Column("name", sa.String(100), nullable=False, ...)`, read as far as literals go."""

    name: str | None
    type: TypeSpec | None
    nullable: bool | None = None  # None: not given (or not a literal)
    primary_key: bool = False
    server_default: str | None = None  # None: not given; else a DEFAULT_* kind
    server_default_node: ast.expr | None = None
    unique: bool = False
    indexed: bool = False  # index=True
    autoincrement: bool | None = None  # None: not given, or "auto"
    generated: bool = False  # Computed / Identity: the server fills it
    stored: bool = False  # Computed(..., persisted=True): a STORED generated column
    computed: bool = False  # Computed(...): values the server computes, none of its own
    foreign_keys: tuple[ConstraintSpec, ...] = ()
    line: int = 0
    end_line: int = 0
    # the character set its type declares for MySQL (charset= / collation=, a MySQL variant's
    # included); None: the table's
    charset: str | None = None
    # the value the application writes when an INSERT leaves the column out (`default=0`,
    # SQLAlchemy's client-side default); None: not given
    default_node: ast.expr | None = None

    @property
    def not_null(self) -> bool:
        return self.nullable is False or (self.nullable is None and self.primary_key)


class TableModel(NamedTuple):
    """A table described inside the revision: an ORM class, `sa.table()` or `sa.Table()`."""

    variable: str
    table: str | None
    columns: Mapping[str, ColumnSpec]  # by attribute name and by column name
    orm: bool  # an ORM class: its instances carry the columns as attributes
    line: int
    # a name computed from literal parts and values (`prefix + "_specs"`): the regular
    # expression of the names it can take, when `table` is None
    name_like: str | None = None


class Operation(NamedTuple):
    """One `op.X(...)` or `batch_op.X(...)` call."""

    name: str
    table: str | None  # a literal table name, or the batch_alter_table's
    args: tuple[ast.expr, ...]
    keywords: Mapping[str, ast.expr]
    params: Mapping[str, ast.expr]  # arguments bound to Alembic's parameter names
    extra: tuple[ast.expr, ...]  # positional arguments past the signature (create_table's)
    batch: bool
    line: int
    end_line: int
    seq: int  # position among this function's operations and fills
    columns: tuple[ColumnSpec, ...] = ()  # add_column's column, create_table's columns
    constraints: tuple[ConstraintSpec, ...] = ()  # create_table's table-level constraints
    spread: bool = False  # called with *args or **kwargs: some parameters are not visible
    # in a batch_alter_table(recreate="always"): Alembic builds a new table from the reflected
    # (or copy_from) one and copies the rows; it writes no ALTER TABLE ... CHANGE / MODIFY
    rebuilt: bool = False
    # a drop named by a reflection loop (`for fk in insp.get_foreign_keys("t"):
    # op.drop_constraint(fk["name"], "t", ...)`): the keys of that kind on that table
    reflected: ReflectedKeys | None = None
    # a table named by parts one of which is not known (`prefix + "t"`), as sql_templates
    # writes it: the same text as that name in a `.format()` / `%` SQL template
    computed_table: str | None = None

    def param(self, name: str) -> ast.expr | None:
        return self.params.get(name)

    def string(self, name: str) -> str | None:
        """The parameter as a literal string (op.f("x") included), else None."""
        node = self.params.get(name)
        return string_value(node) if node is not None else None

    def table_label(self) -> str:
        """The table, for messages: its name; the expression naming it at run time, quoted
        ("the table `fk.parent.table.name`"); else said in words."""
        if self.table:
            return self.table
        for param in ("table_name", "source_table", "table"):
            node = self.params.get(param)
            if node is not None:
                return quoted_expression("the table", node) or UNNAMED_TABLE
        return UNNAMED_TABLE


UNNAMED_TABLE = "(a table named by a variable)"


def quoted_expression(words: str, node: ast.expr | None) -> str | None:
    """`words` and an expression's source in backquotes, when it is no literal and short
    enough to read."""
    if node is None or type(node) is ast.Constant:
        return None
    text = ast.unparse(node)
    return f"{words} `{text}`" if len(text) <= 60 else None


# the mark of a read from a table named by a computed name (see Fill.reads)
LIKE = "~"


def reads_table(ref_table: str | None, table: str) -> bool:
    """Whether a read's table (Fill.reads) is `table` (lowercase): the same name, or a computed
    name whose literal parts it matches."""
    if ref_table is None:
        return False
    if ref_table.startswith(LIKE):
        return re.fullmatch(ref_table[len(LIKE) :], table) is not None
    return ref_table == table


class OpaqueStep(NamedTuple):
    """One step lint could not read (lint/opaque_steps.py says which kinds and why)."""

    kind: str
    seq: int
    line: int
    end_line: int
    # the tables (lowercase) it may touch, a computed name as reads_table's pattern; None: any
    tables: frozenset[str] | None
    # the kinds of change it can make, in downgrade_rules' key vocabulary; None: anything
    effects: frozenset[str] | None = None
    # the object (column, index, constraint) an OPERATION names, when that part is literal
    names: frozenset[str] | None = None
    what: str = ""  # how messages and tests name it: "copy_rows(...)", "SQL in `query`"
    # the kind of key an OPERATION makes or drops ("foreignkey", "unique", "check",
    # "primary", "index"), when known
    key_kind: str | None = None

    @property
    def arbitrary(self) -> bool:
        """Whether it may do anything, rows written or copied included."""
        return self.effects is None

    def may_touch(self, table: str | None) -> bool:
        """Whether it may touch `table` (None: a table lint cannot name, which it may be)."""
        if self.tables is None or table is None:
            return True
        lowered = table.lower()
        return any(reads_table(name, lowered) for name in self.tables)


class Fill(NamedTuple):
    """A statement that reads or writes rows, and what it is known to read and write."""

    kind: str  # what it is, e.g. "op.execute", "session.flush", "attribute assignment"
    line: int
    end_line: int
    seq: int
    # (table or None when it cannot be told, column), lowercase; "*" for every column; a table
    # named by a computed name is LIKE followed by the regular expression of the names it can take
    reads: frozenset[ColumnRef] = frozenset()
    writes: frozenset[ColumnRef] = frozenset()
    opaque: bool = False  # it may read or write what the syntax does not show (SQL in a variable)
    statements: tuple[SqlStatement, ...] = ()  # its raw SQL, read
    sql: str | None = None  # its raw SQL as written, when it is a literal
    # tables whose every row it deletes (`DELETE FROM t`, `TRUNCATE t`, `t.delete()` and
    # `session.query(T).delete()` with no filter), lowercase
    emptied: frozenset[str] = frozenset()
    # the foreign-key columns of the ORM relationships it reads (`customer.contact.email`
    # reads `customer.contact_id`, orm_relations.relationship_keys): their values are read
    # (L305), though no row of their table is copied for it (L304 reads only `reads`)
    keys: frozenset[ColumnRef] = frozenset()


class Assignment(NamedTuple):
    """A value a data fill writes into a column: `obj.col = v`, `.values(col=v)`, ..."""

    model: TableModel | None
    table: str | None
    column: str
    value: ast.expr
    via: str
    line: int
    end_line: int
    seq: int
    in_loop: bool = False  # written once per pass of a loop (per row, usually)
    # a value of a row it inserts (`Model(...)`, `insert().values()`, `bulk_insert`), not one
    # written into the rows already there
    new_row: bool = False
    # the `.where(...)` clauses of the Core statement that writes it (`t.update().values(c=
    # o.c.id).where(o.c.name == t.c.name)`): what matches another table's row to each row
    where: tuple[ast.expr, ...] = ()
    # set on each row a loop walks over every row of its table (`for row in
    # session.query(C).all(): row.c = v`): the write reaches every row (row_fills, round 41)
    every_row: bool = False
    # the seq of the fill of the rows a loop walks, when the write runs once in every pass of
    # that loop (a Core `.values()` under no `if` of the body, no pass left early): row_fills
    # reads it as a per-row fill when the loop walks every row of the written table (round r40)
    walked: int | None = None


class InsertedRows(NamedTuple):
    """The rows one INSERT the syntax shows puts into a table (a Core `t.insert().values(...)`,
    with a list or comprehension of dicts too, or executed with parameters; `op.bulk_insert`):
    for each row, the columns it names with a value other than None; None when lint cannot
    read them (rows held in a variable, a comprehension of something else)."""

    table: str | None  # lowercase; None when the syntax cannot tell
    seq: int
    line: int
    rows: tuple[frozenset[str], ...] | None


class HelperDeduplication(NamedTuple):
    """A call to a function of the project's own modules that looks for duplicate rows, or is
    named for removing them (lint/deduplications.py): a unique key after it may be safe."""

    seq: int  # the call's last step
    tables: frozenset[str]  # the tables lint read its statements touch, lowercase
    # the column sets its duplicate searches group by (`GROUP BY a HAVING COUNT(*) > 1`)
    searches: tuple[frozenset[str], ...]
    says_so: bool  # its name says it de-duplicates, or its SQL deletes rows matching another


class KeyedMove(NamedTuple):
    """A Core UPDATE of one column to a literal, run once per parameter row, each row a
    query's row chosen by the values of that column."""

    table: str  # lowercase
    column: str  # lowercase, the column the UPDATE writes
    value: str | None  # the literal it writes
    selected: frozenset[str]  # the column's values the query chose the rows by
    line: int  # the execute call's


class FunctionBody(NamedTuple):
    name: str
    line: int
    end_line: int
    operations: tuple[Operation, ...]
    fills: tuple[Fill, ...]
    assignments: tuple[Assignment, ...]
    empty: bool  # only `pass`, `...` and a docstring
    # reaches a `raise` whatever runs before it (one of its own statements, or a branch the
    # target's dialect decides): it never completes, a deliberately irreversible downgrade
    # (what Alembic generated below a `raise NotImplementedError` is never run, nor read)
    always_raises: bool
    commented: bool = False  # empty, with a comment saying why ("# backfill removed")
    comments: str = ""  # an empty function's comments, their text joined (what they say)
    # a downgrade that does something: each of its comment blocks and each message it prints
    # or logs (lint/spoken_remarks.py), where it may say what it leaves undone on purpose
    remarks: tuple[str, ...] = ()
    # (seq, table) of tables a function of another module recreates from a definition given
    # here (the table's name and its primary key): every change to them is undone
    rebuilt_tables: tuple[tuple[int, str], ...] = ()
    docstring: str | None = None  # the function's own docstring
    # operations of the project's own helper functions it calls (`drop_columns("t", "a")`),
    # at the call's line: never reported, but they undo what an upgrade did (L319)
    helper_operations: tuple[Operation, ...] = ()
    # the column values those helpers write (`obj.uuid = uuid4()` per row), at the call's line
    helper_assignments: tuple[Assignment, ...] = ()
    # calls that can never run (`op.drop_constraint(None, ...)`) in a `try` body after one
    # that always raised: never run, still reported by L310
    unreached_operations: tuple[Operation, ...] = ()
    # seqs of operations that always raise in a `try` body, whose handler swallows the error:
    # they change nothing, ever
    swallowed: frozenset[int] = frozenset()
    # (seq, "create" / "drop", table) of tables SQLAlchemy's own DDL creates or drops from the
    # file's definitions (`metadata.create_all(bind, tables=[...])`, `t.drop(bind)`)
    table_ddl: tuple[tuple[int, str, str], ...] = ()
    # what it does that lint cannot read (lint/opaque_steps.py), in order: a missing piece a
    # rule looks for may be one of them
    opaque_steps: tuple[OpaqueStep, ...] = ()
    # the rows its INSERTs put into tables, as far as the syntax shows them (L301)
    inserted_rows: tuple[InsertedRows, ...] = ()
    # calls to functions of the project's own modules that remove duplicate rows (L309)
    helper_deduplications: tuple[HelperDeduplication, ...] = ()
    # seqs of its operations under an `if` lint cannot decide (`if has_table("t"):`): they
    # may not run
    conditional: frozenset[int] = frozenset()
    # seq -> the string literals the tests of the undecided `if`s around it name, lowercase
    # (`if "guests" in inspector.get_table_names():` -> guests)
    guards: Mapping[int, frozenset[str]] = MappingProxyType({})
    # (the words its test reads, lowercase; seqs of the operations after it) of each `if
    # <schema test>: return` followed by code: read as running; returned_rests.py makes them
    # conditional when the history answers the test (round r40)
    returned_rests: tuple[tuple[str, frozenset[int]], ...] = ()
    # seqs of its operations in a branch only MariaDB takes (`if dialect.name == "mariadb":`,
    # after `if dialect.name != "mariadb": return`), kept on a MySQL target, which lint reads
    # as either server: they do not run on MySQL itself (L333)
    mariadb_only: frozenset[int] = frozenset()
    # seqs of its operations whose error a handler catches (a `try` body with an `except`,
    # `with suppress(...)`): refused, they do not stop the migration (L333, L334)
    caught: frozenset[int] = frozenset()
    # Core UPDATEs run once per parameter row, the rows a query chose by the written column's
    # values (keyed_moves.py, L308)
    keyed_moves: tuple[KeyedMove, ...] = ()
    # the same two for its raw SQL: the lines of the fills in such a branch or handler (L333)
    mariadb_only_fills: frozenset[int] = frozenset()
    caught_fills: frozenset[int] = frozenset()
    # (seq, table, tables written) of each loop over every row of a table whose body writes
    # rows of other tables: a copy of the table's rows (moved_rows.py, L304 through history)
    row_moves: tuple[tuple[int, str, frozenset[str]], ...] = ()

    def fills_between(self, after: int, before: int) -> list[Fill]:
        return [fill for fill in self.fills if after < fill.seq < before]


class ImportRef(NamedTuple):
    module: str  # the absolute module imported from, e.g. "orm.election"
    line: int
    end_line: int
    # the names a `from module import a, b` takes (a submodule among them is its own import)
    names: tuple[str, ...] = ()


class ModuleCall(NamedTuple):
    """An `op.*` or `*.get_bind()` call that runs when the module is imported."""

    call: str  # e.g. "op.get_bind"
    line: int
    end_line: int
    # inside a `try` that swallows the NameError Alembic raises outside a migration, binding
    # names no running code reads (lint.import_time_guards): dead code, harmless at import
    guarded_unused: bool = False


class RevisionModule(NamedTuple):
    docstring: str | None
    docstring_line: int | None
    down_revisions: tuple[str, ...]
    imports: tuple[ImportRef, ...]
    module_calls: tuple[ModuleCall, ...]
    functions: Mapping[str, FunctionBody]
    tables: Mapping[str, TableModel]  # every inline table, by variable (later ones win)
    names: Names
    # a base revision (down_revision = None) or one that opens a branch (branch_labels): an
    # anchor, empty by design
    branch_anchor: bool = False
    revision_id: str | None = None  # `revision = "..."`
    depends_on: tuple[str, ...] = ()  # `depends_on = "..."`: revisions this one must follow
    # (engine, first line, last line) of each function an upgrade()/downgrade() dispatches to
    # by name (Alembic's multi-database template: `upgrade_engine1()` is engine "engine1")
    engines: tuple[tuple[str, int, int], ...] = ()
    # column sets (lowercase) the revision groups by to count duplicates (GROUP BY ... HAVING
    # COUNT(*) > 1 in SQL, .group_by(...).having(count > 1) in Core or ORM)
    duplicate_checks: tuple[frozenset[str], ...] = ()
    # "upgrade" / "downgrade" when the module binds the name by something lint does not read
    # (an import, an assignment, a `def` under a module-level `if` or `try`): the function
    # Alembic runs may not be the `def` read here, or there may be one where none was read
    rebound: frozenset[str] = frozenset()
    # the project modules the file imports, read when a rule asks (None: file not on disk)
    project: ImportedFunctions | None = None
    # module-level names bound to a literal True / False (their last binding): a flag an
    # operation may be given (`if_exists=IF_EXISTS`)
    booleans: Mapping[str, bool] = MappingProxyType({})

    @property
    def is_merge(self) -> bool:
        return len(self.down_revisions) > 1

    @property
    def upgrade(self) -> FunctionBody | None:
        return self.functions.get(UPGRADE)

    @property
    def downgrade(self) -> FunctionBody | None:
        return self.functions.get(DOWNGRADE)
