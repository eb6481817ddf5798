"""Values a fill gives each row on its own (L309): a unique key over a column filled with them
cannot meet a duplicate among the rows already there.

Three sources of such values, in each dialect's spelling:

- a function the server evaluates once per row: a uuid (`UUID()`, `gen_random_uuid()`,
  `uuid_generate_v4()`, `NEWID()`, `SYS_GUID()`), the next number of a sequence (`nextval('s')`,
  `NEXT VALUE FOR s`); also under the alias a subquery gives it (`UPDATE t SET c = n.v FROM
  (SELECT pk, nextval('s') AS v FROM t) n ...`);
- a counter numbering the rows the UPDATE writes, all of them: a MySQL user variable stepped
  per row (`SET @n = 0` first, `SET c = (@n := @n + 1)`), a row's place in a window
  (`row_number() OVER (ORDER BY ...)`), read by row_counters;
- a key of the row itself: `SET c = id`, `CONCAT('item-', id)`, `'x' || id`, `CAST(id AS
  CHAR)`, or a Core update's `.values(c=t.c.id)` of the same table;
- a column the server numbers as it adds it (`sa.Identity()`), or a server default evaluated
  per row (`server_default=sa.text("nextval('s')")`, a uuid function).

`row_number() OVER (PARTITION BY x ...)` starts again in each partition: distinct only with x.
Pure: regular expressions and ast only.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import string_value
from alembic_sentinel.lint.revision_model import ColumnSpec
from alembic_sentinel.lint.row_counters import level_end, numbers_rows
from alembic_sentinel.lint.sql_reader import name_pattern

# SQL calls evaluated once per row, each giving a value of its own
PER_ROW_SQL = LazyPattern(
    r"\b(?!bin_to_uuid|uuid_to_bin|is_uuid)(?:\w*uuid\w*|newid|sys_guid|nextval|next_value)\s*\("
    r"|\bNEXT\s+VALUE\s+FOR\b",
    re.IGNORECASE,
)
# values distinct per row in Python (uuid4(), secrets' tokens, the key a row just inserted
# elsewhere got) or SQL a Python expression carries (`sa.text("nextval('s')")`)
PER_ROW_PYTHON = LazyPattern(
    r"uuid|token_hex|token_urlsafe|random_uuid|inserted_primary_key|lastrowid|newid|sys_guid"
    r"|nextval|next\s+value\s+for"
    # the other usual unique-id generators (round 42): `ULID()`, `ulid.new()`, `ulid.ulid()`,
    # `nanoid.generate()`, bson's `ObjectId()`; not `ULID.from_str(x)`, a conversion
    r"|\bulid\b(?:\.(?:new|ulid|generate))?\s*\(|\bnanoid\b|\bobjectid\s*\(\s*\)",
    re.IGNORECASE,
)
# the clause after a SET value
_CLAUSE = LazyPattern(r"\s+(?:WHERE|FROM|RETURNING|LIMIT|ORDER)\b", re.IGNORECASE)
_NAME = r"[`\"\[]?(\w+)[`\"\]]?"
_COLUMN_REF = LazyPattern(rf"^(?:{_NAME}\.)?{_NAME}$")


def server_numbered(spec: ColumnSpec) -> bool:
    """Whether adding the column gives every existing row a value of its own: an identity
    column (`sa.Identity()`), or a server default the server evaluates per row."""
    if spec.generated and not spec.computed:
        return True
    default = spec.server_default_node
    return default is not None and PER_ROW_PYTHON.search(ast.unparse(default)) is not None


def sets_distinct(
    text: str,
    column: str,
    keys: Collection[str],
    *,
    within: Collection[str] = (),
    earlier: str = "",
    missed_null: bool = False,
) -> bool:
    """Whether an UPDATE's SET gives the column a value distinct per row (see above): `SET c =
    UUID()`, `c = nextval('s')`, an alias a subquery computes so, a key column of the row
    (`keys`, lowercase), or an f-string's `'{uuid4()}'`. Only SET lists count: `sp.c = h.id`
    in a JOIN or WHERE compares, it writes nothing. A counter numbering the rows (`@n := @n +
    1`, `row_number() OVER (...)`) counts as row_counters.numbers_rows reads it: `within`, the
    key's other columns (lowercase), `earlier`, the SQL run before, `missed_null`, whether rows
    the UPDATE leaves out hold NULL."""
    item = re.compile(rf"{name_pattern(column)}\s*=(?!=)\s*", re.IGNORECASE)
    own = _updated_names(text)
    for clause in re.finditer(r"\bSET\s+", text, re.IGNORECASE):
        start = clause.end()
        while start < len(text):
            target = item.match(text, start)
            value = _value_at(text, target.end() if target else start)
            end = text.find(value, start) + len(value) if value else start
            if target is not None and _distinct_value(text, value, keys, own):
                return True
            if target is not None and any(
                numbers_rows(text, expression, within, earlier, missed_null)
                for expression in _sources(text, value)
            ):
                return True
            if end >= len(text) or text[end] != ",":
                break
            start = end + 1
            while start < len(text) and text[start].isspace():
                start += 1
    return False


# the table an UPDATE writes and the alias it gives it: `UPDATE t`, `UPDATE "t" AS x`,
# MySQL's `UPDATE t JOIN o ON ...`
_UPDATED = LazyPattern(
    rf"\bUPDATE\s+(?:[`\"\[]?\w+[`\"\]]?\.)?{_NAME}(?:\s+(?:AS\s+)?(?!(?:SET|JOIN|INNER|LEFT|STRAIGHT_JOIN)\b)(\w+))?",
    re.IGNORECASE,
)


