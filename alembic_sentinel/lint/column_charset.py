"""The character set a column's own type declares for MySQL (L312's bytes per character).

A table's character set (utf8mb4 unless a revision declared another) is what most columns take,
but a column may name its own: `mysql.VARCHAR(255, charset="latin1")`, or
`sa.String(3000, collation="latin1_general_cs")`, whose collation belongs to one character set.
A portable type often names it only for MySQL, through a variant:
`sa.String(3000).with_variant(sa.String(3000, collation="latin1_general_cs"), "mysql")`.
MySQL stores such a column, and sizes its index key, in that character set.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator

from alembic_sentinel.lint.literals import string_value

# dialect names whose variant MySQL and MariaDB use
MYSQL_DIALECTS = frozenset({"mysql", "mariadb"})


def variant_dialect(call: ast.Call) -> str | None:
    """The dialect name of `T.with_variant(variant, "mysql")` (positional or `dialect_name=`)."""
    if len(call.args) > 1:
        return string_value(call.args[1])
    for keyword in call.keywords:
        if keyword.arg == "dialect_name":
            return string_value(keyword.value)
    return None


def variant_type(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    for keyword in call.keywords:
        if keyword.arg == "type_":
            return keyword.value
    return None


def mysql_type_node(node: ast.expr) -> ast.expr:
    """The type MySQL gets: the MySQL (or MariaDB) variant of a `with_variant` chain when it
    names one, else the base type the chain starts from."""
    current = node
    while (
        type(current) is ast.Call
        and type(current.func) is ast.Attribute
        and current.func.attr == "with_variant"
    ):
        if variant_dialect(current) in MYSQL_DIALECTS:
            variant = variant_type(current)
            if variant is not None:
                return variant
        current = current.func.value
    return current


def nodes_mysql_reads(node: ast.AST) -> Iterator[ast.AST]:
    """Every node of `node` but the variants of other dialects: in `T.with_variant(V,
    "postgresql")` only T is what MySQL gets (`sa.JSON().with_variant(postgresql.JSONB(),
    "postgresql")` is JSON there); a MySQL or MariaDB variant is read with its base. Nor the
    branches of a conditional expression still in an operation (`X if flag else Y`): the
    reader replaced those whose test the dialect decides by the branch taken
    (dialect_values), so which one MySQL gets is not known."""
    pending = deque([node])  # breadth first, as ast.walk
    while pending:
        current = pending.popleft()
        yield current
        if type(current) is ast.IfExp:
            pending.append(current.test)
            continue
        if (
            type(current) is ast.Call
            and type(current.func) is ast.Attribute
            and current.func.attr == "with_variant"
            and variant_dialect(current) not in MYSQL_DIALECTS
        ):
            # the base type, and the dialect's name; not the other dialect's type
            pending.append(current.func)
            continue
        pending.extend(ast.iter_child_nodes(current))


def _charset_of_collation(collation: str) -> str:
    """`latin1_general_cs` -> `latin1`, `utf8mb4_0900_ai_ci` -> `utf8mb4`: MySQL names every
    collation after its character set (the part before the first underscore)."""
    return collation.split("_", 1)[0].lower()


def declared_charset(node: ast.expr | None) -> str | None:
    """The character set the type MySQL gets declares by `charset=` (MySQL's own types) or
    `collation=`, when a literal; None when it declares none (the table's applies)."""
    if node is None:
        return None
    mysql_type = mysql_type_node(node)
    if type(mysql_type) is not ast.Call:
        return None
    given = {kw.arg: kw.value for kw in mysql_type.keywords if kw.arg is not None}
    charset = string_value(given["charset"]) if "charset" in given else None
    if charset:
        return charset.lower()
    collation = string_value(given["collation"]) if "collation" in given else None
    if collation:
        return _charset_of_collation(collation)
    return None
