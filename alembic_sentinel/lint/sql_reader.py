"""Raw SQL in a revision (`op.execute("...")`, `bind.execute(sa.text("..."))`) read as statements.

The rules need a handful of facts from raw SQL: which columns an `UPDATE` / `INSERT ... SELECT` /
`SELECT` reads and writes (values copied before a drop), and which objects a `CREATE INDEX`,
`DROP INDEX`, `ALTER TABLE`, `CREATE TABLE`, `DROP TABLE` or `RENAME TABLE` makes or removes (a
downgrade that recreates an index in SQL). A tokenizer that knows MySQL's quoting and comments,
then a reader per statement kind; what it does not recognise is kind "other" and the rules treat
it as unknown.

Why not sqlglot (a full, well-kept SQL parser, on PyPI): importing it takes about 0.26 s here,
more than linting a thousand revision files takes today, and the `alembic-lint` hook's budget is
0.5 s of whole-process time for those thousand files. The few statement shapes above are read
here in a few hundred microseconds per file, with no dependency.

Longer than 500 lines: the tokenizer, its cursor and the reader of each statement kind (DELETE
and TRUNCATE that empty a table, ALTER TABLE's clauses with their generated columns) share the
token model; a split would only move the cursor between two modules that both need it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from alembic_sentinel.lint.lazy_patterns import LazyPattern

UPDATE = "update"  # the kinds of statement
INSERT = "insert"
SELECT = "select"
DELETE = "delete"
CREATE_INDEX = "create_index"
DROP_INDEX = "drop_index"
ALTER_TABLE = "alter_table"
CREATE_TABLE = "create_table"
DROP_TABLE = "drop_table"
RENAME_TABLE = "rename_table"
RENAME_INDEX = "rename_index"  # PostgreSQL's ALTER INDEX a RENAME TO b
DROP_DATABASE = "drop_database"
OTHER = "other"

_TOKEN = LazyPattern(
    r"""
    (?P<space>\s+)
    | (?P<comment>--[^\n]*|\#[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>'(?:[^'\\]|\\.|'')*(?:'|\Z))
    | (?P<quoted>`(?:[^`]|``)*(?:`|\Z)|"(?:[^"\\]|\\.|"")*(?:"|\Z))
    | (?P<dollar>\$(?P<tag>(?:[A-Za-z_]\w*)?)\$.*?\$(?P=tag)\$)
    | (?P<word>[A-Za-z_$][\w$]*)
    | (?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)
    | (?P<param>:[A-Za-z_]\w*|%\(\w+\)s|%s|\?)
    | (?P<symbol>.)
    """,
    re.VERBOSE | re.DOTALL,
)

# words that are never column names in the expressions read here
_KEYWORDS = frozenset(
    """
    select from where and or not null is in like between case when then else end as on join
    left right inner outer cross straight_join using set values value into update insert
    delete distinct all true false group by order having limit offset asc desc interval
    exists union ignore low_priority high_priority delayed quick duplicate key default
    binary collate div mod xor regexp rlike escape unknown current_timestamp current_date
    current_time localtime localtimestamp utc_timestamp with recursive for lock share mode
    natural partition row rows over window
    """.split()
)


# words a table's name follows
_TABLE_BEFORE = ("from", "join", "update", "into", "straight_join")


class Token(NamedTuple):
    kind: str  # "word" | "name" (a quoted identifier) | "string" | "number" | "param" | "symbol"
    text: str  # a word as written, a name unquoted, a string's value, a symbol
    # a name's quote: "`" or '"' (a string literal to MySQL without ANSI_QUOTES, foreign_sql.py);
    # a string's: "'" ("" for a dollar-quoted body)
    quote: str = ""

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.lower() in words


ColumnRef = tuple["str | None", str]  # (table or None when unqualified, column), lowercase


class AlterAction(NamedTuple):
    """One clause of an ALTER TABLE: what it does to which object."""

    kind: str  # add_column, drop_column, change_column, rename_column, add_index,
    # add_constraint, add_primary_key, drop_index, drop_foreign_key, drop_primary_key,
    # drop_constraint, rename_table, engine, partition, convert_charset, other
    name: str | None = None  # the column / index / constraint / new table name
    new_name: str | None = None  # change_column / rename_column: the new name
    inline_references: bool = False  # add_column ... REFERENCES t(c): MySQL ignores it
    position: bool = False  # add_column ... FIRST / AFTER c
    generated: bool = False  # add_column ... [GENERATED ALWAYS] AS (expr): the server's values
    # add_column ... SERIAL / AUTO_INCREMENT / GENERATED ... AS IDENTITY: the server numbers
    # every row, the existing ones included, each with a value of its own; change_column (a
    # CHANGE / MODIFY): the restated column is AUTO_INCREMENT
    numbered: bool = False
    # add_primary_key: the key's columns, lowercase, as listed (round 32)
    columns: tuple[str, ...] = ()
    # add_constraint: ADD [CONSTRAINT [n]] FOREIGN KEY [n] (...), a foreign key (round 34)
    foreign_key: bool = False
    # add_index / add_constraint: ADD [CONSTRAINT [n]] UNIQUE [KEY] [n] (...), its columns in
    # `columns` (round 42: L309 reads raw unique keys as it reads create_unique_constraint)
    unique: bool = False
    # add_column with no NOT NULL, DEFAULT, key or server-made value: every existing row starts
    # NULL, so rows a later copy misses cannot collide (round 43: L309's carried keys)
    starts_null: bool = False
    # change_column as MySQL's CHANGE / MODIFY: the nullability the restated column is given,
    # True for NOT NULL (or PRIMARY KEY, NOT NULL implicitly), False for none said (MySQL
    # writes it NULL); None for ALTER COLUMN, which restates nothing (issue 20: L302, L330)
    not_null: bool | None = None
    # change_column as CHANGE / MODIFY: the column definition after the name(s), its type
    # first (issue 20: lint.raw_types reads it as alter_column's type_=)
    definition: tuple[Token, ...] = ()


class SqlKey(NamedTuple):
    """A named index or unique key a CREATE TABLE defines among its columns, or CREATE INDEX."""

    name: str  # lowercase
    unique: bool
    columns: tuple[str, ...]  # lowercase, as listed


class SqlStatement(NamedTuple):
    kind: str
    table: str | None = None  # the table it acts on (lowercase)
    reads: frozenset[ColumnRef] = frozenset()
    writes: frozenset[ColumnRef] = frozenset()
    index_name: str | None = None  # CREATE/DROP INDEX: its name
    columns: tuple[str, ...] = ()  # CREATE INDEX: its columns
    actions: tuple[AlterAction, ...] = ()  # ALTER TABLE: its clauses
    new_table: str | None = None  # RENAME TABLE a TO b: b
    # every (old, new) pair of a MySQL `RENAME TABLE a TO b, c TO d` (the first also in table,
    # new_table), lowercase
    renames: tuple[tuple[str, str], ...] = ()
    inline_references: bool = False  # CREATE TABLE with a column's inline REFERENCES
    every_row: bool = False  # DELETE with no WHERE / LIMIT / join, or TRUNCATE: the table empty
    # CREATE [OR REPLACE] FUNCTION / PROCEDURE / TRIGGER, or its DROP (kind "other"): it
    # writes no row when it runs; its body runs later, on calls or on the table's events
    defines_routine: bool = False
    # SET (kind "other"): a user variable (`SET @n = 0`, `SET @n := 0`), a system one (`SET
    # [SESSION | GLOBAL | LOCAL] x = ...`, `SET @@x = ...`, `sql_mode`, `FOREIGN_KEY_CHECKS`),
    # NAMES, PASSWORD, ROLE, TRANSACTION: it writes no row and changes no table when it runs
    # (issue 20: read as unknown SQL, it hid L309's warning). What a setting changes of later
    # statements (sql_mode's strictness) is for the rules that read the text to say
    sets_session: bool = False
    # CREATE TABLE: the named keys among its definitions; CREATE INDEX: the index itself
    keys: tuple[SqlKey, ...] = ()
    # CREATE TABLE: its generated columns (`GENERATED ALWAYS AS (...)`, `AS (...) STORED`),
    # lowercase: the server computes their values (round 32, L305)
    generated: tuple[str, ...] = ()
    # CREATE TABLE: `IF NOT EXISTS` (it may find the table there and create nothing), and a
    # table made with rows (`AS SELECT ...`, `SELECT ...` after the definitions, PostgreSQL's
    # `AS TABLE t` / `AS VALUES`); `LIKE t` copies the structure only, empty (round 39)
    if_not_exists: bool = False
    with_rows: bool = False
    # DROP TABLE: `IF EXISTS` (it may find no table and drop nothing; round 41)
    if_exists: bool = False
    # DROP TEMPORARY TABLE: it drops a session's temporary table only, never a table with the
    # schema's rows (MySQL; round 42, L304)
    temporary: bool = False


def tokens(text: str) -> list[Token]:
    """The tokens of `text`, comments and spaces left out; quoted names unquoted."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "symbol"
        value = match.group()
        if kind in ("space", "comment"):
            continue
        if kind == "quoted":
            quote = value[0]
            body = value[1:-1] if len(value) > 1 and value.endswith(quote) else value[1:]
            found.append(Token("name", body.replace(quote * 2, quote), quote))
        elif kind == "string":
            found.append(Token("string", value[1:-1], "'"))
        elif kind == "dollar":
            # PostgreSQL's dollar quoting (`AS $$ ... $$`, `$body$ ... $body$`): a function's
            # body is one string, its own `;` and UPDATEs are not statements of the revision
            tag = len(match.group("tag")) + 2
            found.append(Token("string", value[tag:-tag]))
        else:
            found.append(Token(kind, value))
    return found


def statements(text: str) -> list[list[Token]]:
    """The token lists of each statement (split on `;`)."""
    split: list[list[Token]] = [[]]
    for token in tokens(text):
        if token.kind == "symbol" and token.text == ";":
            split.append([])
        else:
            split[-1].append(token)
    return [statement for statement in split if statement]


def read_sql(text: str) -> tuple[SqlStatement, ...]:
    """Every statement of `text`, read as far as this module reads SQL."""
    return tuple(_statement(statement) for statement in statements(text))


def name_pattern(name: str) -> str:
    """A regular expression of a table or column name as raw SQL writes it: bare or quoted
    (`t`, "t", [t]), and qualified by a schema or a table or both (`app.t`, `` `app`.`t` ``,
    `app.t.c`). The reader keeps a name's last part (qualified_name), so the table a
    schema-qualified statement writes is the table an op names without its schema= (round
    34): the regular expressions over raw SQL must read it so too."""
    quoted = r"[`\"\[]?\w+[`\"\]]?"
    return rf"(?:{quoted}\s*\.\s*){{0,2}}[`\"\[]?{re.escape(name)}[`\"\]]?"


def _name(token: Token | None) -> str | None:
    if token is None or token.kind not in ("word", "name"):
        return None
    return token.text.lower()


class _Cursor:
    """A position in one statement's tokens."""

    def __init__(self, items: Sequence[Token]) -> None:
        self.items = items
        self.at = 0

    def peek(self, ahead: int = 0) -> Token | None:
        index = self.at + ahead
        return self.items[index] if index < len(self.items) else None

    def next(self) -> Token | None:
        token = self.peek()
        self.at += 1
        return token

    def peek_word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token.is_word(*words)

    def accept(self, *words: str) -> bool:
        token = self.peek()
        if token is not None and token.is_word(*words):
            self.at += 1
            return True
        return False

    def symbol(self, text: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == "symbol" and token.text == text:
            self.at += 1
            return True
        return False

    def qualified_name(self) -> str | None:
        """`db`.`t` or t: the last part, lowercase."""
        name = _name(self.next())
        while self.symbol("."):
            name = _name(self.next()) or name
        return name

    def skip_group(self) -> list[Token]:
        """The tokens inside a parenthesised group starting here (the parentheses consumed)."""
        if not self.symbol("("):
            return []
        depth, inside = 1, []
        while self.peek() is not None:
            token = self.next()
            assert token is not None
            if token.kind == "symbol" and token.text == "(":
                depth += 1
            elif token.kind == "symbol" and token.text == ")":
                depth -= 1
                if depth == 0:
                    break
            inside.append(token)
        return inside

    def rest(self) -> list[Token]:
        return list(self.items[self.at :])


def _top_level_word(items: Sequence[Token], word: str) -> int:
    """The position of `word` outside parentheses (not a subquery's own WHERE); the length
    when there is none."""
    depth = 0
    for index, token in enumerate(items):
        if token.kind == "symbol" and token.text in "()":
            depth += 1 if token.text == "(" else -1
        elif depth == 0 and token.is_word(word):
            return index
    return len(items)


def _split_top(items: Sequence[Token], separator: str = ",") -> list[list[Token]]:
    """Split tokens on a separator symbol outside parentheses."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for token in items:
        if token.kind == "symbol" and token.text == "(":
            depth += 1
        elif token.kind == "symbol" and token.text == ")":
            depth -= 1
        if depth == 0 and token.kind == "symbol" and token.text == separator:
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


def _column_refs(items: Sequence[Token], aliases: dict[str, str]) -> Iterator[ColumnRef]:
    """Column names an expression mentions: `t.c` as (t, c) through aliases, `c` as (None, c)."""
    index = 0
    while index < len(items):
        token = items[index]
        following = items[index + 1] if index + 1 < len(items) else None
        if token.kind not in ("word", "name"):
            index += 1
            continue
        if following is not None and following.kind == "symbol" and following.text == "(":
            index += 1  # a function call: its arguments are read on
            continue
        if token.kind == "word" and token.text.lower() in _KEYWORDS:
            index += 1
            continue
        parts = [token.text.lower()]
        after_table_word = index > 0 and items[index - 1].is_word(*_TABLE_BEFORE)
        while (
            index + 2 < len(items)
            and items[index + 1].kind == "symbol"
            and items[index + 1].text == "."
            and items[index + 2].kind in ("word", "name")
        ):
            parts.append(items[index + 2].text.lower())
            index += 2
        index += 1
        if after_table_word and parts[-1] in aliases:
            continue  # `FROM schema.table`: the statement's table, no column (round 32)
        if len(parts) == 1:
            if parts[0] not in aliases:  # a bare table name or alias is no column
                yield (None, parts[0])
        else:
            table = parts[-2]
            yield (aliases.get(table, table), parts[-1])


def _resolved(refs: Iterator[ColumnRef], tables: Sequence[str]) -> frozenset[ColumnRef]:
    """Unqualified columns of a statement over one table belong to that table."""
    only = tables[0] if len(set(tables)) == 1 else None
    return frozenset((table or only, column) for table, column in refs)


def _without_subqueries(items: Sequence[Token]) -> tuple[list[Token], list[list[Token]]]:
    """The tokens outside every parenthesised `(SELECT ...)`, and each such subquery's tokens.

    A scalar or IN subquery has its own FROM: `SET ref = (SELECT ref FROM old WHERE old.id =
    t.old_id)` reads `old.ref`, not a column of the updated table, so its unqualified columns
    are resolved against its own tables (round 22)."""
    outer: list[Token] = []
    found: list[list[Token]] = []
    index = 0
    while index < len(items):
        token = items[index]
        following = items[index + 1] if index + 1 < len(items) else None
        opens = token.kind == "symbol" and token.text == "("
        if opens and following is not None and following.is_word("select", "with"):
            cursor = _Cursor(items[index:])
            found.append(cursor.skip_group())
            index += cursor.at
            # an empty group stays in its place: `FROM (SELECT ...) AS x` names no table
            outer += [Token("symbol", "("), Token("symbol", ")")]
            continue
        outer.append(token)
        index += 1
    return outer, found


def _select_reads(items: Sequence[Token]) -> frozenset[ColumnRef]:
    """The columns a SELECT (its first token `SELECT`) reads, its subqueries' included, each
    resolved against its own FROM list."""
    outer, inner = _without_subqueries(items)
    aliases: dict[str, str] = {}
    tables = _tables(outer, aliases)
    reads = _resolved(_column_refs(outer[1:], aliases), tables)
    for subquery in inner:
        reads |= _select_reads(subquery)
    return reads


def _expression_reads(
    items: Sequence[Token], aliases: dict[str, str]
) -> tuple[set[ColumnRef], frozenset[ColumnRef]]:
    """The columns an expression of a statement reads: those of the statement's own tables
    (unresolved), and those its subqueries read (resolved against their own tables)."""
    outer, inner = _without_subqueries(items)
    resolved: frozenset[ColumnRef] = frozenset()
    for subquery in inner:
        resolved |= _select_reads(subquery)
    return set(_column_refs(outer, aliases)), resolved


def _tables(items: Sequence[Token], aliases: dict[str, str]) -> list[str]:
    """Tables of a FROM / JOIN list (aliases recorded); subqueries are not followed."""
    found = []
    cursor = _Cursor(items)
    while cursor.peek() is not None:
        token = cursor.next()
        assert token is not None
        if not (token.is_word("from", "join", "update", "into") or token.is_word("straight_join")):
            continue
        if cursor.peek() is not None and cursor.peek() == Token("symbol", "("):
            continue
        while True:
            table = cursor.qualified_name()
            if table is None:
                break
            found.append(table)
            aliases[table] = table
            cursor.accept("as")
            alias = cursor.peek()
            if (
                alias is not None
                and alias.kind in ("word", "name")
                and not (alias.kind == "word" and alias.text.lower() in _KEYWORDS)
            ):
                aliases[alias.text.lower()] = table
                cursor.next()
            if not cursor.symbol(","):
                break
    return found


def _statement(items: list[Token]) -> SqlStatement:
    first = items[0]
    if first.is_word("update"):
        return _update(items)
    if first.is_word("insert", "replace"):
        return _insert(items)
    if first.is_word("set"):
        return SqlStatement(OTHER, sets_session=True)  # (an UPDATE's SET is read with it)
    if first.is_word("with"):
        written = _with_write(items)
        if written is not None:
            return written
    if first.is_word("select", "with"):
        outer, inner = _without_subqueries(items)
        tables = _tables(outer, {})
        for subquery in inner if not tables else ():
            # `SELECT setval('s', (SELECT max(id) FROM t))`: the one table it names is t
            tables = tables or _tables(_without_subqueries(subquery)[0], {})
        return SqlStatement(SELECT, tables[0] if tables else None, reads=_select_reads(items))
    if first.is_word("delete"):
        aliases: dict[str, str] = {}
        tables = _tables(items, aliases)
        # `DELETE FROM t` alone: every row goes; a WHERE, a LIMIT, a join or a second table
        # (MySQL's multi-table DELETE) chooses some
        every_row = len(tables) == 1 and not any(
            token.is_word("where", "limit", "join", "using") for token in items
        )
        return SqlStatement(DELETE, tables[0] if tables else None, every_row=every_row)
    if first.is_word("truncate"):
        cursor = _Cursor(items)
        cursor.next()
        cursor.accept("table")
        return SqlStatement(DELETE, cursor.qualified_name(), every_row=True)
    cursor = _Cursor(items)
    cursor.next()
    if first.is_word("create"):
        cursor.accept("or")
        cursor.accept("replace")
        if _routine_follows(cursor):
            return SqlStatement(OTHER, defines_routine=True)
        unique = cursor.peek_word("unique")
        cursor.accept("unique", "fulltext", "spatial")
        if cursor.accept("index"):
            return _create_index(cursor, unique)
        cursor.accept("temporary")
        if cursor.accept("table"):
            return _create_table(cursor)
    elif first.is_word("drop"):
        if cursor.accept("function", "procedure", "trigger"):
            return SqlStatement(OTHER, defines_routine=True)
        temporary = cursor.accept("temporary")
        if cursor.accept("index"):
            index = cursor.qualified_name()
            table = cursor.qualified_name() if cursor.accept("on") else None
            return SqlStatement(DROP_INDEX, table, index_name=index)
        if cursor.accept("table"):
            guarded = cursor.accept("if")
            if guarded:
                cursor.accept("exists")
            name = cursor.qualified_name()
            return SqlStatement(DROP_TABLE, name, if_exists=guarded, temporary=temporary)
        if cursor.accept("database", "schema"):
            if cursor.accept("if"):
                cursor.accept("exists")
            return SqlStatement(DROP_DATABASE, cursor.qualified_name())
    elif first.is_word("alter"):
        cursor.accept("online", "ignore")
        if cursor.accept("table"):
            return _alter_table(cursor)
        if cursor.accept("index"):
            # PostgreSQL's ALTER INDEX [IF EXISTS] a RENAME TO b: the clause MySQL writes as
            # ALTER TABLE t RENAME INDEX a TO b, read as that (the table unnamed)
            if cursor.accept("if"):
                cursor.accept("exists")
            old = cursor.qualified_name()
            if old and cursor.accept("rename") and cursor.accept("to"):
                action = AlterAction("rename_index", old, cursor.qualified_name())
                return SqlStatement(RENAME_INDEX, index_name=old, actions=(action,))
    elif first.is_word("rename") and cursor.accept("table"):
        old = cursor.qualified_name()
        new = cursor.qualified_name() if cursor.accept("to") else None
        pairs = [(old, new)] if old and new else []
        while pairs and cursor.symbol(","):
            more = cursor.qualified_name()
            target = cursor.qualified_name() if cursor.accept("to") else None
            if not more or not target:
                break
            pairs.append((more, target))
        return SqlStatement(RENAME_TABLE, old, new_table=new, renames=tuple(pairs))
    return SqlStatement(OTHER)


def _with_write(items: list[Token]) -> SqlStatement | None:
    """`WITH a AS (SELECT ...), b AS (...) UPDATE / INSERT / DELETE ...`: the statement after
    the common table expressions, read as itself, with the columns their SELECTs read in place
    of its reads of the expressions' own columns (`a.id`; round 32); None when no such
    statement follows them (`WITH ... SELECT`)."""
    cursor = _Cursor(items)
    cursor.next()
    cursor.accept("recursive")
    selects: list[list[Token]] = []
    names: set[str] = set()
    while (name := cursor.qualified_name()) is not None:
        names.add(name)
        if cursor.peek() == Token("symbol", "("):
            cursor.skip_group()  # the expression's column names
        if not cursor.accept("as"):
            return None
        cursor.accept("not")
        cursor.accept("materialized")
        selects.append(cursor.skip_group())
        if not cursor.symbol(","):
            break
    rest = cursor.rest()
    if not rest or not rest[0].is_word("update", "insert", "replace", "delete"):
        return None
    statement = _statement(rest)
    # a column of an expression (`cte.id`) is what its SELECT reads, not a table's
    reads = frozenset(ref for ref in statement.reads if ref[0] not in names)
    for select in selects:
        if select and select[0].is_word("select", "with"):
            reads |= _select_reads(select)
    return statement._replace(reads=reads)


def _routine_follows(cursor: _Cursor) -> bool:
    """Whether a CREATE (after OR REPLACE) defines a function, procedure or trigger, also with
    MySQL's `DEFINER = user@host` or PostgreSQL's CONSTRAINT TRIGGER; the cursor moves on."""
    if cursor.accept("definer"):
        cursor.symbol("=")
        while cursor.peek() is not None and not cursor.peek_word(
            "function", "procedure", "trigger"
        ):
            cursor.next()
    cursor.accept("constraint")
    return cursor.accept("function", "procedure", "trigger")


def _update(items: list[Token]) -> SqlStatement:
    aliases: dict[str, str] = {}
    cursor = _Cursor(items)
    head: list[Token] = []
    while cursor.peek() is not None:
        token = cursor.next()
        assert token is not None
        if token.is_word("set"):
            break
        head.append(token)
    tables = _tables(head, aliases)
    table = tables[0] if tables else None
    body = cursor.rest()
    where_at = _top_level_word(body, "where")
    assignments, condition = body[:where_at], body[where_at:]
    # PostgreSQL's UPDATE t SET ... FROM other o WHERE ...: the FROM list names tables and
    # aliases, no value; its subqueries (`FROM (SELECT ...) x`) read columns (round 32)
    from_at = _top_level_word(assignments, "from")
    assignments, sources = assignments[:from_at], assignments[from_at:]
    _tables(_without_subqueries(sources)[0], aliases)
    writes = set()
    reads, subquery_reads = _expression_reads(condition, aliases)
    subquery_reads |= _expression_reads(sources, aliases)[1]
    # UPDATE a JOIN b ON a.x = b.y SET ...: the join conditions read columns too
    on_at = next((i for i, t in enumerate(head) if t.is_word("on")), len(head))
    reads.update(ref for ref in _column_refs(head[on_at:], aliases) if ref[1] not in aliases)
    # ... JOIN b USING (c) SET ...: c of the tables it joins (round 32)
    for index, token in enumerate(head):
        if token.is_word("using"):
            joined = _tables(head[:index], {})
            for _, column in _column_refs(_Cursor(head[index + 1 :]).skip_group(), {}):
                reads.update((name, column) for name in joined)
    for part in _split_top(assignments):
        equals = next((i for i, t in enumerate(part) if t.kind == "symbol" and t.text == "="), None)
        if equals is None:
            continue
        for column_table, column in _column_refs(part[:equals], aliases):
            writes.add((column_table or table, column))
        own, inner = _expression_reads(part[equals + 1 :], aliases)
        reads.update(own)
        subquery_reads |= inner
    return SqlStatement(
        UPDATE,
        table,
        reads=_resolved(iter(reads), tables) | subquery_reads,
        writes=frozenset(writes),
    )


def _insert(items: list[Token]) -> SqlStatement:
    cursor = _Cursor(items)
    cursor.next()
    if cursor.accept("or"):
        cursor.next()  # SQLite's INSERT OR IGNORE / OR REPLACE
    cursor.accept("low_priority", "delayed", "high_priority")
    cursor.accept("ignore")
    cursor.accept("into")
    table = cursor.qualified_name()
    columns = [ref[1] for part in _split_top(cursor.skip_group()) for ref in _column_refs(part, {})]
    writes = frozenset((table, column) for column in columns) or frozenset({(table, "*")})
    rest = cursor.rest()
    select_at = next((i for i, t in enumerate(rest) if t.is_word("select")), None)
    reads: frozenset[ColumnRef] = frozenset()
    if select_at is not None:
        selected = rest[select_at:]
        sources = _tables(_without_subqueries(selected)[0], {})
        reads = _select_reads(selected)
        first = 2 if len(selected) > 1 and selected[1].is_word("distinct", "all") else 1
        if first < len(selected) and selected[first] == Token("symbol", "*"):
            # `INSERT ... SELECT * FROM old`: every column of the source, copied whole
            reads = reads | frozenset((source, "*") for source in sources)
    return SqlStatement(INSERT, table, reads=reads, writes=writes)


def _create_index(cursor: _Cursor, unique: bool) -> SqlStatement:
    index = cursor.qualified_name()
    cursor.accept("using")
    table = cursor.qualified_name() if cursor.accept("on") else None
    columns = []
    for part in _split_top(cursor.skip_group()):
        name = _name(part[0]) if part else None
        if name is not None:
            columns.append(name)
    keys = (SqlKey(index, unique, tuple(columns)),) if index and columns else ()
    return SqlStatement(CREATE_INDEX, table, index_name=index, columns=tuple(columns), keys=keys)


def _create_table(cursor: _Cursor) -> SqlStatement:
    guarded = cursor.accept("if")
    if guarded:
        cursor.accept("not")
        cursor.accept("exists")
    table = cursor.qualified_name()
    # rows come with it from a query (anywhere: `CREATE TABLE t (SELECT ...)` too) or a table
    after = cursor.rest()
    with_rows = any(token.is_word("select", "values") for token in after) or any(
        token.is_word("as") and following.is_word("table")
        for token, following in zip(after, after[1:], strict=False)
    )
    parts = _split_top(cursor.skip_group())
    inline = any(_column_definition_references(part) for part in parts)
    keys = tuple(key for part in parts if (key := _table_key(part)) is not None)
    generated = tuple(
        name
        for part in parts
        if _is_column_definition(part) and _generated(part[1:])
        for name in [_name(part[0])]
        if name
    )
    return SqlStatement(
        CREATE_TABLE,
        table,
        inline_references=inline,
        keys=keys,
        generated=generated,
        if_not_exists=guarded,
        with_rows=with_rows,
    )


def _table_key(part: Sequence[Token]) -> SqlKey | None:
    """A named key among a CREATE TABLE's definitions: `CONSTRAINT n UNIQUE [KEY] (a, b)`,
    `UNIQUE [KEY | INDEX] n (a)`, `KEY n (a)`, `INDEX n (a)`; None for anything else (a
    column, an unnamed key, a primary or foreign key, a check)."""
    cursor = _Cursor(part)
    name = cursor.qualified_name() if cursor.accept("constraint") else None
    unique = cursor.accept("unique")
    if not (cursor.accept("key", "index") or unique):
        return None
    peek = cursor.peek()
    if peek is not None and peek != Token("symbol", "("):
        name = cursor.qualified_name() or name
    group = cursor.skip_group()
    columns = tuple(n for column in _split_top(group) if (n := _name(column[0])) is not None)
    return SqlKey(name, unique, columns) if name and columns else None


def _is_column_definition(part: Sequence[Token]) -> bool:
    """A CREATE TABLE definition of a column, not of a table constraint or key."""
    return bool(part) and not part[0].is_word(
        "constraint", "foreign", "primary", "unique", "key", "index", "check", "fulltext"
    )


def _column_definition_references(part: Sequence[Token]) -> bool:
    """A column definition (not a table constraint) with a REFERENCES clause of its own."""
    return _is_column_definition(part) and any(token.is_word("references") for token in part)


def _alter_table(cursor: _Cursor) -> SqlStatement:
    table = cursor.qualified_name()
    actions = tuple(_alter_action(part) for part in _split_top(cursor.rest()))
    return SqlStatement(ALTER_TABLE, table, actions=actions)


def _generated(definition: Sequence[Token]) -> bool:
    """Whether a column definition makes a generated column: `GENERATED ALWAYS AS (expr)`, or
    MySQL's short `AS (expr) [VIRTUAL | STORED]`. (An identity, `GENERATED ... AS IDENTITY`,
    is numbered by the server but holds values of its own: not one.)"""
    for at, token in enumerate(definition[:-1]):
        if token.is_word("as") and definition[at + 1] == Token("symbol", "("):
            return True
    return False


# the column types and options that make the server number the rows itself
_NUMBERED: tuple[str, ...] = ("serial", "bigserial", "smallserial", "serial4", "serial8")
_NUMBERED += ("serial2", "auto_increment", "autoincrement", "identity")
# words after an added column's type that may give existing rows a value other than NULL
_NOT_NULL_START = (*_NUMBERED, "not", "default", "primary", "unique", "generated", "as")


def _declared_not_null(definition: Sequence[Token]) -> bool:
    """Whether a column definition (after the name) says NOT NULL or PRIMARY KEY outside
    parentheses (a CHECK's `c IS NOT NULL` is no word on the column; a COMMENT is a string)."""
    depth = 0
    for at, token in enumerate(definition):
        if token.kind == "symbol" and token.text in "()":
            depth += 1 if token.text == "(" else -1
        elif depth == 0 and at + 1 < len(definition):
            following = definition[at + 1]
            if token.is_word("not") and following.is_word("null"):
                return True
            if token.is_word("primary") and following.is_word("key"):
                return True
    return False


def _index_name(cursor: _Cursor) -> str | None:
    """The optional name of `ADD INDEX [n] [USING BTREE] (...)` (None before its columns)."""
    peek = cursor.peek()
    if peek is None or peek == Token("symbol", "(") or peek.is_word("using"):
        return None
    return cursor.qualified_name()


def _key_columns(cursor: _Cursor) -> tuple[str, ...]:
    """The columns of `PRIMARY KEY [USING BTREE] (a, b(10) DESC)` from after PRIMARY."""
    cursor.accept("key")
    if cursor.accept("using"):
        cursor.next()
    parts = _split_top(cursor.skip_group())
    return tuple(name for part in parts if part and (name := _name(part[0])) is not None)


def _alter_action(part: list[Token]) -> AlterAction:
    cursor = _Cursor(part)
    if cursor.accept("add"):
        if cursor.accept("constraint"):
            name = None
            if not (cursor.peek() or Token("", "")).is_word(
                "foreign", "unique", "primary", "check"
            ):
                name = cursor.qualified_name()
            if cursor.accept("primary"):
                return AlterAction("add_primary_key", name, columns=_key_columns(cursor))
            if cursor.accept("foreign"):
                cursor.accept("key")
                peek = cursor.peek()
                if name is None and peek is not None and peek != Token("symbol", "("):
                    name = cursor.qualified_name()  # MySQL's ADD CONSTRAINT FOREIGN KEY n (...)
                return AlterAction("add_constraint", name, foreign_key=True)
            if cursor.accept("unique"):
                cursor.accept("index", "key")
                inner = _index_name(cursor)
                columns = _key_columns(cursor)
                return AlterAction("add_constraint", name or inner, columns=columns, unique=True)
            return AlterAction("add_constraint", name)
        if cursor.accept("primary"):
            return AlterAction("add_primary_key", columns=_key_columns(cursor))
        if cursor.accept("unique", "fulltext", "spatial", "index", "key", "foreign"):
            cursor.accept("index", "key")
            name = _index_name(cursor)
            if part[1].is_word("foreign"):
                return AlterAction("add_constraint", name, foreign_key=True)
            if part[1].is_word("unique"):
                return AlterAction("add_index", name, columns=_key_columns(cursor), unique=True)
            return AlterAction("add_index", name)
        if cursor.accept("partition"):
            return AlterAction("partition")
        cursor.accept("column")
        if cursor.peek() == Token("symbol", "("):
            return AlterAction("other")
        name = cursor.qualified_name()
        rest = cursor.rest()
        return AlterAction(
            "add_column",
            name,
            inline_references=any(token.is_word("references") for token in rest),
            position=any(token.is_word("first", "after") for token in rest),
            generated=_generated(rest),
            numbered=any(token.is_word(*_NUMBERED) for token in rest),
            starts_null=not any(token.is_word(*_NOT_NULL_START) for token in rest),
        )
    if cursor.accept("drop"):
        if cursor.accept("primary"):
            return AlterAction("drop_primary_key")
        if cursor.accept("foreign"):
            cursor.accept("key")
            return AlterAction("drop_foreign_key", cursor.qualified_name())
        if cursor.accept("index", "key"):
            return AlterAction("drop_index", cursor.qualified_name())
        if cursor.accept("constraint", "check"):
            return AlterAction("drop_constraint", cursor.qualified_name())
        if cursor.accept("partition"):
            return AlterAction("partition")
        cursor.accept("column")
        if cursor.accept("if"):
            cursor.accept("exists")
        return AlterAction("drop_column", cursor.qualified_name())
    if cursor.accept("change"):
        cursor.accept("column")
        old = cursor.qualified_name()
        return _restated_column(cursor, old, cursor.qualified_name())
    if cursor.accept("modify"):
        cursor.accept("column")
        name = cursor.qualified_name()
        return _restated_column(cursor, name, name)
    if cursor.accept("alter"):
        cursor.accept("column")
        name = cursor.qualified_name()
        return AlterAction("change_column", name, name)
    if cursor.accept("rename"):
        if cursor.accept("column"):
            old = cursor.qualified_name()
            cursor.accept("to")
            return AlterAction("rename_column", old, cursor.qualified_name())
        if cursor.accept("index", "key"):
            old = cursor.qualified_name()
            cursor.accept("to")
            return AlterAction("rename_index", old, cursor.qualified_name())
        cursor.accept("to", "as")
        return AlterAction("rename_table", cursor.qualified_name())
    if cursor.accept("engine"):
        cursor.symbol("=")
        return AlterAction("engine", _name(cursor.next()))
    if cursor.accept("convert"):
        # CONVERT TO CHARACTER SET x / CONVERT TO CHARSET x: every string column rewritten
        cursor.accept("to")
        if cursor.accept("character"):
            cursor.accept("set")
        else:
            cursor.accept("charset")
        cursor.symbol("=")
        return AlterAction("convert_charset", _name(cursor.next()))
    if cursor.accept("partition", "remove"):
        return AlterAction("partition")
    return AlterAction("other")


def _restated_column(cursor: _Cursor, old: str | None, new: str | None) -> AlterAction:
    """A CHANGE (`old` renamed `new`) or MODIFY (`old` is `new`) clause, the column's definition
    being the rest of the clause."""
    # MySQL's CHANGE / MODIFY restates the whole column: AUTO_INCREMENT is written or gone,
    # and so is NOT NULL
    rest = cursor.rest()
    numbered = any(token.is_word(*_NUMBERED) for token in rest)
    return AlterAction(
        "change_column",
        old,
        new,
        numbered=numbered,
        not_null=_declared_not_null(rest),
        definition=tuple(rest),
    )
