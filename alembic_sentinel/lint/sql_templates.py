"""SQL built by `.format()` or `%` in Python, and table names joined from a prefix at run time.

A revision that serves several installations names its tables from a prefix it is given
(`def upgrade(table_prefix=""):`) and writes its raw SQL as a template filled by the table's
name: `"UPDATE {} SET ...".format(prefix + "buildset")`, `"UPDATE %s SET ..." % (prefix +
"buildset",)`. The prefix is not known, but it is the same name in both places: a part that is
a plain name with no known value is written as a placeholder identifier made from that name
(`__table_prefix__`), so `prefix + "buildset"` in the SQL and in `op.drop_column(prefix +
"buildset", ...)` give one computed name, and a column the SQL reads counts as read (L305).
SQL with such a placeholder is read only for the columns it reads (the reader adds them to the
fill, nothing else: its statements are not known well enough for the DDL rules; a `for t in
tables:` variable after its loop is one such unknown name); SQL whose every part is known is
read like any literal SQL. Only names, literals, `+` and f-strings are read; a format spec, a
conversion other than `s` or an argument of another shape leaves the SQL unread, as before.

The template's keywords are literal even when its values are not (round 17): `"UPDATE acls SET
description='%s'" % (text,)`, `"DELETE FROM {} WHERE ...".format(table)`, `sa.text(f"...")`. Such
SQL is raw SQL, not a Core construct (`t.update().values(...)` is a method call too, and shows
what it does), so an op.execute of it may do anything; but the template's text says whether it
writes rows (UPDATE, INSERT, DELETE) or changes the schema (`template_text`).

A value known only at run time (a field inside a quoted literal, or after `=`, `<`, `>`, `IN (`,
`LIKE`) is read as a bound parameter named after it, in `.format()`, `%`, f-strings and `+`
alike: `"... set email='{0}@example.com' where id={1}".format(r[0], r[1])` reads `... set
email=CONCAT(:value, '@example.com') where id=:value`, never as a blank or a 0, which would be
one constant for every row where a loop writes each row its own (issue 20; which rows a loop's
values are, lint/row_templates.py).

SQL a function of the revision's own file returns (round 32): `op.execute(keep_latest("owner",
"serial"))`, where the function binds its template to local names and returns it filled from
its parameters (`return sql.format(a=first, b=second)`, an f-string, `%`). `returned_template`
gives what the call returns and how its names are bound (the parameters to the call's arguments,
then each local assignment in order), for the reader to fold with the call's literal arguments;
only a body of assignments ending in its one `return` is read (a branch may return other SQL).
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Callable
from typing import NamedTuple

from alembic_sentinel.lint.expressions import is_docstring
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.string_folding import folded

# a placeholder of an unknown name (see placeholder): such SQL names a table only as a pattern
_HAS_PLACEHOLDER = LazyPattern(r"__\w+?__")

Lookup = Callable[[str], "ast.expr | None"]


def placeholder(name: str) -> str:
    """The identifier standing for a name whose value is not known (same name, same text)."""
    return f"__{name}__"


def computed_text(node: ast.expr, lookup: Lookup) -> str | None:
    """The string `node` builds, with each name of no known value as its placeholder; None
    when a part is of another shape (a call, an attribute, a number)."""
    return folded(node, lookup, placeholder)


def computed_table(node: ast.expr | None, lookup: Lookup) -> str | None:
    """A table name joined from parts at least one of which is not known (`prefix +
    "buildset"`), as its computed text, lowercase; None for anything else."""
    if node is None or type(node) not in (ast.BinOp, ast.JoinedStr):
        return None
    text = computed_text(node, lookup)
    return text.lower() if text is not None and "__" in text else None


def _template(node: ast.expr, lookup: Lookup) -> str | None:
    if type(node) is ast.Name:
        known = lookup(node.id)
        node = known if known is not None else node
    return string_value(node) if type(node) is ast.Constant else None


# what `.format()`, `%` and f-strings make of a value known only at run time: a bound
# parameter named after it (`'{}'.format(row.code)` -> `:code`), as `sa.text()` with the row's
# value would be (round 35 read `+` so). Not a blank or a 0: a template in a loop over rows writes
# each row's own value, and a blank would read as one constant for every row (issue 20,
# pumbahk/altair `set email='{0}@example.com' where id={1}`)
StandIn = Callable[[ast.expr], str]


def bound_parameter(node: ast.expr) -> str:
    """A value's stand-in: a bind parameter named after it (`row.c`, `row["c"]`, `str(row.c)`
    give `:c`)."""
    return f":{_parameter_name(node)}"


class _Filling:
    """A template's text as its fields are filled in, each run-time value marked where it
    stands until `text` writes the stand-ins: a value that is a whole quoted literal (`'{}'`)
    is the stand-in alone, one with other characters in the quotes (`'{0}@example.com'`) is
    `CONCAT` of them and it, one outside quotes (`WHERE id={1}`) the stand-in."""

    def __init__(self, lookup: Lookup, stand_in: StandIn) -> None:
        self.lookup = lookup
        self.stand_in = stand_in
        self.out: list[str] = []
        self.values: list[ast.expr] = []

    def literal(self, text: str) -> None:
        self.out.append(text)

    def field(self, argument: ast.expr) -> bool:
        """Fill one field; False when it may be a name (a table, a column) lint cannot read."""
        text = computed_text(argument, self.lookup)
        if type(argument) is ast.Constant or (
            text is not None and not _HAS_PLACEHOLDER.fullmatch(text)
        ):
            if text is None:
                return False  # a number, None: not read
            self.out.append(text)
            return True
        if _is_value("".join(self.out)):
            self.value(argument)
            return True
        if text is None:
            return False
        self.out.append(text)  # a placeholder of a name: the caller decides
        return True

    def value(self, argument: ast.expr) -> None:
        self.out.append(_MARK.format(len(self.values)))
        self.values.append(argument)

    def text(self) -> str:
        return _stand_ins("".join(self.out), [self.stand_in(v) for v in self.values])


# a run-time value's place while a template is filled (NUL never occurs in SQL text)
_MARK = "\x00{}\x00"
_MARKED = LazyPattern(r"\x00(\d+)\x00")


def _open_quote(text: str) -> str:
    """The quote of the literal `text` ends inside, or "" (a doubled quote closes and opens)."""
    quote = ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
    return quote


def _is_value(before: str) -> bool:
    """Whether a field after `before` is a value the SQL compares or assigns, not a name:
    inside a quoted literal (`set code='%s'`, `'{0}@example.com'`), or right after `=`, `<`,
    `>`, `IN (` or `LIKE` (`WHERE id=%s`). The statement's table and columns are the
    template's own and are read; the value is not (round 22)."""
    return bool(_open_quote(before)) or _VALUE_BEFORE.search(before) is not None


