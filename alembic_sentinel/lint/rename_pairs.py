"""Several columns dropped and as many added, each added one of a dropped one's type (L306):
autogenerate's reading of several renames in one revision (`date_created` -> `creation_date`,
`date_modified` -> `last_revision_date`).

One dropped column for one added is L306's own case (a rename keeps the type family). For more,
the types must pair up exactly as MySQL stores them (type_rules.same_on_mysql: `sa.DateTime(
timezone=True)` is the DATETIME a downgrade restores as `sa.DATETIME()`), the dropped column's
type read from the downgrade that adds it back; a dropped column the downgrade gives no type,
or an added one of a type no dropped column had, makes it a redesign (L305 reports the loss).
Among added columns of the same type, the one sharing most words with the dropped name is its
pair (then the first added). Also the alter_column a rename is written as (L306's fix).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Sequence

from alembic_sentinel.lint.column_state import key_left_behind, replaced_by_reference, type_at
from alembic_sentinel.lint.facts import Facts, Hit, LintOptions, op_hit
from alembic_sentinel.lint.history import table_keys
from alembic_sentinel.lint.reference_columns import points_elsewhere, reference_replaced_by_value
from alembic_sentinel.lint.revision_model import (
    BLOB,
    BOOLEAN,
    DATE,
    DATETIME,
    DEFAULT_NONE,
    ENUM,
    INTEGER,
    JSON,
    NUMERIC,
    STRING,
    TEXT,
    TIME,
    ColumnSpec,
    Operation,
    TypeSpec,
)
from alembic_sentinel.lint.stated_intent import stated_separately
from alembic_sentinel.lint.type_rules import same_on_mysql


def paired_by_type(
    facts: Facts, table: str, dropped: Sequence[str], added: Sequence[str]
) -> list[tuple[str, str]] | None:
    """(dropped, added) pairs of the same type on MySQL, each column in one pair, or None
    when the columns do not pair up so (see above)."""
    if len(dropped) != len(added) or len(dropped) < 2:
        return None
    restored = _restored_specs(facts, table)
    new_types = {
        column.name: column.type
        for op in facts.upgrade_ops
        if op.name == "add_column" and op.table == table
        for column in op.columns
        if column.name and column.type is not None
    }
    free = list(added)
    pairs: list[tuple[str, str]] = []
    for old in dropped:
        old_type = restored.get(old)
        if old_type is None:
            return None
        matching = [
            name for name in free if name in new_types and same_on_mysql(old_type, new_types[name])
        ]
        if not matching:
            return None
        words = _words(old)
        chosen = max(matching, key=lambda name: len(words & _words(name)))
        free.remove(chosen)
        pairs.append((old, chosen))
    return pairs


def _restored_specs(facts: Facts, table: str) -> dict[str, TypeSpec]:
    """column -> the type the downgrade adds it back with, on `table`."""
    downgrade = facts.module.downgrade
    return {
        column.name: column.type
        for op in (downgrade.operations if downgrade is not None else ())
        if op.name == "add_column" and op.table == table
        for column in op.columns
        if column.name and column.type is not None
    }


def _words(name: str) -> set[str]:
    """The words of a column name, each cut to its first five letters (`created` and
    `creation` share `creat`)."""
    return {word[:5] for word in re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", name.lower()) if word}


def renames_in_pairs(
    facts: Facts,
    options: LintOptions,
    table: str,
    gone: list[tuple[Operation, str]],
    new: list[str],
    adds: list[tuple[Operation, str]],
) -> Iterator[Hit]:
    """L306 for several dropped columns and as many added, paired by their types: one hit
    per dropped column, naming its pair; none when any pair is a redesign (a key left behind,
    a new reference, a reference to another table) or a step lint cannot read may copy them
    between the adds and the drops."""
    pairs = paired_by_type(facts, table, [column for _, column in gone], new)
    if pairs is None:
        return
    if any(redesigned(facts, options, table, old, added, kinds=False) for old, added in pairs):
        return
    count = len(pairs)
    # a pair holding values of another kind (a new surrogate key beside a dropped reference)
    # is no rename; the other pairs may still be
    pairs = [pair for pair in pairs if not another_kind(facts, options, table, *pair)]
    first_add = min(op.seq for op, _ in adds)
    if facts.unread_before(table, min(op.seq for op, _ in gone), after=first_add) is not None:
        return
    drops = dict((column, op) for op, column in gone)
    for old, added in pairs:
        yield op_hit(
            "L306",
            drops[old],
            f"upgrade drops {table}.{old} and adds {added} of the same type ({count} "
            "columns dropped and as many added): if this is a rename, the values are lost",
            fix=rename_fix(facts, table, old, added),
        )


def rename_fix(facts: Facts, table: str, old: str, new: str) -> str:
    """The alter_column that renames, with the type the downgrade restores (MySQL's CHANGE
    COLUMN needs it, L322)."""
    downgrade = facts.module.downgrade
    for op in downgrade.operations if downgrade is not None else ():
        if op.name == "add_column" and op.table == table:
            for column in op.columns:
                if column.name == old and column.type is not None:
                    nullable = (
                        "" if column.nullable is None else f", existing_nullable={column.nullable}"
                    )
                    return (
                        f"op.alter_column({table!r}, {old!r}, new_column_name={new!r}, "
                        f"existing_type=sa.{column.type}{nullable})"
                    )
    return (
        f"op.alter_column({table!r}, {old!r}, new_column_name={new!r}, existing_type=...) "
        "with the column's type"
    )


def stated_apart(
    message: str | None, gone: list[tuple[Operation, str]], new: list[str]
) -> tuple[list[tuple[Operation, str]], list[str]]:
    """The dropped and added columns left once those the revision's message states as a
    removal and as an addition of their own are taken out (both kinds must be stated; round
    32: "add line_text and delete line_type" is a redesign, not a rename)."""
    if not message or not gone or not new:
        return gone, new
    removed = {c for _, c in gone if stated_separately(message, c, removed=True)}
    added = {c for c in new if stated_separately(message, c, removed=False)}
    if not removed or not added:
        return gone, new
    return [(op, c) for op, c in gone if c not in removed], [c for c in new if c not in added]


def redesigned(
    facts: Facts, options: LintOptions, table: str, dropped: str, added: str, kinds: bool = True
) -> bool:
    """Whether the added column is a redesign, not the dropped one renamed: the dropped
    column's unique key does not move over, a new reference of another meaning or to another
    table, a reference replaced by a plain value of another name, another kind of value
    (another_kind; not asked when `kinds` is False)."""
    return (
        key_left_behind(facts, options, table, dropped, added)
        or replaced_by_reference(facts, table, dropped, added)
        or points_elsewhere(facts, options, table, dropped, added)
        or reference_replaced_by_value(facts, options, table, dropped, added)
        or (kinds and another_kind(facts, options, table, dropped, added))
        or described_apart(facts, table, dropped, added)
    )


def described_apart(facts: Facts, table: str, dropped: str, added: str) -> bool:
    """Whether the columns' own comments (the downgrade's restored one's, the upgrade's added
    one's) and their names share no word: the revision describes two different values, no
    rename (round r40: `yaml_template` dropped, an `error_message` "error message" added;
    autogenerate keeps a renamed attribute's comment, `interval` -> `interval_time` both
    "item run interval in second"). A comment missing on either side decides nothing."""
    if _words(dropped) & _words(added):
        return False
    before = _comment(_restoring(facts, table, dropped))
    after = _comment(_adding(facts, table, added))
    if before is None or after is None:
        return False
    old_words, new_words = (_words(text) - _GENERIC_WORDS for text in (before, after))
    return bool(old_words) and bool(new_words) and not old_words & new_words


# words a column's comment shares with any other's, telling nothing of its meaning
_GENERIC_WORDS = frozenset({"id", "the", "of", "a", "an", "for", "in", "is", "to", "and", "or"})


def _comment(column: tuple[ColumnSpec, ast.expr | None] | None) -> str | None:
    """The literal `comment=` of a `sa.Column(...)` call, else None."""
    call = column[1] if column is not None else None
    if type(call) is not ast.Call:
        return None
    for keyword in call.keywords:
        if keyword.arg == "comment" and type(keyword.value) is ast.Constant:
            value = keyword.value.value
            return value if type(value) is str and value.strip() else None
    return None


# the last word of a column's name that says what kind of value it holds; words of one group
# are one kind (`user_id` -> `user_pkey` may be a rename; `avatar_id` -> `avatar_key`, an
# object key, and `image_exts` -> `image_keys` hold other values)
_KIND_WORDS = {
    word: group
    for group, words in enumerate(
        (
            ("id", "identifier", "pk", "pkey"),
            ("uuid", "guid"),
            ("key",),
            ("ext", "extension"),
            ("count", "cnt"),
            ("url", "uri"),
            ("path",),
            ("hash", "digest", "checksum"),
            ("token",),
        )
    )
    for word in words
}
# a text column this long holds a uuid's text form (with or without its dashes)
_UUID_LENGTHS = (32, 36)


def another_kind(facts: Facts, options: LintOptions, table: str, dropped: str, added: str) -> bool:
    """Whether the added column holds another kind of value than the dropped one, so it is a
    redesign (whose lost values L305 reports), not the dropped column renamed: their names
    end in words of different kinds of value (`_exts` -> `_keys`, `_id` -> `_key`); their
    types are of different families (_value_family: binary, number, text, time, ...); one is
    a uuid (a UUID type, a CHAR/VARCHAR of a uuid's length) and the other a text of another
    length (an object key "uuid.ext"); or the upgrade makes the added column a key (primary
    key, unique) that the dropped one was not: rows sharing the old value would collide."""
    kinds = [_KIND_WORDS.get(_kind_word(name)) for name in (dropped, added)]
    if None not in kinds and kinds[0] != kinds[1]:
        return True
    new_family = _value_family(_adding(facts, table, added))
    known = history_type(facts, options, table, dropped)
    old_families = (
        _value_family(_restoring(facts, table, dropped)),
        # the history's type too: the downgrade's may be written from the new model (r40)
        _VALUE_FAMILIES.get(known.family) if known is not None else None,
    )
    if new_family is not None and any(f not in (None, new_family) for f in old_families):
        return True  # a pickled BYTEA replaced by an INTEGER reference (round 37)
    old_type = _restored_specs(facts, table).get(dropped)
    new_type = _added_specs(facts, table).get(added)
    if old_type is not None and new_type is not None:
        uuids = [_uuid_like(spec) for spec in (old_type, new_type)]
        if None not in uuids and uuids[0] != uuids[1]:
            return True
    keyed = any(added.lower() in key for key in table_keys(facts.module).get(table.lower(), ()))
    was_key = any(dropped.lower() in key for key in options.unique_keys(table))
    return keyed and not was_key


def history_type(facts: Facts, options: LintOptions, table: str, column: str) -> TypeSpec | None:
    """The type the revisions before this one (and this upgrade's steps before it drops the
    column) give a dropped column: created, altered to, or stated by an alter's existing_type;
    None when none does. A family of values it holds that no added column holds makes a
    redesign whatever the downgrade's type, which may be written from the new model (round
    r40: a VARCHAR `unit` renamed so by an earlier revision, restored as an Integer beside the
    new integer `unit_id` foreign key)."""
    drops = [
        op.seq
        for op in facts.upgrade_ops
        if op.name == "drop_column" and op.table == table and op.string("column_name") == column
    ]
    if not drops:
        return None
    known = type_at(facts, options, table, column, drops[0])
    if known is not None:
        return known
    stated = options.state_before(table, column).stated_type
    return stated if stated is not None and stated.family else None


def kept_family(known: TypeSpec | None, families: set[str]) -> bool:
    """Whether an added column of one of these type families may hold a dropped column's
    values of type `known`: the same family of values (_VALUE_FAMILIES: an Enum's names are
    text, round r40: rally's Enum `status` copied into a VARCHAR `new_status`), or a type lint
    cannot place."""
    held = _VALUE_FAMILIES.get(known.family) if known is not None else None
    return held is None or held in {_VALUE_FAMILIES.get(family) for family in families}


def _kind_word(name: str) -> str:
    """The last word of a column name that is not a number, without a plural's `s`."""
    words = [w for w in re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", name.lower()) if w]
    words = [w for w in words if not w.isdigit()]
    word = words[-1] if words else ""
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _uuid_like(spec: TypeSpec) -> bool | None:
    """True for a uuid column, False for a text of another length, None for other types."""
    if spec.name.upper() in ("UUID", "UUIDTYPE", "GUID"):
        return True
    if spec.name.upper() in ("CHAR", "VARCHAR", "STRING", "NCHAR", "NVARCHAR", "UNICODE"):
        return spec.length in _UUID_LENGTHS if spec.length is not None else None
    return None


def _added_specs(facts: Facts, table: str) -> dict[str, TypeSpec]:
    """column -> the type the upgrade adds it with, on `table`."""
    return {
        column.name: column.type
        for op in facts.upgrade_ops
        if op.name == "add_column" and op.table == table
        for column in op.columns
        if column.name and column.type is not None
    }


# the families of values a type holds, for telling a replacement from a rename (round 37): a
# rename keeps the family; a type of another family holds other values (a pickled BYTEA
# replaced by an INTEGER reference). Text and an Enum's names are one family, as are
# integers, decimals and booleans (MySQL's TINYINT), and dates and times: a rename that widens
# or narrows the type stays a rename. JSON holds documents, not a string's values (round r36:
# a hostname dropped, a JSON network template added), also a project's type named for it
# (`fields.JSON()` stored as TEXT)
_VALUE_FAMILIES = {
    **dict.fromkeys((STRING, TEXT, ENUM), "text"),
    JSON: "json",
    **dict.fromkeys((INTEGER, NUMERIC, BOOLEAN), "number"),
    **dict.fromkeys((DATETIME, DATE, TIME), "time"),
    BLOB: "binary",
}
# dialect types lint reads no TypeSpec of (their module's own names), by family
_DIALECT_FAMILIES = {
    **dict.fromkeys(("BYTEA", "BINARY", "VARBINARY", "LargeBinary", "PickleType"), "binary"),
    **dict.fromkeys(("HSTORE", "CITEXT"), "text"),
    "JSONB": "json",
    **dict.fromkeys(("DOUBLE_PRECISION", "MONEY", "BIT"), "number"),
    **dict.fromkeys(("TIMESTAMP", "TIMESTAMPTZ"), "time"),
    **dict.fromkeys(("INTERVAL", "Interval"), "interval"),
    **dict.fromkeys(("INET", "CIDR", "MACADDR"), "network"),
    "ARRAY": "array",
}


def _value_family(column: tuple[ColumnSpec, ast.expr | None] | None) -> str | None:
    """The family of values a column's type holds (above), None when lint does not know it (a
    uuid may be its text form: _uuid_like decides that)."""
    if column is None:
        return None
    spec, node = column
    name = _type_name(node)
    if name is not None and "json" in name.lower():
        return "json"
    if spec.type is not None:
        return _VALUE_FAMILIES.get(spec.type.family)
    return _DIALECT_FAMILIES.get(name) if name is not None else None


def _type_name(call: ast.expr | None) -> str | None:
    """The name of the type a `sa.Column(...)` call is given (`postgresql.BYTEA()` -> BYTEA)."""
    if type(call) is not ast.Call:
        return None
    given = [kw.value for kw in call.keywords if kw.arg == "type_"]
    for node in [*given, *call.args]:
        if type(node) is ast.Constant:
            continue  # the column's name
        node = node.func if type(node) is ast.Call else node
        if type(node) is ast.Attribute:
            return node.attr
        return node.id if type(node) is ast.Name else None
    return None


def _restoring(facts: Facts, table: str, column: str) -> tuple[ColumnSpec, ast.expr | None] | None:
    """The column as the downgrade adds it back on `table` (the type it had), and its call."""
    downgrade = facts.module.downgrade
    return _column_in(downgrade.operations if downgrade is not None else (), table, column)


def _adding(facts: Facts, table: str, column: str) -> tuple[ColumnSpec, ast.expr | None] | None:
    """The column as the upgrade adds it on `table`, and its call."""
    return _column_in(facts.upgrade_ops, table, column)


def _column_in(
    operations: Iterable[Operation], table: str, column: str
) -> tuple[ColumnSpec, ast.expr | None] | None:
    for op in operations:
        if op.name == "add_column" and op.table == table:
            for spec in op.columns:
                if spec.name == column:
                    return spec, op.param("column")
    return None


def similar_tables(old: Operation, new: Operation) -> bool:
    """Whether two create_tables look like one table renamed: a rename keeps its primary key's
    kind (an INTEGER id that becomes a TEXT one is a new design), gives each row no key value
    it did not hold (natural_key), and more than half the columns of the smaller one (beyond a
    plain `id`); one common `name` of two is coincidence."""
    keys = [
        {c.type.family for c in op.columns if c.primary_key and c.type is not None}
        for op in (old, new)
    ]
    if keys[0] and keys[1] and keys[0].isdisjoint(keys[1]):
        return False
    held = {c.name.lower() for c in old.columns if c.name}
    if any(name not in held for name in natural_key(new)):
        return False  # keyed by a value the old rows never held: none could be copied
    before = held - {"id"}
    after = {c.name.lower() for c in new.columns if c.name} - {"id"}
    if not before or not after:
        return True  # nothing to compare: it may be a rename
    return 2 * len(before & after) > min(len(before), len(after))


def natural_key(op: Operation) -> set[str]:
    """The primary-key columns (lowercase) of a create_table whose values a row must be given:
    not an integer (a surrogate the server numbers) nor one with a default (round r36: a
    session table keyed by `user_name` replacing one keyed by `auth_string`)."""
    named = {name.lower() for c in op.constraints if c.kind == "primary_key" for name in c.columns}
    return {
        c.name.lower()
        for c in op.columns
        if c.name
        and (c.primary_key or c.name.lower() in named)
        and not (c.type is not None and c.type.family == INTEGER)
        and c.server_default in (None, DEFAULT_NONE)
        and c.default_node is None
    }
