"""Operations Alembic writes in a form MySQL refuses (L333, L334; issue 20, round 32).

L333: `if_not_exists=True` on add_column / create_index and `if_exists=True` on drop_column /
drop_index (Alembic 1.12+ for indexes, 1.16+ for columns) make Alembic write `ADD COLUMN IF NOT
EXISTS`, `DROP COLUMN IF EXISTS`, `CREATE INDEX IF NOT EXISTS`, `DROP INDEX IF EXISTS ... ON t`
for the MySQL dialect as for any other (checked in offline mode, Alembic 1.20 / SQLAlchemy 2.1).
MariaDB parses those clauses; MySQL's grammar (5.7 to 9.x: ALTER TABLE's ADD/DROP [COLUMN],
CREATE INDEX, DROP INDEX ... ON) has none, so MySQL stops with ERROR 1064. Reported on a MySQL
target only, not in a branch only MariaDB takes. `create_table(if_not_exists=True)` and
`drop_table(if_exists=True)` are MySQL syntax too, and drop_constraint's if_exists is not
written at all for MySQL/MariaDB (SQLAlchemy's MySQL compiler leaves it out): not reported.
The same clauses written in raw SQL (op.execute, text(), round 33): `CREATE [UNIQUE|FULLTEXT|
SPATIAL] INDEX IF NOT EXISTS`, `DROP INDEX IF EXISTS ... ON t`, and in ALTER TABLE `ADD
[COLUMN] IF NOT EXISTS`, `ADD [UNIQUE|FULLTEXT|SPATIAL] INDEX|KEY IF NOT EXISTS`, `DROP
[COLUMN] IF EXISTS`, `DROP INDEX|KEY|FOREIGN KEY|CONSTRAINT IF EXISTS`, `CHANGE|MODIFY [COLUMN]
IF EXISTS`; not
`CREATE TABLE IF NOT EXISTS`, `DROP TABLE|VIEW|TRIGGER|PROCEDURE|FUNCTION IF EXISTS`, `CREATE
OR REPLACE VIEW`, which MySQL parses.

L334: a drop Alembic cannot write for MySQL/MariaDB. `drop_constraint(name, table)` without
`type_` is a generic constraint, and Alembic's MySQL dialect raises NotImplementedError ("No
generic 'DROP CONSTRAINT' in MySQL - please specify constraint type") before anything runs
(MySQL drops each kind with its own clause: DROP FOREIGN KEY, DROP INDEX, DROP PRIMARY KEY,
DROP CHECK). `drop_index(name)` without `table_name` is written `DROP INDEX name ON no_table`
(MySQL's DROP INDEX names the table), which the server refuses (ERROR 1146, checked on MariaDB
10.11). A batch names the table and, rebuilding it (recreate="always"), drops by name: neither
reported there; nor a drop under a test lint cannot decide (`if "t_a_key" in names:`) unless
the revisions show the key created under that name (PostgreSQL names an unnamed unique key
<table>_<columns>_key, MySQL after its first column: such a test may never hold on MySQL).
Pure: revision_model and the history only.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from alembic_sentinel.lint.facts import Facts, Hit, LintOptions, op_hit, table_of
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import is_none
from alembic_sentinel.lint.named_keys import named_keys
from alembic_sentinel.lint.postgresql_ddl import without_strings
from alembic_sentinel.lint.revision_model import FunctionBody, Operation, RevisionModule

# operation -> (its keyword, the clause Alembic writes for it)
_IF_CLAUSES = {
    "add_column": ("if_not_exists", "ADD COLUMN IF NOT EXISTS"),
    "drop_column": ("if_exists", "DROP COLUMN IF EXISTS"),
    "create_index": ("if_not_exists", "CREATE INDEX IF NOT EXISTS"),
    "drop_index": ("if_exists", "DROP INDEX IF EXISTS"),
}


def _given_true(node: ast.expr | None, module: RevisionModule) -> bool:
    """Whether the argument is True: the literal, or a module-level name bound to it."""
    if type(node) is ast.Constant:
        return node.value is True
    return type(node) is ast.Name and module.booleans.get(node.id) is True


def mariadb_only_clause(op: Operation, module: RevisionModule) -> str | None:
    """The IF [NOT] EXISTS clause Alembic writes for the operation, which MySQL refuses; None
    when it writes none (a batch that rebuilds the table writes no ALTER or index DDL for it)."""
    found = _IF_CLAUSES.get(op.name)
    if found is None or op.rebuilt:
        return None
    keyword, clause = found
    given = op.params.get(keyword)
    return clause if given is not None and _given_true(given, module) else None


def never_runs(op: Operation, body: FunctionBody, module: RevisionModule, flavor: str) -> bool:
    """Whether the target (of `flavor`: MySQL, MariaDB) refuses the operation's statement, as
    L333 and L334 say: it never runs, so L314 does not call it a rebuild or a write block."""
    if op.name not in _CHECKED:
        return False
    if _untyped_drop(op) or _tableless_drop(op):
        return True
    return (
        flavor == "mysql"
        and op.seq not in body.mariadb_only
        and mariadb_only_clause(op, module) is not None
    )


# the operations L333 and L334 look at
_CHECKED = frozenset({*_IF_CLAUSES, "drop_constraint"})


def _bodies(facts: Facts) -> Iterator[FunctionBody]:
    for body in (facts.module.upgrade, facts.module.downgrade):
        if body is not None:
            yield body


# L333


def if_exists_clause(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    if options.target.flavor != "mysql":
        return  # MariaDB parses the clauses
    for body in _bodies(facts):
        for op in body.operations:
            if op.name not in _IF_CLAUSES or op.seq in body.mariadb_only:
                continue  # (`if dialect.name == "mariadb":`: not run on MySQL)
            if op.seq in body.caught:
                continue  # a handler carries on without it: the author expects it may fail
            clause = mariadb_only_clause(op, facts.module)
            if clause is None:
                continue
            keyword = _IF_CLAUSES[op.name][0]
            yield op_hit(
                "L333",
                op,
                f"{op.name} {_object(op)}: {keyword}=True makes Alembic write {clause}, which "
                f"only MariaDB parses: {options.target} has no such clause there and stops the "
                "migration with ERROR 1064 (a syntax error)",
                fix=f"leave out {keyword}= and test first what the table has "
                "(sa.inspect(op.get_bind()).get_columns(...) / get_indexes(...)), or keep it in a "
                "MariaDB-only branch",
            )
    yield from _raw_if_exists(facts, options)


# IF [NOT] EXISTS clauses only MariaDB parses, as raw SQL writes them (quoted text emptied):
# of CREATE INDEX, of a DROP INDEX naming its table (`DROP INDEX IF EXISTS ix` alone is
# PostgreSQL's and SQLite's form, which MariaDB refuses too), and of ALTER TABLE's clauses
_CREATE_INDEX = LazyPattern(
    r"^CREATE\s+(?:(?:UNIQUE|FULLTEXT|SPATIAL)\s+)?INDEX\s+IF\s+NOT\s+EXISTS\b", re.IGNORECASE
)
_DROP_INDEX = LazyPattern(
    r"^DROP\s+INDEX\s+IF\s+EXISTS\s+(?:`[^`]*`|[\w.$]+)\s+ON\b", re.IGNORECASE
)
_ALTER_CLAUSES = LazyPattern(
    r"\b(?:"
    r"ADD\s+(?:COLUMN\s+|(?:(?:UNIQUE|FULLTEXT|SPATIAL)\s+)?(?:INDEX|KEY)\s+)?IF\s+NOT\s+EXISTS"
    r"|DROP\s+(?:COLUMN\s+|INDEX\s+|KEY\s+|FOREIGN\s+KEY\s+|CONSTRAINT\s+)?IF\s+EXISTS"
    r"|(?:CHANGE|MODIFY)\s+(?:COLUMN\s+)?IF\s+EXISTS"
    r")\b",
    re.IGNORECASE,
)
_ALTER_TABLE = LazyPattern(r"^ALTER\s+(?:ONLINE\s+|IGNORE\s+)*TABLE\b", re.IGNORECASE)


def _raw_clauses(sql: str) -> list[str]:
    """The MariaDB-only IF [NOT] EXISTS clauses of the SQL's statements, as written."""
    found: list[str] = []
    for statement in without_strings(sql).split(";"):
        statement = statement.strip()
        if _ALTER_TABLE.match(statement):
            matches = [m[0] for m in _ALTER_CLAUSES.finditer(statement)]
        else:
            match = _CREATE_INDEX.match(statement)
            if match is None:
                match = _DROP_INDEX.match(statement)
                matches = ["DROP INDEX IF EXISTS"] if match is not None else []
            else:
                matches = [match[0]]
        for text in matches:
            clause = " ".join(text.upper().split())
            if clause not in found:
                found.append(clause)
    return found


