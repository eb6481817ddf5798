"""An operation's arguments as the target computes them when a dialect test picks a value.

A revision written for several databases may choose a value inside the call instead of around
it: `sa.Column("kind", sa.Enum("a", "b") if not is_psql() else postgresql.ENUM(name="kind",
create_type=False))`, `nullable=is_sqlite()`, `server_default=sa.text("0") if
op.get_bind().dialect.name == "mysql" else None`. Only the value the target's dialect gives is
what runs there, as only the target's branch of an `if` on the dialect runs (dialect_tests
decides both, with the same project helpers: a function of the file, or one imported from a
project module). So before the rules read an `op.*` call, its arguments are rewritten:

- a conditional expression whose test is decided becomes the branch taken, wherever it stands
  (an argument, a keyword, inside `sa.Column(...)`, a list of columns);
- a keyword's value that is itself a decided test (`nullable=is_sqlite()`, `unique=not
  is_mysql()`, `a and b`, a flag kept in a variable) becomes the literal True / False.

A test that is not decided (an unknown helper, a setting, a test only MariaDB passes on a MySQL
target: `on_mysql` disagrees) is left as written, and the rules read the value as unknown.
The call is returned unchanged (the same object) when nothing was decided.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence

# the expressions a dialect test can be: a flag, a helper's call, a comparison, `not` / `and` /
# `or` of them, a capability attribute, `(name := ...)`; a literal or a container never is
_TEST_KINDS: tuple[type[ast.expr], ...] = (ast.Name, ast.Call, ast.Compare, ast.BoolOp)
_TEST_KINDS += (ast.UnaryOp, ast.Attribute, ast.NamedExpr)

Decide = Callable[[ast.expr], "bool | None"]


def decided_call(call: ast.Call, decide: Decide) -> ast.Call:
    """`call` with each value the target's dialect picks in place of its dialect test;
    `decide` answers a test (True / False, None when undecided)."""
    args = [_decided(arg, decide, keyword=False) for arg in call.args]
    keywords = [
        kw
        if (value := _decided(kw.value, decide, keyword=kw.arg is not None)) is kw.value
        else ast.keyword(kw.arg, value, **_position(kw.value))
        for kw in call.keywords
    ]
    if _same(args, call.args) and _same(keywords, call.keywords):
        return call
    return ast.Call(call.func, args, keywords, **_position(call))


def _decided(node: ast.expr, decide: Decide, keyword: bool) -> ast.expr:
    """The value `node` has on the target: the branch a decided conditional takes, a decided
    test given as a keyword's value as its literal outcome, else the node with its parts so
    rewritten (a call's arguments, a list's elements)."""
    if type(node) is ast.IfExp:
        outcome = decide(node.test)
        if outcome is not None:
            return _decided(node.body if outcome else node.orelse, decide, keyword)
        body, orelse = _decided(node.body, decide, keyword), _decided(node.orelse, decide, keyword)
        if body is node.body and orelse is node.orelse:
            return node
        return ast.IfExp(node.test, body, orelse, **_position(node))
    if keyword and isinstance(node, _TEST_KINDS):
        outcome = decide(node)
        if outcome is not None:
            constant = ast.Constant(outcome)
            return ast.copy_location(constant, node)
    if type(node) is ast.Call:
        return decided_call(node, decide)
    if isinstance(node, (ast.List, ast.Tuple)):
        elements = [_decided(element, decide, keyword=False) for element in node.elts]
        if _same(elements, node.elts):
            return node
        return type(node)(elements, ast.Load(), **_position(node))
    return node


def _same(new: Sequence[ast.AST], old: Sequence[ast.AST]) -> bool:
    """Whether nothing was rewritten: the same objects, one for one."""
    return all(a is b for a, b in zip(new, old))


def _position(node: ast.AST) -> dict[str, int]:
    """The node's place in the source, for a node made in its stead."""
    lineno = getattr(node, "lineno", 1)
    col = getattr(node, "col_offset", 0)
    return {
        "lineno": lineno,
        "col_offset": col,
        "end_lineno": getattr(node, "end_lineno", None) or lineno,
        "end_col_offset": getattr(node, "end_col_offset", None) or col,
    }
