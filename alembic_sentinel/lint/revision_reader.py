"""A revision file as what it does: the `op.*` operations and data fills of each function.

The lint rules ask questions such as "is this NOT NULL column added to a table this revision
did not create?" or "was anything filled between adding the column and making it NOT NULL?".
This module answers from the syntax alone: one `ast.parse` and one walk per file, nothing
imported or executed (the hook runs without the project's packages, and must stay fast).

What is modelled:

- every `op.X(...)` call, and every `batch_op.X(...)` inside `with op.batch_alter_table("t")
  as batch_op:` (its table taken from the `with`), in source order, its arguments bound to
  Alembic's parameter names;
- data fills (`op.execute`, `bind.execute`, `session.query/add/flush/...`, `sa.update(...)`,
  attribute assignments in loops, ...) in the same order, so a rule can ask whether one
  happened between two operations;
- the values a fill assigns to columns of tables described inline (an ORM class frozen in
  the revision, `sa.table()` / `sa.Table()`), with the column types those describe;
- module-level imports, calls and docstring, and whether the revision is a merge.

Names are resolved through the file's imports and aliases (`import sqlalchemy as db`,
`db = sa`, `from sqlalchemy import Column`, `from sqlalchemy.dialects import mysql`).

Longer than 500 lines for a reason: `_FunctionReader` is one walk over a function body that
records operations, fills and assignments in source order; split, the walk would be spread over
modules that each need the others' state.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import cast

from alembic_sentinel.lint.built_lists import BuiltLists, extra_arguments, spread_arguments
from alembic_sentinel.lint.column_charset import MYSQL_DIALECTS
from alembic_sentinel.lint.constant_values import sequence_node
from alembic_sentinel.lint.core_reads import (
    COLUMN_COLLECTIONS,
    comprehension_strings,
    getattr_columns,
    with_bound_names,
)
from alembic_sentinel.lint.deduplications import (
    deduplications,
    duplicate_checks,
    helper_deduplication,
    python_grouping,
)
from alembic_sentinel.lint.dialect_tests import MYSQL_FAMILY, DialectTests
from alembic_sentinel.lint.dialect_values import decided_call
from alembic_sentinel.lint.expressions import (
    column_spec,
    constraint_spec,
    is_docstring,
    is_nothing,
    type_spec,
)
from alembic_sentinel.lint.held_statements import is_statement
from alembic_sentinel.lint.import_time_guards import unused_guarded_calls
from alembic_sentinel.lint.key_finders import key_finder, picked_key
from alembic_sentinel.lint.keyed_moves import keyed_moves
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literal_dicts import (
    dict_items,
    is_literal_dict,
    keyword_dict,
    returned_literal,
    spread_keywords,
)
from alembic_sentinel.lint.literals import (
    Names,
    is_none,
    single_assignment,
    string_list,
    string_value,
)
from alembic_sentinel.lint.module_constants import (
    computed_sequence,
    follow_mutations,
    module_type,
)
from alembic_sentinel.lint.moved_rows import (
    chooses_rows,
    gives_row_whole,
    loop_writes_elsewhere,
    selects_columns,
)
from alembic_sentinel.lint.name_dispatch import dispatch_only, dispatched
from alembic_sentinel.lint.op_function_imports import spell_operations_with_op
from alembic_sentinel.lint.opaque_reading import OpaqueReading
from alembic_sentinel.lint.opaque_steps import REBUILD, rebound_functions
from alembic_sentinel.lint.orm_relations import (
    association_tables,
    class_relations,
    relationship_keys,
)
from alembic_sentinel.lint.project_modules import ImportedFunctions, ModuleFacts
from alembic_sentinel.lint.project_types import DecoratedTypes
from alembic_sentinel.lint.reflected_keys import (
    ReflectedKeys,
    Reflection,
    dropped_kind,
    filter_words,
    reflected_name,
    reflection,
)
from alembic_sentinel.lint.reflected_tables import reflected_table
from alembic_sentinel.lint.revision_model import (
    DOWNGRADE,
    LIKE,
    UPGRADE,
    Assignment,
    ColumnSpec,
    ConstraintSpec,
    Fill,
    FunctionBody,
    HelperDeduplication,
    ImportRef,
    InsertedRows,
    ModuleCall,
    Operation,
    RevisionModule,
    TableModel,
)
from alembic_sentinel.lint.schema_tests import schema_test, schema_words
from alembic_sentinel.lint.spoken_remarks import (
    comment_above,
    comment_blocks,
    logged_messages,
    paragraphs_about_downgrade,
    trailing_comments_end,
)
from alembic_sentinel.lint.sql_reader import (
    DELETE,
    OTHER,
    SELECT,
    ColumnRef,
    SqlStatement,
    read_sql,
)
from alembic_sentinel.lint.sql_templates import (
    computed_table,
    concatenated_sql,
    format_receiver,
    formatted_literal,
    returned_template,
    sql_template_call,
    templated_sql,
)
from alembic_sentinel.lint.stated_intent import says_empty_above
from alembic_sentinel.lint.string_folding import folded, folded_name
from alembic_sentinel.lint.table_definitions import table_ddl
from alembic_sentinel.lint.table_factories import bound_arguments, factory_made, substituted
from alembic_sentinel.lint.table_models import class_model, mapped_column, table_model
from alembic_sentinel.lint.try_blocks import (
    always_raises,
    handler_never_runs,
    is_try,
    refused_elsewhere,
    stopped_before,
)
from alembic_sentinel.lint.unread_calls import makes_handle
from alembic_sentinel.lint.unread_sql import unread_clause

# Alembic's positional parameters per operation (alembic.operations.ops); batch forms take
# the same without the table, which comes from `batch_alter_table`.
_SIGNATURES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "add_column": ("table_name", "column"),
        "alter_column": ("table_name", "column_name"),
        "drop_column": ("table_name", "column_name"),
        "create_table": ("table_name",),
        "drop_table": ("table_name",),
        "rename_table": ("old_table_name", "new_table_name"),
        "create_index": ("index_name", "table_name", "columns"),
        "drop_index": ("index_name", "table_name"),
        "create_unique_constraint": ("constraint_name", "table_name", "columns"),
        "create_primary_key": ("constraint_name", "table_name", "columns"),
        "create_check_constraint": ("constraint_name", "table_name", "condition"),
        "create_foreign_key": (
            "constraint_name",
            "source_table",
            "referent_table",
            "local_cols",
            "remote_cols",
        ),
        "drop_constraint": ("constraint_name", "table_name", "type_"),
        "execute": ("sqltext",),
        "bulk_insert": ("table", "rows"),
    }
)
_TABLE_PARAMS = ("table_name", "source_table", "old_table_name")
# keyword names of Alembic < 1.0, still found in old histories
_OLD_KEYWORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "name": ("index_name", "constraint_name"),
        "source": ("source_table",),
        "referent": ("referent_table",),
        "table": ("table_name",),
    }
)
# keyword names of Alembic < 0.7 an operation took beyond its positional ones: alter_column's
# rename was `name=` before `new_column_name=`
_OLD_OPERATION_KEYWORDS: Mapping[tuple[str, str], str] = MappingProxyType(
    {("alter_column", "name"): "new_column_name"}
)
# calls on anything but `op` that read or write rows: a data fill (conservatively: a read
# counts too, a rule wrongly quiet costs less than one wrongly loud)
_FILL_METHODS = frozenset(
    {
        "execute",
        "exec_driver_sql",
        "add",
        "add_all",
        "merge",
        "flush",
        "commit",
        "query",
        "update",
        "insert",
        "delete",
        "bulk_save_objects",
        "bulk_insert_mappings",
        "bulk_update_mappings",
    }
)
# builtins that return a lazy iterator: a call whose result is dropped runs nothing (Python 3)
_LAZY_BUILTINS = frozenset({"map", "filter"})
_DML_CALLS = frozenset({"update", "insert", "delete"})
# calls that hand new objects to the session, directly or through a list added later
_SESSION_COLLECTS = frozenset({"add", "add_all", "append"})
# fills that run SQL given as their first argument
_EXECUTES = frozenset({"execute", "exec_driver_sql"})
# a Core statement a table makes (`t.update()`, `t.delete()`): read with its clauses
_CORE_DML = frozenset({"update", "delete"})
# fills whose rows are given as data the syntax cannot follow
_OPAQUE_METHODS = frozenset(
    {"bulk_save_objects", "bulk_insert_mappings", "bulk_update_mappings", "merge"}
)
_SQL_TEXT_CALLS = frozenset({"text", "literal_column"})
# SQLAlchemy's sequence DDL constructs, as the SQL every dialect compiles them to (MySQL's too:
# `CREATE SEQUENCE s`, which MySQL refuses; round 34, L331)
_SEQUENCE_DDL = {"CreateSequence": "CREATE SEQUENCE", "DropSequence": "DROP SEQUENCE"}
# where SQLAlchemy's column types live, dialect types included
_TYPE_MODULES = ("sqlalchemy.types.", "sqlalchemy.dialects.", "sqlalchemy.sql.sqltypes.")
# the revision's own identifiers: never an argument of an op call
_IDENTIFIERS = frozenset({"revision", "down_revision", "branch_labels", "depends_on"})
# calls whose first argument is an ORM class and whose result yields its instances
_ORM_SOURCES = frozenset({"query", "get", "get_one", "select", "scalars", "scalar", "execute"})
# steps of a query chain that keep every row: order, batching, loading options
_WHOLE_QUERY_STEPS = frozenset(
    {"all", "order_by", "yield_per", "options", "execution_options", "scalars", "unique"}
)
# a loop body that may skip rows or stop early (`if not row.a: continue`)
_LEAVES_ROWS = (ast.Continue, ast.Break, ast.Return, ast.Raise)
# calls that hand back the rows they are given, one by one (a progress bar, a copy, an order)
_ROW_WRAPPERS = frozenset({"tqdm", "list", "tuple", "sorted", "reversed", "iter"})


# a loop over more literal names than this is read once, as any loop
_UNROLL_LIMIT = 64
# helper calls read per function: enough for any revision, bounded for a pathological one
_INLINE_LIMIT = 64
# the literals a helper's parameter may hold as a flag (Reader.flags)
_FLAG_TYPES = (bool, int, float, type(None))


def _child_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """ast.iter_child_nodes, in its order, without its inner generator (ast.iter_fields): the
    reader visits every node of every function, and this is its innermost loop."""
    for field in node._fields:
        value = getattr(node, field, None)
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    yield item


class _FunctionReader(OpaqueReading):
    """Walks one function's statements in source order and records what they do (and, through
    OpaqueReading, what it cannot read)."""

    # slots, not the instance dictionary, for the state __init__ sets: two readers are made per
    # file, and an instance dictionary past 30 keys is no longer shared between instances (each
    # reader grew its own, resizing as it went: a tenth of reading a small file); OpaqueReading's
    # state stays in the dictionary
    __slots__ = (
        "appended",
        "assignments",
        "associations",
        "batch",
        "batch_nodes",
        "batch_rebuilt",
        "binds_parameters",
        "bound_types",
        "built",
        "caught",
        "caught_fills",
        "chain_top",
        "column_variables",
        "conditional",
        "constants",
        "constructed",
        "dialect",
        "expressions",
        "factories",
        "fill_seqs",
        "fills",
        "flags",
        "found_keys",
        "grouped",
        "guards",
        "held_statements",
        "helper_assignments",
        "helper_deduplications",
        "helper_operations",
        "helpers",
        "imported",
        "imports",
        "inline_budget",
        "inlined",
        "inserted",
        "instances",
        "loop_variables",
        "loops",
        "mariadb_only",
        "mariadb_only_fills",
        "module_types",
        "names",
        "operations",
        "project_scopes",
        "raised",
        "rebuilt_tables",
        "reflected_loops",
        "reflections",
        "relation_keys",
        "relations",
        "seq",
        "sequences",
        "swallowed",
        "table_ddl",
        "tables",
        "try_depth",
        "unreached_operations",
        "untyped_assignments",
    )

    def __init__(
        self,
        names: Names,
        tables: dict[str, TableModel],
        helpers: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef],
        imports: dict[tuple[int, int, str], ImportRef],
        constants: Mapping[str, ast.expr] = MappingProxyType({}),
        dialects: frozenset[str] = frozenset({"mysql", "mariadb"}),
        capabilities: Mapping[str, bool] = MYSQL_FAMILY,
        imported: ImportedFunctions | None = None,
        sequences: Mapping[str, ast.expr] = MappingProxyType({}),
        relations: Mapping[tuple[str, str], str] = MappingProxyType({}),
        made: Mapping[str, str] = MappingProxyType({}),
        associations: Mapping[str, frozenset[str]] = MappingProxyType({}),
        templates: Mapping[str, ast.expr] = MappingProxyType({}),
        module_types: Mapping[str, ast.expr] = MappingProxyType({}),
        relation_keys: Mapping[ColumnRef, frozenset[ColumnRef]] = MappingProxyType({}),
    ) -> None:
        self.names = names
        # (ORM class, attribute) -> the class a relationship or backref leads to
        self.relations = relations
        # (table, relationship attribute) -> the foreign-key columns it is built on: a read of
        # the relationship reads them (orm_relations.relationship_keys)
        self.relation_keys = relation_keys
        # relationship attribute -> the association (`secondary=`) tables it reads
        self.associations = associations
        # module names bound to a list or tuple of anything (`new_tables = [T.__table__, t]`)
        self.sequences = sequences
        # (seq, "create" / "drop", table) of SQLAlchemy's own DDL on the file's definitions
        self.table_ddl: list[tuple[int, str, str]] = []
        # NAME = "literal" / ["a", "b"]: module constants, then the function's own string
        # variables (SQL kept in a variable, a table name in a constant)
        self.constants: dict[str, ast.expr] = dict(constants)
        # a helper's parameters the call (or the default) binds to True / False / None / a
        # number: read only by the SQL a template builds (`column if forward else "_" +
        # column`), not by the operations (a `nullable=flag` stays as written)
        self.flags: dict[str, ast.expr] = {}
        # a helper's parameters the call gives a column type (`retype(t, c, sa.String(32))`):
        # the type, read where the helper passes the parameter on to an operation
        # and, outside a helper's parameters, the types the module binds names to
        self.module_types = module_types
        self.bound_types: dict[str, ast.expr] = dict(module_types)
        self.tables = tables
        self.helpers = helpers
        # `if dialect == "x":` branches are alternatives, only the target's (`dialects`) runs
        # and `if dialect.supports_sequences:` is decided by what the target's dialect can do
        self.dialect = DialectTests(
            dialects,
            lambda: self.constants,
            helpers,
            capabilities,
            imported,
            names.qualified,
        )
        self.imports = imports
        self.imported = imported
        self.operations: list[Operation] = []
        # what functions of the project's own modules do (placed at their calls), and what an
        # `except` handler does (the fallback when the `try` body failed): not operations to
        # report, but a downgrade's inverses all the same (try_blocks.py)
        self.helper_operations: list[Operation] = []
        self.helper_assignments: list[Assignment] = []  # and the column values they write
        # those of them that remove duplicate rows, and where (a unique key after is safe, L309)
        self.helper_deduplications: list[HelperDeduplication] = []
        # (table, columns) of each loop that grouped a table's rows in Python by columns: a
        # delete after it removes the duplicates found (an inline de-duplication, round 28)
        self.grouped: list[tuple[str, frozenset[str]]] = []
        self.untyped_assignments: list[Assignment] = []  # loop writes to objects of no class
        self.try_depth = 0  # the number of `try:` bodies being read
        # operations of a `try` body after one that always raised that can never run either
        self.unreached_operations: list[Operation] = []
        # seqs of operations under an `if` whose test lint cannot decide (an existence check,
        # a setting): they may not run (downgrade_rules' cleared leftovers)
        self.conditional: set[int] = set()
        # seq -> the string literals the tests of the undecided `if`s around it name, lowercase
        # (`if "guests" in inspector.get_table_names():` -> guests): what an existence guard tests
        self.guards: dict[int, frozenset[str]] = {}
        # seqs of operations in a branch a MySQL server never takes, which the target's reading
        # keeps because MariaDB may take it (`if dialect.name == "mariadb":`, see
        # DialectTests.on_mysql): MariaDB-only code, not run on MySQL
        self.mariadb_only: set[int] = set()
        self.mariadb_only_fills: set[int] = set()  # their lines (a fill's seq is not its own)
        # seqs of operations whose error a handler catches: in a `try` body with an `except`,
        # or under `with suppress(...)` (a statement the server refuses does not stop the run)
        self.caught: set[int] = set()
        self.caught_fills: set[int] = set()  # their lines
        # seqs of operations that always raise in a `try` body: a handler swallows the error
        self.swallowed: set[int] = set()
        # a statement that always raises was read: the rest of its block does not run
        self.raised = False
        # list variables built from literal names (`todo = []`, `todo.append(column)`)
        self.built = BuiltLists()
        self.fills: list[Fill] = []
        self.assignments: list[Assignment] = []
        self.inserted: list[InsertedRows] = []  # the rows INSERTs put into tables (L301)
        # loops copying every row of a table into others (moved_rows.py)
        self.row_moves: list[tuple[int, str, frozenset[str]]] = []
        # id of a fill's call -> its seq: when the rows a query held were fetched
        self.fill_seqs: dict[int, int] = {}
        self.batch: dict[str, str | None] = {}  # batch_op variable -> its table
        # batch_op variable -> the expression naming its table, when it is no literal
        self.batch_nodes: dict[str, ast.expr] = {}
        self.batch_rebuilt: set[str] = set()  # batch_op variables of recreate="always"
        # (seq, table) of tables a helper of another module recreates from their definition
        self.rebuilt_tables: list[tuple[int, str]] = []
        self.instances: dict[str, str] = {}  # variable -> ORM class it holds instances of
        # variables holding every row of their class's table (an unfiltered query's result, a
        # loop's variable walking one): a per-row write through them reaches every row
        self.every_row: set[str] = set()
        # how many `if`s lint is inside (a write under one reaches the rows its test lets
        # through, not every row), and that depth where each loop's variable was bound
        self.if_depth = 0
        self.walked_at: dict[str, int] = {}
        # (the words the test reads, seqs of the operations after it) of each `if <schema
        # test>: return` followed by code (returned_rests.py)
        self.returned_rests: list[tuple[str, frozenset[int]]] = []
        # the loops lint is inside, innermost last: the seq of the fill of the rows each walks
        # (None for a loop over anything else) and the `if` depth its body starts at, or None
        # when the body can leave a pass early (`continue`, `break`, `return`, `raise`)
        self.walking: list[tuple[int | None, int | None]] = []
        # variables holding an ORM object the function built itself (`obj = Model(...)`): a new
        # row, whose attributes are no write into the rows already there
        self.constructed: set[str] = set()
        self.loop_variables: set[str] = set()  # names bound by a `for` (rows, objects, ...)
        # list variable -> the dict literals appended to it (`batch.append({"c": v})`): the
        # parameters an execute given the list later runs with
        self.appended: dict[str, list[ast.Dict]] = {}
        # name -> a lambda the function binds it to (a column factory, say)
        self.factories: dict[str, ast.Lambda] = {}
        # name -> the Column it was bound to (`column = sa.Column("x", ...)`), for an
        # add_column given the variable (`op.add_column("t", column)`)
        self.column_variables: dict[str, ast.Call] = {}
        # name -> the SQL statement it was bound to (`stmt = t.update().values(...)`,
        # `query = sa.text("...")`), read in its place when the name is executed
        self.held_statements: dict[str, ast.Call] = {}
        # variable -> the keys reflection reported that it holds (`fks = insp.get_indexes("t")`)
        self.reflections: dict[str, Reflection] = {}
        # loop variable -> the reflected keys it walks and the words the loop's tests keep
        self.reflected_loops: dict[str, tuple[Reflection, frozenset[str]]] = {}
        # variable -> the key a finder function picked by its columns (`name = find_fk(t,
        # ["c"])`), which a drop given the variable drops (key_finders.py)
        self.found_keys: dict[str, ReflectedKeys] = {}
        # the project modules whose functions are being read, innermost last: a finder they
        # call by its bare name is theirs (`find_fk` inside `drop_fk`)
        self.project_scopes: list[ModuleFacts] = []
        self.inlined: set[str] = set()  # the functions being read (no recursion)
        # name -> the expressions the function bound it to (`condition = and_(...)`, in each
        # branch): what a statement built from it reads (core_reads.py)
        self.expressions: dict[str, list[ast.expr]] = {}
        # the outermost call of the expression being read (`t.update().where(c).values(...)`)
        self.chain_top: ast.Call | None = None
        self.inline_budget = _INLINE_LIMIT
        # the file names `bindparam`: a Core UPDATE may run once per parameter row (keyed_moves)
        self.binds_parameters = True
        self.loops = 0
        self.seq = 0
        self.start_opaque(made, templates)  # what it cannot read (opaque_reading.py)

    def read(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> FunctionBody:
        self.inlined.add(node.name)
        self.statements(node.body)
        body = node.body[1:] if node.body and is_docstring(node.body[0]) else node.body
        return FunctionBody(
            name=node.name,
            line=node.lineno,
            end_line=node.end_lineno or node.lineno,
            operations=tuple(self.operations),
            fills=tuple(self.fills),
            assignments=tuple(self.assignments),
            empty=all(is_nothing(s) for s in body),
            # `raise` ends the block it stands in (statements()): still raised at the end,
            # it was reached on every path, not inside an `if`, a loop or a `try`
            always_raises=self.raised,
            rebuilt_tables=tuple(self.rebuilt_tables),
            docstring=ast.get_docstring(node),
            helper_operations=tuple(self.helper_operations),
            helper_assignments=tuple(self.helper_assignments),
            unreached_operations=tuple(self.unreached_operations),
            swallowed=frozenset(self.swallowed),
            table_ddl=tuple(self.table_ddl),
            opaque_steps=tuple(self.opaque),
            inserted_rows=tuple(self.inserted),
            helper_deduplications=tuple(self.helper_deduplications),
            conditional=frozenset(self.conditional),
            guards=MappingProxyType(dict(self.guards)),
            returned_rests=tuple(self.returned_rests),
            mariadb_only=frozenset(self.mariadb_only),
            mariadb_only_fills=frozenset(self.mariadb_only_fills),
            caught=frozenset(self.caught),
            keyed_moves=(
                keyed_moves(node, self.tables, self.names) if self.binds_parameters else ()
            ),
            caught_fills=frozenset(self.caught_fills),
            row_moves=tuple(self.row_moves),
        )

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def statements(self, body: Sequence[ast.stmt]) -> None:
        for index, statement in enumerate(body):
            if self.raised:
                # after `raise`, or after an operation that always raises in a `try`
                if self.try_depth:
                    self.unreached(body[index:])
                return
            if isinstance(statement, (ast.If, ast.While, ast.Assert)):
                self.tests[id(statement.test)] = statement.test
            if isinstance(statement, ast.If):
                outcome = self.dialect.outcome(statement.test)
                if outcome is not None:
                    on_mysql = self.dialect.on_mysql(statement.test)
                    chosen = statement.body if outcome else statement.orelse
                    before, filled = len(self.operations), len(self.fills)
                    self.statements(chosen)
                    if on_mysql is not None and on_mysql != outcome:
                        self.mariadb_only.update(o.seq for o in self.operations[before:])
                        self.mariadb_only_fills.update(f.line for f in self.fills[filled:])
                    if chosen and type(chosen[-1]) is ast.Return:
                        return  # `if dialect != "mysql": return`: the rest does not run
                    if on_mysql is not None and on_mysql != outcome:
                        ended = statement.body if on_mysql else statement.orelse
                        if ended and type(ended[-1]) in (ast.Return, ast.Raise):
                            # `if dialect != "mariadb": return`: on MySQL the rest never runs
                            self.mariadb_rest(body[index + 1 :])
                            return
                    continue
                rest = body[index + 1 :]
                returns = bool(rest) and _exits(statement.body) != _exits(statement.orelse)
                bound = _bound_before(body[:index]) if returns else {}
                if returns and schema_test(statement.test, bound):
                    # `if <column exists>: return` and code after it (round r40, agena): the
                    # code after runs only when the test says the object is not there, as an
                    # `else` branch does. Read as running (what it does when it runs), and
                    # kept apart: when the history answers the test (it has what the code
                    # makes), returned_rests.py reads it as a guarded block
                    self.statements([statement])
                    start = len(self.operations)
                    self.statements(rest)
                    seqs = frozenset(o.seq for o in self.operations[start:])
                    said = schema_words(statement.test, bound)
                    self.returned_rests.append((said, seqs))
                    return
                narrowed = _narrowed_name(statement.test)
                if narrowed is not None:
                    # `if name == "t":` (one table picked from a loop over a MetaData): in its
                    # body the name holds that literal, so what it names is known there
                    self.expression(statement.test)
                    saved = self.constants
                    self.constants = {**saved, narrowed[0]: narrowed[1]}
                    raised = self.raised
                    try:
                        self.statements(statement.body)
                    finally:
                        self.constants = saved
                    self.raised = raised  # the other branch may run
                    self.statements(statement.orelse)
                    self.raised = raised
                    continue
            if isinstance(statement, ast.Expr):
                if self.never_consumed(statement.value):
                    continue  # `map(lambda x: op.execute(...), names)`: nothing is run
                before = len(self.operations)
                called = statement.value
                if type(called) is ast.Await:
                    called = called.value
                saved_call = self.statement_call
                self.statement_call = called if type(called) is ast.Call else None
                try:
                    self.expression(statement.value)
                finally:
                    self.statement_call = saved_call
                failing = [o.seq for o in self.operations[before:] if always_raises(o)]
                if self.try_depth and failing:
                    self.raised = True
                    self.swallowed.update(failing)
            elif isinstance(statement, ast.Raise):
                self.compound_parts(statement)
                self.raised = True
            elif isinstance(statement, ast.Assert):
                self.compound(statement)
                # `assert bind.dialect.name == "postgresql"` failing on this target raises
                # AssertionError: the rest of the block never runs there (as after `raise`)
                self.raised = self.dialect.outcome(statement.test) is False
                if not self.raised and self.dialect.on_mysql(statement.test) is False:
                    self.mariadb_rest(body[index + 1 :])  # fails on MySQL, not on MariaDB
                    return
            elif is_try(statement):
                self.try_statement(cast(ast.Try, statement))
            elif isinstance(statement, ast.Assign):
                self.assign(statement)
            elif isinstance(statement, (ast.With, ast.AsyncWith)):
                self.with_block(statement)
            elif isinstance(statement, (ast.For, ast.AsyncFor)):
                self.for_loop(statement)
            elif isinstance(statement, ast.ClassDef):
                model = class_model(statement, self.names)
                if model is not None:
                    self.tables[model.variable] = model
            elif isinstance(statement, (ast.Import, ast.ImportFrom)):
                record_import(statement, self.names, self.imports)
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.local_functions.add(statement.name)  # read here, where it is defined
                self.statements(statement.body)
                self.raised = False  # a nested function raising stops only itself
            elif type(statement) is ast.If:
                # a test the dialect does not decide (those were walked above): either part
                # may run or not, so what they do is conditional
                before = len(self.operations)
                self.if_depth += 1
                self.compound(statement)
                self.if_depth -= 1
                self.conditional.update(o.seq for o in self.operations[before:])
                tested = test_strings(statement.test, self.constants)
                for o in self.operations[before:]:
                    self.guards[o.seq] = self.guards.get(o.seq, frozenset()) | tested
            elif not isinstance(statement, ast.Pass):
                self.compound(statement)

    def never_consumed(self, value: ast.expr) -> bool:
        """Whether an expression statement is a lazy `map(...)` / `filter(...)` whose result is
        dropped (round 37): Python 3 builds an iterator nobody walks, so the function it is given
        never runs, and what a lambda there calls is no step of the migration."""
        return (
            type(value) is ast.Call
            and type(value.func) is ast.Name
            and value.func.id in _LAZY_BUILTINS
            and self.names.resolve(value.func.id) is None
            and value.func.id not in self.local_functions
            and bool(value.args)
            and type(value.args[0]) is ast.Lambda
        )

    def mariadb_rest(self, rest: Sequence[ast.stmt]) -> None:
        """The statements after a guard a MySQL server stops at and MariaDB passes: read as
        any, their operations MariaDB-only."""
        before, filled = len(self.operations), len(self.fills)
        self.statements(rest)
        self.mariadb_only.update(o.seq for o in self.operations[before:])
        self.mariadb_only_fills.update(f.line for f in self.fills[filled:])

    def unreached(self, rest: Sequence[ast.stmt]) -> None:
        """The statements of a `try` body after one that always raised: they never run, so
        nothing they do is kept, but a call that can never run is still one (L310 reports it
        wherever it stands)."""
        operations, fills = len(self.operations), len(self.fills)
        assignments, helpers = len(self.assignments), len(self.helper_operations)
        rebuilt, opaque = len(self.rebuilt_tables), len(self.opaque)
        inserted, deduplications = len(self.inserted), len(self.helper_deduplications)
        self.raised = False
        self.statements(rest)
        self.unreached_operations.extend(
            o for o in self.operations[operations:] if always_raises(o)
        )
        del self.operations[operations:]
        del self.fills[fills:]
        del self.assignments[assignments:]
        del self.helper_operations[helpers:]
        del self.rebuilt_tables[rebuilt:]
        del self.opaque[opaque:]
        del self.inserted[inserted:]
        del self.helper_deduplications[deduplications:]
        self.raised = True

    def try_statement(self, statement: ast.Try) -> None:
        """The body as the normal path; a handler's operation of the same kind on a table the
        body changes as the body's change retried, which only undoes (try_blocks.py); then
        `else` and `finally`."""
        start, filled = len(self.operations), len(self.fills)
        self.try_depth += 1
        self.statements(statement.body)
        self.try_depth -= 1
        if statement.handlers:
            self.caught.update(o.seq for o in self.operations[start:])
            self.caught_fills.update(f.line for f in self.fills[filled:])
        self.raised = False  # a handler catches what the body raised
        tried = {(o.name, (o.table or "").lower()) for o in self.operations[start:]}
        failing = any(always_raises(o) for o in self.operations[start:])
        # the body's operations the target runs whatever the data: one Alembic refuses there
        # stops the migration before any handler that does not catch it (try_blocks.py)
        certain = (
            [o for o in self.operations[start:] if o.seq not in self.conditional]
            if MYSQL_DIALECTS & self.dialect.dialects
            else []
        )
        dialects = self.dialect.dialects
        for handler in statement.handlers:
            if not failing and (
                handler_never_runs(handler, statement.body, self.names, dialects)
                or refused_elsewhere(handler, statement.body, self.names, dialects)
                or stopped_before(handler, certain)
            ):
                continue  # another database's fallback, never run on the target: not read
            first = len(self.operations)
            self.statements(handler.body)
            handled = self.operations[first:]
            del self.operations[first:]
            for operation in handled:
                if (operation.name, (operation.table or "").lower()) in tried:
                    self.helper_operations.append(operation)  # the body's change, retried
                else:
                    self.operations.append(operation)
            self.raised = False
        self.statements(statement.orelse)
        self.statements(statement.finalbody)

    def compound(self, node: ast.AST) -> None:
        """if / while / match / return / ...: their parts, in order."""
        raised = self.raised
        self.compound_parts(node)
        # a branch that raises does not stop what follows: another branch may have run
        self.raised = raised

    def compound_parts(self, node: ast.AST) -> None:
        for child in _child_nodes(node):
            if isinstance(child, ast.stmt):
                self.statements((child,))
            elif isinstance(child, ast.expr):
                self.expression(child)
            elif not isinstance(child, ast.expr_context):
                self.compound_parts(child)

    def expression(self, node: ast.expr) -> None:
        if type(node) is ast.Name or type(node) is ast.Constant:
            return
        if id(node) in self.tests:
            self.testing += 1
            try:
                self.expression_parts(node)
            finally:
                self.testing -= 1
            return
        if type(node) is ast.IfExp:
            self.tests[id(node.test)] = node.test
        self.expression_parts(node)

    def expression_parts(self, node: ast.expr) -> None:
        top = type(node) is ast.Call and self.chain_top is None
        if top:
            self.chain_top = cast(ast.Call, node)
        try:
            if type(node) is ast.Call and self.call(node):
                return
            for child in _child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expression(child)
                elif type(child) is ast.keyword:
                    self.expression(child.value)
                elif type(child) is ast.comprehension:
                    self.compound(child)
        finally:
            if top:
                self.chain_top = None

    def call(self, node: ast.Call) -> bool:
        """Record what the call does; True when its arguments need no further look."""
        func = node.func
        handled = False  # lint knows what the call does (a fill, a helper read, ...)
        if type(func) is ast.Attribute:
            receiver = func.value
            if type(receiver) is ast.Name and receiver.id in self.batch:
                return self.operation(
                    func.attr,
                    node,
                    self.batch[receiver.id],
                    batch=True,
                    batch_node=self.batch_nodes.get(receiver.id),
                    rebuilt=receiver.id in self.batch_rebuilt,
                )
            if self.names.is_op(receiver):
                return self.operation(func.attr, node, None, batch=False)
            for kind, defined in table_ddl(node, self.tables, self.sequences):
                self.table_ddl.append((self.next_seq(), kind, defined))
                handled = True
            definition = self.module_function(func)
            if definition is not None:
                # `helpers.drop_columns(...)` after `from app.migrations import helpers`
                self.imported_call(definition, node)
                rebuilt = self.table_rebuilt_by(node)
                if rebuilt is not None:
                    self.rebuilt_tables.append((self.next_seq(), rebuilt))
                return False
            if func.attr in ("append", "extend") and type(receiver) is ast.Name:
                given = node.args[0] if len(node.args) == 1 else None
                if given is not None and type(given) is ast.Name:
                    given = self.literal(given) or given
                self.built.add(receiver.id, func.attr, given, self.loop_items)
            if func.attr == "append" and type(receiver) is ast.Name and node.args:
                if type(node.args[0]) is ast.Dict:
                    self.appended.setdefault(receiver.id, []).append(node.args[0])
            if func.attr in _SESSION_COLLECTS:
                self.application_objects(node)
            if func.attr in _FILL_METHODS:
                handled = True
                owner = receiver.id if type(receiver) is ast.Name else ""
                self.fill(f"{owner}.{func.attr}", node, *self.call_data(func.attr, node))
                if func.attr in _CORE_DML and not node.args and self.model_of(receiver):
                    # `t.update().where(t.c.old == x).values(...)`: the statement's clauses
                    # around this call are what it reads
                    chain = self.chain_top if self.chain_top is not None else node
                    fill = self.fills[-1]
                    self.fills[-1] = fill._replace(reads=fill.reads | self.reads(chain))
                if func.attr in _EXECUTES:
                    self.executed_insert(node)
                    fill = self.fills[-1]
                    self.fills[-1] = fill._replace(
                        sql=self.executed_text(node),
                        emptied=self.emptied(node, fill.statements),
                        writes=fill.writes | self.parameter_writes(node),
                    )
                elif func.attr == "delete" and not node.args:
                    self.fills[-1] = self.fills[-1]._replace(emptied=self.query_emptied(receiver))
                if func.attr == "update" and node.args and type(node.args[0]) is ast.Dict:
                    self.query_update(node, receiver)
            elif func.attr == "values":
                handled = True
                self.values(node)
        elif type(func) in (ast.Subscript, ast.Call):
            # `globals()[f"upgrade_{engine_name}"]()` (Alembic's multi-database template):
            # every function of the file the name can pick is read, one engine after another
            for name in dispatched(node, self.helpers):
                handled = True
                if name not in self.inlined:
                    self.helper_call(self.helpers[name], node)
        elif type(func) is ast.Name:
            handled = True
            model = self.tables.get(func.id)
            if model is not None and model.orm:
                for kw in node.keywords:
                    if kw.arg is not None:
                        self.assignment(
                            model, kw.arg, kw.value, f"{func.id}(...)", node, new_row=True
                        )
            elif func.id in self.helpers and func.id not in self.inlined:
                # a module-level helper called from here: its operations happen here, with the
                # literal arguments of this call bound to its parameters
                self.helper_call(self.helpers[func.id], node)
            elif (definition := self.project_function(func)) is not None:
                self.imported_call(definition, node)
            elif func.id == "setattr":
                self.fill(func.id, node, opaque=True)
            elif func.id in _DML_CALLS and self.names.sqlalchemy_name(func) is not None:
                self.fill(func.id, node, reads=self.reads(node))
            else:
                handled = False
        table = self.table_rebuilt_by(node)
        if table is not None:
            self.rebuilt_tables.append((self.next_seq(), table))
        elif not handled:
            self.unfollowed(node)
        return False

    def table_rebuilt_by(self, node: ast.Call) -> str | None:
        """The table a function of the project's own modules builds whole, else None: called
        with the table's name first and a definition that holds its primary key
        (`helpers.transform_table("t", ..., sa.Column("id", ..., primary_key=True), ...)` or
        a `PrimaryKeyConstraint`). A table has one primary key: a helper that only adds
        columns is never given it, so such a call recreates the table from that definition."""
        qualified = self.names.qualified(node.func)
        if qualified is None or qualified.startswith(_LIBRARIES) or not node.args:
            return None
        first = self.literal(node.args[0])
        table = string_value(first) if first is not None else None
        if table is None:
            return None
        return table if any(_is_primary_key(arg) for arg in node.args[1:]) else None

    def helper_call(
        self, definition: ast.FunctionDef | ast.AsyncFunctionDef, node: ast.Call
    ) -> None:
        if self.inline_budget <= 0:
            return
        self.inline_budget -= 1
        saved = self.constants
        parameters = [a.arg for a in (*definition.args.posonlyargs, *definition.args.args)]
        parameters += [a.arg for a in definition.args.kwonlyargs]
        bound: dict[str, ast.expr] = {}
        # a parameter left to its default takes the default's value (`old="tenant_id"`)
        positional = [*definition.args.posonlyargs, *definition.args.args]
        defaults = definition.args.defaults
        for argument_node, default in zip(positional[len(positional) - len(defaults) :], defaults):
            bound[argument_node.arg] = default
        for argument_node, kw_default in zip(
            definition.args.kwonlyargs, definition.args.kw_defaults
        ):
            if kw_default is not None:
                bound[argument_node.arg] = kw_default
        arguments = spread_arguments(node, self.literal)
        for parameter, argument in zip(parameters, node.args if arguments is None else arguments):
            bound[parameter] = argument
        for kw in node.keywords:
            if kw.arg is not None:
                bound[kw.arg] = kw.value
        # `def drop_columns(table, *columns)`: the call's further arguments as one tuple (and
        # its further keywords as one dict), each name given read as the literal it holds
        varargs = extra_arguments(definition, arguments, node.keywords)
        for parameter, extra in varargs.items():
            if type(extra) is ast.Tuple:
                extra.elts = [self.literal(e) or e for e in extra.elts]
            bound[parameter] = extra
            parameters.append(parameter)
        constants = {k: v for k, v in saved.items() if k not in parameters}
        for parameter, argument in bound.items():
            value = self.literal(argument)
            if value is None and parameter in varargs and is_literal_dict(argument):
                value = argument  # `**fields` given name="literal" keywords
            if value is not None:
                constants[parameter] = value
        self.constants = constants
        saved_flags = self.flags
        self.flags = self.bound_flags(saved_flags, bound, parameters)
        saved_types = self.bound_types
        self.bound_types = {
            **{k: v for k, v in self.module_types.items() if k not in parameters},
            **self.types_given(bound, parameters),
        }
        # a parameter given a table of the revision (`_copy(step, ...)`) is that table inside
        # the helper: `target.update()...where(target.c.started == ...)` reads `step.started`
        saved_tables = dict(self.tables)
        for parameter in parameters:
            given = bound.get(parameter)
            model = self.tables.get(given.id) if type(given) is ast.Name else None
            if model is not None:
                self.tables[parameter] = model
            else:
                self.tables.pop(parameter, None)  # the parameter hides a table of that name
        self.inlined.add(definition.name)
        saved_lists, self.built.lists = self.built.lists, {}  # the helper's lists are its own
        saved_chain, self.chain_top = self.chain_top, None  # the helper's own statements
        saved_expressions = {name: list(values) for name, values in self.expressions.items()}
        saved_found = dict(self.found_keys)
        try:
            self.statements(definition.body)
        finally:
            self.found_keys = saved_found  # the helper's variables are its own
            self.raised = False  # the caller goes on reading after the call
            self.inlined.discard(definition.name)
            self.constants = saved
            self.flags = saved_flags
            self.bound_types = saved_types
            self.built.lists = saved_lists
            self.chain_top = saved_chain
            self.expressions.clear()
            self.expressions.update(saved_expressions)  # the helper's names are its own
            # tables the helper defines for the module (`global t; t = sa.Table(...)`) stay
            defined = {k: v for k, v in self.tables.items() if k not in parameters}
            self.tables.clear()
            self.tables.update({**saved_tables, **defined})

    def bound_flags(
        self, outer: Mapping[str, ast.expr], bound: Mapping[str, ast.expr], parameters: list[str]
    ) -> dict[str, ast.expr]:
        """The flags inside a helper: the caller's, less the names its parameters hide, and
        each parameter bound to a literal that is not a string (`forward=True`), also through
        a flag of the caller (`forward=forward`)."""
        flags = {k: v for k, v in outer.items() if k not in parameters}
        for parameter, argument in bound.items():
            if type(argument) is ast.Name:
                argument = outer.get(argument.id, argument)
            if type(argument) is ast.Constant and type(argument.value) in _FLAG_TYPES:
                flags[parameter] = argument
        return flags

    def sql_lookup(self, name: str) -> ast.expr | None:
        """What a name of an SQL template holds: a literal string, or a helper's flag."""
        return self.constants.get(name) or self.flags.get(name)

    def types_given(self, bound: dict[str, ast.expr], parameters: list[str]) -> dict[str, ast.expr]:
        """The helper's parameters a call gives a column type (`sa.String(32)`, `sa.Text`, or
        a parameter of the caller that holds one): only these, so that a type the helper
        passes on is read as the call's, never an expression of another kind."""
        given: dict[str, ast.expr] = {}
        for parameter in parameters:
            argument = bound.get(parameter)
            if type(argument) is ast.Name and argument.id in self.bound_types:
                given[parameter] = self.bound_types[argument.id]
            elif argument is not None and self.is_column_type(argument):
                given[parameter] = argument
        return given

    def is_column_type(self, node: ast.expr) -> bool:
        """A column type: one lint reads (`sa.String(32)`), or a class of SQLAlchemy's type or
        dialect modules it does not (`postgresql.ARRAY(sa.String())`)."""
        if type_spec(node, self.names) is not None:
            return True
        qualified = self.names.qualified(node.func if type(node) is ast.Call else node)
        return qualified is not None and qualified.startswith(_TYPE_MODULES)

    def project_function(self, func: ast.Name) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The function of the project's own modules `func` names, unless it is being read."""
        if self.imported is None or func.id in self.inlined:
            return None
        found = self.imported.function(func)
        return found[0] if found is not None else None

    def module_function(self, func: ast.Attribute) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The function of a project module `func` names through the module (`mu.helper`),
        unless it is being read; None for a library's (`sa.Column`) or any other attribute."""
        if self.imported is None or func.attr in self.inlined:
            return None
        root = func.value
        while type(root) is ast.Attribute:
            root = root.value
        if type(root) is not ast.Name or root.id in self.tables or root.id in self.batch:
            return None
        qualified = self.names.qualified(func)
        if qualified is not None and qualified.startswith(_LIBRARIES):
            return None
        found = self.imported.function(func)
        return found[0] if found is not None else None

    def imported_call(
        self, definition: ast.FunctionDef | ast.AsyncFunctionDef, node: ast.Call
    ) -> None:
        """A function of the project's own modules called from here (`copy_rows(op, "a", "b")`
        after `from app.migration_helpers import copy_rows`): read as a same-file helper, but
        only the rows it reads, writes and empties are kept, each placed at this call (its own
        lines are another file's). Its operations are not: a rule reports what this file
        writes, and the helper's own DDL is the helper's to review."""
        operations, fills = len(self.operations), len(self.fills)
        assignments, untyped = len(self.assignments), len(self.untyped_assignments)
        opaque = len(self.opaque)
        # the imports of another file's function are that file's (L316 reports this one's)
        imports = dict(self.imports)
        found = self.imported.function(node.func) if self.imported is not None else None
        scope = found[1] if found is not None and found[0] is definition else None
        if scope is not None:
            self.project_scopes.append(scope)  # its module's own functions, by bare name
        # its module's Core tables, by bare name, while it runs (`session.query(Old).all()`
        # reads old's rows); what those names meant here comes back after the call
        shadowed = self.module_tables(scope) if scope is not None else {}
        try:
            self.helper_call(definition, node)
        finally:
            if scope is not None:
                self.project_scopes.pop()
            for name, model in shadowed.items():
                if model is None:
                    self.tables.pop(name, None)
                else:
                    self.tables[name] = model
        self.imports.clear()
        self.imports.update(imports)
        line, end = node.lineno, node.end_lineno or node.lineno
        self.helper_operations.extend(
            op._replace(line=line, end_line=end) for op in self.operations[operations:]
        )
        del self.operations[operations:]
        # the values it writes, for what the call leaves in a column (a uuid per row, L309)
        written = [*self.assignments[assignments:], *self.untyped_assignments[untyped:]]
        self.helper_assignments.extend(a._replace(line=line, end_line=end) for a in written)
        del self.untyped_assignments[untyped:]
        del self.assignments[assignments:]
        # a function that removes duplicates (by its SQL, or its name) on the tables it touched
        removal = helper_deduplication(definition, self.fills[fills:], self.seq)
        if removal is not None:
            self.helper_deduplications.append(removal)
        self.fills[fills:] = [
            fill._replace(line=line, end_line=end, opaque=False, statements=(), sql=None)
            for fill in self.fills[fills:]
            if fill.reads or fill.writes or fill.emptied
        ]
        # what lint could not read inside it stays the helper's: the call is read as far as
        # its rows go (a helper's internals are read with this file's names, not its own)
        del self.opaque[opaque:]

    def module_tables(self, scope: ModuleFacts) -> dict[str, TableModel | None]:
        """Bind the Core tables a project module defines at module level under their names,
        for reading one of its functions; returns what each name was bound to before."""
        shadowed: dict[str, TableModel | None] = {}
        for name, call in scope.core_tables.items():
            model = table_model(name, call, self.names, scope.constants)
            if model is not None:
                shadowed[name] = self.tables.get(name)
                self.tables[name] = model
        return shadowed

    def literal(self, node: ast.expr) -> ast.expr | None:
        """The node when it is a literal string or list of strings, or the constant a name
        holds; else None."""
        if type(node) is ast.Name:
            return self.constants.get(node.id) or self.built.value(node.id)
        return node if _is_literal(node) else None

    def unrolled(self, statement: ast.For | ast.AsyncFor) -> list[dict[str, ast.expr]] | None:
        """The bindings of each pass of a loop over literal strings (or tuples of them):
        `for table in ("a", "b"):`, `for table, column in PAIRS:`, and the same names backwards
        (`reversed(PAIRS)`, `PAIRS[::-1]`); None for any other loop."""
        items = self.loop_items(statement.iter)
        if items is None or len(items) > _UNROLL_LIMIT:
            return None
        passes: list[dict[str, ast.expr]] = []
        target = statement.target
        for item in items:
            if type(target) is ast.Name and (
                (type(item) is ast.Constant and type(item.value) is str) or is_literal_dict(item)
            ):
                passes.append({target.id: item})  # a name, or a call's keywords (`**key`)
            elif (
                isinstance(target, (ast.Tuple, ast.List))
                and isinstance(item, (ast.Tuple, ast.List))
                and len(target.elts) == len(item.elts)
                and all(type(t) is ast.Name for t in target.elts)
                and all(
                    (type(v) is ast.Constant and type(v.value) is str)
                    # a dict's list of names (`columns` of `.items()`), walked by an inner loop
                    or (isinstance(v, (ast.List, ast.Tuple)) and _is_literal(v))
                    for v in item.elts
                )
            ):
                passes.append(
                    {t.id: v for t, v in zip(target.elts, item.elts) if type(t) is ast.Name}
                )
            else:
                return None
        return passes

    def class_passes(self, statement: ast.For | ast.AsyncFor) -> bool:
        """Read a loop over a literal tuple of ORM classes (`for model in (Invoice,
        Estimate):`, the file's own or the project's) once per class, the loop's name bound
        to that class: `model.query()` then yields its rows and `row.col = v` writes its
        table. False (nothing read) for any other loop."""
        target = statement.target
        items = statement.iter
        if type(target) is not ast.Name or not isinstance(items, (ast.Tuple, ast.List)):
            return False
        if not items.elts or len(items.elts) > _UNROLL_LIMIT:
            return False
        models = [self.class_model_of(item, target.id) for item in items.elts]
        if not any(models):
            return False
        if not all(type(item) in (ast.Name, ast.Attribute) for item in items.elts):
            return False
        saved = self.tables.get(target.id)
        self.loops += 1
        for model in models:
            # a class lint cannot place (removed from the models since) maps a table of
            # its own, not known: its pass writes no table lint names
            self.tables[target.id] = model or TableModel(target.id, None, {}, True, 0)
            self.statements(statement.body)
            self.raised = False
        self.loops -= 1
        if saved is not None:
            self.tables[target.id] = saved
        else:
            self.tables.pop(target.id, None)
        self.statements(statement.orelse)
        return True

    def class_model_of(self, node: ast.expr, variable: str) -> TableModel | None:
        """The ORM class `node` names, as a model held by `variable`: one of the file's own
        classes, or a class of the project's modules whose table lint reads."""
        if type(node) is ast.Name:
            own = self.tables.get(node.id)
            if own is not None:
                return own._replace(variable=variable) if own.orm and own.table else None
        table = self.imported.class_table(node) if self.imported is not None else None
        if table is None:
            return None
        return TableModel(variable, table, {}, True, getattr(node, "lineno", 0))

    def loop_items(self, items: ast.expr) -> list[ast.expr] | None:
        """The elements a loop walks when they are written out: a literal tuple or list, a
        constant naming one, or either walked backwards with `reversed(...)` or `[::-1]` (a
        downgrade undoing the upgrade's loop in reverse order); None for anything else."""
        backwards = _backwards_of(items)
        if backwards is not None:
            forward = self.loop_items(backwards)
            return forward[::-1] if forward is not None else None
        pairs = dict_items(items, self.constants)
        if pairs is not None:
            return pairs  # `for table, columns in COLUMNS.items():`
        if type(items) is ast.Call and type(items.func) is ast.Name and not items.args:
            helper = self.helpers.get(items.func.id)  # `for key in _foreign_keys():`
            items = (returned_literal(helper) if helper else None) or items
        if type(items) is ast.Subscript:
            items = self.keyed_constant(items) or items  # `for c in info["columns"]:`
        if type(items) is ast.Name:
            found = self.constants.get(items.id) or self.built.value(items.id)
            if found is None:
                return None
            items = found
        if type(items) is ast.Dict and is_literal_dict(items):
            return [key for key in items.keys if key is not None]  # a dict walks its keys
        return list(items.elts) if isinstance(items, (ast.List, ast.Tuple)) else None

    def operation(
        self,
        name: str,
        node: ast.Call,
        batch_table: str | None,
        batch: bool,
        batch_node: ast.expr | None = None,
        rebuilt: bool = False,
    ) -> bool:
        signature = _SIGNATURES.get(name, ())
        if batch:
            signature = tuple(p for p in signature if p not in _TABLE_PARAMS)
        params: dict[str, ast.expr] = {}
        extra: list[ast.expr] = []
        # `nullable=is_sqlite()`, `X if not is_psql() else Y`: the value the target's dialect
        # picks, as only the target's branch of an `if` on the dialect is read (dialect_values)
        node = decided_call(node, self.dialect_value)
        node = self.with_factories(self.with_constants(node))
        for position, arg in enumerate(node.args):
            if position < len(signature):
                params[signature[position]] = arg
            else:
                extra.append(arg)
        keywords: dict[str, ast.expr] = {}
        for kw in node.keywords:
            if kw.arg is None:
                continue
            keywords[kw.arg] = kw.value
            renamed_keyword = _OLD_OPERATION_KEYWORDS.get((name, kw.arg))
            if renamed_keyword is not None:
                params.setdefault(renamed_keyword, kw.value)
            elif kw.arg in signature or kw.arg not in _OLD_KEYWORDS:
                params[kw.arg] = kw.value
            else:
                for meant in _OLD_KEYWORDS[kw.arg]:
                    if meant in signature:
                        params[meant] = kw.value
        if batch:
            table = batch_table
            if table is None and batch_node is not None:
                # the batch's table named at run time: kept for messages to quote
                params.setdefault("table_name", batch_node)
        else:
            table_node = next((params[p] for p in _TABLE_PARAMS if p in params), None)
            table = string_value(table_node) if table_node is not None else None
        if batch:
            table_node = None
        table_variable = params.get("table")
        if name == "bulk_insert" and type(table_variable) is ast.Name:
            model = self.tables.get(table_variable.id)
            table = model.table if model is not None else None
        columns: tuple[ColumnSpec, ...] = ()
        constraints: list[ConstraintSpec] = []
        if name == "add_column" and "column" in params:
            spec = column_spec(params["column"], self.names)
            columns = (spec,) if spec is not None else ()
        elif name == "create_table":
            found = []
            for arg in extra:
                spec = column_spec(arg, self.names)
                if spec is not None:
                    found.append(spec)
                elif type(arg) is ast.Call:
                    constraint = constraint_spec(arg, self.names)
                    if constraint is not None:
                        constraints.append(constraint)
            columns = tuple(found)
        line, end = node.lineno, node.end_lineno or node.lineno
        spread = any(kw.arg is None for kw in node.keywords) or any(
            type(arg) is ast.Starred for arg in node.args
        )
        self.operations.append(
            Operation(
                name=name,
                table=table,
                args=tuple(node.args),
                keywords=keywords,
                params=params,
                extra=tuple(extra),
                batch=batch,
                line=line,
                end_line=end,
                seq=self.next_seq(),
                columns=columns,
                constraints=tuple(constraints),
                spread=spread,
                rebuilt=rebuilt,
                reflected=self.reflected_drop(name, params, table),
                computed_table=computed_table(table_node, self.constants.get)
                if table is None and not batch
                else None,
            )
        )
        self.unresolved_operation(self.operations[-1], node, batch)
        if name in ("execute", "bulk_insert"):
            if name == "execute":
                reads, writes, opaque, sql = self.call_data(name, node)
            else:
                # rows given as a comprehension over a query's held rows read that table
                reads, sql = frozenset(self.held_rows_read(node)), ()
                writes = frozenset({(table.lower(), "*")}) if table else frozenset()
                opaque = table is None
            text = self.executed_text(node) if name == "execute" else None
            emptied = self.emptied(node, sql) if name == "execute" else frozenset()
            self.fills.append(
                Fill(f"op.{name}", line, end, self.seq, reads, writes, opaque, sql, text, emptied)
            )
            self.fill_seqs[id(node)] = self.seq
            if opaque or unread_clause(sql):
                self.opaque_fill(node)
            if name == "bulk_insert":
                self.bulk_rows(params.get("rows"), table, node)
            else:
                self.executed_insert(node)
            return False  # what it executes may be an update(...).values(...)
        return True

    def dialect_value(self, test: ast.expr) -> bool | None:
        """Whether a dialect test inside an operation's arguments holds on the target; None
        when undecided, or when a MySQL server itself would answer otherwise (a test only
        MariaDB passes: which value runs depends on the server)."""
        outcome = self.dialect.outcome(test)
        if outcome is None or self.dialect.on_mysql(test) not in (None, outcome):
            return None
        return outcome

    def reflected_drop(
        self, name: str, params: Mapping[str, ast.expr], table: str | None
    ) -> ReflectedKeys | None:
        """The keys a drop removes when it is named by a reflection loop's variable, on the
        table that loop reflects (the drop's own table must be it, or be named by the same
        expression; a drop_index without a table is taken to be on it)."""
        if name not in ("drop_constraint", "drop_index"):
            return None
        parameter = "constraint_name" if name == "drop_constraint" else "index_name"
        found = self.found_key(params.get(parameter))
        if found is not None:
            return found if _drops_found(found, name, params, table) else None
        if not self.reflected_loops:
            return None
        variable = reflected_name(params.get(parameter), self.reflected_loops)
        if variable is None:
            return None
        walked, words = self.reflected_loops[variable]
        type_node = params.get("type_")
        type_ = string_value(type_node) if type_node is not None else None
        if not dropped_kind(name, type_, walked.kind):
            return None
        reflected_table = walked.table
        table_node = params.get("table_name")
        if reflected_table is None and walked.table_node is not None and table_node is not None:
            # the same run-time name on both: `insp.get_indexes(name)`, `drop_index(..., name)`
            if ast.dump(walked.table_node) == ast.dump(table_node):
                reflected_table = (table or "").lower() or None
        if reflected_table is None:
            return None
        if table is None and table_node is not None:
            if walked.table_node is None or ast.dump(walked.table_node) != ast.dump(table_node):
                return None  # dropped on a table named at run time, maybe another one
        elif table is not None and table.lower() != reflected_table:
            return None
        return ReflectedKeys(walked.kind, reflected_table, words)

    def found_key(self, node: ast.expr | None) -> ReflectedKeys | None:
        """The key `node` names when it is a call of a finder function (key_finders.py) given
        literals, or a variable bound to one."""
        if type(node) is ast.Name:
            return self.found_keys.get(node.id)
        if type(node) is not ast.Call or not (node.args or node.keywords):
            return None
        definition = self.finder_definition(node.func)
        finder = key_finder(definition) if definition is not None else None
        return picked_key(finder, node, self.literal) if finder is not None else None

    def finder_definition(self, func: ast.expr) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The function a call names, of this file, of the project module being read, or one
        the revision imports from the project."""
        if type(func) is ast.Attribute:
            return self.module_function(func)
        if type(func) is not ast.Name:
            return None
        if func.id in self.helpers:
            return self.helpers[func.id]
        if self.project_scopes and func.id in self.project_scopes[-1].functions:
            return self.project_scopes[-1].functions[func.id]
        return self.project_function(func)

    def reflection(self, node: ast.expr) -> Reflection | None:
        """What `node` lists when it is (or names a variable holding) a table's keys as
        reflection reports them."""
        if type(node) is ast.Name:
            return self.reflections.get(node.id)
        tables = {name: model.table for name, model in self.tables.items()}
        return reflection(node, self.literal, tables)

    def tablename_of(self, node: ast.Attribute) -> ast.expr | None:
        """`Model.__tablename__` as the literal table name: an ORM class of this file, or one
        of the project's own modules (`from app.models import SqlRun`); None otherwise."""
        owner = node.value
        if type(owner) is ast.Name:
            model = self.tables.get(owner.id)
            if model is not None and model.orm and model.table:
                return ast.copy_location(ast.Constant(model.table), node)
        table = self.imported.tablename(node) if self.imported is not None else None
        return ast.copy_location(ast.Constant(table), node) if table is not None else None

    def core_name_of(self, node: ast.Attribute) -> ast.expr | None:
        """`t.name` and `t.c.x.name` (or `t.c["x"].name`) of a Core table of the revision
        (`sa.table("t", ...)`, also one a same-file factory made) as the literal table or
        column name; None otherwise (an ORM class's `name` is one of its columns)."""
        owner = node.value
        if type(owner) is ast.Name:
            model = self.tables.get(owner.id)
            if model is not None and not model.orm and model.table:
                return ast.copy_location(ast.Constant(model.table), node)
            return None
        column: str | None = None
        if type(owner) is ast.Attribute:
            column, owner = owner.attr, owner.value
        elif type(owner) is ast.Subscript and isinstance(owner.slice, ast.expr):
            column, owner = string_value(owner.slice), owner.value
        if (
            column is None
            or type(owner) is not ast.Attribute
            or owner.attr != "c"
            or type(owner.value) is not ast.Name
        ):
            return None
        model = self.tables.get(owner.value.id)
        if model is None or model.orm:
            return None
        return ast.copy_location(ast.Constant(column), node)

    def indexed_constant(self, node: ast.Subscript) -> ast.expr | None:
        """`NAME[i]` with a literal integer `i` into a literal list or tuple constant: its
        element; None when the name, the index or the element is not one lint can read."""
        sequence = self.constants.get(node.value.id) if type(node.value) is ast.Name else None
        index = node.slice
        if (
            not isinstance(sequence, (ast.List, ast.Tuple))
            or type(index) is not ast.Constant
            or type(index.value) is not int
            or not 0 <= index.value < len(sequence.elts)
        ):
            return None
        element = sequence.elts[index.value]
        return element if type(element) is ast.Constant else None

    def keyed_constant(self, node: ast.Subscript) -> ast.expr | None:
        """`NAME["key"]` with NAME bound to a literal dict of names (a pass of `for info in
        TABLES:` over a list of `{"name": "t", "columns": ("a", "b")}`): the key's literal
        string or list of strings; None when the name, the key or the value is not one lint
        reads (round 36: codechecker's `batch_alter_table(table_info["name"])`)."""
        mapping = self.constants.get(node.value.id) if type(node.value) is ast.Name else None
        key = string_value(node.slice) if isinstance(node.slice, ast.expr) else None
        if type(mapping) is not ast.Dict or key is None or not is_literal_dict(mapping):
            return None
        for name, value in zip(mapping.keys, mapping.values):
            if name is not None and string_value(name) == key:
                return value if _is_literal(value) else None
        return None

    def with_constants(self, node: ast.Call) -> ast.Call:
        """The call with each argument that names a literal constant replaced by the literal,
        and `Model.__tablename__` by the table the class maps."""
        if (
            not self.constants
            and not self.bound_types
            and not any(
                type(arg) is ast.Attribute and arg.attr in ("__tablename__", "name")
                for arg in (*node.args, *(kw.value for kw in node.keywords))
            )
        ):
            return node  # (a name folded from parts needs a constant for one of them)

        def known(arg: ast.expr) -> ast.expr:
            if type(arg) is ast.Name:
                return self.constants.get(arg.id) or self.bound_types.get(arg.id, arg)
            if type(arg) is ast.Attribute and arg.attr == "__tablename__":
                return self.tablename_of(arg) or arg
            if type(arg) is ast.Attribute and arg.attr == "name":
                return self.core_name_of(arg) or arg
            if type(arg) in (ast.BinOp, ast.JoinedStr):
                # `prefix + "_torrents"` with the loop's prefix bound: the whole name
                return folded_name(arg, self.constants.get) or arg
            if type(arg) is ast.Call:
                return self.with_constants(arg)  # sa.Column(name, ...) inside add_column
            if type(arg) is ast.Subscript:
                # `default=STATES[0]` over a literal list: the element; unread otherwise
                return self.indexed_constant(arg) or self.keyed_constant(arg) or arg
            if isinstance(arg, (ast.List, ast.Tuple)) and any(
                type(element) is ast.Name for element in arg.elts
            ):
                # `[column]` in a helper: the key's columns as the call's arguments give them
                elements = [known(element) for element in arg.elts]
                return type(arg)(elements, ast.Load(), **_position(arg))
            return arg

        args: list[ast.expr] = []
        for arg in node.args:
            spread: ast.expr | None = None
            if type(arg) is ast.Starred and type(arg.value) is ast.Name:
                spread = self.constants.get(arg.value.id)
            elif type(arg) is ast.Starred:
                # `*sorted(OLD + ("x",))`, `*list(OLD)`: the members it computes (round 28)
                spread = sequence_node(arg.value, self.constants.get)
            if isinstance(spread, (ast.List, ast.Tuple)):
                # `sa.Enum(*ROLES, name="role")` over a literal list: its values, in place
                args.extend(known(element) for element in spread.elts)
            else:
                args.append(known(arg))
        expanded = spread_keywords(node.keywords, self.constants)
        keywords = [ast.keyword(kw.arg, known(kw.value)) for kw in expanded]
        return ast.Call(node.func, args, keywords, **_position(node))

    def fill(
        self,
        kind: str,
        node: ast.AST,
        reads: frozenset[ColumnRef] = frozenset(),
        writes: frozenset[ColumnRef] = frozenset(),
        opaque: bool = False,
        statements: tuple[SqlStatement, ...] = (),
    ) -> None:
        line = getattr(node, "lineno", 0)
        end = getattr(node, "end_lineno", line) or line
        fill = Fill(kind, line, end, self.next_seq(), reads, writes, opaque, statements)
        if self.relation_keys and reads:
            keys = frozenset().union(*(self.relation_keys.get(r, ()) for r in reads))
            fill = fill._replace(keys=keys - reads) if keys else fill
        self.fills.append(fill)
        self.fill_seqs[id(node)] = self.seq
        if self.grouped:
            self.deleted_grouped(self.fills[-1])
        if type(node) is ast.Call and (opaque or unread_clause(statements)):
            self.opaque_fill(node)

    def saves_loaded_rows(self, node: ast.Call) -> bool:
        """Whether a session's bulk save or merge is given a name that holds only instances a
        query loaded (`plans = session.query(Plan).all()`, round 32): they hold their rows'
        values and what the revision assigned to them, which it read where they were
        written. Objects built here, lists built up, or anything else may hold anything."""
        given = node.args[0] if len(node.args) == 1 else None
        if type(given) is not ast.Name or given.id not in self.instances:
            return False
        if given.id in self.constructed or given.id in self.built.lists:
            return False
        values = self.expressions.get(given.id, ())
        return bool(values) and all(
            type(value) is ast.Call
            and self.orm_class(value) is not None
            and not (type(value.func) is ast.Name and value.func.id in self.tables)
            for value in values
        )

    def call_data(
        self, method: str, node: ast.Call
    ) -> tuple[frozenset[ColumnRef], frozenset[ColumnRef], bool, tuple[SqlStatement, ...]]:
        """What a fill call reads and writes: (reads, writes, opaque, its SQL statements)."""
        reads = self.reads(node)
        if method in _OPAQUE_METHODS:
            return reads, frozenset(), not self.saves_loaded_rows(node), ()
        if method not in _EXECUTES:
            return reads, frozenset(), False, ()
        argument = node.args[0] if node.args else None
        for kw in node.keywords:
            if kw.arg in ("sqltext", "statement", "object_", "sql"):
                argument = kw.value
        if type(argument) is ast.Name and argument.id in self.held_statements:
            # a statement built before and executed here: what it reads is read here
            argument = self.held_statements[argument.id]
            reads = reads | self.reads(argument)
        if argument is None:
            return reads, frozenset(), True, ()
        text = self.sql_text(argument)
        if text is None:
            # a template filled from a name known only at run time (`prefix + "t"`): what it
            # reads, with that table as a computed name; nothing else is taken from it
            template = argument
            if (
                type(template) is ast.Call
                and template.args
                and self.names.sqlalchemy_name(template.func) in _SQL_TEXT_CALLS
            ):
                template = template.args[0]  # sa.text("...".format(...))
            pattern = self.template_of(template)
            if pattern is not None:
                reads = reads | frozenset(ref for s in read_sql(pattern) for ref in s.reads)
        if text is None:
            # a Core construct (t.update().values(...), sa.select(...)) shows what it does;
            # anything else (a variable, an f-string) may do anything
            core = (
                type(argument) is ast.Call
                and type(argument.func) is ast.Attribute
                and not sql_template_call(argument, self.names.sqlalchemy_name)
            )
            return reads, frozenset(), not core, ()
        sql = read_sql(text)
        writes = frozenset(ref for statement in sql for ref in statement.writes)
        reads = reads | frozenset(ref for statement in sql for ref in statement.reads)
        # a function or trigger defined (or dropped), or a SET of a variable, writes no row
        # when the statement runs
        opaque = any(
            statement.kind == OTHER and not (statement.defines_routine or statement.sets_session)
            for statement in sql
        )
        return reads, writes, opaque, sql

    def application_objects(self, node: ast.Call) -> None:
        """`session.add(Model(col=v))`, `session.add_all([Model(...), ...])`, `rows.append(
        Model(...))` in a loop: new objects of an ORM class of the application (imported from
        its own code, so its table is not known here) written with column keywords. Each is
        a fill writing those columns (of no known table) and reading what the values read."""
        if type(node.func) is ast.Attribute and node.func.attr == "append" and not self.loops:
            return
        for argument in node.args:
            made = argument.elts if isinstance(argument, (ast.List, ast.Tuple)) else [argument]
            for call in made:
                if type(call) is ast.ListComp:
                    call = call.elt
                if not (type(call) is ast.Call and type(call.func) is ast.Name and call.keywords):
                    continue
                name = call.func.id
                qualified = self.names.qualified(call.func)
                if (
                    not name[:1].isupper()
                    or name in self.tables
                    or qualified is None
                    or qualified.startswith(_LIBRARIES)
                ):
                    continue
                columns = {kw.arg.lower() for kw in call.keywords if kw.arg is not None}
                self.fill(
                    f"{name}(...)",
                    call,
                    self.reads(call),
                    frozenset((None, column) for column in columns),
                )

    def executed(self, node: ast.Call) -> ast.expr | None:
        """What an execute call runs: its first argument or the keyword naming it."""
        argument = node.args[0] if node.args else None
        for kw in node.keywords:
            if kw.arg in ("sqltext", "statement", "object_", "sql"):
                argument = kw.value
        return argument

    def emptied(self, node: ast.Call, sql: Sequence[SqlStatement]) -> frozenset[str]:
        """The tables an execute call deletes every row of: raw `DELETE FROM t` (no WHERE) or
        `TRUNCATE t`, or a Core `t.delete()` / `sa.delete(t)` run as it is (any `.where()`
        chained on it chooses rows)."""
        found = {s.table for s in sql if s.kind == DELETE and s.every_row and s.table}
        argument = self.executed(node)
        if type(argument) is ast.Call:
            func = argument.func
            target: ast.expr | None = None
            if type(func) is ast.Attribute and func.attr == "delete" and not argument.args:
                target = func.value  # t.delete()
            elif self.names.sqlalchemy_name(func) == "delete" and argument.args:
                target = argument.args[0]  # sa.delete(t)
            model = self.model_of(target) if target is not None else None
            if model is None and type(target) is ast.Call:
                # sa.table("t", ...).delete(): the table written inline
                model = table_model("", target, self.names, self.constants)
            if model is not None and model.table:
                found.add(model.table.lower())
        return frozenset(found)

    def query_emptied(self, receiver: ast.expr) -> frozenset[str]:
        """`session.query(T).delete()` with nothing between the query and the delete: every
        row of T's table goes (a `.filter()` in between chooses some)."""
        if not (
            type(receiver) is ast.Call
            and type(receiver.func) is ast.Attribute
            and receiver.func.attr == "query"
            and len(receiver.args) == 1
        ):
            return frozenset()
        model = self.model_of(receiver.args[0])
        return (
            frozenset({model.table.lower()}) if model is not None and model.table else frozenset()
        )

    def parameter_writes(self, node: ast.Call) -> frozenset[ColumnRef]:
        """The columns an execute call's parameters set when it runs a Core UPDATE or INSERT
        with them (`conn.execute(t.update().where(...), {"c": v})`, or a list of such dicts,
        or a name a loop appended them to): their keys, of the construct's table. Raw SQL
        binds parameters by placeholder: its SET names the columns itself."""
        statement = self.executed(node)
        if len(node.args) < 2 or type(statement) is not ast.Call:
            return frozenset()
        table = self.dml_table(statement)
        if table is None:
            return frozenset()
        parameters = node.args[1]
        dicts: list[ast.Dict] = []
        if type(parameters) is ast.Dict:
            dicts.append(parameters)
        elif isinstance(parameters, (ast.List, ast.Tuple)):
            dicts.extend(e for e in parameters.elts if type(e) is ast.Dict)
        elif type(parameters) is ast.ListComp and type(parameters.elt) is ast.Dict:
            dicts.append(parameters.elt)
        elif type(parameters) is ast.Name:
            dicts.extend(self.appended.get(parameters.id, ()))
        return frozenset(
            (table, column.lower())
            for mapping in dicts
            for key in mapping.keys
            if key is not None
            for column in (string_value(key),)
            if column is not None
        )

    def executed_insert(self, node: ast.Call) -> None:
        """A Core INSERT executed with no `.values()` of its own (`conn.execute(t.insert(),
        rows)`, `op.execute(sa.insert(t))`): its rows are the parameters' dicts (one row of
        the columns' defaults when none are given); `.values()` records its own rows."""
        statement = self.executed(node)
        held = type(statement) is ast.Name and statement.id in self.held_statements
        if type(statement) is ast.Name and held:
            statement = self.held_statements[statement.id]
        base: ast.expr | None = statement
        target: ast.expr | None = None
        values: ast.Call | None = None  # its `.values(...)`
        selected = False  # `.from_select(...)`: rows of a SELECT, not read here
        while type(base) is ast.Call:
            func = base.func
            if self.names.sqlalchemy_name(func) == "insert" and base.args:
                target = base.args[0]  # sa.insert(t)
                break
            if type(func) is not ast.Attribute:
                return
            if func.attr == "insert" and not base.args:
                target = func.value  # t.insert()
                break
            if func.attr == "values" and values is None:
                values = base
            selected = selected or func.attr == "from_select"
            base = func.value
        if target is None or (values is not None and not held):
            return  # no INSERT, or one whose `.values()` recorded its rows where it was read
        model = self.model_of(target)
        table = model.table.lower() if model is not None and model.table else None
        rows: tuple[frozenset[str], ...] | None = (frozenset(),)
        if selected:
            rows = None
        elif values is not None:
            rows = _values_rows(values)  # built before, run here: its rows go in now
        elif len(node.args) > 1:
            rows = _rows(node.args[1])
        self.inserted.append(InsertedRows(table, self.seq, node.lineno, rows))

    def dml_table(self, statement: ast.Call) -> str | None:
        """The table (lowercase) of a Core `t.update()...` / `sa.insert(t)...` chain, else None."""
        base: ast.expr = statement
        while type(base) is ast.Call:
            func = base.func
            if type(func) is ast.Attribute and func.attr in ("update", "insert"):
                model = self.model_of(func.value) if not base.args else None
                if model is None and self.names.sqlalchemy_name(func) in ("update", "insert"):
                    model = self.model_of(base.args[0]) if base.args else None
                return model.table.lower() if model is not None and model.table else None
            if self.names.sqlalchemy_name(func) in ("update", "insert") and base.args:
                model = self.model_of(base.args[0])
                return model.table.lower() if model is not None and model.table else None
            if type(func) is not ast.Attribute:
                return None
            base = func.value
        return None

    def executed_text(self, node: ast.Call) -> str | None:
        """The literal SQL an execute call runs, else None."""
        argument = node.args[0] if node.args else None
        for kw in node.keywords:
            if kw.arg in ("sqltext", "statement", "object_", "sql"):
                argument = kw.value
        return self.sql_text(argument) if argument is not None else None

    def sql_text(self, node: ast.expr) -> str | None:
        """The SQL of `"..."` or `sa.text("...")` (also held in a variable), else None."""
        if type(node) is ast.Name and node.id in self.held_statements:
            node = self.held_statements[node.id]
        if type(node) is ast.Call and (
            (verb := _SEQUENCE_DDL.get(self.names.sqlalchemy_name(node.func) or "")) is not None
        ):
            return f"{verb} {_sequence_name(node.args[0] if node.args else None)}"
        if (
            type(node) is ast.Call
            and node.args
            and (self.names.sqlalchemy_name(node.func) in _SQL_TEXT_CALLS)
        ):
            node = node.args[0]
        if type(node) is ast.Name:
            node = self.constants.get(node.id, node)
        if type(node) is ast.Name and len(self.expressions.get(node.id, ())) == 1:
            joined = self.expressions[node.id][0]
            if type(joined) is ast.BinOp and type(joined.op) is ast.Add:
                node = joined  # `query = ("DELETE ... " + "WHERE ...")`, then text(query)
        if type(node) is ast.JoinedStr:
            # an f-string of known names, else a template whose values are run-time ones
            return self.formatted(node) or templated_sql(node, self.sql_lookup, placeholders=False)
        if type(node) is ast.BinOp and type(node.op) is ast.Add:
            # SQL written over several lines as `"INSERT ... " + "SELECT ... "`, or joined
            # with values known only at run time (`"... WHERE k = '" + row.k + "'"`)
            return folded(node, self.sql_lookup) or concatenated_sql(node, self.sql_lookup)
        if type(node) is ast.Call and type(node.func) is ast.Name:
            return self.returned_sql(node)  # `keep_latest("owner", "serial")` of this file
        if type(node) in (ast.Call, ast.BinOp):
            # `"UPDATE {} ...".format(prefix + "t")`, `"... %s" % name`
            return templated_sql(node, self.sql_lookup, placeholders=False)
        return string_value(node) if type(node) is ast.Constant else None

    def returned_sql(self, call: ast.Call) -> str | None:
        """The SQL a function of this file returns for this call (sql_templates.
        returned_template): its parameters hold the call's literal arguments, each local name
        the text it was bound to, and the returned template is read with them; None when a
        part is known only at run time."""
        name = call.func.id if type(call.func) is ast.Name else ""
        definition = self.helpers.get(name)
        if definition is None or name in self.inlined:
            return None
        spread = spread_arguments(call, self.literal)  # `keep_latest(*PAIR)`
        if spread is not None:
            call = ast.Call(call.func, spread, call.keywords)
        found = returned_template(definition, call)
        if found is None:
            return None
        saved = self.constants
        constants = {k: v for k, v in saved.items() if k not in found.arguments}
        for parameter, argument in found.arguments.items():
            value = self.literal(argument)  # read where the call is: the caller's names
            if value is not None:
                constants[parameter] = value
        self.constants = constants
        saved_flags = self.flags
        self.flags = self.bound_flags(saved_flags, found.arguments, list(found.arguments))
        self.inlined.add(name)
        try:
            for local, value in found.assigned:
                text = self.sql_text(value)
                if text is None:
                    constants.pop(local, None)  # known only at run time
                else:
                    constants[local] = ast.Constant(text)
            return self.sql_text(found.returned)
        finally:
            self.inlined.discard(name)
            self.constants = saved
            self.flags = saved_flags

    def formatted(self, node: ast.JoinedStr) -> str | None:
        """An f-string's text when each value in it is a name holding a literal string (a
        helper's table parameters bound by the call: `f"INSERT INTO {new} SELECT * FROM
        {old}"`); None when any part is not known."""
        parts: list[str] = []
        for part in node.values:
            if type(part) is ast.Constant and type(part.value) is str:
                parts.append(part.value)
                continue
            value = part.value if type(part) is ast.FormattedValue else None
            known = self.constants.get(value.id) if type(value) is ast.Name else None
            text = string_value(known) if known is not None else None
            if type(value) is ast.IfExp:
                text = folded(value, self.sql_lookup)  # `{column if forward else old}`
            if text is None or (type(part) is ast.FormattedValue and part.format_spec):
                return None
            parts.append(text)
        return "".join(parts)

    def reads(self, node: ast.AST) -> frozenset[ColumnRef]:
        """Columns an expression reads: `t.c.col`, `Model.col`, `obj.col` of an instance or a
        row of a loop, `row["col"]`, `sa.column("col")`, `getattr(t.c, name)`; through the
        local names it is built from (`condition = and_(t.c.a == ...)`)."""
        found: set[ColumnRef] = set()
        nodes = list(with_bound_names(node, self.expressions))
        loops = comprehension_strings(nodes, self.constants)
        own_chain = _call_chain(node)
        # `r.body for r in survey.rules`: the comprehension's name holds related instances
        yielded = {
            child.target.id: cls
            for child in ast.walk(node)
            if type(child) is ast.comprehension and type(child.target) is ast.Name
            for cls in (self.orm_class(child.iter),)
            if cls is not None
        }
        for child in nodes:
            if type(child) is ast.Call:
                for table_node, named in getattr_columns(child, self.constants, loops):
                    model = self.model_of(table_node)
                    table = model.table if model is not None else None
                    found.add((table.lower() if table else None, named.lower()))
            if type(child) is ast.Attribute:
                value = child.value
                if type(value) is ast.Attribute and value.attr in COLUMN_COLLECTIONS:
                    model = self.model_of(value.value)
                    table = model.table if model is not None else None
                    found.add((table.lower() if table else None, child.attr.lower()))
                elif type(value) in (ast.Subscript, ast.Attribute):
                    # `a.checks[0].kind`: a column of the class the relationship leads to
                    related = self.tables.get(self.related_class(value) or "")
                    if related is not None and related.table:
                        found.add((related.table.lower(), mapped_column(related, child.attr)))
                elif type(value) is ast.Name:
                    holder = self.instances.get(value.id) or yielded.get(value.id)
                    model = self.tables.get(holder or value.id)
                    if model is not None and model.orm:
                        table = model.table.lower() if model.table else None
                        found.add((table, mapped_column(model, child.attr)))
                    elif value.id in self.loop_variables:
                        found.add((None, child.attr.lower()))
            elif type(child) is ast.Subscript and type(child.value) is ast.Name:
                key = string_value(child.slice) if isinstance(child.slice, ast.expr) else None
                if key is not None and child.value.id in self.loop_variables:
                    found.add((None, key.lower()))
            elif type(child) is ast.Subscript and type(child.value) is ast.Attribute:
                # t.c["id"]: a column by its name
                key = string_value(child.slice) if isinstance(child.slice, ast.expr) else None
                if key is not None and child.value.attr in COLUMN_COLLECTIONS:
                    model = self.model_of(child.value.value)
                    table = model.table if model is not None else None
                    found.add((table.lower() if table else None, key.lower()))
            elif type(child) is ast.Call and child.args:
                if type(child.func) is ast.Attribute and child.func.attr == "from_select":
                    found.update(self.whole_rows(child.args[-1]))
                if (
                    type(child.func) is ast.Attribute
                    and child.func.attr == "query"
                    and child not in own_chain
                ):
                    # `session.query(t)` (a Core table or a class) in what a write is built
                    # from, often through a name (`ids = session.query(t).filter(...).all()`,
                    # then `.in_([r[0] for r in ids])`): the write uses t's rows. The query
                    # a statement itself runs only fetches them.
                    found.update(self.queried_rows(child.args))
                if self.names.sqlalchemy_name(child.func) in ("column", "literal_column"):
                    column = string_value(child.args[0])
                    if column is not None:
                        found.add((None, column.lower()))
        found.update(self.held_rows_read(node))
        return frozenset(found)

    def fetched_earlier(self, iterable: ast.expr, read: frozenset[ColumnRef]) -> None:
        """Rows a name holds, fetched by a query run earlier (`rows = conn.execute("SELECT *
        FROM t").fetchall()`), whose values a later loop or comprehension takes: the values
        left the table when the query ran, so they are read there too, before a drop of
        their column between the fetch and the loop (the loop's own fill is at the loop). A
        name bound again after (its latest query) is dated by that query."""
        if type(iterable) is not ast.Name or self.held_query_table(iterable) is None:
            return
        fetched = [
            self.fill_seqs[id(node)]
            for node in with_bound_names(iterable, self.expressions)
            if type(node) is ast.Call and id(node) in self.fill_seqs
        ]
        if fetched and max(fetched) < self.seq:
            line = getattr(iterable, "lineno", 0)
            end = getattr(iterable, "end_lineno", line) or line
            self.fills.append(Fill("rows fetched earlier", line, end, max(fetched), read))

    def held_rows_read(self, node: ast.AST) -> set[ColumnRef]:
        """What a comprehension over held query rows reads of them: `[{"a": r.key} for r in
        rows]`, where `rows` holds a query's rows (`rows = conn.execute(sa.text("SELECT ...
        FROM t")).fetchall()`): `r.key` / `r["key"]` as t's columns, as a loop over the same
        rows reads them (rows_read)."""
        found: set[ColumnRef] = set()
        for child in ast.walk(node):
            if not isinstance(child, (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)):
                continue
            for generator in child.generators:
                if type(generator.target) is not ast.Name:
                    continue
                table = self.held_query_table(generator.iter)
                if table is None:
                    continue
                row = generator.target.id
                for part in ast.walk(child):
                    if (
                        type(part) is ast.Attribute
                        and type(part.value) is ast.Name
                        and part.value.id == row
                    ):
                        found.add((table, part.attr.lower()))
                    elif (
                        type(part) is ast.Subscript
                        and type(part.value) is ast.Name
                        and part.value.id == row
                    ):
                        key = string_value(part.slice) if isinstance(part.slice, ast.expr) else None
                        if key is not None:
                            found.add((table, key.lower()))
        return found

    def queried_rows(self, queried: Sequence[ast.expr]) -> set[ColumnRef]:
        """Every column, as "*", of each table of the revision a query is given whole (a
        table's name, not one of its columns)."""
        return {
            (model.table.lower(), "*")
            for node in queried
            if type(node) is ast.Name
            for model in (self.model_of(node),)
            if model is not None and model.table
        }

    def whole_rows(self, select: ast.expr) -> set[ColumnRef]:
        """The tables an INSERT ... SELECT copies whole: `old.select()`, `sa.select(old)` (a
        table of the revision, not one of its columns): every column of each, as "*"."""
        target: list[ast.expr] = []
        if type(select) is ast.Call:
            func = select.func
            if type(func) is ast.Attribute and func.attr == "select" and not select.args:
                target.append(func.value)
            elif self.names.sqlalchemy_name(func) == "select":
                target.extend(select.args)
        found: set[ColumnRef] = set()
        for node in target:
            model = self.model_of(node)
            if model is not None and model.table:
                found.add((model.table.lower(), "*"))
        return found

    def queried_table(self, node: ast.expr) -> str | None:
        """The table a query names (`t.select()`, `session.query(t)`, a loop's iterable): the
        first name in it that is a table of the revision (lowercase)."""
        return next(
            (
                model.table.lower() if model.table else LIKE + cast(str, model.name_like)
                for child in ast.walk(node)
                if type(child) is ast.Name
                for model in (self.tables.get(child.id),)
                if model is not None and (model.table or model.name_like)
            ),
            None,
        )

    def held_query_table(self, iterable: ast.expr) -> str | None:
        """The table of a query whose rows a loop takes through local names (`result =
        conn.execute(t.select())`, `chunk = result.fetchmany(n)`, `for row in chunk:`); a name
        bound to a write (`t.insert()`, `t.update()`) is not a query of rows. A literal
        `SELECT ... FROM t` the name's value executes (`rows = list(conn.execute(sa.text(
        "SELECT k, v FROM t")))`) names its table too: a table rebuilt through a legacy copy
        reads the old rows this way, column names that are SQL keywords (`key`, `value`) or
        `*` included, which the SQL's own column reads miss."""
        if (
            type(iterable) is ast.Call
            and type(iterable.func) is ast.Name
            and iterable.func.id == "enumerate"
            and iterable.args
        ):
            iterable = iterable.args[0]  # `enumerate(rows)` walks the same rows, numbered
        if type(iterable) is not ast.Name:
            return None
        for node in with_bound_names(iterable, self.expressions):
            if type(node) is not ast.Call or any(
                type(part) is ast.Attribute and part.attr in _WRITES for part in ast.walk(node)
            ):
                continue
            table = self.queried_table(node) or self.selected_table(node)
            if table is not None:
                return table
        return None

    def selected_table(self, node: ast.Call) -> str | None:
        """The one table a literal `SELECT` executed by `node` reads from (lowercase): a
        statement that is anything else (an INSERT, a DELETE), or SQL lint cannot read, names
        none."""
        if type(node.func) is not ast.Attribute or node.func.attr not in _EXECUTES:
            return None
        text = self.executed_text(node)
        statements = read_sql(text) if text is not None else ()
        if len(statements) != 1 or statements[0].kind != SELECT or not statements[0].table:
            return None
        return statements[0].table.lower()

    def rows_read(self, statement: ast.For | ast.AsyncFor, bound: set[str]) -> frozenset[ColumnRef]:
        """What the body of a loop over rows reads of them: `row.col`, `row["col"]`,
        `row._mapping["col"]`; `row[0]` (by position) reads every column of the table the loop
        selects from, when the loop names it (`t.select()`, `session.query(t)`). A row the body
        fetches itself by a second query (`other = conn.execute(t.select()...).first()`) is read
        the same way, as a row of the table that query names."""
        table = self.queried_table(statement.iter) or self.held_query_table(statement.iter)
        rows: dict[str, str | None] = dict.fromkeys(bound, table)
        for node in (child for part in statement.body for child in ast.walk(part)):
            if type(node) is ast.Assign and len(node.targets) == 1:
                target, value = node.targets[0], node.value
                if (
                    type(target) is ast.Name
                    and target.id not in rows
                    and type(value) is ast.Call
                    and not any(
                        type(part) is ast.Attribute and part.attr in _WRITES
                        for part in ast.walk(value)
                    )
                ):
                    fetched = self.queried_table(value)
                    if fetched is not None:
                        rows[target.id] = fetched
        found: set[ColumnRef] = set()
        for node in (child for part in statement.body for child in ast.walk(part)):
            if type(node) is ast.Attribute and type(node.value) is ast.Name:
                if node.value.id not in rows:
                    continue
                # an ORM row's attribute reads the column its Column names (`_seen =
                # Column("seen_at", ...)`: `row._seen` reads seen_at), private or not
                model = self.tables.get(self.instances.get(node.value.id) or "")
                if model is not None and model.orm and node.attr in model.columns:
                    found.add((rows[node.value.id], mapped_column(model, node.attr)))
                elif not node.attr.startswith("_"):
                    found.add((rows[node.value.id], node.attr.lower()))
            elif type(node) is ast.Attribute and type(node.value) is ast.Attribute:
                # `row.stats.total`: a relationship of the row (a scalar one, uselist=False)
                # loads the related row, whose column is read (orm_relations.py)
                owner = node.value.value
                if type(owner) is not ast.Name or owner.id not in rows:
                    continue
                related = self.tables.get(self.related_class(node.value) or "")
                if related is not None and related.orm and related.table:
                    found.add((related.table.lower(), mapped_column(related, node.attr)))
            elif type(node) is ast.Subscript:
                holder = node.value
                if type(holder) is ast.Attribute and holder.attr == "_mapping":
                    holder = holder.value
                if type(holder) is not ast.Name or holder.id not in rows:
                    continue
                of = rows[holder.id]
                key = node.slice if isinstance(node.slice, ast.expr) else None
                name = string_value(key) if key is not None else None
                if name is not None:
                    found.add((of, name.lower()))
                elif of is not None and type(key) is ast.Constant:
                    found.add((of, "*"))
        for node in (child for part in statement.body for child in ast.walk(part)):
            # `getattr(row, column_name)` with the name known (a helper's bound parameter)
            if type(node) is ast.Call and type(node.func) is ast.Name and len(node.args) >= 2:
                holder, named = node.args[0], self.literal(node.args[1])
                if node.func.id == "getattr" and type(holder) is ast.Name and holder.id in rows:
                    column = string_value(named) if named is not None else None
                    if column is not None:
                        found.add((rows[holder.id], column.lower()))
        whole_row = type(statement.target) is ast.Name  # not names unpacked from it
        if table is not None and whole_row and gives_row_whole(statement.body, bound):
            # `rep = to_dict(row)`, `New(**row)`: every column of a whole row taken
            if not selects_columns(*self.query_parts(statement.iter)):
                found.add((table, "*"))
        return frozenset(found)

    def query_parts(self, iterable: ast.expr) -> tuple[list[ast.AST], list[str]]:
        """The nodes of a looped-over query, through the names it is bound to, and the literal
        SQL its executes run (moved_rows reads whether it takes every row, every column)."""
        nodes = list(with_bound_names(iterable, self.expressions))
        sql = [
            text
            for node in nodes
            if type(node) is ast.Call
            and type(node.func) is ast.Attribute
            and node.func.attr in _EXECUTES
            for text in (self.executed_text(node),)
            if text is not None
        ]
        return nodes, sql

    def row_move(self, statement: ast.For | ast.AsyncFor, marks: tuple[int, int]) -> None:
        """A loop over every row of one table whose body (the steps since `marks`) writes rows
        of other tables: a copy of that table's rows (moved_rows.py)."""
        iterable = statement.iter
        table = self.queried_table(iterable) or self.held_query_table(iterable)
        if table is None or table.startswith(LIKE):
            return
        if chooses_rows(*self.query_parts(iterable)):
            return
        fills, assignments = marks
        rows = {b.id for b in ast.walk(statement.target) if type(b) is ast.Name}
        written = loop_writes_elsewhere(
            table,
            self.fills[fills:],
            self.assignments[assignments:],
            statement.body,
            self.tables,
            rows,
        )
        if written:
            self.row_moves.append((self.fill_seqs.get(id(iterable), self.seq), table, written))

    def criteria_read(self, iterable: ast.expr) -> frozenset[ColumnRef]:
        """The columns a looped-over query chooses its rows by: the arguments of its
        `.filter(...)`, `.where(...)` and `.having(...)` (`Mod.ckan == True`, `t.c.flag`), and
        the keywords of `.filter_by(flag=True)` as columns of the queried table; through a
        name the query was bound to (`rows = session.query(...).filter(...)`)."""
        table: str | None = None
        found: set[ColumnRef] = set()
        for node in with_bound_names(iterable, self.expressions):
            if type(node) is not ast.Call or type(node.func) is not ast.Attribute:
                continue
            if node.func.attr in _CRITERIA:
                for argument in node.args:
                    found.update(self.reads(argument))
            elif node.func.attr == "filter_by" and node.keywords:
                table = table or self.queried_table(iterable) or self.held_query_table(iterable)
                found.update((table, kw.arg.lower()) for kw in node.keywords if kw.arg)
        return frozenset(found)

    def grouped_rows(self, statement: ast.For | ast.AsyncFor, holder: str | None) -> None:
        """A loop over a table's rows that groups them in Python by some of their columns (a
        dict or set of the keys seen, deduplications.python_grouping): the duplicates a later
        delete in this function removes (deleted_grouped), as a project helper's would."""
        model = self.tables.get(holder) if holder is not None else None
        table = model.table.lower() if model is not None and model.table else None
        table = table or self.queried_table(statement.iter) or self.held_query_table(statement.iter)
        if table is None or table.startswith(LIKE):
            return
        columns = python_grouping(statement)
        if columns is not None:
            self.grouped.append((table, columns))

    def deleted_grouped(self, fill: Fill) -> None:
        """A delete after a loop grouped a table's rows (grouped_rows): the rows found alike
        are deleted, each table's duplicates removed at this step (L309). `session.delete(row)`
        names no table: it deletes rows of any table grouped before; a DELETE in SQL or Core
        deletes rows of the table it names."""
        deleted: set[str] | None = None  # None: any table
        if not fill.kind.endswith(".delete"):
            deleted = {s.table for s in fill.statements if s.kind == DELETE and s.table}
            if not deleted:
                return
        for table, columns in self.grouped:
            if deleted is None or table in deleted:
                found = HelperDeduplication(fill.seq, frozenset({table}), (columns,), False)
                self.helper_deduplications.append(found)

    def association_reads(self, statement: ast.For | ast.AsyncFor) -> frozenset[ColumnRef]:
        """The association tables a loop reads through a many-to-many relationship the file
        declares (`for user in users: user.roles`, `selectinload(Token.roles)`): every row of
        each is read (orm_relations.association_tables)."""
        if not self.associations:
            return frozenset()
        found: set[ColumnRef] = set()
        for part in (statement.iter, *statement.body):
            for node in ast.walk(part):
                if type(node) is ast.Attribute and type(node.ctx) is ast.Load:
                    found.update((table, "*") for table in self.associations.get(node.attr, ()))
        return frozenset(found)

    def assignment(
        self,
        model: TableModel | None,
        column: str,
        value: ast.expr,
        via: str,
        node: ast.AST,
        new_row: bool = False,
        where: tuple[ast.expr, ...] = (),
        every_row: bool = False,
        walked: int | None = None,
    ) -> None:
        line = getattr(node, "lineno", 0)
        self.assignments.append(
            Assignment(
                model=model,
                table=model.table if model is not None else None,
                column=column,
                value=value,
                via=via,
                line=line,
                end_line=getattr(node, "end_lineno", line) or line,
                seq=self.seq,
                in_loop=self.loops > 0,
                new_row=new_row,
                where=where,
                every_row=every_row,
                walked=walked,
            )
        )

    def model_of(self, node: ast.expr) -> TableModel | None:
        """The inline table an expression names: `t`, `_Election`, `_Election.__table__`, or a
        reflected MetaData's table by its literal name (`meta.tables["identity"]`)."""
        if type(node) is ast.Attribute and node.attr == "__table__":
            node = node.value
        if type(node) is ast.Subscript:
            return reflected_table(node)
        if type(node) is not ast.Name:
            return None
        known = self.tables.get(node.id)
        bound = self.expressions.get(node.id, ())
        if known is None and len(bound) == 1 and type(bound[0]) is ast.Subscript:
            return reflected_table(bound[0])  # identity = meta.tables["identity"]
        return known

    def related_class(self, node: ast.expr) -> str | None:
        """The ORM class an instance's relationship leads to: `parent.children`,
        `a.checks[0]` (orm_relations.py); None for anything else."""
        if type(node) is ast.Subscript:
            node = node.value
        if type(node) is not ast.Attribute or type(node.value) is not ast.Name:
            return None
        holder = self.instances.get(node.value.id)
        return self.relations.get((holder, node.attr)) if holder is not None else None

    def all_rows(self, node: ast.expr) -> bool:
        """Whether `node` yields every row of an ORM class's table: `session.query(C).all()`,
        `C.query.all()`, `session.scalars(select(C))`, ordered or fetched in batches but not
        narrowed (no filter, join, limit, first row), or a name holding such rows, also behind
        a wrapper that hands them on (`tqdm(rows)`, `list(rows)`)."""
        if type(node) is ast.Name:
            return node.id in self.every_row
        if type(node) is not ast.Call:
            return False
        func = node.func
        if type(func) is ast.Name:
            if func.id in _ROW_WRAPPERS and node.args:
                return self.all_rows(node.args[0])
            return func.id == "select" and len(node.args) == 1 and not node.keywords
        if type(func) is not ast.Attribute:
            return False
        if func.attr in ("query", "scalars", "execute") and type(func.value) is not ast.Call:
            # `session.query(C)`, the chain's start: one class, nothing else asked
            if len(node.args) != 1 or node.keywords:
                return False
            first = node.args[0]
            return type(first) in (ast.Name, ast.Attribute) or self.all_rows(first)
        if func.attr not in _WHOLE_QUERY_STEPS or (node.args and func.attr == "all"):
            return False
        base = func.value
        if type(base) is ast.Attribute and base.attr == "query" and type(base.value) is ast.Name:
            return True  # Flask-SQLAlchemy's `C.query.all()`
        return self.all_rows(base)

    def orm_class(self, node: ast.expr) -> str | None:
        """The ORM class whose instances `node` yields: `session.query(C).all()`, `C(...)`,
        a relationship of an instance (`parent.children`)."""
        if type(node) in (ast.Attribute, ast.Subscript):
            return self.related_class(node)
        chained = False
        while True:
            if type(node) is ast.Attribute and node.attr == "query" and chained:
                node = node.value  # Flask-SQLAlchemy's `Model.query.all()`
            if type(node) is ast.Name:
                if node.id in self.instances:
                    return self.instances[node.id]
                model = self.tables.get(node.id) if chained else None
                # `Model.query()`, `Model.query.all()`: a class's own query yields its rows
                return node.id if model is not None and model.orm else None
            if type(node) is not ast.Call:
                return None
            func = node.func
            if type(func) is ast.Name:
                model = self.tables.get(func.id)
                if model is not None and model.orm:
                    return model.variable
                callee = func.id
            elif type(func) is ast.Attribute:
                callee = func.attr
            else:
                return None
            args = node.args
            if args and type(func) is ast.Name and type(args[0]) is ast.Call:
                # `paginated(session.query(C), ...)`: a function of the project's given a
                # query of C, walked in batches, yields C's instances
                wrapped = self.orm_class(args[0])
                if wrapped is not None:
                    return wrapped
            if (
                args
                and type(func) is ast.Name
                and func.id in _ROW_WRAPPERS
                and type(args[0]) is ast.Name
                and args[0].id in self.instances
            ):
                # `tqdm(rows)`, `list(rows)`, `sorted(rows, key=...)` of rows a query fetched
                # earlier: the same instances, behind a progress bar or a copy (round 41)
                return self.instances[args[0].id]
            if args and callee in _ORM_SOURCES:
                first = args[0]
                model = self.tables.get(first.id) if type(first) is ast.Name else None
                if model is not None and model.orm:
                    return model.variable
                if model is None and type(first) is ast.Name:
                    # a class of the project's modules (`from app.models import Vendor` at
                    # the file's top): its rows are the table its `__tablename__` names
                    # (round 41), held under the class's name like the file's own classes
                    imported = self.class_model_of(first, first.id)
                    if imported is not None:
                        self.tables[first.id] = imported
                        return first.id
                inner = self.orm_class(first) if type(first) is ast.Call else None
                if inner is not None:
                    return inner
            if type(func) is not ast.Attribute:
                return None
            node = func.value  # a method chain: .filter(...).all()
            chained = True

    def values(self, node: ast.Call) -> None:
        """`sa.update(t).where(...).values(c=v)`, `t.insert().values({"c": v})`."""
        if type(node.func) is not ast.Attribute:
            return
        base = node.func.value
        model: TableModel | None = None
        target = None
        inserting = False
        while type(base) is ast.Call:
            func = base.func
            if self.names.sqlalchemy_name(func) in ("update", "insert"):
                inserting = self.names.sqlalchemy_name(func) == "insert"
                # sa.update(t) / update(t), or t.update()
                target = base.args[0] if base.args else getattr(func, "value", None)
                model = self.model_of(target) if target is not None else None
                if model is None and not inserting and base.args and type(target) is ast.Name:
                    # SQLAlchemy 2.0's update(Model) of an ORM class of the project (round 34)
                    model = self.class_model_of(target, target.id)
                break
            if type(func) is not ast.Attribute:
                return
            base = func.value
        if inserting:
            table = model.table.lower() if model is not None and model.table else None
            self.inserted.append(InsertedRows(table, self.seq, node.lineno, _values_rows(node)))
        if model is None and (type(target) is not ast.Name or self.loops == 0):
            return
        # a table the syntax cannot tell (`model.update()` over a loop's tables) still has
        # the column written, once per pass: kept with no table, as the readers of
        # assignments allow
        where = () if inserting else _where_clauses(self.chain_top or node, node)
        walked = self.walked_pass() if not inserting else None
        for kw in node.keywords:
            if kw.arg is not None:
                self.assignment(
                    model, kw.arg, kw.value, ".values()", node, inserting, where, walked=walked
                )
        for arg in node.args:
            if type(arg) is ast.Dict:
                self.dict_assignments(model, arg, ".values()", node, inserting)

    def walked_pass(self) -> int | None:
        """The seq of the rows the innermost loop walks, when a write here runs once in each
        of its passes: under no `if` its body adds, and no pass left early (round r40: a Core
        `t.update().where(t.c.id == row_id).values(...)` per row read; row_fills)."""
        if not self.walking:
            return None
        walk_seq, depth = self.walking[-1]
        return walk_seq if depth is not None and depth == self.if_depth else None

    def query_update(self, node: ast.Call, receiver: ast.expr) -> None:
        """`session.query(C).filter(...).update({C.col: v})`, also Flask-SQLAlchemy's
        `C.query.update({"col": v})` (round 42: `C.query` is no relationship)."""
        variable = self.queried_class(receiver) or self.orm_class(receiver)
        model = self.tables.get(variable) if variable is not None else None
        mapping = node.args[0]
        if model is not None and type(mapping) is ast.Dict:
            self.dict_assignments(model, mapping, "query().update()", node)

    def queried_class(self, receiver: ast.expr) -> str | None:
        """The class C of a Flask-SQLAlchemy query `C.query` under a method chain
        (`C.query.filter_by(...)`): the file's own ORM class, or one of the project's modules
        imported at the top (round 42), kept under its name like orm_class does."""
        node = receiver
        while type(node) is ast.Call and type(node.func) is ast.Attribute:
            node = node.func.value
        if not (type(node) is ast.Attribute and node.attr == "query"):
            return None
        owner = node.value
        if type(owner) is not ast.Name or owner.id in self.instances:
            return None
        model = self.tables.get(owner.id)
        if model is not None:
            return owner.id if model.orm else None
        imported = self.class_model_of(owner, owner.id)
        if imported is None:
            return None
        self.tables[owner.id] = imported
        return owner.id

    def bulk_rows(self, rows: ast.expr | None, table: str | None, node: ast.Call) -> None:
        named = table.lower() if table else None
        read = _rows(rows) if rows is not None else None
        self.inserted.append(InsertedRows(named, self.seq, node.lineno, read))
        if not isinstance(rows, (ast.List, ast.Tuple)):
            return
        table_node = node.args[0] if node.args else None
        model = self.model_of(table_node) if table_node is not None else None
        for row in rows.elts:
            if type(row) is ast.Dict:
                self.dict_assignments(model, row, "bulk_insert", row, new_row=True)

    def dict_assignments(
        self,
        model: TableModel | None,
        mapping: ast.Dict,
        via: str,
        node: ast.AST,
        new_row: bool = False,
    ) -> None:
        for key, value in zip(mapping.keys, mapping.values):
            if key is None:
                continue
            column = key.attr if type(key) is ast.Attribute else string_value(key)
            if column is not None:
                self.assignment(model, column, value, via, key, new_row)

    def assign(self, statement: ast.Assign) -> None:
        value = statement.value
        self.expression(value)
        if self.loops and any(type(target) is ast.Name for target in statement.targets):
            # `name = row.old` in a loop: the row's values are read (to be written elsewhere)
            reads = self.reads(value)
            if reads:
                self.fill("read in a loop", statement, reads)
        for target in statement.targets:
            if type(target) is ast.Name:
                reflected = self.reflection(value)
                if reflected is not None:
                    self.reflections[target.id] = reflected
                else:
                    self.reflections.pop(target.id, None)
                found = self.found_key(value)
                if found is not None:
                    self.found_keys[target.id] = found
                else:
                    self.found_keys.pop(target.id, None)
            if type(target) is ast.Name:
                # a local name hides the module's type; bound to a column type itself
                # (`kind = sa.Enum("a", "b", name="kind")`, in each dialect's branch), it is
                # read where an operation is given it, as a module-level one (round 30)
                typed = (
                    module_type(target.id, value, self.constants, self.names)
                    if type(value) is ast.Call
                    else None
                )
                if typed is not None:
                    self.bound_types[target.id] = typed
                else:
                    self.bound_types.pop(target.id, None)
                self.built.start(target.id, value, self.loop_items)
                self.learn_binding(target.id, value)
            if type(target) is ast.Name and self.dialect.learn(target.id, value):
                continue  # the dialect's name, or a decided test on it
            if type(target) is ast.Name:
                if (
                    (type(value) is ast.Constant and type(value.value) is str)
                    or (
                        isinstance(value, (ast.Tuple, ast.List))
                        and value.elts
                        and (_is_literal(value) or _literal_rows(value))
                    )
                    or is_literal_dict(value)
                    or keyword_dict(value)
                ):
                    # a name, a tuple of names or a dict of them the function loops over
                    self.constants[target.id] = keyword_dict(value) or value
                else:
                    # SQL a template makes (`req = "UPDATE t SET c='%s'" % value`) or literal
                    # parts join (`sql = "UPDATE t " + "SET c = 1"`: the name's latest value,
                    # also when it held other SQL before), or, for a name that held a
                    # literal, nothing lint knows any more
                    text = (
                        _joined_text(value, self.constants.get)
                        if type(value) in (ast.BinOp, ast.Call)
                        else _one_name_either_case(value)
                    )
                    if text is not None:
                        self.constants[target.id] = ast.copy_location(ast.Constant(text), value)
                    else:
                        self.constants.pop(target.id, None)
                self.bind_name(target.id, value)
                if target.id in self.tables:
                    # a table's definition (its `sa.column("x")`s) is no statement reading x
                    self.expressions.pop(target.id, None)
                else:
                    self.expressions.setdefault(target.id, []).append(value)
            elif type(target) is ast.Attribute:
                receiver = target.value
                holder = self.instances.get(receiver.id) if type(receiver) is ast.Name else None
                if holder is not None:
                    model = self.tables.get(holder)
                    table = model.table.lower() if model is not None and model.table else None
                    written = frozenset({(table, target.attr.lower())})
                    self.fill("attribute assignment", statement, self.reads(value), written)
                    name = receiver.id if type(receiver) is ast.Name else ""
                    new_row = name in self.constructed
                    # a write that reaches every row: the variable of a loop walking all of
                    # them, under no `if` the loop's body adds
                    every_row = (
                        self.loops > 0
                        and name in self.every_row
                        and self.walked_at.get(name) == self.if_depth
                    )
                    self.assignment(
                        model,
                        target.attr,
                        value,
                        "attribute",
                        statement,
                        new_row,
                        every_row=every_row,
                    )
                elif self.loops:
                    written = frozenset({(None, target.attr.lower())})
                    self.fill(
                        "attribute assignment in a loop", statement, self.reads(value), written
                    )
                    # `obj.uuid = uuid4()` on objects of a class lint does not know: kept for
                    # a project helper's call to report what it leaves in the column
                    self.untyped_assignments.append(
                        Assignment(
                            None,
                            None,
                            target.attr,
                            value,
                            "attribute",
                            statement.lineno,
                            statement.end_lineno or statement.lineno,
                            self.seq,
                            in_loop=True,
                        )
                    )

    def bind_name(self, name: str, value: ast.expr) -> None:
        self.column_variables.pop(name, None)
        if type(value) is ast.Name and value.id in self.every_row:
            self.every_row.add(name)  # `rows = stamps`: the same rows
        else:
            self.every_row.discard(name)
        self.constructed.discard(name)
        if type(value) is ast.Call and type(value.func) is ast.Name:
            built = self.tables.get(value.func.id)
            if built is not None and built.orm:
                self.constructed.add(name)
        self.held_statements.pop(name, None)
        if type(value) is ast.Call and is_statement(value, self.names):
            self.held_statements[name] = value
        if type(value) is ast.Call and column_spec(value, self.names) is not None:
            self.column_variables[name] = value
        if type(value) is ast.Lambda:
            self.factories[name] = value  # `col = lambda name: sa.Column(name, sa.String(50))`
            return
        if type(value) is ast.Call:
            value = self.with_factories(factory_made(value, self.helpers) or value)
            model = table_model(name, value, self.names, self.constants) or self.reflected_table(
                name, value
            )
            if model is not None:
                self.tables[name] = model
                return
            holder = self.orm_class(value)
            if holder is not None:
                self.instances[name] = holder
            if holder is not None and self.all_rows(value):
                self.every_row.add(name)
            else:
                self.every_row.discard(name)
        elif type(value) in (ast.Name, ast.Attribute):
            qualified = self.names.qualified(value)
            if qualified is not None:
                self.names.bind(name, qualified)  # db = sa
            elif isinstance(value, ast.Name) and value.id in self.instances:
                self.instances[name] = self.instances[value.id]

    def with_factories(self, call: ast.Call) -> ast.Call:
        """`sa.table("t", col("a"), col("b"))` with each call of a column factory replaced by
        the column it makes: a lambda of the function (`col = lambda name: sa.Column(name,
        ...)`) or a module function whose body is one `return sa.Column(...)`, its parameters
        bound to the call's arguments; and a variable the function bound to a Column
        (`column = sa.Column("x", ...)`, positional or `column=`) by that Column. Anything
        else is left as written."""
        args: list[ast.expr] = []
        changed = False
        for arg in call.args:
            made = self.factory_column(arg) if type(arg) is ast.Call else None
            if type(arg) is ast.Name and arg.id in self.column_variables:
                made = self.column_variables[arg.id]  # a Column held in a variable
            args.append(made if made is not None else arg)
            changed = changed or made is not None
        keywords = [
            ast.keyword(kw.arg, self.column_variables[kw.value.id])
            if kw.arg == "column"
            and type(kw.value) is ast.Name
            and kw.value.id in self.column_variables
            else kw
            for kw in call.keywords
        ]
        changed = changed or any(a is not b for a, b in zip(keywords, call.keywords))
        if not changed:
            return call
        return ast.Call(call.func, args, keywords, **_position(call))

    def factory_column(self, call: ast.Call) -> ast.expr | None:
        if type(call.func) is not ast.Name:
            return None
        name = call.func.id
        arguments: ast.arguments
        if name in self.factories:
            arguments, body = self.factories[name].args, self.factories[name].body
        elif name in self.helpers:
            definition = self.helpers[name]
            statements = [s for s in definition.body if not is_docstring(s)]
            if len(statements) != 1 or type(statements[0]) is not ast.Return:
                return None
            returned = statements[0].value
            if returned is None:
                return None
            arguments, body = definition.args, returned
        else:
            return None
        if type(body) is not ast.Call:
            return None
        # defaults first (`length=50`), then what the call gives
        return substituted(body, bound_arguments(arguments, call))

    def reflected_table(self, name: str, value: ast.Call) -> TableModel | None:
        """`t = load_table("name", bind)`, `sa.Table("name", meta, autoload_with=bind)`: a
        table named by a literal (or a constant) whose columns the revision does not list."""
        func = value.func
        callee = func.attr if type(func) is ast.Attribute else getattr(func, "id", "")
        if not value.args or not callee.lower().endswith("table"):
            return None
        first = value.args[0]
        if type(first) is ast.Name:
            first = self.constants.get(first.id, first)
        table = string_value(first)
        if table is None:
            return None
        return TableModel(name, table, MappingProxyType({}), False, value.lineno)

    def with_block(self, statement: ast.With | ast.AsyncWith) -> None:
        opened: list[str] = []
        for item in statement.items:
            context = item.context_expr
            if (
                type(context) is ast.Call
                and type(context.func) is ast.Attribute
                and context.func.attr == "batch_alter_table"
                and self.names.is_op(context.func.value)
                and type(item.optional_vars) is ast.Name
            ):
                table_node = context.args[0] if context.args else None
                for kw in context.keywords:
                    if kw.arg == "table_name":
                        table_node = kw.value
                if type(table_node) is ast.Name:
                    # a loop's name bound per pass, or a constant: the batch's literal table
                    table_node = self.constants.get(table_node.id, table_node)
                elif type(table_node) is ast.Attribute and table_node.attr == "__tablename__":
                    table_node = self.tablename_of(table_node) or table_node
                elif type(table_node) is ast.Attribute and table_node.attr == "name":
                    # `batch_alter_table(t.name, copy_from=t)` of a Core table the function
                    # described: its literal name (round r28a)
                    table_node = self.core_name_of(table_node) or table_node
                elif type(table_node) is ast.Subscript:
                    table_node = self.keyed_constant(table_node) or table_node
                elif table_node is not None:
                    table_node = folded_name(table_node, self.constants.get) or table_node
                table = string_value(table_node) if table_node is not None else None
                self.batch[item.optional_vars.id] = table
                if table is None and table_node is not None:
                    self.batch_nodes[item.optional_vars.id] = table_node
                if any(
                    kw.arg == "recreate" and string_value(kw.value) == "always"
                    for kw in context.keywords
                ):
                    self.batch_rebuilt.add(item.optional_vars.id)
                opened.append(item.optional_vars.id)
                if any(kw.arg == "copy_from" for kw in context.keywords) and (
                    item.optional_vars.id in self.batch_rebuilt
                ):
                    # rebuilt from the definition the revision gives: what it leaves out of
                    # that definition is gone, whatever the batch's own operations say
                    tables = frozenset({table.lower()}) if table else None
                    self.note(REBUILD, context, tables, frozenset({"table_rebuilt"}))
            else:
                self.expression(context)
                if type(item.optional_vars) is ast.Name and makes_handle(context):
                    self.handles.add(item.optional_vars.id)  # `with engine.connect() as conn:`
        before, filled = len(self.operations), len(self.fills)
        self.statements(statement.body)
        if any(self.suppresses(item.context_expr) for item in statement.items):
            self.caught.update(o.seq for o in self.operations[before:])
            self.caught_fills.update(f.line for f in self.fills[filled:])
        for variable in opened:
            self.batch.pop(variable, None)
            self.batch_nodes.pop(variable, None)
            self.batch_rebuilt.discard(variable)

    def suppresses(self, context: ast.expr) -> bool:
        """`contextlib.suppress(...)` (however imported): errors inside end the block quietly."""
        if type(context) is not ast.Call:
            return False
        called = self.names.qualified(context.func)
        return called == "contextlib.suppress" or (
            called is None and type(context.func) is ast.Name and context.func.id == "suppress"
        )

    def for_loop(self, statement: ast.For | ast.AsyncFor) -> None:
        passes = self.unrolled(statement)
        if passes is not None:
            # a loop over literal names runs its body once per name: each pass is read with
            # the name bound (op.drop_column(table, "x") for each table)
            saved = self.constants
            self.loops += 1
            for bindings in passes:
                self.constants = {**saved, **bindings}
                self.statements(statement.body)
                self.raised = False  # a pass that raises inside a `try`: read the others
            self.loops -= 1
            self.constants = saved
            self.statements(statement.orelse)
            return
        if self.class_passes(statement):
            return
        self.expression(statement.iter)
        holder = self.orm_class(statement.iter)
        if holder is not None and type(statement.target) is ast.Name:
            self.instances[statement.target.id] = holder
            if self.all_rows(statement.iter) and not any(
                isinstance(node, _LEAVES_ROWS) for node in ast.walk(statement)
            ):
                self.every_row.add(statement.target.id)
                self.walked_at[statement.target.id] = self.if_depth
            else:
                self.every_row.discard(statement.target.id)
        bound_names = {b.id for b in ast.walk(statement.target) if type(b) is ast.Name}
        self.loop_variables.update(bound_names)
        read = self.rows_read(statement, bound_names)
        if read:
            # the rows a query chose by a column carry that column's information with them:
            # `for mod in session.query(Mod).filter(Mod.ckan == True):` copying each mod
            # into a new table reads `ckan` as much as `mod.ckan` in the body would
            read |= self.criteria_read(statement.iter)
            # the rows' values are taken (into a dict, a list, a call) to be written elsewhere
            self.fill("rows read in a loop", statement.iter, read)
            walk_seq: int | None = self.fills[-1].seq
            self.fetched_earlier(statement.iter, read)
        else:
            walk_seq = None
        through = self.association_reads(statement)
        if through:
            self.fill("rows read through a many-to-many relationship", statement.iter, through)
        walked = self.reflection(statement.iter)
        variable = statement.target.id if type(statement.target) is ast.Name else None
        walking = dict(self.reflected_loops)
        if walked is not None and variable is not None:
            # `for fk in insp.get_foreign_keys("t"):` a drop named `fk["name"]` in the body
            # drops every key of that kind on "t" that the body's tests let through
            self.reflected_loops[variable] = (
                walked,
                filter_words(statement.body, variable, self.literal),
            )
        elif variable is not None:
            self.reflected_loops.pop(variable, None)
        # before its body: a delete inside the loop (`if key in seen: session.delete(row)`)
        # removes the rows found alike as one after it does
        self.grouped_rows(statement, holder)
        marks = len(self.fills), len(self.assignments)
        leaves = any(isinstance(node, _LEAVES_ROWS) for node in ast.walk(statement))
        self.walking.append((walk_seq, None if leaves else self.if_depth))
        self.loops += 1
        self.statements(statement.body)
        self.loops -= 1
        self.walking.pop()
        if read:
            self.row_move(statement, marks)
        self.raised = False  # the loop may walk nothing
        self.reflected_loops = walking
        self.statements(statement.orelse)