def _raw_if_exists(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    """L333 for raw SQL: the clauses in an op.execute / text() the revision runs (on a MySQL
    target, as if_exists_clause checks)."""
    for body in _bodies(facts):
        for fill in body.fills:
            if not fill.sql or fill.line in body.mariadb_only_fills:
                continue
            if fill.line in body.caught_fills:
                continue  # a handler carries on without it
            found = _raw_clauses(fill.sql)
            if not found:
                continue
            yield Hit(
                "L333",
                f"{fill.kind} runs {', '.join(found)}, which only MariaDB parses: "
                f"{options.target} has no such clause there and stops the migration with "
                "ERROR 1064 (a syntax error)",
                fill.line,
                fill.end_line,
                fix="leave the clause out and test first what the table has "
                "(sa.inspect(op.get_bind()).get_columns(...) / get_indexes(...)), or keep it in a "
                "MariaDB-only branch",
            )


def _object(op: Operation) -> str:
    if op.name == "add_column":
        column = op.columns[0].name if op.columns else None
        return f"{op.table_label()}.{column or '(a column named by a variable)'}"
    if op.name == "drop_column":
        return f"{op.table_label()}.{op.string('column_name') or '(a column named by a variable)'}"
    index = op.string("index_name") or "(an index named by a variable)"
    return f"{index} on {table_of(op)}" if op.table or op.name == "create_index" else index


# L334

# how a constraint's name often says its kind: naming conventions' prefixes, PostgreSQL's
# default suffixes (<table>_<column>_fkey, _key, _pkey, _check)
_NAMED_KINDS = (
    ("foreignkey", ("fk_",), ("_fkey", "_fk")),
    ("unique", ("uq_", "uniq_", "unique_"), ("_key", "_uq", "_uniq", "_unique")),
    ("primary", ("pk_",), ("_pkey", "_pk")),
    ("check", ("ck_", "chk_", "check_"), ("_check", "_chk", "_ck")),
)


def _kind_named(name: str | None) -> str | None:
    """The kind of constraint a name says it is by a usual prefix or suffix, else None."""
    lowered = (name or "").lower()
    for kind, prefixes, suffixes in _NAMED_KINDS:
        if lowered.startswith(prefixes) or lowered.endswith(suffixes):
            return kind
    return None


def _untyped_drop(op: Operation) -> bool:
    """drop_constraint with no type_ (or type_=None), its name given."""
    if op.name != "drop_constraint" or op.rebuilt or op.spread:
        return False
    if is_none(op.param("constraint_name")):
        return False  # L310: it needs a name first
    given = op.param("type_")
    if given is None:
        given = op.keywords.get("type")  # (a spelling of Alembic before 0.7, read as type_)
    return given is None or is_none(given)


def _tableless_drop(op: Operation) -> bool:
    """drop_index outside a batch with no table_name (or table_name=None), its name given."""
    if op.name != "drop_index" or op.batch or op.spread:
        return False
    if is_none(op.param("index_name")):
        return False  # L310
    given = op.param("table_name")
    if given is None:
        given = op.keywords.get("tablename")  # (Alembic before 0.7)
    return given is None or is_none(given)


_DROPS = frozenset({"drop_constraint", "drop_index"})


def drop_without_kind_or_table(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for body in _bodies(facts):
        for op in body.operations:
            if op.name not in _DROPS or op.seq in body.caught:
                continue  # (a handler carries on without it, as in L333)
            if op.seq in body.conditional and not _made_by_name(op, facts, options):
                # `if "t_a_key" in names: op.drop_constraint("t_a_key", "t")`: a test on
                # what the table has, with a name MySQL may not give the key (PostgreSQL's
                # <table>_<columns>_key for an unnamed one): it may never run there
                continue
            yield from _refused_drop(op, options)


def _made_by_name(op: Operation, facts: Facts, options: LintOptions) -> bool:
    """Whether the revisions show the dropped index or unique key created under its name (an
    earlier one, or this one's upgrade): then it exists on MySQL too, and the test finds it."""
    name = op.string("constraint_name") or op.string("index_name")
    if not name:
        return False
    if options.key_named(name, op.table) is not None:
        return True
    return any(made == name.lower() for made, _ in named_keys(facts.module))


def _refused_drop(op: Operation, options: LintOptions) -> Iterator[Hit]:
    if _untyped_drop(op):
        name = op.string("constraint_name")
        kind = _kind_named(name)
        shown = name or "(a constraint named by a variable)"
        yield op_hit(
            "L334",
            op,
            f"drop_constraint {shown} on {table_of(op)} without type_: MySQL drops each "
            "kind of constraint with its own clause, and Alembic's MySQL dialect stops "
            "before running anything (NotImplementedError: No generic 'DROP CONSTRAINT' in "
            f"MySQL - please specify constraint type) on {options.target}",
            fix=f"give its kind: type_={kind!r} (as its name says)"
            if kind is not None
            else "give its kind: type_='foreignkey' / 'unique' / 'primary' / 'check'",
        )
    elif _tableless_drop(op):
        name = op.string("index_name") or "(an index named by a variable)"
        yield op_hit(
            "L334",
            op,
            f"drop_index {name} without table_name: MySQL's DROP INDEX names the table, "
            f"Alembic writes DROP INDEX {name} ON no_table, and {options.target} stops the "
            "migration with ERROR 1146 (Table 'no_table' doesn't exist)",
            fix="name the index's table: op.drop_index(..., table_name='...')",
        )
