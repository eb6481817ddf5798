"""The column type a raw MySQL `MODIFY c <type> ...` / `CHANGE a b <type> ...` restates, read
as the type expression an alter_column's type_= would give (issue 20).

A raw CHANGE / MODIFY is alter_column with every attribute restated: `MODIFY status LONGTEXT`
is `alter_column(t, "status", type_=mysql.LONGTEXT(), nullable=True)`. Reading its type text
into the same expression (`mysql.LONGTEXT()`, `mysql.ENUM("a", "b")`, `mysql.DECIMAL(10, 2)`,
`mysql.INTEGER(display_width=11, unsigned=True)`) lets the rules that judge alter_column's
type_= (L307, L308, L314) and the history (lint.column_steps) read it with expressions.type_spec,
without a second reader of types. A type outside the list below is None: the column's type is
unknown, no rule judges it and the history forgets what it knew.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from types import MappingProxyType
from typing import Final

from alembic_sentinel.lint.expressions import type_spec
from alembic_sentinel.lint.literals import Names
from alembic_sentinel.lint.revision_model import TypeSpec
from alembic_sentinel.lint.sql_reader import Token

# MySQL's type words -> the mysql.<NAME> type lint reads (expressions' families), and how its
# parenthesised arguments are passed: "length", "digits" (precision, scale), "width" (an
# integer's display width), "members" (ENUM / SET), "fsp" (fractional seconds), "" (none)
_TYPES: Final = MappingProxyType(
    {
        "VARCHAR": ("VARCHAR", "length"),
        "CHAR": ("CHAR", "length"),
        "NVARCHAR": ("NVARCHAR", "length"),
        "NCHAR": ("NCHAR", "length"),
        "TEXT": ("TEXT", "length"),
        "TINYTEXT": ("TINYTEXT", ""),
        "MEDIUMTEXT": ("MEDIUMTEXT", ""),
        "LONGTEXT": ("LONGTEXT", ""),
        "BLOB": ("BLOB", "length"),
        "TINYBLOB": ("TINYBLOB", ""),
        "MEDIUMBLOB": ("MEDIUMBLOB", ""),
        "LONGBLOB": ("LONGBLOB", ""),
        "JSON": ("JSON", ""),
        "INT": ("INTEGER", "width"),
        "INTEGER": ("INTEGER", "width"),
        "BIGINT": ("BIGINT", "width"),
        "SMALLINT": ("SMALLINT", "width"),
        "MEDIUMINT": ("MEDIUMINT", "width"),
        "TINYINT": ("TINYINT", "width"),
        "BOOL": ("BOOLEAN", ""),
        "BOOLEAN": ("BOOLEAN", ""),
        "DECIMAL": ("DECIMAL", "digits"),
        "DEC": ("DECIMAL", "digits"),
        "NUMERIC": ("DECIMAL", "digits"),
        "FIXED": ("DECIMAL", "digits"),
        "FLOAT": ("FLOAT", ""),
        "DOUBLE": ("DOUBLE", ""),
        "REAL": ("DOUBLE", ""),
        "DATETIME": ("DATETIME", "fsp"),
        "TIMESTAMP": ("TIMESTAMP", "fsp"),
        "DATE": ("DATE", ""),
        "TIME": ("TIME", "fsp"),
        "ENUM": ("ENUM", "members"),
        "SET": ("SET", "members"),
    }
)
_NUMBER_ARGS: Final = frozenset({"length", "digits", "width", "fsp"})
# names are taken at their word when the file binds none of them (Names.sqlalchemy_name)
_NO_NAMES: Final = Names()


def column_type_node(definition: Sequence[Token]) -> ast.expr | None:
    """The type expression the column definition of a CHANGE / MODIFY (after its name or
    names) starts with, `mysql.LONGTEXT()` and the like; None for a type not read here (a
    VARCHAR without a length, a spatial type, a parameter)."""
    if not definition or definition[0].kind != "word":
        return None
    known = _TYPES.get(definition[0].text.upper())
    if known is None:
        return None
    name, arguments = known
    values, rest = _arguments(definition[1:])
    if values is None:
        return None
    if arguments in _NUMBER_ARGS and not all(type(v) is int for v in values):
        return None
    if arguments == "members" and not all(type(v) is str for v in values):
        return None
    if arguments == "" and values:
        return None  # FLOAT(7,4), DOUBLE(10,2): a precision lint does not weigh
    if arguments == "length" and name in ("VARCHAR", "NVARCHAR") and not values:
        return None  # MySQL refuses a VARCHAR without a length
    args: list[ast.expr] = []
    keywords: list[ast.keyword] = []
    if arguments in ("length", "digits", "members"):
        args = [ast.Constant(value) for value in values]
    elif arguments == "width" and values:
        keywords.append(ast.keyword("display_width", ast.Constant(values[0])))
    elif arguments == "fsp" and values:
        keywords.append(ast.keyword("fsp", ast.Constant(values[0])))
    if arguments == "width" and any(token.is_word("unsigned") for token in rest[:3]):
        keywords.append(ast.keyword("unsigned", ast.Constant(True)))
    if name == "CHAR" and not args:
        args = [ast.Constant(1)]  # CHAR is CHAR(1)
    func = ast.Attribute(ast.Name("mysql", ast.Load()), name, ast.Load())
    return ast.Call(func, args, keywords)


def column_type(definition: Sequence[Token]) -> TypeSpec | None:
    """The TypeSpec of column_type_node's expression; None when it reads none."""
    node = column_type_node(definition)
    return type_spec(node, _NO_NAMES) if node is not None else None


def _arguments(tokens: Sequence[Token]) -> tuple[list[int | str] | None, Sequence[Token]]:
    """The literal arguments of a type's parentheses, if it has them, and the tokens after;
    None when an argument is neither a number nor a string."""
    if not tokens or tokens[0] != Token("symbol", "("):
        return [], tokens
    values: list[int | str] = []
    for at, token in enumerate(tokens[1:], start=1):
        if token == Token("symbol", ")"):
            return values, tokens[at + 1 :]
        if token == Token("symbol", ","):
            continue
        if token.kind == "number" and token.text.isdigit():
            values.append(int(token.text))
        elif token.kind == "string":
            values.append(token.text)
        else:
            return None, ()
    return None, ()
