"""Raw SQL written for PostgreSQL or SQLite that MySQL/MariaDB refuse, read from its tokens (L331).

portability_rules' patterns find PostgreSQL's own words (`::numeric`, ILIKE, RETURNING); what
is read here needs the statement's shape (issue 20, checked on MariaDB 10.11):

- a double-quoted name where the statement needs a name: the table of `UPDATE "t"`, `INSERT
  INTO "t"`, `FROM "t"`, `JOIN "t"`, `ALTER/CREATE/DROP/TRUNCATE/RENAME TABLE "t"`, `CREATE
  INDEX "ix" ON "t"`, `REFERENCES "t"`; a column ALTER TABLE adds, drops, changes or renames
  (`ADD COLUMN "c"`), a name after CONSTRAINT / INDEX / KEY; the columns of an INSERT's column
  list, of an index or a key (`ON t ("c")`, `PRIMARY KEY ("c")`), a CREATE TABLE's column
  names; the targets of SET (`SET "c" = 1`); either part of `"t".c` / `t."c"`. Without
  ANSI_QUOTES in sql_mode (the default) MySQL reads "..." as a string literal, and a string
  where a name must be is ERROR 1064. Double quotes in a value's place (`WHERE name = "x"`,
  `SET c = "x"`, `DEFAULT "x"`, `COMMENT "x"`, `VALUES ("x")`, a column alias `AS "x"`, a
  function's arguments) are MySQL strings and run: not read as names;
- PostgreSQL's join update, `UPDATE t SET ... FROM other WHERE ...` (MySQL writes `UPDATE t
  JOIN other ON ... SET ...`): a FROM at the statement's own level after its SET. A FROM
  inside parentheses (`SET c = (SELECT ... FROM ...)`, `EXTRACT(YEAR FROM d)`) is not one;
- PostgreSQL's join delete, `DELETE FROM t USING other WHERE ...`: MySQL reads DELETE ... USING
  as its own multi-table delete, whose USING list must hold every table it deletes from
  (`DELETE FROM t USING t JOIN other ...`); a table it deletes from that the list leaves out
  is ERROR 1109 (Unknown table 't' in MULTI DELETE), not a syntax error;
- SQLite's `PRAGMA ...` and `INSERT OR IGNORE` / `OR REPLACE` (and OR ABORT / FAIL / ROLLBACK);
- round 34: a single-quoted name where the statement needs one, read at the same places as the
  double-quoted ones (`UPDATE t SET 'c' = 1`, `ALTER TABLE t ADD 'c' INT`, `INSERT INTO t
  ('c')`, `CREATE INDEX ix ON t ('c')`). SQLite reads a string where only a name can stand as
  the name; MySQL, MariaDB (and PostgreSQL) read a string. Stricter than for double quotes,
  where a string may stand: a SET target must be followed by `=`, a name after a word only in
  the statement's own tables' level (not in a function's arguments, `JSON_OBJECT(KEY 'k' ...)`),
  ALTER / RENAME only of a TABLE (`RENAME USER 'a'@'h' TO 'b'@'h'` names accounts), never in
  `PREPARE s FROM '...'` or PostgreSQL's `COPY t FROM 'file'`.

Each is a syntax error on MySQL and MariaDB (ERROR 1064): the migration stops there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.sql_reader import Token, statements

POSTGRESQL = "PostgreSQL"
SQLITE = "SQLite"
QUOTED = "double-quoted names"  # standard SQL's, as PostgreSQL and SQLite read them
SINGLE_QUOTED = "single-quoted names"  # SQLite's, where only a name can stand (round 34)
JOIN_UPDATE = "UPDATE ... SET ... FROM, a join update"
JOIN_DELETE = "DELETE FROM ... USING, a join delete"


class Refusal(NamedTuple):
    origin: str  # POSTGRESQL, SQLITE, QUOTED or SINGLE_QUOTED
    what: str  # as the message names it


# nothing below can be found without one of these: most SQL is not tokenized again
_HINT = LazyPattern(
    r"\"|\bPRAGMA\b|\bINSERT\s+OR\b|\bUPDATE\b|\bUSING\b|\bCHANGE\b"
    # a single-quoted name: after a word a name follows, `(`, `,` or `.`; or before `.`
    r"|(?:\b(?:SET|INTO|TABLE|REFERENCES|CONSTRAINT|COLUMN|INDEX|KEY|FROM|JOIN|ON|ADD|DROP"
    r"|MODIFY|CHANGE|ALTER|RENAME|TO|EXISTS)|[(,.])\s*'|'\s*\.",
    re.IGNORECASE,
)
_CONFLICT = ("ignore", "replace", "abort", "fail", "rollback")  # SQLite's INSERT OR ...


def refusals(sql: str) -> list[Refusal]:
    """What of `sql` MySQL/MariaDB refuse as another database's syntax, each once, in order."""
    if not _HINT.search(sql):
        return []
    found: list[Refusal] = []
    names: list[str] = []
    strings: list[str] = []
    for items in statements(sql):
        first = items[0]
        if first.is_word("pragma"):
            found.append(Refusal(SQLITE, "PRAGMA"))
        elif first.is_word("insert") and len(items) > 2 and items[1].is_word("or"):
            if items[2].is_word(*_CONFLICT):
                found.append(Refusal(SQLITE, f"INSERT OR {items[2].text.upper()}"))
        elif first.is_word("update") and _joined_update(items):
            found.append(Refusal(POSTGRESQL, JOIN_UPDATE))
        elif first.is_word("delete") and _joined_delete(items):
            found.append(Refusal(POSTGRESQL, JOIN_DELETE))
        names += _quoted_names(items, '"')
        strings += _quoted_names(items, "'")
    for origin, quote, named in ((QUOTED, '"', names), (SINGLE_QUOTED, "'", strings)):
        named = list(dict.fromkeys(named))
        if named:
            shown = ", ".join(f"{quote}{name}{quote}" for name in named[:3])
            shown += ", ..." if len(named) > 3 else ""
            kind = (
                "a name, which MySQL reads as a string"
                if len(named) == 1
                else "names, which MySQL reads as strings"
            )
            found.append(Refusal(origin, f"{shown} quoted as {kind}"))
    return list(dict.fromkeys(found))


