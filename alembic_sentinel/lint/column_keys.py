"""A primary key that MySQL drops with its column (L319, round 32).

MySQL removes a dropped column from every index it is part of, and drops an index all of whose
columns are gone (the manual's ALTER TABLE, "Adding and Dropping Columns"): the PRIMARY key
included. So a downgrade's drop_column of the one column of a primary key the upgrade created
(`create_primary_key("t_pkey", "t", ["id"])`) takes the key with it, as on PostgreSQL: no
separate drop_constraint is needed (checked on MariaDB 10.11: `ALTER TABLE t DROP COLUMN id`
leaves the table with no key).

Not so, and still reported:

- a key of several columns: MariaDB refuses to drop one of them (ERROR 1072, "Key column
  doesn't exist in table", checked on 10.11), MySQL narrows the key to the others, and
  Alembic drops each column by a statement of its own;
- a column a foreign key holds, its own (ERROR 1828, "needed in a foreign key constraint") or
  another table's referring to it (ERROR 1829): the server refuses the drop, unless the
  downgrade drops that foreign key by name before. Foreign keys of the upgrade and of the
  revisions before count; one lint cannot tie to the column is not seen.

A CHECK constraint goes with its column the same way (round 40): MySQL and MariaDB drop a CHECK
whose condition refers to the dropped column and to no other (MySQL's
check_constraint_expr_refers_to_only_column; MariaDB since MDEV-11114, the SQL standard's DROP
COLUMN ... RESTRICT; checked on MariaDB 10.11, `CHECK (s IS NULL OR JSON_VALID(s))` goes with
`DROP COLUMN s`). A condition over several columns stops the drop instead ("Unknown column 's'
in 'CHECK'" on MariaDB, ERROR 3959 on MySQL), and so does one lint cannot read.

Pure: reads operations and the history lint keeps.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence

from alembic_sentinel.lint.facts import LintOptions
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import string_list, string_value
from alembic_sentinel.lint.naming_convention import NamedObject, undone_by
from alembic_sentinel.lint.revision_model import Operation


def primary_key_dropped_with_column(
    made: NamedObject,
    upgrade: Sequence[Operation],
    downgrade: Sequence[Operation],
    options: LintOptions,
) -> bool:
    """Whether the downgrade's drop_column of the one column of the primary key `made` (its
    create_primary_key's object) takes the key with it on MySQL (see above)."""
    if made.kind != "pk" or made.columns is None or len(made.columns) != 1:
        return False
    table, column = made.table, made.columns[0]
    drop = next(
        (
            op
            for op in downgrade
            if op.name == "drop_column"
            and (op.table or "").lower() == table
            and (op.string("column_name") or "").lower() == column
        ),
        None,
    )
    if drop is None:
        return False
    before = [op for op in downgrade if op.seq < drop.seq]
    templates = options.convention_templates()
    for key in upgrade:
        if _holds(key, table, column) and not undone_by(key, before, templates):
            return False  # the server refuses to drop the column while the key is there
    if options.refers_before(table, column):
        return False  # a foreign key of an earlier revision from the column
    target = f"{table}.{column}"
    return not _referred_before(options, target)


def _holds(key: Operation, table: str, column: str) -> bool:
    """Whether an upgrade step makes a foreign key from table.column or to it."""
    if key.name == "create_foreign_key":
        local = [c.lower() for c in string_list(key.param("local_cols")) or ()]
        remote = [c.lower() for c in string_list(key.param("remote_cols")) or ()]
        referent = (key.string("referent_table") or "").lower()
        return ((key.table or "").lower() == table and column in local) or (
            referent == table and column in remote
        )
    if key.name not in ("add_column", "create_table"):
        return False
    target = f"{table}.{column}"
    own = (key.table or "").lower() == table
    for spec in key.columns:
        for foreign in spec.foreign_keys:
            if (foreign.target or "").lower() == target:
                return True
            if own and (spec.name or "").lower() == column:
                return True
    for constraint in key.constraints:
        if constraint.kind != "foreign_key":
            continue
        if (constraint.target or "").lower() == target:
            return True
        if own and column in (c.lower() for c in constraint.columns):
            return True
    return False


def _referred_before(options: LintOptions, target: str) -> bool:
    """Whether a foreign key the revisions before this one leave declared refers to `target`
    ("table.column")."""
    references: Mapping[tuple[str, str], object] = options.history.references
    return any(target in options.refers_before(table, column) for table, column in references)


# what a CHECK condition's SQL says besides its columns: quoted strings, numbers, functions
# (a word before "("), and the words of SQL's operators and literals
_NOT_COLUMNS = LazyPattern(r"'(?:[^']|'')*'|\"[^\"]*\"|\b\d[\w.]*|\b\w+\s*(?=\()")
_SQL_WORDS = frozenset(
    "and or not is null in between like rlike regexp true false case when then else end"
    " xor div mod collate binary escape interval exists unknown".split()
)
# SQLAlchemy's spellings of a column inside a condition written as an expression
_COLUMN_CALLS = frozenset({"column", "literal_column"})


def check_columns(condition: ast.expr | None) -> set[str] | None:
    """The columns a CHECK condition refers to, lowercased: read from its SQL (a string,
    `sa.text(...)`), or from the `sa.column("c")` / `literal_column("c")` of an expression;
    None when some part of it is no such spelling (a variable, a model's attribute)."""
    if condition is None:
        return None
    if isinstance(condition, ast.Call) and _called(condition) == "text" and condition.args:
        condition = condition.args[0]
    text = string_value(condition)
    if text is not None:
        words = re.findall(r"`([^`]+)`|([A-Za-z_]\w*)", _NOT_COLUMNS.sub(" ", text))
        found = {(quoted or word).lower() for quoted, word in words}
        return {word for word in found if word not in _SQL_WORDS}
    columns: set[str] = set()
    for node in ast.walk(condition):
        if isinstance(node, ast.Call) and _called(node) in _COLUMN_CALLS and node.args:
            name = string_value(node.args[0])
            if name is None:
                return None
            columns.add(name.lower())
        elif isinstance(node, ast.Name | ast.Attribute) and not _in_call_name(node, condition):
            return None  # a variable or a model's column: not read
    return columns


def check_dropped_with_column(condition: ast.expr | None, dropped: set[str]) -> bool:
    """Whether a CHECK with this condition goes with the downgrade's drop of its one column
    (`dropped`: the columns of its table the downgrade drops; see above)."""
    columns = check_columns(condition)
    return columns is not None and len(columns) == 1 and columns <= dropped


def _called(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _in_call_name(node: ast.expr, root: ast.expr) -> bool:
    """Whether `node` is (part of) the function name of a call inside `root` (`sa.column`,
    `sa.and_`, `func.length`), not a value of the condition."""
    for call in ast.walk(root):
        if isinstance(call, ast.Call):
            for part in ast.walk(call.func):
                if part is node:
                    return True
    return False