def _updated_names(text: str) -> frozenset[str] | None:
    """The names the rows an UPDATE writes go by (its table, its alias), lowercase; None when
    the text holds no UPDATE lint can read so."""
    match = _UPDATED.search(text)
    if match is None:
        return None
    return frozenset(name.lower() for name in match.groups() if name)


def _distinct_value(
    text: str, value: str, keys: Collection[str], own: frozenset[str] | None = None
) -> bool:
    if PER_ROW_SQL.search(value) or _PYTHON_IN_SQL.search(value):
        return True
    if _from_key_sql(value, keys, own):
        return True
    reference = _COLUMN_REF.match(value)
    return reference is not None and _aliases_per_row(text, reference.group(2))


def _quoted(name: str) -> str:
    """A pattern of the name, bare or quoted in any dialect's way."""
    return rf"[`\"\[]?{re.escape(name)}[`\"\]]?"


# an f-string's Python value inside SQL: `SET key = '{uuid4()}'`
_PYTHON_IN_SQL = LazyPattern(r"\{[^}]*(?:uuid|token_hex|token_urlsafe)[^}]*\}", re.IGNORECASE)


def _value_at(text: str, start: int) -> str:
    """The expression that starts at `start`: up to a comma or closing parenthesis outside
    its own parentheses, or the next clause."""
    return text[start : level_end(text, start, _ends_value, quoted=True)].strip()


def _ends_value(text: str, index: int) -> bool:
    return text[index] in ",;" or _CLAUSE.match(text, index) is not None


def _aliases_per_row(text: str, alias: str) -> bool:
    """Whether the SQL names `alias` for a value computed per row (`nextval('s') AS alias`,
    `uuid() alias`)."""
    for match in re.finditer(rf"(?:\bAS\s+|\)\s*){_quoted(alias)}(?!\w)", text, re.IGNORECASE):
        if PER_ROW_SQL.search(_expression_before(text, match.start() + 1)):
            return True
    return False


def _sources(text: str, value: str) -> list[str]:
    """The value a SET gives, and when it is a column of a subquery (`s.v`, `v`) the select-list
    items the SQL names so (`@n := @n + 1 AS v`, `row_number() OVER (...) v`)."""
    found = [value]
    reference = _COLUMN_REF.match(value)
    if reference is None:
        return found
    alias = _quoted(reference.group(2))
    for match in re.finditer(rf"(?:\bAS\s+|(?<=\))\s*){alias}(?!\w)", text, re.IGNORECASE):
        found.append(_expression_before(text, match.start()))
    return found


def _expression_before(text: str, end: int) -> str:
    """The select-list item that ends at `end`: back to a comma outside parentheses, an
    opening parenthesis it is inside, or SELECT."""
    depth = 0
    index = end - 1
    while index >= 0:
        char = text[index]
        if char == ")":
            depth += 1
        elif char == "(":
            if depth == 0:
                break
            depth -= 1
        elif char == "," and depth == 0:
            break
        elif depth == 0 and text[max(0, index - 6) : index + 1].upper().endswith("SELECT"):
            break
        index -= 1
    return text[index + 1 : end]


def _from_key_sql(value: str, keys: Collection[str], own: frozenset[str] | None = None) -> bool:
    """Whether a SET value is a key column of the row, alone, cast, or joined to constants
    (`id`, `t.id`, `CAST(id AS CHAR)`, `CONCAT('item-', id)`, `'item-' || id`). A column
    another table's name or alias qualifies (`SET t.c = o.id` of a joined `o`) is that row's,
    which may serve many rows (`own`: the written table's names, when known; round 32)."""
    unquoted = re.sub(r"[`\"\[\]]", "", value)
    reference = _COLUMN_REF.match(value)
    if reference is not None:
        qualifier = reference.group(1)
        if own is not None and qualifier is not None and qualifier.lower() not in own:
            return False
        return reference.group(2).lower() in keys
    joined = re.match(r"(?:CONCAT(?:_WS)?|CAST)\s*\(", value, re.IGNORECASE) or "||" in value
    if not joined:
        return False
    names = set()
    # a bound parameter (`:id`, a template's run-time value) is a value given from outside,
    # not the row's column of that name
    for qualifier, name in re.findall(
        r"(?<![':])\b(?:(\w+)\.)?([A-Za-z_]\w*)\b(?!\s*\()", unquoted
    ):
        if own is None or not qualifier or qualifier.lower() in own:
            names.add(name.lower())
    return not names.isdisjoint(keys)


# calls that keep a key's values apart: a string of it, joined to constants, cast
_KEEPING_CALLS = frozenset({"str", "concat", "cast", "format", "join"})


def from_key(value: ast.expr, keys: Collection[str], own: str | None) -> bool:
    """Whether a Core value is built from a key column of the written table itself (`own`: its
    variable; `t.c.id`, `t.c["id"]`), alone, in an f-string or through `str()`, `concat()`,
    `cast()`, `.format()`. Another table's column (a lookup), a row variable's (which row of
    which table a loop holds is not read here), or any other call (`coalesce`, a `select`)
    is not."""
    found = False
    for node in ast.walk(value):
        if type(node) is ast.Call:
            func = node.func
            name = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
            if name not in _KEEPING_CALLS:
                return False
        elif type(node) is ast.Attribute and node.attr.lower() in keys:
            found = found or _own_columns(node.value, own)
        elif type(node) is ast.Subscript and isinstance(node.slice, ast.expr):
            key = string_value(node.slice)
            if key is not None and key.lower() in keys:
                found = found or _own_columns(node.value, own)
    return found


def _own_columns(holder: ast.expr, own: str | None) -> bool:
    """`t.c`, with `t` the written table's variable."""
    return (
        own is not None
        and type(holder) is ast.Attribute
        and holder.attr == "c"
        and type(holder.value) is ast.Name
        and holder.value.id == own
    )