def _depths(items: Sequence[Token]) -> list[tuple[int, bool]]:
    """Each token's parenthesis depth, and whether the group it is in reads tables: the
    statement itself or a `(SELECT ...)` / `(WITH ...)` subquery (not a function's arguments,
    where `EXTRACT(YEAR FROM d)` and `TRIM(x FROM y)` take values)."""
    stack: list[bool] = []
    found = []
    for at, token in enumerate(items):
        if token.kind == "symbol" and token.text == ")" and stack:
            stack.pop()
        found.append((len(stack), stack[-1] if stack else True))
        if token.kind == "symbol" and token.text == "(":
            following = items[at + 1] if at + 1 < len(items) else None
            stack.append(following is not None and following.is_word("select", "with"))
    return found


def _joined_update(items: Sequence[Token]) -> bool:
    """`UPDATE t SET ... FROM other ...`: a FROM at the statement's level after its SET."""
    depths = _depths(items)
    after_set = False
    for token, (depth, _) in zip(items, depths):
        if depth:
            continue
        if token.is_word("set"):
            after_set = True
        elif after_set and token.is_word("from"):
            return True
        elif token.is_word("where"):
            return False
    return False


# words that end a table reference of a USING list or stand where an alias would
_NOT_ALIAS = frozenset(
    {"on", "join", "inner", "left", "right", "cross", "natural", "straight_join", "where"}
    | {"using", "order", "limit", "outer", "as"}
)


