"""Operations imported one by one (issue 20, round 17): `from alembic.op import add_column,
drop_column` and then `add_column("rules", sa.Column(...))`.

Some histories (rucio's, for one) never write `op.`: each revision imports the operations it
calls from `alembic.op`. The reader knows an operation by its receiver, `op.add_column(...)`;
this module rewrites each call of a name imported from `alembic.op` (also `as` another name)
to that spelling, at the same place in the file, before the reader walks the tree, so every
rule sees these operations as it sees any other.
"""

from __future__ import annotations

import ast

_OP_MODULE = "alembic.op"


def imported_operations(tree: ast.Module) -> dict[str, str]:
    """The local names bound by `from alembic.op import x [as y]` anywhere in the file, to the
    operation each names; a later rebinding of the name is not followed (no revision does)."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if type(node) is ast.ImportFrom and node.module == _OP_MODULE and node.level == 0:
            for alias in node.names:
                if alias.name != "*":
                    found[alias.asname or alias.name] = alias.name
    return found


class _OpSpelling(ast.NodeTransformer):
    def __init__(self, operations: dict[str, str]) -> None:
        self.operations = operations

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if type(func) is ast.Name and func.id in self.operations:
            receiver = ast.copy_location(ast.Name(id="op", ctx=ast.Load()), func)
            spelled = ast.Attribute(value=receiver, attr=self.operations[func.id], ctx=ast.Load())
            node.func = ast.copy_location(spelled, func)
        return node


def spell_operations_with_op(tree: ast.Module, source: str | bytes) -> ast.Module:
    """The tree with `add_column(...)` of `from alembic.op import add_column` written as
    `op.add_column(...)`; the tree as it is when the file imports no operation by name."""
    # the import's text is in the source: most files never name the module, and a walk of
    # every node would cost more than the rest of reading them (the lint bench's 1,000 files)
    named = b"alembic.op" in source if isinstance(source, bytes) else "alembic.op" in source
    if not named:
        return tree
    operations = imported_operations(tree)
    if not operations:
        return tree
    rewritten = _OpSpelling(operations).visit(tree)
    return ast.fix_missing_locations(rewritten)
