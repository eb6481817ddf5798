"""Raw SQL written as a template (issue 20, round 17): `"UPDATE acls SET description='%s'" %
(text,)`, `"DELETE FROM {} WHERE ...".format(table)`, `sa.text(f"...")`.

Lint cannot read such SQL whole, but two things hold for it. It is raw SQL, not a Core construct
(`t.update().values(...)` is a method call too, and shows what it does): an op.execute of it may
do anything. And its keywords are literal even when its values are not: the template's text
says whether it writes rows (UPDATE, INSERT, DELETE) or changes the schema.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

# SQLAlchemy's functions that take raw SQL text
_TEXT_CALLS = frozenset({"text", "literal_column"})


def format_receiver(node: ast.expr) -> ast.Constant | None:
    """The literal string of `"...".format(...)`; None for anything else."""
    if type(node) is not ast.Call or type(node.func) is not ast.Attribute:
        return None
    receiver = node.func.value
    if node.func.attr == "format" and type(receiver) is ast.Constant:
        return receiver if type(receiver.value) is str else None
    return None


def sql_template_call(node: ast.Call, sqlalchemy_name: Callable[[ast.expr], str | None]) -> bool:
    """Whether a method call is raw SQL rather than a Core construct: `"...".format(...)`, or
    `sa.text(...)` / `sa.literal_column(...)` of any text (a literal one is read before this
    is asked)."""
    return format_receiver(node) is not None or sqlalchemy_name(node.func) in _TEXT_CALLS


def template_text(node: ast.expr | None) -> str | None:
    """An op.execute's SQL template: an f-string with each {expression} as `{}`, or the
    literal left of `"..." % values` and of `"...".format(...)` as written (also inside
    `sa.text(...)`); None when no literal text is there."""
    if type(node) is ast.Call and node.args and format_receiver(node) is None:
        node = node.args[0]  # sa.text(f"...")
    if type(node) is ast.JoinedStr:
        return "".join(
            str(part.value) if type(part) is ast.Constant else "{}" for part in node.values
        )
    if type(node) is ast.BinOp and type(node.op) is ast.Mod:
        node = node.left  # "UPDATE acls SET description='%s' WHERE name='%s'" % (...)
    if node is not None:
        node = format_receiver(node) or node  # "UPDATE {} SET flag = 1".format(table)
    if type(node) is ast.Constant and type(node.value) is str:
        return node.value
    return None