def _joined_delete(items: Sequence[Token]) -> bool:
    """`DELETE FROM t USING other WHERE ...`: a table the DELETE names before USING (at the
    statement's level) that the USING list neither names nor aliases. MySQL's own
    `DELETE FROM t USING t JOIN other ON ...` names it there."""
    depths = _depths(items)
    level = [token for token, (depth, _) in zip(items, depths) if not depth]
    words = [token.text.lower() if token.kind == "word" else "" for token in level]
    if "from" not in words or "using" not in words:
        return False
    start, using = words.index("from"), words.index("using")
    if using < start or any(word in _NOT_ALIAS for word in words[start + 1 : using]):
        return False  # `DELETE t FROM t JOIN x USING (id)`: a join's USING, MySQL's form
    targets = _table_names(level[start + 1 : using])
    listed: set[str] = set()
    at = using + 1
    while at < len(level):
        token = level[at]
        if token.is_word("where", "order", "limit"):
            break
        if token.kind in ("word", "name") and (
            level[at - 1].is_word("using", "join", "straight_join")
            or level[at - 1] == Token("symbol", ",")
        ):
            # a table (the last part of `db.t`), then its alias, `AS` or not
            while at + 2 < len(level) and level[at + 1] == Token("symbol", "."):
                at += 2
            listed.add(level[at].text.lower())
            after = at + 1
            if after < len(level) and level[after].is_word("as"):
                after += 1
            alias = level[after] if after < len(level) else None
            if alias is not None and alias.kind in ("word", "name"):
                if not alias.is_word(*_NOT_ALIAS):
                    listed.add(alias.text.lower())
        at += 1
    return bool(targets) and not targets <= listed


def _table_names(items: Sequence[Token]) -> set[str]:
    """The tables of a comma list (`t1, db.t2, t3.*`), each by its last name part."""
    names: set[str] = set()
    last: str | None = None
    for token in [*items, Token("symbol", ",")]:
        if token == Token("symbol", ","):
            if last is not None:
                names.add(last)
            last = None
        elif token.kind in ("word", "name"):
            last = token.text.lower()
    return names


# a name follows these words wherever they stand; FROM and JOIN only where tables are read
_NAME_AFTER = frozenset({"into", "update", "table", "references", "constraint", "column"})
_NAME_AFTER |= frozenset({"index", "key"})
_TABLES_AFTER = frozenset({"from", "join", "straight_join"})
# ALTER TABLE's clauses that name a column or an object next: `ADD "c" INT`, `DROP "c"`
_CLAUSES = frozenset({"add", "drop", "modify", "change", "alter", "rename"})


def _quoted_names(items: Sequence[Token], quote: str) -> Iterator[str]:
    """The tokens quoted by `quote` (`"` or `'`) standing where the statement needs a name."""
    single = quote == "'"
    if not any(_quoted(token, quote) for token in items):
        return
    first = items[0]
    if single and first.is_word("prepare", "copy"):
        return  # `PREPARE s FROM '...'`, PostgreSQL's `COPY t FROM 'file'`: strings
    altered = first.is_word("alter") or first.is_word("rename")
    if single:  # of a table only: `RENAME USER 'a'@'h' TO 'b'@'h'` names accounts
        altered = altered and any(token.is_word("table") for token in items[1:4])
    indexed = first.is_word("create", "drop") and any(t.is_word("index") for t in items[:5])
    depths = _depths(items)
    assigning = first.is_word("update", "insert", "replace")
    in_set = False
    for at, token in enumerate(items):
        depth, reads_tables = depths[at]
        if depth == 0 and assigning and token.kind == "word":
            word = token.text.lower()
            if word == "set" or (word == "update" and at and items[at - 1].is_word("key")):
                in_set = True
            elif word in ("where", "order", "limit", "from", "values", "select", "on"):
                in_set = False
        if not _quoted(token, quote):
            continue
        before = _before(items, at)
        # a string where a value may stand too is one: a SET target is followed by `=`, a
        # name after a word stands at the statement's own level (or in a column list)
        assigned = not single or _followed_by(items, at, "=")
        own_level = not single or reads_tables or _column_list(items, _opening(items, at))
        if _dotted(items, at):
            yield token.text  # `"t".c`, `t."c"`: a qualified name's part
        elif before is not None and before.kind == "word":
            word = before.text.lower()
            if (
                (word in _NAME_AFTER and own_level)
                or (word in _TABLES_AFTER and reads_tables)
                or (word == "set" and in_set and assigned)
                or (word == "on" and indexed)
                or (altered and (word in _CLAUSES or word == "to" or _changed_to(items, at)))
            ):
                yield token.text
        elif before is not None and before == Token("symbol", ","):
            if in_set and depth == 0 and assigned:
                yield token.text  # `SET a = 1, "b" = 2`
            elif depth and _column_list(items, _opening(items, at)):
                yield token.text
        elif before == Token("symbol", "(") and _column_list(items, at - 1):
            yield token.text