def _stand_ins(text: str, stand_ins: list[str]) -> str:
    """`text` with each marked value written as its stand-in (see _Filling)."""
    if not stand_ins:
        return text
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char not in "'\"":
            out.append(char)
            index += 1
            continue
        closing = _literal_end(text, index)
        if closing >= len(text):
            out.append(text[index:])  # a literal left open: as written
            break
        quoted = text[index + 1 : closing]
        out.append(_quoted_with_values(quoted, char, stand_ins))
        index = closing + 1
    return _MARKED.sub(lambda m: stand_ins[int(m.group(1))], "".join(out))


def _literal_end(text: str, start: int) -> int:
    """Where the literal opened at `start` closes, doubled quotes inside it skipped."""
    quote = text[start]
    index = start + 1
    while index < len(text):
        if text[index] == quote:
            if index + 1 < len(text) and text[index + 1] == quote:
                index += 2
                continue
            return index
        index += 1
    return index


def _quoted_with_values(quoted: str, quote: str, stand_ins: list[str]) -> str:
    """A quoted literal, or, when it holds marked values, them and its other characters."""
    pieces = _MARKED.split(quoted)
    if len(pieces) == 1:
        return f"{quote}{quoted}{quote}"
    parts = [
        stand_ins[int(piece)] if position % 2 else f"{quote}{piece}{quote}"
        for position, piece in enumerate(pieces)
        if position % 2 or piece
    ]
    return parts[0] if len(parts) == 1 else f"CONCAT({', '.join(parts)})"


def format_call(node: ast.Call, lookup: Lookup, stand_in: StandIn = bound_parameter) -> str | None:
    """The text of `"...".format(a, b, name=c)` when each field is a plain `{}`, `{0}` or
    `{name}` and each argument it uses is read by computed_text, or is a value (_Filling)."""
    if type(node.func) is not ast.Attribute or node.func.attr != "format":
        return None
    template = _template(node.func.value, lookup)
    if template is None or any(type(a) is ast.Starred for a in node.args):
        return None
    named = {kw.arg: kw.value for kw in node.keywords if kw.arg is not None}
    if len(named) != len(node.keywords):
        return None  # **kwargs: fields not visible
    filling = _Filling(lookup, stand_in)
    auto = 0
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return None
    for literal, field, spec, conversion in fields:
        filling.literal(literal)
        if field is None:
            continue
        if spec or conversion not in (None, "s"):
            return None
        if field == "":
            argument = node.args[auto] if auto < len(node.args) else None
            auto += 1
        elif field.isdigit():
            index = int(field)
            argument = node.args[index] if index < len(node.args) else None
        else:
            argument = named.get(field)
        if argument is None or not filling.field(argument):
            return None
    return filling.text()


