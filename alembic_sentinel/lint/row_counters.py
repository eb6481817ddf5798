"""Counters that number the rows an UPDATE writes (L309; issue 20).

A revision adding an ordering column numbers the existing rows before making it part of a key:

    SET @row_number = 0;
    UPDATE bw_selects SET `order` = (@row_number := @row_number + 1) ORDER BY setting_id;

MySQL evaluates the assignment once per row written, so each row gets the next number; a unique
key over the column cannot meet a duplicate. The same holds for the variable stepped inside a
subquery whose alias the SET takes (`JOIN (SELECT id, @n := @n + 1 AS v FROM t, (SELECT @n :=
0) init) s ON ... SET t.c = s.v`) and for `ROW_NUMBER() OVER (...)`. Only so when:

- the variable starts from a number: `SET @n = 0` run before (the session keeps it between
  executes) or `(SELECT @n := 0)` in the statement. Never set, it is NULL and so is NULL + 1:
  every row gets NULL, or on a NOT NULL column the type's 0 outside strict mode (checked on
  MariaDB 10.11: strict mode refuses it with ERROR 1265);
- the numbers do not start again: `ROW_NUMBER() OVER (PARTITION BY x ...)` numbers each x from
  1, distinct only within x (the key must hold x as well); a variable reset per group (`@n :=
  IF(@g = x, @n + 1, 1)`) is no plain step and does not count;
- the UPDATE writes every row: a WHERE that filters (anything but equalities joining two named
  tables, `r.id = t.id`) or a LIMIT leaves rows with the value they had, which may repeat
  (MariaDB: `SET c = (@p := @p + 1) WHERE g = 1` on a column added `DEFAULT 0`, then `ADD UNIQUE
  (c)`: ERROR 1062 Duplicate entry '0'). Rows left out are harmless only in a column the upgrade
  added NULL with no default: NULLs never collide (`missed_null`).

A loop numbering the rows it writes by their key (`for i, row in enumerate(rows)`, `n += 1`
each pass) does the same in Python (counted_per_pass, below).

Pure: regular expressions over the statement's text, and the loop's syntax.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection
from typing import Union

from alembic_sentinel.lint.lazy_patterns import LazyPattern

# a user variable stepped by a positive number: `@n := @n + 1`, `@n := 1 + @n`
_STEP = LazyPattern(
    r"@(\w+)\s*:=\s*(?:@(\w+)\s*\+\s*0*[1-9]\d*|0*[1-9]\d*\s*\+\s*@(\w+))", re.IGNORECASE
)
# row_number() OVER (, and the window's PARTITION BY list
_ROW_NUMBER = LazyPattern(r"^\s*row_number\s*\(\s*\)\s*OVER\s*\(", re.IGNORECASE)
_PARTITION = LazyPattern(
    r"\s*PARTITION\s+BY\s+(.*?)\s*(?:\bORDER\b.*)?$", re.IGNORECASE | re.DOTALL
)
# a clause a WHERE ends at (at its own depth)
_WHERE_END = LazyPattern(r"\b(?:ORDER|GROUP|LIMIT|RETURNING|HAVING|WINDOW)\b", re.IGNORECASE)
# a condition joining two named rows: `r.id = t.id`, `` `a`.`x` = `b`.`y` ``
_JOIN_EQUALITY = LazyPattern(
    r"^\(?\s*[`\"\[]?(\w+)[`\"\]]?\.[`\"\[]?\w+[`\"\]]?\s*=\s*"
    r"[`\"\[]?(\w+)[`\"\]]?\.[`\"\[]?\w+[`\"\]]?\s*\)?$"
)


def numbers_rows(
    text: str, expression: str, within: Collection[str], earlier: str, missed_null: bool
) -> bool:
    """Whether `expression`, the value an UPDATE's SET gives a column (or the select-list item
    a subquery's alias names), numbers the rows `text` writes so that no two get one value (see
    above). `within`: the key's other columns, lowercase, which may hold a window's partition;
    `earlier`: the SQL run before, where `SET @n = 0` may stand; `missed_null`: whether rows
    the UPDATE leaves out hold NULL."""
    if not (_counter(text, expression, earlier) or _numbered_within(expression, within)):
        return False
    return missed_null or reaches_every_row(text)


def _counter(text: str, expression: str, earlier: str) -> bool:
    """`@n := @n + 1`, bare or in parentheses, with `@n` given a number first."""
    step = _STEP.fullmatch(_unwrapped(expression))
    if step is None:
        return False
    name = step.group(1)
    if name.lower() != (step.group(2) or step.group(3)).lower():
        return False
    start = re.compile(rf"@{re.escape(name)}\s*:?=\s*[-+]?\d+\b", re.IGNORECASE)
    return start.search(text) is not None or start.search(earlier) is not None


def _numbered_within(expression: str, within: Collection[str]) -> bool:
    """`row_number() OVER (...)`, unpartitioned or partitioned by columns of the key only."""
    expression = _unwrapped(expression)
    window = _ROW_NUMBER.match(expression)
    if window is None:
        return False
    over = _clause(expression, window.end())
    partition = _PARTITION.fullmatch(over)
    if partition is None:
        return re.search(r"\bPARTITION\b", over, re.IGNORECASE) is None
    parts = [
        re.sub(r"[`\"\[\]]", "", p).strip().split(".")[-1] for p in partition.group(1).split(",")
    ]
    return all(re.fullmatch(r"\w+", p) for p in parts) and {p.lower() for p in parts} <= set(within)


def _unwrapped(expression: str) -> str:
    """The expression without parentheses around all of it."""
    expression = expression.strip()
    while expression.startswith("(") and expression.endswith(")") and _closes_last(expression):
        expression = expression[1:-1].strip()
    return expression


def _closes_last(expression: str) -> bool:
    """Whether the opening parenthesis at 0 closes at the end."""
    depth = 0
    for index, char in enumerate(expression):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return index == len(expression) - 1
    return False


def reaches_every_row(text: str) -> bool:
    """Whether the statement writes every row of its table: no LIMIT, and each WHERE (of the
    statement or a subquery of it) only joins named rows by equalities (`WHERE r.id = t.id`)."""
    if re.search(r"\bLIMIT\b", text, re.IGNORECASE):
        return False
    for where in re.finditer(r"\bWHERE\b", text, re.IGNORECASE):
        for condition in re.split(r"\bAND\b", _clause(text, where.end()), flags=re.IGNORECASE):
            joined = _JOIN_EQUALITY.match(condition.strip())
            if joined is None or joined.group(1).lower() == joined.group(2).lower():
                return False
    return True


def _clause(text: str, start: int) -> str:
    """The text from `start` to the end of its clause: a closing parenthesis of an enclosing
    level, a clause keyword at its own level, a semicolon, or the end."""
    return text[start : level_end(text, start, _ends_where)]


def _ends_where(text: str, index: int) -> bool:
    return text[index] == ";" or _WHERE_END.match(text, index) is not None


def level_end(text: str, start: int, ends: Callable[[str, int], bool], quoted: bool = False) -> int:
    """Where the SQL from `start` leaves its level: at a closing parenthesis of an enclosing
    level, at a place outside parentheses where `ends(text, index)` holds, or at the end. With
    `quoted`, a '...' string is passed over whole."""
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if quoted and char == "'":
            closing = text.find("'", index + 1)
            index = len(text) if closing < 0 else closing + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ends(text, index):
            break
        index += 1
    return index


# A loop numbering the rows it writes, one UPDATE per row found by its key (`for i, row in
# enumerate(rows): conn.execute(text("UPDATE t SET c = :i WHERE id = :id"), {"i": i, ...})`,
# or `n += 1` each pass) gives each its own number, as long as the count never starts again:
# a loop inside another one (`enumerate` per group) numbers each group from 0, and a count
# stepped in a branch, or skipped by a `continue`, may repeat.

Loop = Union[
    ast.For, ast.AsyncFor, ast.While
]  # Union: a runtime alias, and Python 3.9 has no `type | type`
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
# calls and operations that keep a number's identity: `str(i)`, `i + 1`, `f"p-{i}"`
_KEEPING = frozenset({"str", "int"})
# text a loop counter needs: the file is searched for it before its syntax is walked
LOOP_COUNTER = LazyPattern(r"\benumerate\s*\(|\+=")


def counted_per_pass(value: ast.expr, loop: Loop, tree: ast.Module) -> bool:
    """Whether `value`, written by a statement of the loop's body, is the number of the loop's
    pass (see above): its `enumerate` index or a name stepped once per pass, kept as it is
    (`str(i)`, `i + 1`, `f"p-{i}"`), in a loop no other loop of the file holds."""
    name = _counted_name(value)
    if name is None or name not in _counters(loop):
        return False
    return not any(
        other is not loop and any(node is loop for node in ast.walk(other))
        for other in ast.walk(tree)
        if isinstance(other, _LOOPS)
    )


def kept_argument(node: ast.expr, calls: Collection[str]) -> ast.expr | None:
    """The one argument of a call among `calls` that keeps its value apart (`str(i)` as `i`),
    else None."""
    if (
        type(node) is ast.Call
        and type(node.func) is ast.Name
        and node.func.id in calls
        and len(node.args) == 1
        and not node.keywords
    ):
        return node.args[0]
    return None


def _counted_name(value: ast.expr) -> str | None:
    """The one name a value keeps apart: `i`, `str(i)`, `i + 1`, `f"p-{i}"`."""
    while True:
        if type(value) is ast.Name:
            return value.id
        kept = kept_argument(value, _KEEPING)
        if kept is not None:
            value = kept
        elif type(value) is ast.BinOp and type(value.op) is ast.Add:
            if type(value.right) is ast.Constant:
                value = value.left
            elif type(value.left) is ast.Constant:
                value = value.right
            else:
                return None
        elif type(value) is ast.JoinedStr:
            shown = [v for v in value.values if type(v) is ast.FormattedValue]
            if len(shown) != 1 or shown[0].format_spec is not None:
                return None
            value = shown[0].value
        else:
            return None


def _counters(loop: Loop) -> set[str]:
    """The names that count the loop's passes: the index a `for i, row in enumerate(...)`
    target takes, or a name stepped by a positive constant by a statement of the body itself
    (`n += 1`, no branch) in a body with no `continue`; neither bound anywhere else in it."""
    found: set[str] = set()
    if (
        isinstance(loop, (ast.For, ast.AsyncFor))
        and type(loop.iter) is ast.Call
        and getattr(loop.iter.func, "id", getattr(loop.iter.func, "attr", None)) == "enumerate"
        and type(loop.target) is ast.Tuple
        and loop.target.elts
        and type(loop.target.elts[0]) is ast.Name
    ):
        found.add(loop.target.elts[0].id)
    body = [node for statement in loop.body for node in ast.walk(statement)]
    stepped = [
        statement.target.id
        for statement in loop.body
        if type(statement) is ast.AugAssign
        and type(statement.op) is ast.Add
        and type(statement.target) is ast.Name
        and type(statement.value) is ast.Constant
        and type(statement.value.value) is int
        and statement.value.value > 0
    ]
    if not any(type(node) is ast.Continue for node in body):
        found.update(stepped)
    bound = [target.id for node in body for target in _targets(node) if type(target) is ast.Name]
    return {name for name in found if bound.count(name) == stepped.count(name)}


def _targets(node: ast.AST) -> list[ast.expr]:
    """The names a statement binds (its targets, unpacked)."""
    if type(node) is ast.Assign:
        targets = list(node.targets)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        targets = [node.target]
    elif type(node) is ast.NamedExpr:
        targets = [node.target]
    else:
        return []
    flat: list[ast.expr] = []
    while targets:
        target = targets.pop()
        if isinstance(target, (ast.Tuple, ast.List)):
            targets.extend(target.elts)
        else:
            flat.append(target)
    return flat