def _quoted(token: Token, quote: str) -> bool:
    """A double-quoted name (`"`), or a single-quoted string (`'`)."""
    kind = "string" if quote == "'" else "name"
    return token.kind == kind and token.quote == quote


def _followed_by(items: Sequence[Token], at: int, symbol: str) -> bool:
    return at + 1 < len(items) and items[at + 1] == Token("symbol", symbol)


def _before(items: Sequence[Token], at: int) -> Token | None:
    """The token before `at`, past an `IF [NOT] EXISTS` (`DROP TABLE IF EXISTS "t"`)."""
    at -= 1
    if at >= 1 and items[at].is_word("exists"):
        at -= 1
        if items[at].is_word("not"):
            at -= 1
        if at >= 1 and items[at].is_word("if"):
            at -= 1
        else:
            return None
    return items[at] if at >= 0 else None


def _dotted(items: Sequence[Token], at: int) -> bool:
    dot = Token("symbol", ".")
    return (at > 0 and items[at - 1] == dot) or (at + 1 < len(items) and items[at + 1] == dot)


def _changed_to(items: Sequence[Token], at: int) -> bool:
    """The new name of `CHANGE [COLUMN] old "new"`."""
    back = at - 2
    if back >= 0 and items[back].is_word("column"):
        back -= 1
    return back >= 0 and items[back].is_word("change") and items[at - 1].kind in ("word", "name")


def _opening(items: Sequence[Token], at: int) -> int:
    """The position of the `(` of the group holding `at`; -1 when none."""
    depth = 0
    for back in range(at - 1, -1, -1):
        token = items[back]
        if token.kind != "symbol":
            continue
        if token.text == ")":
            depth += 1
        elif token.text == "(":
            if depth == 0:
                return back
            depth -= 1
    return -1


# the words before a list of columns, right before it or before the name it follows:
# `UNIQUE (`, `PRIMARY KEY (`, `INDEX ix (`, `REFERENCES t (`, `INTO t (`, `ON t (`
_LIST_AFTER = frozenset({"key", "index", "unique"})
_LIST_AFTER_NAME = frozenset({"key", "index", "unique", "references", "into", "insert", "ignore"})


def _column_list(items: Sequence[Token], opening: int) -> bool:
    """Whether the `(` at `opening` opens a list of names: an INSERT's columns, an index's or a
    key's, or a CREATE TABLE's definitions (whose parts begin with the column's name)."""
    if opening < 1:
        return False
    before = items[opening - 1]
    if before.is_word(*_LIST_AFTER):
        return True
    back = opening - 1
    if before.kind not in ("word", "name"):
        return False
    while back >= 2 and items[back - 1] == Token("symbol", "."):
        back -= 2  # `db.t (`
    word = items[back - 1] if back >= 1 else None
    if word is None or word.kind != "word":
        return False
    if word.is_word(*_LIST_AFTER_NAME):
        return True
    if word.is_word("on"):
        return items[0].is_word("create") and any(t.is_word("index") for t in items[:5])
    return word.is_word("table") and items[0].is_word("create")


# round 34: a quoted column name compared with a value in the WHERE of an UPDATE or DELETE

# a quoted token followed by a comparison (`'status' =`, `"status" IN`): the reversed form has
# one too (`'x' = 'status'`); a mismatched pair of quotes only lets more SQL through
_FILTER_HINT = LazyPattern(
    r"""(?:'[^']*'|"[^"]*")\s*(?:[=<>!]|(?:NOT\s+)?(?:LIKE|IN|IS)\b)""", re.IGNORECASE
)
_COMPARISON = frozenset({"=", "<>", "!=", "<", ">", "<=", ">=", "<=>"})
_VALUE_KINDS = frozenset({"string", "number", "param"})


class LiteralFilter(NamedTuple):
    """An UPDATE's or DELETE's WHERE comparing a quoted token with a value."""

    statement: int  # its position among the SQL's statements
    kind: str  # "UPDATE" or "DELETE"
    text: str  # the quoted token, as written inside its quotes
    quote: str  # "'" or '"'