def formatted_string(
    node: ast.JoinedStr, lookup: Lookup, stand_in: StandIn = bound_parameter
) -> str | None:
    """The text of an f-string read as `.format()` reads its template: each `{expression}` a
    known string, or a value (_Filling); None for a format spec, `!r` / `!a`, or a part that
    may be a name lint cannot read."""
    filling = _Filling(lookup, stand_in)
    for part in node.values:
        if type(part) is ast.Constant and type(part.value) is str:
            filling.literal(part.value)
        elif type(part) is not ast.FormattedValue:
            return None
        elif part.format_spec is not None or part.conversion not in (-1, 115):
            return None
        elif not filling.field(part.value):
            return None
    return filling.text()


# what precedes a field that is a value the SQL compares or assigns (`= %s`, `IN (%s`)
_VALUE_BEFORE = LazyPattern(r"(?:[=<>]|\bIN\s*\(|\bLIKE)\s*$", re.IGNORECASE)

_PERCENT = LazyPattern(r"%(?:\((\w+)\))?([s%])|%")


def percent_format(
    node: ast.BinOp, lookup: Lookup, stand_in: StandIn = bound_parameter
) -> str | None:
    """The text of `"..." % args` (a tuple, one value, or a dict of literal keys) when every
    field is `%s` / `%(name)s` and each value is read by computed_text, or is a value
    (_Filling)."""
    if type(node.op) is not ast.Mod:
        return None
    template = _template(node.left, lookup)
    if template is None:
        return None
    values = node.right
    positional = list(values.elts) if type(values) is ast.Tuple else [values]
    named: dict[str, ast.expr] = {}
    if type(values) is ast.Dict:
        for key, value in zip(values.keys, values.values):
            if key is None or type(key) is not ast.Constant or type(key.value) is not str:
                return None
            named[key.value] = value
    filling = _Filling(lookup, stand_in)
    position = 0
    last = 0
    for match in _PERCENT.finditer(template):
        filling.literal(template[last : match.start()])
        last = match.end()
        field, kind = match.group(1), match.group(2)
        argument: ast.expr | None
        if kind is None:
            return None  # %d, %r, a width: not read
        if kind == "%" and field is None:
            filling.literal("%")
            continue
        if field is not None:
            argument = named.get(field)
        elif named or position >= len(positional):
            return None
        else:
            argument = positional[position]
            position += 1
        if argument is None or not filling.field(argument):
            return None
    filling.literal(template[last:])
    return filling.text()


def concatenated_sql(
    node: ast.BinOp, lookup: Lookup, stand_in: StandIn = bound_parameter
) -> str | None:
    """The text of SQL joined by `+` from literals and values known only at run time (round
    35: `"UPDATE t SET c = '" + row.c + "' WHERE k = '" + row.k + "'"` in a per-row loop).
    A part that is not a literal string is a value where _Filling takes it for one (inside
    quotes, after `=`): it is read as a bound parameter named after it (`:c`, `:k`; the quotes
    around it dropped), as `sa.text("... WHERE k = :k")` with the row's value would be. None
    when a part may be a name (a table, a column) or no part is a literal."""
    parts: list[ast.expr] = []
    pending: list[ast.expr] = [node]
    while pending:
        part = pending.pop()
        if type(part) is ast.BinOp and type(part.op) is ast.Add:
            pending.extend((part.right, part.left))
        else:
            parts.append(part)
    filling = _Filling(lookup, stand_in)
    for part in parts:
        text = computed_text(part, lookup)
        if type(part) is ast.Constant:
            if text is None:
                return None
            filling.literal(text)
        elif text is None or _HAS_PLACEHOLDER.fullmatch(text):
            if not _is_value("".join(filling.out)):
                return None  # it may be a name
            filling.value(part)
        else:
            filling.literal(text)
    text = filling.text()
    return text if not _HAS_PLACEHOLDER.search(text) else None


