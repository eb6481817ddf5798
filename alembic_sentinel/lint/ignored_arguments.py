"""L344: an alter_column keyword Alembic neither uses nor passes to the server (issue 20,
round 43's miss).

`Operations.alter_column` takes its parameters by keyword and gathers the rest in `**kw`, which
it hands to the dialect's implementation; MySQL's, PostgreSQL's and SQLite's read none of them
but `autoincrement` (MySQL's `MODIFY ... AUTO_INCREMENT`), and a batch that rebuilds the table
copies the Column with only nullable, type, server default, comment, name and autoincrement
changed. So `alter_column("t", "c", primary_key=True)` (or `unique=`, `index=`, `default=`, a
misspelt `nullabe=`) writes nothing for it, and a database the migration built has no such key
(checked with Alembic 1.20's offline SQL on MySQL: nothing for primary_key, unique, index,
default). The parameters below are Alembic 1.20's (tests check them against the installed
Alembic); the reader keeps `name=` (Alembic < 0.7's new_column_name) as a parameter.
Dialect-prefixed options (`postgresql_using`, `mysql_...`) are the dialect's business, and a
`**kwargs` spread shows nothing to judge.

Reported: a Column's keyword that asks the server for something (`primary_key=True`; not
`index=False` or `default=None`, which ask for nothing), and a keyword close to one of the
parameters (a misspelling: `nullabe=`, `type=`); a misspelt `existing_*=` is a warning, since
it only tells Alembic what the column is. Another keyword (a helper's `do_drop=False` passed
along) is not: lint cannot tell what it asked for. Nor is a key the column already is (the
table's own `id` with no old key dropped or renamed before it, a key the history shows), nor a
downgrade's keyword stating what the upgrade's alter of the column stated.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterator

from alembic_sentinel.lint.column_state import names_own_key
from alembic_sentinel.lint.facts import Facts, Hit, LintOptions, column_label, op_hit
from alembic_sentinel.lint.key_column_drops import keys_before
from alembic_sentinel.lint.name_events import PRIMARY
from alembic_sentinel.lint.revision_model import Operation
from alembic_sentinel.report.model import WARNING

# Operations.alter_column's and BatchOperations.alter_column's keywords (alembic 1.20)
PARAMETERS = frozenset(
    {
        "table_name",
        "column_name",
        "nullable",
        "comment",
        "server_default",
        "new_column_name",
        "type_",
        "existing_type",
        "existing_server_default",
        "existing_nullable",
        "existing_comment",
        "schema",
        "insert_before",
        "insert_after",
    }
)
# keywords the dialects' alter_column read from **kw: MySQLImpl's; DefaultImpl (PostgreSQL,
# SQLite) warns "only make sense for MySQL" and drops autoincrement, unless a batch rebuilds
# the table (ApplyBatchImpl sets the Column's autoincrement); existing_autoincrement only says
# what the column is, and ignoring it changes nothing
DIALECT_KEYWORDS = frozenset({"autoincrement", "existing_autoincrement"})
# Alembic < 0.7's keyword for new_column_name (revision_reader's _OLD_OPERATION_KEYWORDS)
_OLD_KEYWORDS = frozenset({"name"})
_DIALECT_PREFIXES = ("mysql_", "mariadb_", "postgresql_", "sqlite_", "mssql_", "oracle_")

# what the keyword was meant to do and the operation that does it
_MEANT: dict[str, tuple[str, str]] = {
    "primary_key": (
        "no primary key is made",
        'op.create_primary_key("pk_t", "t", ["c"]) (drop the old key first)',
    ),
    "unique": ("no unique key is made", 'op.create_unique_constraint("uq_t_c", "t", ["c"])'),
    "index": ("no index is made", 'op.create_index("ix_t_c", "t", ["c"])'),
    "default": (
        "no default is set on the server (default= is a Python-side default of the model)",
        "server_default=sa.text(...)",
    ),
    "insert_default": (
        "no default is set on the server (insert_default= is a Python-side default of the model)",
        "server_default=sa.text(...)",
    ),
    "onupdate": (
        "nothing is set on the server (onupdate= is a Python-side value of the model)",
        "server_default=sa.text(...) and, on MySQL, an ON UPDATE clause in the type or raw DDL",
    ),
    "server_onupdate": (
        "no ON UPDATE clause is written",
        "raw DDL (op.execute) for the ON UPDATE clause",
    ),
    "new_name": ("the column is not renamed", "new_column_name="),
    "foreign_key": ("no foreign key is made", "op.create_foreign_key(...)"),
    "foreign_keys": ("no foreign key is made", "op.create_foreign_key(...)"),
    "autoincrement": (
        "only MySQL's alter_column reads it (and a batch that rebuilds the table)",
        "server_default=sa.Identity() or a sequence on PostgreSQL",
    ),
}
# a misspelling is this close to a parameter (difflib's ratio: `nullabe` 0.93, `_type` 0.8,
# `existing_default` 0.82; a helper's `do_rename` is 0.6 from column_name)
_CLOSE = 0.75


def _asks_nothing(node: ast.expr) -> bool:
    """`index=False`, `default=None`: a Column's keyword that asks the server for nothing."""
    return type(node) is ast.Constant and node.value in (False, None)