def record_import(
    statement: ast.Import | ast.ImportFrom,
    names: Names,
    imports: dict[tuple[int, int, str], ImportRef],
) -> None:
    """Bind the imported names and remember what was imported, once per statement."""
    line, end = statement.lineno, statement.end_lineno or statement.lineno
    if type(statement) is ast.Import:
        for alias in statement.names:
            if alias.asname:
                names.bind(alias.asname, alias.name)
            else:
                top = alias.name.split(".", 1)[0]
                names.bind(top, top)
            imports[(line, statement.col_offset, alias.name)] = ImportRef(alias.name, line, end)
        return
    if type(statement) is ast.ImportFrom and statement.level == 0 and statement.module:
        module = statement.module
        for alias in statement.names:
            names.bind(alias.asname or alias.name, f"{module}.{alias.name}")
        taken = tuple(alias.name for alias in statement.names)
        imports[(line, statement.col_offset, module)] = ImportRef(module, line, end, taken)


def _module_calls(statement: ast.stmt, names: Names) -> Iterator[ModuleCall]:
    """`op.*` / `*.get_bind()` calls a module-level statement makes when imported."""
    value = getattr(statement, "value", None)
    if type(statement) in (ast.Expr, ast.Assign) and type(value) in (ast.Constant, ast.Name):
        return  # the docstring, `revision = "..."`, `db = sa`
    pending: list[ast.AST] = [statement]
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if type(node) is ast.Call:
            func = node.func
            if type(func) is ast.Attribute and (names.is_op(func.value) or func.attr == "get_bind"):
                receiver = "op" if names.is_op(func.value) else ast.unparse(func.value)
                line = node.lineno
                yield ModuleCall(f"{receiver}.{func.attr}", line, node.end_lineno or line)
        pending.extend(_child_nodes(node))


