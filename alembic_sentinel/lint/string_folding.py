"""Names a revision builds from literal parts: `prefix + "_torrents"`, `f"{prefix}_comments"`.

A revision that keeps several copies of a schema (one per site or tenant) loops over literal
prefixes and names its tables by joining them: `for prefix in ("nyaa", "sukebei"):
op.create_table(prefix + "_torrents", ...)`. Inside the unrolled loop each part is known, so
the whole name is: the rules then work on `nyaa_torrents` and messages name it, instead of the
expression. Only `+` of strings, f-strings whose every part is known, and a conditional
expression whose test is known (a helper's boolean parameter bound by the call or its default,
round 36) are folded.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from alembic_sentinel.lint.literals import string_value


def folded(
    node: ast.expr,
    lookup: Callable[[str], ast.expr | None],
    unknown: Callable[[str], str] | None = None,
) -> str | None:
    """The string `node` builds when every part is a literal or a name `lookup` gives a
    literal string for; None otherwise. With `unknown`, a name `lookup` knows nothing of is
    written as `unknown(name)` instead (a placeholder: sql_templates)."""
    if type(node) is ast.Constant:
        return node.value if type(node.value) is str else None
    if type(node) is ast.Name:
        known = lookup(node.id)
        if known is None and unknown is not None:
            return unknown(node.id)
        return string_value(known) if type(known) is ast.Constant else None
    if type(node) is ast.BinOp and type(node.op) is ast.Add:
        left = folded(node.left, lookup, unknown)
        right = folded(node.right, lookup, unknown) if left is not None else None
        return left + right if left is not None and right is not None else None
    if type(node) is ast.IfExp:
        # `column if forward else "_" + column` in a helper called with `forward` left to
        # its default: the arm the bound test picks; None when the test is not known
        truth = known_truth(node.test, lookup)
        return (
            None if truth is None else folded(node.body if truth else node.orelse, lookup, unknown)
        )
    if type(node) is ast.JoinedStr:
        parts: list[str] = []
        for part in node.values:
            if type(part) is ast.FormattedValue:
                if part.format_spec is not None or part.conversion not in (-1, 115):
                    return None  # a format spec or !r / !a changes the text
                text = folded(part.value, lookup, unknown)
            else:
                text = folded(part, lookup, unknown)
            if text is None:
                return None
            parts.append(text)
        return "".join(parts)
    return None


def known_truth(test: ast.expr, lookup: Callable[[str], ast.expr | None]) -> bool | None:
    """Whether a test is true when it is a literal, a name `lookup` gives a literal for (a
    helper's `forward=True`), or `not` of one; None when it is known only at run time."""
    if type(test) is ast.UnaryOp and type(test.op) is ast.Not:
        inner = known_truth(test.operand, lookup)
        return None if inner is None else not inner
    if type(test) is ast.Name:
        known = lookup(test.id)
        test = known if known is not None else test
    if type(test) is ast.Constant and type(test.value) in (bool, int, str, type(None)):
        return bool(test.value)
    return None


def folded_name(node: ast.expr, lookup: Callable[[str], ast.expr | None]) -> ast.expr | None:
    """A literal in place of a joined name (`prefix + "_x"`, an f-string), at its position;
    None for a plain literal or name (nothing to fold) or a part not known."""
    if type(node) not in (ast.BinOp, ast.JoinedStr):
        return None
    text = folded(node, lookup)
    return ast.copy_location(ast.Constant(text), node) if text is not None else None
