"""The names a MetaData `naming_convention` gives indexes and constraints, so that a downgrade
that drops "ck_users_valid_email" is known to undo `create_check_constraint("valid_email",
"users", ...)`, and `create_index(None, "rooms", ["is_active"])` to undo a drop of
"ix_rooms_is_active".

The templates come from the project's MetaData when lint can read it (the Flask app's); when
it cannot, SQLAlchemy's documented convention is assumed, plus a looser form (any text between
the prefix and the table) that covers project tokens such as an "%(unique_index)s" callable.
A token lint cannot compute (a callable's) matches any text. Pure: ast and re only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import string_list, string_value
from alembic_sentinel.lint.revision_model import Operation

# the convention key of what each operation creates or drops
_KIND_OF_OPERATION = MappingProxyType(
    {
        "create_index": "ix",
        "drop_index": "ix",
        "create_unique_constraint": "uq",
        "create_foreign_key": "fk",
        "create_check_constraint": "ck",
        "create_primary_key": "pk",
    }
)
_KIND_OF_DROP_TYPE = MappingProxyType(
    {"foreignkey": "fk", "unique": "uq", "check": "ck", "primary": "pk"}
)
# SQLAlchemy's documentation ("Configuring Constraint Naming Conventions")
DOCUMENTED_CONVENTION: Mapping[str, str] = MappingProxyType(
    {
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
_TOKEN = LazyPattern(r"%\((\w+)\)s")
_COLUMN_TOKEN = LazyPattern(r"(referred_)?column_0(N|_N)?_(name|label|key)")
_ANY = ".*?"


class NamedObject(NamedTuple):
    """An index or constraint an operation creates or drops, as far as the code shows it."""

    kind: str  # "ix" | "uq" | "fk" | "ck" | "pk"; "" for a drop_constraint without type_
    table: str  # lowercase
    name: str | None  # the name written (op.f("x") read as "x"), lowercase
    columns: tuple[str, ...] | None  # None: not literal
    referred_table: str | None = None
    referred_columns: tuple[str, ...] | None = None


def named_object(op: Operation) -> NamedObject | None:
    """The index or constraint `op` creates or drops; None for any other operation or when its
    table is not a literal."""
    if op.table is None:
        return None
    if op.name == "drop_constraint":
        kind = _KIND_OF_DROP_TYPE.get(op.string("type_") or "", "")
    else:
        kind = _KIND_OF_OPERATION.get(op.name, "")
        if not kind:
            return None
    name = op.string("index_name") or op.string("constraint_name")
    columns = string_list(op.param("columns") or op.param("local_cols"))
    referred = op.param("referent_table")
    return NamedObject(
        kind=kind,
        table=op.table.lower(),
        name=name.lower() if name else None,
        columns=tuple(c.lower() for c in columns) if columns is not None else None,
        referred_table=(string_value(referred) or "").lower() or None if referred else None,
        referred_columns=string_list(op.param("remote_cols")),
    )


def _column_token(token: str, obj: NamedObject) -> str | None:
    """A column token's value (column_0_name, column_0N_label, referred_column_0_N_name...);
    None when the columns are not known."""
    match = _COLUMN_TOKEN.fullmatch(token)
    if match is None:
        return None
    referred, many, part = match.groups()
    columns = obj.referred_columns if referred else obj.columns
    table = obj.referred_table if referred else obj.table
    if not columns or table is None:
        return None
    chosen = columns if many else columns[:1]
    shown = [f"{table}_{c}" if part == "label" else c for c in chosen]
    return ("_" if many == "_N" or not many else "").join(shown)


def _filled(template: str, obj: NamedObject) -> tuple[list[tuple[str, str | None]], str]:
    """The template's text before each token (lowered) with the token's value for `obj` (None
    when lint cannot compute it), and the text after the last token."""
    values = {
        "table_name": obj.table,
        "constraint_name": obj.name,
        "referred_table_name": obj.referred_table,
    }
    pairs: list[tuple[str, str | None]] = []
    last = 0
    for match in _TOKEN.finditer(template):
        token = match.group(1)
        value = values.get(token) if token in values else _column_token(token, obj)
        pairs.append((template[last : match.start()].lower(), value or None))
        last = match.end()
    return pairs, template[last:].lower()


def _expanded(template: str, obj: NamedObject) -> re.Pattern[str]:
    """The template filled in for `obj`; a token lint cannot compute matches any text."""
    pairs, tail = _filled(template, obj)
    parts = [re.escape(text) + (re.escape(value) if value else _ANY) for text, value in pairs]
    return re.compile("".join(parts) + re.escape(tail))


def _loose(obj: NamedObject) -> list[re.Pattern[str]]:
    """Names a convention of unknown templates plausibly gives: the kind's prefix, anything,
    then the table and the columns (or, for a named check, the table and the name)."""
    prefix = obj.kind or _ANY
    table = re.escape(obj.table)
    tails: list[str] = []
    if obj.name is not None:
        tails.append(re.escape(obj.name))
    elif obj.columns:
        tails.append(re.escape("_".join(obj.columns)))
        tails.append(re.escape(obj.columns[0]))
    # one or more underscores between the parts: "ck__t__name" (a convention that doubles
    # its separators, round 22) as well as "ck_t_name"
    return [re.compile(f"{prefix}_+(?:.*_)?{table}_+{tail}(?:_.*)?") for tail in tails]


# SQLAlchemy's documented convention with doubled separators ("ck__%(table_name)s__..."), a
# common variant: tried as written names when the project's templates are unknown
_DOUBLED_CONVENTION: Mapping[str, str] = MappingProxyType(
    {kind: re.sub(r"_(?=%\()", "__", template) for kind, template in DOCUMENTED_CONVENTION.items()}
)
# the longest names PostgreSQL (63) and MySQL (64) keep: SQLAlchemy shortens a longer
# convention-made name to its first (limit - 8) characters, "_" and 4 hex digits of its md5
_NAME_LIMITS = (63, 64)


def _concrete(template: str, obj: NamedObject) -> str | None:
    """The template filled in for `obj`; None when a token cannot be computed."""
    pairs, tail = _filled(template, obj)
    if any(value is None for _, value in pairs):
        return None
    return "".join(text + (value or "") for text, value in pairs) + tail


def _shortened(
    obj: NamedObject, templates: Mapping[str, str] | None, kinds: list[str]
) -> list[str]:
    """The names SQLAlchemy shortens `obj`'s convention-made names to when they are longer than
    the server keeps ("ck__t__a_long_name_..._081b"); the md5 tail makes a chance match
    impossible, so both servers' limits are tried."""
    given = [templates] if templates is not None else [DOCUMENTED_CONVENTION, _DOUBLED_CONVENTION]
    found: list[str] = []
    for convention in given:
        for kind in kinds:
            template = convention.get(kind)
            full = _concrete(template, obj._replace(kind=kind)) if template else None
            for limit in _NAME_LIMITS:
                if full is not None and len(full) > limit:
                    # imported here: loading OpenSSL costs a few ms of every lint process,
                    # and only a name longer than the server keeps needs it
                    import hashlib

                    digest = hashlib.md5(full.encode("utf-8"), usedforsecurity=False).hexdigest()
                    found.append(f"{full[: limit - 8]}_{digest[-4:]}")
    return found