def literal_filters(sql: str) -> list[LiteralFilter]:
    """Each quoted token (a 'string' or a "double-quoted" one, which MySQL reads as a string
    too) an UPDATE's or DELETE's WHERE compares with a value (`'status' = 'x'`, `"status" <>
    :v`, `'status' IN ('a', 'b')`, `'status' IS NULL`, `'status' LIKE 'x%'`, either side): on
    MySQL both sides are values, the condition the same for every row. Whether the token is a
    column's name is for the caller to say."""
    if not _FILTER_HINT.search(sql):
        return []
    found: list[LiteralFilter] = []
    for index, items in enumerate(statements(sql)):
        if not items[0].is_word("update", "delete"):
            continue
        depths = _depths(items)
        where = next(
            (at for at, t in enumerate(items) if t.is_word("where") and not depths[at][0]), None
        )
        if where is None:
            continue
        inside = _in_subquery(items)
        for at in range(where + 1, len(items)):
            token = items[at]
            if not (_quoted(token, "'") or _quoted(token, '"')) or inside[at]:
                continue  # a subquery's WHERE filters another table's rows
            if _compared_with_value(items, at, where):
                kind = items[0].text.upper()
                found.append(LiteralFilter(index, kind, token.text, token.quote))
    return found


def _in_subquery(items: Sequence[Token]) -> list[bool]:
    """Whether each token is inside a `(SELECT ...)` at any depth."""
    stack: list[bool] = []
    found = []
    for at, token in enumerate(items):
        if token == Token("symbol", ")") and stack:
            stack.pop()
        found.append(any(stack))
        if token == Token("symbol", "("):
            following = items[at + 1] if at + 1 < len(items) else None
            stack.append(following is not None and following.is_word("select", "with"))
    return found


def _operator(items: Sequence[Token], start: int, step: int) -> tuple[str, int]:
    """The comparison symbols from `start` on in direction `step` (`<>` is two tokens), and
    the position past them."""
    symbols = []
    at = start
    while 0 <= at < len(items) and items[at].kind == "symbol" and items[at].text in "<>=!":
        symbols.append(items[at].text)
        at += step
    return "".join(symbols if step > 0 else reversed(symbols)), at


def _value(token: Token) -> bool:
    return token.kind in _VALUE_KINDS or _quoted(token, '"') or token.is_word("null")


def _compared_with_value(items: Sequence[Token], at: int, where: int) -> bool:
    """Whether the quoted token at `at` is compared with a value (after it or before it)."""
    after = items[at + 1] if at + 1 < len(items) else None
    operator, past = _operator(items, at + 1, 1)
    if operator in _COMPARISON and past < len(items) and _value(items[past]):
        return past + 1 >= len(items) or not _continues(items[past + 1])
    if after is not None and after.is_word("is"):
        rest = items[at + 2 : at + 4]
        return any(t.is_word("null", "true", "false", "unknown") for t in rest[:2])
    following = at + 2 if after is not None and after.is_word("not") else at + 1
    word = items[following] if following < len(items) else None
    if word is not None and word.is_word("like") and following + 1 < len(items):
        return _value(items[following + 1])
    if word is not None and word.is_word("in") and following + 1 < len(items):
        end = _closing(items, following + 1)
        inside = items[following + 2 : end]
        listed = [t for t in inside if t != Token("symbol", ",")]
        return end > 0 and bool(listed) and all(_value(t) for t in listed)
    operator, past = _operator(items, at - 1, -1)
    if operator in _COMPARISON and past > where and _value(items[past]):
        return not _continues(items[past - 1]) and (at + 1 >= len(items) or not _continues(after))
    return False


def _continues(token: Token | None) -> bool:
    """Whether the token makes its neighbour part of a longer expression (`'a' + x`, `f('x')`)."""
    if token is None:
        return False
    return token.kind == "symbol" and token.text in "+-*/%|&^.("


def _closing(items: Sequence[Token], opening: int) -> int:
    """The position of the `)` closing the `(` at `opening`; -1 when there is none."""
    if opening >= len(items) or items[opening] != Token("symbol", "("):
        return -1
    depth = 0
    for at in range(opening, len(items)):
        if items[at].kind != "symbol":
            continue
        if items[at].text == "(":
            depth += 1
        elif items[at].text == ")":
            depth -= 1
            if depth == 0:
                return at
    return -1
