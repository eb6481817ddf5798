"""Where in the user's files an exception happened, as `path:line` for a one-line error."""

from __future__ import annotations

from pathlib import Path


def innermost_frame(
    exc: BaseException, directory: Path, root: Path, skip: tuple[str, ...] = ()
) -> str | None:
    """`path:line` (relative to `root`) of the innermost frame inside `directory`, if any.

    A SyntaxError raised while compiling a file there has no frame of its own: its file and line
    are used instead. Paths with a part in `skip` (e.g. a virtualenv inside the project) are not
    the user's code.
    """

    def inside(path: Path) -> bool:
        return directory in path.parents and not any(part in path.parts for part in skip)

    def shown(path: Path, line: int | None) -> str:
        try:
            return f"{path.relative_to(root)}:{line}"
        except ValueError:
            return f"{path}:{line}"

    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = Path(tb.tb_frame.f_code.co_filename)
        if inside(filename):
            found = shown(filename, tb.tb_lineno)
        tb = tb.tb_next
    if found is None and isinstance(exc, SyntaxError) and exc.filename:
        filename = Path(exc.filename)
        if inside(filename):
            found = shown(filename, exc.lineno)
    return found


def batch_operation_line(source: str, with_line: int, statement: str) -> int | None:
    """The line of the `batch_op.*` call a failed statement came from, when the traceback
    stops at `with op.batch_alter_table(...) as batch_op:` (the batch runs its operations as
    the block ends): the one call of the block whose names the statement mentions. None when
    `with_line` is no batch block, or no single call matches."""
    import ast
    import re

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return None
    block = next(
        (
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.With) and node.lineno == with_line and _is_batch(node)
        ),
        None,
    )
    if block is None or not isinstance(block.items[0].optional_vars, ast.Name):
        return None
    alias = block.items[0].optional_vars.id
    mentioned = set(re.findall(r"\w+", statement.lower()))
    matches = []
    for statement_node in block.body:
        for node in ast.walk(statement_node):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == alias
            ):
                continue
            names = {
                value.value.lower()
                for value in ast.walk(node)
                if isinstance(value, ast.Constant) and isinstance(value.value, str)
            }
            if names and names <= mentioned | {""}:
                matches.append((len(names), node.lineno))
    if not matches:
        return None
    # the call the statement names the most of (an index over a column added just before)
    best = max(count for count, _ in matches)
    lines = {line for count, line in matches if count == best}
    return lines.pop() if len(lines) == 1 else None


def _is_batch(node: object) -> bool:
    import ast

    assert isinstance(node, ast.With)
    call = node.items[0].context_expr if node.items else None
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "batch_alter_table"
    )