def possible_names(obj: NamedObject, templates: Mapping[str, str] | None) -> list[re.Pattern[str]]:
    """Patterns of the names the server may know `obj` by. `templates`: the MetaData's
    naming_convention; None when the project has one lint cannot read."""
    patterns: list[re.Pattern[str]] = []
    if obj.name is not None:
        patterns.append(re.compile(re.escape(obj.name)))
    kinds = [obj.kind] if obj.kind else list(_KIND_OF_DROP_TYPE.values())
    given = templates if templates is not None else DOCUMENTED_CONVENTION
    for kind in kinds:
        template = given.get(kind)
        # a written name is kept unless the template makes it part of a longer one
        if template and (obj.name is None or "%(constraint_name)s" in template):
            patterns.append(_expanded(template, obj._replace(kind=kind)))
    if templates is None:
        patterns.extend(_loose(obj))
    patterns.extend(re.compile(re.escape(name)) for name in _shortened(obj, templates, kinds))
    return patterns


def same_object(one: NamedObject, other: NamedObject, templates: Mapping[str, str] | None) -> bool:
    """Whether two operations are about one index or constraint: one table, compatible kinds,
    and a name one of them writes that the other's (convention-made) names include; two
    unnamed ones of the same columns; two primary keys of one table."""
    if one.table != other.table or (one.kind and other.kind and one.kind != other.kind):
        return False
    if one.kind == other.kind == "pk":
        # a table has one primary key, which MySQL and MariaDB always call PRIMARY (Alembic
        # drops it by DROP PRIMARY KEY): the names written (a portable "pk_t", "PRIMARY")
        # need not agree for a downgrade's primary key to restore the one the upgrade dropped
        return True
    if one.name is None and other.name is None:
        return one.columns is not None and one.columns == other.columns
    return _fits(one, other, templates) or _fits(other, one, templates)


def _fits(written: NamedObject, made: NamedObject, templates: Mapping[str, str] | None) -> bool:
    if written.name is None:
        return False
    return any(p.fullmatch(written.name) for p in possible_names(made, templates))


def string_templates(convention: Mapping[object, object]) -> dict[str, str]:
    """A MetaData.naming_convention's string templates by key ("ix", "uq", ...); a key that is
    a constraint class or a callable token is left out (its tokens stay unknown)."""
    return {
        key: value for key, value in convention.items() if type(key) is str and type(value) is str
    }


# SQLAlchemy's own default: an unnamed index is "ix_<table>_<column>" even without a convention
DEFAULT_CONVENTION: Mapping[str, str] = MappingProxyType({"ix": "ix_%(column_0_label)s"})


def undone_by(
    op: Operation, others: Sequence[Operation], templates: Mapping[str, str] | None
) -> bool:
    """Whether one of `others` (a downgrade's operations) drops what `op` creates or creates
    what it drops, the naming convention's names included."""
    made = named_object(op)
    if made is None:
        return False
    creating = op.name.startswith("create_")
    for other in others:
        if other.name.startswith("create_") == creating:
            continue
        found = named_object(other)
        if found is not None and same_object(made, found, templates):
            return True
    return False