def _restates_own_key(facts: Facts, op: Operation) -> bool:
    """Whether `primary_key=True` restates the key the column already is: the column is the
    table's own key by its name (`id`, `tDataset.dataset_id`; column_state.names_own_key, as
    L314 reads a rename of it, round r40) and no column of the table was dropped before it in
    the same function, nor renamed (the old key dropped or moved aside: the alter was meant to
    make the new one)."""
    column = op.string("column_name")
    if not op.table or not column or not names_own_key(column, op.table):
        return False
    upgrade = {id(step) for step in facts.upgrade_ops}
    same_function = [step for step in facts.all_ops if (id(step) in upgrade) == (id(op) in upgrade)]
    return not any(
        step.table == op.table
        and step.seq < op.seq
        and (
            step.name == "drop_column"
            or (step.name == "alter_column" and step.param("new_column_name") is not None)
        )
        for step in same_function
    )


def _key_already(facts: Facts, options: LintOptions, op: Operation, keyword: str) -> bool:
    """Whether the history shows the column already is what `primary_key=True` / `unique=True`
    asks (its primary key, a unique key of it alone) just before an upgrade's alter: the
    keyword restates it (manuka's rename of a column a revision made unique), nothing is lost."""
    column = (op.string("column_name") or "").lower()
    upgrade = any(step is op for step in facts.upgrade_ops)
    if not upgrade or not op.table or not column or keyword not in ("primary_key", "unique"):
        return False
    keys = keys_before(facts, options, op.table, op.seq)
    if keyword == "primary_key":
        return any(space == PRIMARY and cols == (column,) for (space, _), cols in keys.items())
    return (column,) in keys.values() or frozenset({column}) in options.unique_keys(op.table)


def _mirrors_upgrade(facts: Facts, op: Operation, keyword: str) -> bool:
    """Whether a downgrade's alter states the keyword as the upgrade's alter of the column
    did (under its name either side of a rename): the column is so both ways, and the
    upgrade's finding, if any, is the one to read."""
    if any(step is op for step in facts.upgrade_ops):
        return False
    value = ast.dump(op.keywords[keyword])
    column = op.string("column_name")
    for up in facts.upgrade_ops:
        if up.name != "alter_column" or up.table != op.table or keyword not in up.keywords:
            continue
        names = {up.string("column_name"), up.string("new_column_name")}
        if column in names and ast.dump(up.keywords[keyword]) == value:
            return True
    return False


def _ignored(
    facts: Facts, op: Operation, options: LintOptions
) -> Iterator[tuple[str, str, str, bool]]:
    """The keywords of an alter_column Alembic drops on the target, in the call's order: each
    with what is lost, the fix, and whether it only says what the column is (existing_*)."""
    flavor = options.target.flavor
    for keyword, value in op.keywords.items():
        if keyword in PARAMETERS or keyword in _OLD_KEYWORDS:
            continue
        if keyword.startswith(_DIALECT_PREFIXES) or keyword == "existing_autoincrement":
            continue
        if keyword == "autoincrement" and (
            flavor in ("mysql", "mariadb") or (op.batch and (op.rebuilt or flavor == "sqlite"))
        ):
            continue
        if keyword in _MEANT:
            if keyword == "primary_key" and _restates_own_key(facts, op):
                continue
            if _key_already(facts, options, op, keyword) or _mirrors_upgrade(facts, op, keyword):
                continue
            if not _asks_nothing(value):
                yield keyword, *_MEANT[keyword], False
            continue
        close = difflib.get_close_matches(
            keyword, sorted(PARAMETERS | DIALECT_KEYWORDS), n=1, cutoff=_CLOSE
        )
        if not close:
            continue  # not a Column's keyword nor a misspelling: what it asked for is unknown
        meant = close[0]
        if meant.startswith("existing_"):
            lost = f"Alembic does not know the column's {meant[len('existing_') :]} from it"
        else:
            lost = "nothing is changed for it"
        yield (
            keyword,
            f"it is no parameter of alter_column: {lost} (a misspelt {meant}=?)",
            f"spell it {meant}=",
            meant.startswith("existing_"),
        )


def ignored_alter_arguments(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    """L344, in upgrade() and downgrade(): see the module's docstring."""
    for op in facts.all_ops:
        if op.name != "alter_column":
            continue
        for keyword, effect, fix, existing in _ignored(facts, op, options):
            hit = op_hit(
                "L344",
                op,
                f"alter_column {column_label(op, op.string('column_name'))}: Alembic ignores "
                f"{keyword}=: {effect}",
                fix=fix,
            )
            yield hit._replace(severity=WARNING) if existing else hit