def _mark_guarded(calls: list[ModuleCall], tree: ast.Module, names: Names) -> list[ModuleCall]:
    """The module-level calls, those of a guarded block no running code uses marked so."""
    if not calls:
        return calls
    unused = set(unused_guarded_calls(tree, names))
    return [c._replace(guarded_unused=True) if c.line in unused else c for c in calls]


def _dispatching(function: FunctionBody, engines: Sequence[FunctionBody]) -> FunctionBody:
    """An upgrade()/downgrade() that only dispatches to `upgrade_<engine>()` functions is as
    empty as all of them together, and says what their docstrings and comments say."""
    said = [text for engine in engines for text in (engine.docstring, engine.comments) if text]
    empty = all(engine.empty for engine in engines)
    remarks = tuple(remark for engine in engines for remark in engine.remarks)
    return function._replace(
        empty=empty, commented=empty and bool(said), comments="\n".join(said), remarks=remarks
    )


def _source_lines(source: str | bytes) -> list[str]:
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    return text.splitlines()


def _first_line(definition: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The first line of a function's definition: its first decorator's, else its `def`'s."""
    return min([d.lineno for d in definition.decorator_list] + [definition.lineno])


def _comments(source: str | bytes, first: int, last: int) -> str:
    """The comments on the lines of an (empty) function, joined: a decision, said in words."""
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    lines = text.splitlines()[first - 1 : last]
    return "\n".join(line.split("#", 1)[1] for line in lines if "#" in line)


def _narrowed_name(test: ast.expr) -> tuple[str, ast.Constant] | None:
    """(name, literal) of a test `name == "literal"` (either side), else None."""
    if type(test) is not ast.Compare or len(test.ops) != 1 or type(test.ops[0]) is not ast.Eq:
        return None
    left, right = test.left, test.comparators[0]
    if type(left) is not ast.Name:
        left, right = right, left
    if type(left) is ast.Name and type(right) is ast.Constant and type(right.value) is str:
        return left.id, right
    return None


_LIBRARIES = ("sqlalchemy", "alembic", "flask_sqlalchemy", "sqlmodel")


def _drops_found(
    found: ReflectedKeys, name: str, params: Mapping[str, ast.expr], table: str | None
) -> bool:
    """Whether a drop given a finder's key drops a key of that kind (`type_=` agreeing) on
    the finder's table (a drop_index given no table is on the table its index is on)."""
    type_node = params.get("type_")
    type_ = string_value(type_node) if type_node is not None else None
    if not dropped_kind(name, type_, found.kind):
        return False
    if table is None:
        return name == "drop_index" and params.get("table_name") is None
    return table.lower() == found.table


def _is_primary_key(node: ast.expr) -> bool:
    """`Column(..., primary_key=True)` or `PrimaryKeyConstraint(...)` (however imported)."""
    if type(node) is not ast.Call:
        return False
    func = node.func
    callee = func.attr if type(func) is ast.Attribute else getattr(func, "id", "")
    if callee == "PrimaryKeyConstraint":
        return True
    return callee == "Column" and any(
        kw.arg == "primary_key" and type(kw.value) is ast.Constant and kw.value.value is True
        for kw in node.keywords
    )


def _backwards_of(node: ast.expr) -> ast.expr | None:
    """X when `node` walks X backwards, `reversed(X)` or `X[::-1]`; None otherwise."""
    if (
        type(node) is ast.Call
        and type(node.func) is ast.Name
        and node.func.id == "reversed"
        and len(node.args) == 1
        and not node.keywords
    ):
        return node.args[0]
    if type(node) is ast.Subscript and type(node.slice) is ast.Slice:
        span = node.slice
        step = span.step
        if (
            span.lower is None
            and span.upper is None
            and type(step) is ast.UnaryOp
            and type(step.op) is ast.USub
            and type(step.operand) is ast.Constant
            and step.operand.value == 1
        ):
            return node.value
    return None


def _call_chain(node: ast.AST) -> list[ast.AST]:
    """The calls a statement's own method chain is made of, outermost first
    (`session.query(t).filter(...).all()`: the `all`, `filter` and `query` calls)."""
    chain: list[ast.AST] = []
    while type(node) is ast.Call and type(node.func) is ast.Attribute:
        chain.append(node)
        node = node.func.value
    return chain


def _position(node: ast.expr) -> dict[str, int]:
    """The node's place in the source, for a node made in its stead."""
    return {
        "lineno": node.lineno,
        "col_offset": node.col_offset,
        "end_lineno": node.end_lineno or node.lineno,
        "end_col_offset": node.end_col_offset or node.col_offset,
    }


def _row(mapping: ast.Dict) -> frozenset[str] | None:
    """The columns a dict of one row's values names with a value other than None; None when
    it expands another mapping (`**defaults`), whose keys lint cannot see."""
    if any(key is None for key in mapping.keys):
        return None
    return frozenset(
        column.lower()
        for key, value in zip(mapping.keys, mapping.values)
        for column in (string_value(key) if key is not None else None,)
        if column is not None and not is_none(value)
    )


def _rows(node: ast.expr) -> tuple[frozenset[str], ...] | None:
    """The rows a dict, a list or tuple of dicts, or a comprehension making one dict per
    item, gives; None for anything else."""
    if type(node) in (ast.ListComp, ast.GeneratorExp):
        node = cast("ast.ListComp", node).elt
    items = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
    rows = [_row(item) if type(item) is ast.Dict else None for item in items]
    if any(row is None for row in rows):
        return None
    return tuple(row for row in rows if row is not None)


def _values_rows(node: ast.Call) -> tuple[frozenset[str], ...] | None:
    """The rows an INSERT's `.values(...)` gives: its keywords as one row, or its dicts."""
    if node.keywords:
        if node.args or any(kw.arg is None for kw in node.keywords):
            return None
        return (
            frozenset(kw.arg.lower() for kw in node.keywords if kw.arg and not is_none(kw.value)),
        )
    if not node.args:
        return (frozenset(),)
    if len(node.args) > 1:
        return None
    return _rows(node.args[0])


def _joined_text(value: ast.expr, lookup: Callable[[str], ast.expr | None]) -> str | None:
    """The string a `+` join of literal parts makes, or the SQL a template makes; None when a
    part is known only at run time."""
    if type(value) is ast.BinOp and type(value.op) is ast.Add:
        text = folded(value, lookup)
        if text is not None:
            return text
    return templated_sql(value, lookup, placeholders=False)


def _one_name_either_case(value: ast.expr) -> str | None:
    """The name a conditional of literal names picks when its candidates are one name in
    different letter case (`"users" if "users" in names else "Users"`, the table under
    whichever spelling the server has): the first spelling. Lint compares table and column
    names case-insensitively in the history, so either candidate links to the same create_table
    (round r37). Names that differ otherwise stay unknown: the operation has one table."""
    if type(value) is not ast.IfExp:
        return None
    arms = _if_arms(value)
    names = [string_value(arm) for arm in arms]
    if any(name is None for name in names) or len({(n or "").lower() for n in names}) != 1:
        return None
    return names[0]


def _if_arms(value: ast.IfExp) -> list[ast.expr]:
    """The values a chain of conditional expressions may take (`a if x else b if y else c`)."""
    arms: list[ast.expr] = [value.body]
    rest = value.orelse
    while type(rest) is ast.IfExp:
        arms.append(rest.body)
        rest = rest.orelse
    return [*arms, rest]


def _is_literal(value: ast.expr) -> bool:
    """A string, or a list / tuple of strings: a constant an op call may name."""
    if type(value) is ast.Constant:
        return type(value.value) is str
    return isinstance(value, (ast.List, ast.Tuple)) and string_list(value) is not None


def _literal_rows(value: ast.expr) -> bool:
    """A tuple / list of tuples / lists of strings (`PAIRS = (("t", "c"), ...)`): a constant
    a loop walks with a target per element (`for (table, column) in PAIRS:`), unrolled as the
    same literal written in the loop is (round 22)."""
    return (
        isinstance(value, (ast.List, ast.Tuple))
        and bool(value.elts)
        and all(isinstance(e, (ast.List, ast.Tuple)) and _is_literal(e) for e in value.elts)
    )


def _literal_dict_rows(value: ast.expr) -> bool:
    """A tuple / list of literal dicts (`TABLES = [{"name": "t", "columns": ("a", "b")}]`): a
    module constant a loop walks with its name bound to each dict, whose `info["name"]` is then
    the literal it holds (round 36). Module level only: a function's local list of dicts is
    mostly rows for `bulk_insert`, which this would make read (and judge) as literals."""
    return (
        isinstance(value, (ast.List, ast.Tuple))
        and bool(value.elts)
        and all(is_literal_dict(e) for e in value.elts)
    )


def _down_revisions(value: ast.expr) -> tuple[str, ...]:
    if type(value) is ast.Constant and type(value.value) is str:
        return (value.value,)
    return string_list(value) or ()


_HAVING = LazyPattern(r"having", re.IGNORECASE, words=("having",))
_HAVING_BYTES = LazyPattern(rb"having", re.IGNORECASE, words=(b"having",))
# the words of a revision that may remove duplicates itself (lint/deduplications.py reads it then)
_DEDUPLICATION_HINT = LazyPattern(r"delete|dup", re.IGNORECASE, words=("delete", "dup"))
_DEDUPLICATION_HINT_BYTES = LazyPattern(rb"delete|dup", re.IGNORECASE, words=(b"delete", b"dup"))
# a statement that writes rows: what it returns is no row of its table
_WRITES = frozenset({"insert", "update", "delete"})
# the calls of a query that choose its rows by a condition over columns
_CRITERIA = frozenset({"filter", "where", "having"})


def _function_imports(
    definition: ast.FunctionDef | ast.AsyncFunctionDef,
) -> Iterator[ast.ImportFrom]:
    """The absolute `from x import y` statements anywhere in a function's body (under an `if`,
    a `try`, a loop). Only statements are walked, never expressions: an import is a statement,
    and walking every expression node of every function costs a fifth of the lint's time."""
    pending: list[ast.stmt] = list(reversed(definition.body))
    while pending:  # depth first, in source order
        statement = pending.pop()
        if type(statement) is ast.ImportFrom:
            if statement.level == 0 and statement.module:
                yield statement
            continue
        nested: list[ast.stmt] = []
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(statement, field, ()):
                if isinstance(child, ast.stmt):
                    nested.append(child)
                else:  # an except handler or a match case: its body holds statements
                    nested.extend(getattr(child, "body", ()))
        pending.extend(reversed(nested))


def read_revision_module(
    source: str | bytes,
    path: str,
    dialects: frozenset[str] = frozenset({"mysql", "mariadb"}),
    capabilities: Mapping[str, bool] = MYSQL_FAMILY,
    location: Path | None = None,
) -> RevisionModule:
    """The model of one revision file as it runs on a database whose dialect name is one of
    `dialects` and whose dialect has the capability flags `capabilities`; `location`, the file
    on disk, lets a dialect test follow a function imported from the project. Raises
    SyntaxError / ValueError when it does not parse."""
    # `add_column(...)` of `from alembic.op import add_column` read as `op.add_column(...)`
    tree = spell_operations_with_op(ast.parse(source, filename=path), source)
    names = Names()
    imports: dict[tuple[int, int, str], ImportRef] = {}
    tables: dict[str, TableModel] = {}
    constants: dict[str, ast.expr] = {}
    booleans: dict[str, bool] = {}  # name -> the literal True / False the module binds it to
    # name -> the column type a module-level call made (`new_enum = mysql.ENUM(*NEW)`)
    module_types: dict[str, ast.expr] = {}
    sequences: dict[str, ast.expr] = {}
    made: dict[str, str] = {}  # name -> the dotted callee it was bound to the result of
    # name -> SQL built at module level from parts not all known (`MARK = f"... {LIVE}"`)
    templates: dict[str, ast.expr] = {}
    definitions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    module_calls: list[ModuleCall] = []
    down_revisions: tuple[str, ...] = ()
    base = False  # a base revision or a branch's first one
    revision_id: str | None = None
    depends_on: tuple[str, ...] = ()
    docstring: str | None = None
    docstring_line: int | None = None
    body = tree.body
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        if isinstance(first.value.value, str):
            docstring, docstring_line = first.value.value, first.lineno
    imported_from: list[ast.Import | ast.ImportFrom] = []
    classes = {s.name: s for s in body if isinstance(s, ast.ClassDef)}
    defs = [s for s in body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    names.decorated_types = DecoratedTypes(classes, names, location, imported_from, defs)
    defined = {s.name for s in (*defs, *classes.values())}

    def builtin(name: str) -> bool:
        """Whether `sorted`, `tuple`, ... still mean Python's (no import or def rebinds them)."""
        return name not in defined and names.resolve(name) is None and name not in constants

    for statement in body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            imported_from.append(statement)
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            record_import(statement, names, imports)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            definitions[statement.name] = statement
            # `from app.models import Invoice` inside upgrade(): the project's classes a
            # function imports where it uses them (to load the models only when it runs)
            imported_from.extend(_function_imports(statement))
        elif isinstance(statement, ast.ClassDef):
            model = class_model(statement, names)
            if model is not None:
                tables[model.variable] = model
            module_calls.extend(_module_calls(statement, names))
        elif isinstance(statement, (ast.If, ast.Try, ast.With)):
            # imports under `if TYPE_CHECKING:` / `try:` still count; the rest is scanned
            for child in ast.iter_child_nodes(statement):
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    imported_from.append(child)
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    record_import(child, names, imports)
            module_calls.extend(_module_calls(statement, names))
        else:
            module_calls.extend(_module_calls(statement, names))
            # `down_revision = None`, or typed as Alembic's newer template writes it
            # (`down_revision: Union[str, None] = None`)
            assigned = single_assignment(statement)
            if assigned is None or type(assigned[0]) is not ast.Name:
                # `NEW.remove("x")`: the list's new value, or no known value
                follow_mutations(statement, constants, module_types, builtin)
            if assigned is not None:
                target, value = assigned
                if type(target) is ast.Name and isinstance(value, (ast.List, ast.Tuple)):
                    sequences[target.id] = value  # tables given to create_all, say
                if type(target) is ast.Name:
                    # the functions run after the whole module: a name means its last value
                    constants.pop(target.id, None)
                    module_types.pop(target.id, None)
                    if type(value) is ast.Constant and type(value.value) is bool:
                        booleans[target.id] = value.value
                    else:
                        booleans.pop(target.id, None)
                    computed = (
                        computed_sequence(value, constants, builtin)
                        if target.id not in _IDENTIFIERS
                        else None
                    )
                    if computed is not None:
                        # `NEW = sorted(OLD + ("x",))`: the list it computes (round 28)
                        constants[target.id] = computed
                    elif target.id == "down_revision":
                        down_revisions = _down_revisions(value)
                        base = base or (type(value) is ast.Constant and value.value is None)
                    elif target.id == "revision":
                        revision_id = string_value(value) if type(value) is ast.Constant else None
                    elif target.id == "branch_labels":
                        base = base or not (type(value) is ast.Constant and value.value is None)
                    elif target.id == "depends_on":
                        depends_on = _down_revisions(value)
                    elif target.id not in _IDENTIFIERS and (
                        _is_literal(value)
                        or _literal_rows(value)
                        or _literal_dict_rows(value)
                        or is_literal_dict(value)
                        or keyword_dict(value)
                    ):
                        constants[target.id] = keyword_dict(value) or value
                    elif type(value) in (ast.JoinedStr, ast.BinOp):
                        # SQL kept in a module constant built from earlier ones: `UPDATE_X =
                        # f"UPDATE t SET ... WHERE id IN ({SELECT_Y})"` (round 22)
                        text = folded(value, constants.get) or formatted_literal(
                            value, constants.get
                        )
                        if text is not None:
                            constants[target.id] = ast.copy_location(ast.Constant(text), value)
                        else:
                            templates[target.id] = value  # read as a template where executed
                    elif (named := formatted_literal(value, constants.get)) is not None:
                        # `KEY = "unique_{}".format(COLUMN)`: a name made of known parts (r32)
                        constants[target.id] = ast.copy_location(ast.Constant(named), value)
                    elif type(value) is ast.Call:
                        typed = module_type(target.id, value, constants, names)
                        if typed is not None:
                            module_types[target.id] = typed  # `new_enum = mysql.ENUM(*NEW)`
                        if format_receiver(value) is not None:
                            templates[target.id] = value  # "UPDATE {} ...".format(...)
                        callee = names.qualified(value.func)
                        if callee is not None:
                            made[target.id] = callee
                        # `office = make_table("office")`: the sa.table it returns
                        made_table = factory_made(value, definitions) or value
                        model = table_model(target.id, made_table, names, constants)
                        if model is not None:
                            tables[target.id] = model
                    elif type(value) in (ast.Name, ast.Attribute):
                        qualified = names.qualified(value)
                        if qualified is not None:
                            names.bind(target.id, qualified)
    helpers = {n: d for n, d in definitions.items() if n not in (UPGRADE, DOWNGRADE)}
    project = ImportedFunctions(location, imported_from)
    relations = class_relations(s for s in body if isinstance(s, ast.ClassDef))
    keys = (
        relationship_keys(
            (s for s in body if isinstance(s, ast.ClassDef)),
            {v: m.table.lower() for v, m in tables.items() if m.orm and m.table},
        )
        if relations
        else {}
    )
    declares_secondary = (
        b"secondary" in source if isinstance(source, bytes) else "secondary" in source
    )
    associations = (
        association_tables(tree, lambda name: tables[name].table if name in tables else None)
        if declares_secondary
        else {}
    )
    binds_parameters = (
        b"bindparam" in source if isinstance(source, bytes) else "bindparam" in source
    )
    functions: dict[str, FunctionBody] = {}
    lines: list[str] | None = None  # the source's lines, split when a remark is looked for
    for name, definition in definitions.items():
        inline = helpers if name in (UPGRADE, DOWNGRADE) else {}
        reader = _FunctionReader(
            names,
            dict(tables),
            inline,
            imports,
            constants,
            dialects,
            capabilities,
            project,
            sequences,
            relations,
            made,
            associations,
            templates,
            module_types,
            keys,
        )
        reader.binds_parameters = binds_parameters
        function = reader.read(definition)
        if function.empty:
            said = _comments(source, function.line, function.end_line)
            if not said and name == UPGRADE:
                # the comment block right above `def upgrade()` may say why it is empty
                if lines is None:
                    lines = _source_lines(source)
                above = comment_above(lines, _first_line(definition))
                said = above if says_empty_above(above) else ""
            function = function._replace(commented=bool(said), comments=said)
        elif name == UPGRADE:
            # an upgrade may say beside its change why the downgrade leaves it (L319), or that
            # a column it drops never held values (L305); read its comments only when one
            # names the downgrade, or when it drops columns
            if lines is None:
                lines = _source_lines(source)
            source_lines = lines[function.line - 1 : function.end_line]
            drops = any(
                op.name in ("drop_column", "drop_table", "execute") for op in function.operations
            )
            if any("#" in text and (drops or "downgrad" in text.lower()) for text in source_lines):
                function = function._replace(
                    remarks=comment_blocks(lines, function.line, function.end_line)
                )
        if name.startswith(DOWNGRADE):
            # a downgrade may say what it leaves (L318, L319): inside, right above, or in the
            # revision's message
            if lines is None:
                lines = _source_lines(source)
            last = trailing_comments_end(lines, function.end_line, definition.col_offset)
            above = comment_above(lines, _first_line(definition), definition.col_offset)
            remarks = (
                *comment_blocks(lines, function.line, last),
                *logged_messages(definition),
                *((above,) if above else ()),
                *(paragraphs_about_downgrade(docstring) if name == DOWNGRADE else ()),
            )
            function = function._replace(remarks=remarks)
        functions[name] = function
        tables.update(reader.tables)
    engines: list[tuple[str, int, int]] = []
    for name in (UPGRADE, DOWNGRADE):
        targets = dispatch_only(definitions[name], helpers) if name in definitions else []
        if targets:
            functions[name] = _dispatching(functions[name], [functions[t] for t in targets])
            engines.extend(
                (target[len(name) :].strip("_") or "default", body.line, body.end_line)
                for target in targets
                for body in (functions[target],)
            )
    having = _HAVING_BYTES.search(source) if isinstance(source, bytes) else _HAVING.search(source)
    checks = duplicate_checks(tree) if having else ()
    hint = (
        _DEDUPLICATION_HINT_BYTES.search(source)
        if isinstance(source, bytes)
        else _DEDUPLICATION_HINT.search(source)
    )
    if hint:
        checks += deduplications(tree, definitions)
    return RevisionModule(
        docstring=docstring,
        docstring_line=docstring_line,
        down_revisions=down_revisions,
        imports=tuple(sorted(imports.values())),
        module_calls=tuple(_mark_guarded(module_calls, tree, names)),
        functions=MappingProxyType(functions),
        tables=MappingProxyType(tables),
        names=names,
        branch_anchor=base,
        duplicate_checks=checks,
        revision_id=revision_id,
        depends_on=depends_on,
        engines=tuple(engines),
        rebound=rebound_functions(body),
        project=project,
        booleans=MappingProxyType(booleans),
    )


def _where_clauses(top: ast.expr, node: ast.Call) -> tuple[ast.expr, ...]:
    """The arguments of every `.where(...)` in the method chain through `node` (`t.update()
    .where(a).values(...).where(b)`), before or after it, inside the statement's call `top`
    (`op.execute(<chain>)`, `stmt = <chain>`)."""
    for candidate in ast.walk(top):  # outer calls first: the whole chain
        found: list[ast.expr] = []
        through = False
        current: ast.expr = candidate if isinstance(candidate, ast.expr) else node
        while type(current) is ast.Call and type(current.func) is ast.Attribute:
            through = through or current is node
            if current.func.attr == "where":
                found.extend(current.args)
            current = current.func.value
        if through:
            return tuple(found)
    return ()


def _sequence_name(node: ast.expr | None) -> str:
    """The name of the `sa.Sequence("s")` a sequence DDL construct is given, else `sequence`."""
    if type(node) is ast.Call and node.args:
        name = string_value(node.args[0])
        if name:
            return name
    return "sequence"


def _bound_before(body: Sequence[ast.stmt]) -> dict[str, ast.expr]:
    """The values the names of a block are last bound to by a plain assignment before a point
    (`result = conn.execute(...)` before `if result.scalar(): return`)."""
    bound: dict[str, ast.expr] = {}
    for statement in body:
        if type(statement) is ast.Assign and len(statement.targets) == 1:
            target = statement.targets[0]
            if type(target) is ast.Name:
                bound[target.id] = statement.value
    return bound


def _exits(body: Sequence[ast.stmt]) -> bool:
    """Whether a branch ends by leaving the function (`return`, after a `print` perhaps)."""
    return bool(body) and type(body[-1]) is ast.Return


def test_strings(test: ast.expr, constants: Mapping[str, ast.expr]) -> frozenset[str]:
    """The string literals an `if` test names, lowercase (what an existence guard tests), also
    through a name bound to a literal string (`if has_table(_JOIN_TABLE):`, a loop's variable
    over literal names): round 39, projectdavid-core's guarded drop of a table named by a
    module constant."""
    found: set[str] = set()
    for node in ast.walk(test):
        if type(node) is ast.Name and node.id in constants:
            node = constants[node.id]
        if type(node) is ast.Constant and type(node.value) is str:
            found.add(node.value.lower())
    return frozenset(found)
