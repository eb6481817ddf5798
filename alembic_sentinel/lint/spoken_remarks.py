"""What a function says in words besides its docstring: its comments, block by block, and the
messages it prints or logs as it runs (`print("No downgrade for this")`, `log.warning(...)`).

A downgrade states a decision in any of these ("# the other columns need no downgrade",
`logger.info("nothing to undo: the rows are gone")`); lint/stated_intent.py reads what they
decide. Each comment block (consecutive comment lines; a comment after code on its own line)
and each message is one remark, so a decision is read with the words around it, not with a
remark about something else further down. Pure: the source's lines and ast only.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from alembic_sentinel.lint.lazy_patterns import LazyPattern

# methods of a logger (`logging.info`, `log.warning`, `self.logger.error`, `LOG.debug`)
_LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "critical", "exception", "log", "notice"}
)
# functions that print a message: print(), warnings.warn(), click.echo()/secho()
_PRINTS = frozenset({"print"})
_MODULE_PRINTS = frozenset({("warnings", "warn"), ("click", "echo"), ("click", "secho")})


def comment_blocks(lines: Sequence[str], first: int, last: int) -> tuple[str, ...]:
    """The comments on lines `first`..`last` (1-based), one string per block: consecutive
    full-line comments joined, and each comment that follows code on its line on its own."""
    blocks: list[str] = []
    current: list[str] = []
    joinable = False  # the last block ended with blank lines only after it (no code)

    def close() -> None:
        nonlocal joinable
        text = " ".join(current)
        named = _commented_operations("\n".join(current)) if joinable and blocks else None
        if named is not None:
            # the operations a decision leaves undone, commented out right below it ("don't
            # reverse them", then `# op.drop_column("t", "c")`): the decision speaks of the
            # columns, keys and indexes they name (not of every change on their tables)
            blocks[-1] = " ".join([blocks[-1], *named])
        else:
            blocks.append(text)
        current.clear()
        joinable = True

    for line in lines[first - 1 : last]:
        stripped = line.strip()
        if stripped.startswith("#"):
            current.append(stripped.lstrip("#").strip())
            continue
        if current:
            close()
        if stripped:
            joinable = False
        trailing = _trailing_comment(line)
        if trailing:
            blocks.append(trailing)
    if current:
        close()
    return tuple(block for block in blocks if block)


def comment_above(lines: Sequence[str], line: int, indent: int | None = None) -> str:
    """The block of full-line comments right above line `line` (1-based; blank lines between
    allowed, as autogenerate's two blank lines before a `def`), joined; "" when code or
    nothing but blank lines comes first. With `indent` (the `def`'s), a comment indented
    deeper ends the block: it ends the function before."""
    index = line - 2
    while index >= 0 and not lines[index].strip():
        index -= 1
    block: list[str] = []
    while index >= 0 and lines[index].lstrip().startswith("#"):
        text = lines[index]
        if indent is not None and len(text) - len(text.lstrip()) > indent:
            break
        block.append(text.strip().lstrip("#").strip())
        index -= 1
    return " ".join(reversed(block))


# Alembic operations whose first argument is the table (the object is a column), and those whose
# first argument is the object's own name (the table comes after)
_TABLE_FIRST = frozenset({"add_column", "drop_column", "alter_column"})
_NAME_FIRST = frozenset(
    {
        "drop_constraint",
        "drop_index",
        "create_index",
        "create_unique_constraint",
        "create_foreign_key",
        "create_check_constraint",
        "create_primary_key",
        "create_table",
        "drop_table",
    }
)


def _commented_operations(text: str) -> list[str] | None:
    """The names of the columns, keys, indexes and tables a comment block of commented-out
    Alembic operations acts on (`op.drop_column("t", "c")`: "c"); None when the block is not
    only such code (prose, or code that calls no operation)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    names: list[str] = []
    calls = 0
    for statement in tree.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        func = call.func if isinstance(call, ast.Call) else None
        if not isinstance(call, ast.Call) or not isinstance(func, ast.Attribute):
            return None
        calls += 1
        if func.attr in _TABLE_FIRST:
            arguments = call.args[1:2]
        elif func.attr in _NAME_FIRST:
            arguments = call.args[:1]
        else:
            continue
        for argument in arguments:
            if isinstance(argument, ast.Call) and argument.args:
                argument = argument.args[0]  # sa.Column("c", ...)
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                names.append(argument.value)
    return names if calls else None


def trailing_comments_end(lines: Sequence[str], end: int, indent: int) -> int:
    """The last line of a function whose last statement ends on line `end`, with the comments
    after that statement indented inside the function (Python's own end_lineno stops at the
    statement: "# No downgrade for the rest" below it is the function's still)."""
    last = end
    for number in range(end + 1, len(lines) + 1):
        line = lines[number - 1]
        stripped = line.lstrip()
        if not stripped:
            continue
        if not stripped.startswith("#") or len(line) - len(stripped) <= indent:
            break
        last = number
    return last


# a revision's message speaking of its downgrade ("Downgrade: none, the rows would not fit")
_DOWNGRADE = LazyPattern(r"\bdowngrad", re.IGNORECASE, words=("downgrad",))


def paragraphs_about_downgrade(message: str | None) -> tuple[str, ...]:
    """The paragraphs (or list items) of a revision's message that speak of its downgrade."""
    if not message or not _DOWNGRADE.search(message):
        return ()
    parts = re.split(r"\n\s*\n|\n\s*[-*•]\s", message)
    return tuple(" ".join(part.split()) for part in parts if _DOWNGRADE.search(part))


def _trailing_comment(line: str) -> str | None:
    """The comment after code on a line (`op.drop_column("t", "c")  # kept`): a `#` outside
    quotes; None when there is none."""
    if "#" not in line:  # most lines: no character-by-character walk
        return None
    quote: str | None = None
    for index, char in enumerate(line):
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#":
            return line[index + 1 :].strip()
    return None


def logged_messages(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    """The literal text of each message the function's own statements print or log on every
    run (its top-level calls: a message in an `if` speaks of one case only)."""
    messages: list[str] = []
    for statement in function.body:
        if type(statement) is not ast.Expr or type(statement.value) is not ast.Call:
            continue
        call = statement.value
        if not _prints(call.func) or not call.args:
            continue
        text = " ".join(_literal_parts(call.args[0])).strip()
        if text:
            messages.append(text)
    return tuple(messages)


def _prints(func: ast.expr) -> bool:
    """print, a logger's method (a receiver whose name says log: `logging`, `logger`, `LOG`,
    `self.log`, `logging.getLogger(...)`), warnings.warn, click.echo."""
    if type(func) is ast.Name:
        return func.id in _PRINTS
    if type(func) is not ast.Attribute:
        return False
    receiver = func.value
    if type(receiver) is ast.Call:
        receiver = receiver.func  # logging.getLogger(__name__).info(...)
    name = receiver.attr if type(receiver) is ast.Attribute else getattr(receiver, "id", "")
    if func.attr in _LOG_METHODS and "log" in name.lower():
        return True
    return (name, func.attr) in _MODULE_PRINTS


def _literal_parts(node: ast.expr) -> Iterator[str]:
    """The literal strings of a message: a constant, an f-string's text, a `%` or `.format`
    template."""
    for child in ast.walk(node):
        if type(child) is ast.Constant and type(child.value) is str:
            yield child.value