def _parameter_name(node: ast.expr) -> str:
    """A bound parameter's name for a value: `row.c`, `row["c"]` and `str(row.c)` give `c`,
    `c` gives `c`."""
    if type(node) is ast.Call and len(node.args) == 1:
        node = node.args[0]
    name = ""
    if type(node) is ast.Attribute:
        name = node.attr
    elif type(node) is ast.Name:
        name = node.id
    elif type(node) is ast.Subscript and type(node.slice) is ast.Constant:
        key = node.slice.value
        name = key if type(key) is str and key.isidentifier() else ""
    # `stalker.__version__` gives `version`: a dunder name would read as a placeholder
    return name.strip("_").lower() or "value"


def templated_sql(
    node: ast.expr, lookup: Lookup, *, placeholders: bool, stand_in: StandIn = bound_parameter
) -> str | None:
    """The SQL of a `.format()`, `%` or f-string template filled from literal or known parts
    (also from placeholders of unknown names when `placeholders`), each value known only at
    run time as its `stand_in`; None for anything else."""
    if type(node) is ast.Call:
        text = format_call(node, lookup, stand_in)
    elif type(node) is ast.BinOp:
        text = percent_format(node, lookup, stand_in)
    elif type(node) is ast.JoinedStr:
        text = formatted_string(node, lookup, stand_in)
    else:
        return None
    if text is not None and not placeholders and _HAS_PLACEHOLDER.search(text):
        return None
    return text


def formatted_literal(node: ast.expr, lookup: Lookup) -> str | None:
    """The string `"unique_{}".format(COLUMN)` or `"ix_%s" % (COLUMN,)` makes when every
    argument is a literal string or a name of one (a key's name built from module constants,
    round 32): no stand-in for a value known only at run time, unlike templated_sql; None
    otherwise."""
    arguments: list[ast.expr]
    if type(node) is ast.Call and format_receiver(node) is not None:
        arguments = [*node.args, *(kw.value for kw in node.keywords)]
    elif type(node) is ast.BinOp and type(node.op) is ast.Mod:
        right = node.right
        if type(right) is ast.Tuple:
            arguments = list(right.elts)
        elif type(right) is ast.Dict:
            arguments = list(right.values)
        else:
            arguments = [right]
    else:
        return None
    if not arguments or any(folded(argument, lookup) is None for argument in arguments):
        return None
    return templated_sql(node, lookup, placeholders=False)


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


class ReturnedTemplate(NamedTuple):
    """What a call of a function returning text returns, and the names it is built from."""

    returned: ast.expr
    arguments: dict[str, ast.expr]  # each parameter: the call's argument, else its default
    assigned: list[tuple[str, ast.expr]]  # the body's local assignments, in order


def returned_template(
    definition: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call
) -> ReturnedTemplate | None:
    """The expression a call of `definition` returns, when its body (a docstring aside) is
    assignments to single names ending in one `return` of a string template (`"..."`, an
    f-string, `.format()`, `%`, `+`); None for another body, or a call whose arguments cannot
    be matched to the parameters (`*args`, `**kwargs`)."""
    body = [s for s in definition.body if not is_docstring(s)]
    if not body or type(body[-1]) is not ast.Return or body[-1].value is None:
        return None
    returned = body[-1].value
    if type(returned) not in (ast.Constant, ast.JoinedStr, ast.BinOp, ast.Name) and (
        type(returned) is not ast.Call or format_receiver_name(returned) is None
    ):
        return None
    assigned: list[tuple[str, ast.expr]] = []
    for statement in body[:-1]:
        if (
            type(statement) is not ast.Assign
            or len(statement.targets) != 1
            or type(statement.targets[0]) is not ast.Name
        ):
            return None  # a branch or a loop may return other SQL
        assigned.append((statement.targets[0].id, statement.value))
    arguments = definition.args
    if arguments.vararg or arguments.kwarg or any(type(a) is ast.Starred for a in call.args):
        return None
    if any(kw.arg is None for kw in call.keywords):
        return None
    positional = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
    if len(call.args) > len(positional):
        return None
    bound: dict[str, ast.expr] = dict(zip(positional[::-1], arguments.defaults[::-1]))
    for keyword_only, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        if default is not None:
            bound[keyword_only.arg] = default
    bound.update(zip(positional, call.args))
    bound.update({kw.arg: kw.value for kw in call.keywords if kw.arg is not None})
    return ReturnedTemplate(returned, bound, assigned)


def format_receiver_name(node: ast.Call) -> ast.expr | None:
    """What `.format(...)` is called on (a literal or a name holding one); None for another
    call."""
    if type(node.func) is ast.Attribute and node.func.attr == "format":
        receiver = node.func.value
        return receiver if type(receiver) in (ast.Constant, ast.Name) else None
    return None
