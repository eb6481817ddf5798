"""What a column already is when an upgrade step touches it, from the steps before it.

L302 (NOT NULL on a column that may hold NULLs), L305 (values lost with a dropped column) and
L306 (a drop and add read as a rename) each ask the same kind of question: is the column already
NOT NULL, computed by the server, part of a unique key, a reference of another meaning than the
column it replaces? The answer comes from the earlier steps of the same upgrade, else from the
revisions before this one (lint.history's facts).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence

from alembic_sentinel.lint.column_steps import (
    ColumnState,
    column_steps,
    modifying_alter,
    raw_column_steps,
    restates_default,
    restating_alter,
)
from alembic_sentinel.lint.expressions import type_spec
from alembic_sentinel.lint.facts import Facts, LintOptions, literal_bool
from alembic_sentinel.lint.history import table_keys
from alembic_sentinel.lint.literals import string_list
from alembic_sentinel.lint.raw_not_nulls import raw_restatements
from alembic_sentinel.lint.revision_model import INTEGER, Operation, TypeSpec


def already_not_null(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether the column is NOT NULL before `op` makes it so, holding no NULL to fail on: the
    alter_column says existing_nullable=False, an earlier step of this upgrade left it NOT NULL
    (created so, made a primary key, altered), or else the revisions before this one did."""
    if literal_bool(op.param("existing_nullable")) is False:
        return True
    return not_null_before(facts, options, op) is True


def restated_both_ways(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether an upgrade alter_column that changes the column's type (`type_=`) says
    nullable=False, and the downgrade's alter of the same column back says nullable=False too
    (or existing_nullable=False): the revision states the column NOT NULL before and after, so
    the upgrade's nullable=False only restates it with the new type (MODIFY needs the whole
    column; an AUTO_INCREMENT key widened from INT to BIGINT, say). A downgrade that makes it
    nullable again says the upgrade's NOT NULL is new (round 23). The type may change without
    `type_=` too: an alter whose existing_type differs from the one the downgrade's alter gives
    (`existing_type=VARCHAR(255)` up, `VARCHAR(155)` down) is a MODIFY to that type on MySQL,
    which the downgrade's MODIFY turns back (round r28). A rename written as MySQL's CHANGE is
    such a change too (round 32): the upgrade's alter and the downgrade's alters renaming it
    back each state the column's type (existing_type= or type_=: the whole column restated),
    and the downgrade's nullable=False says the old column was NOT NULL, the state before the
    upgrade. Never when the revisions before show the column nullable (the downgrade's word
    copied from the upgrade's), nor for a column this upgrade added."""
    downgrade = facts.module.downgrade
    column = (op.string("column_name") or "").lower()
    if downgrade is None or not column or op.table is None:
        return False
    table = op.table.lower()
    backs = [
        other
        for other in _alters(downgrade.operations)
        if other.name == "alter_column"
        and (other.table or "").lower() == table
        and (other.string("new_column_name") or other.string("column_name") or "").lower() == column
    ]
    if not backs or not_null_before(facts, options, op) is False:
        return False  # nothing restated back, or the history shows the column nullable
    renamed = _renamed_back(op, backs) and all(_states_type(o) for o in (op, *backs))
    if renamed and _added_here(facts, table, column, op.seq):
        return False  # the rename restates a column this upgrade added: nothing was NOT NULL
    if (
        op.param("type_") is None
        and not renamed
        and not any(_other_type(op, back) for back in backs)
    ):
        return False
    return bool(backs) and all(
        literal_bool(back.param("nullable")) is False
        or (
            back.param("nullable") is None
            and literal_bool(back.param("existing_nullable")) is False
        )
        for back in backs
    )


def restated_by_rename(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether an upgrade alter_column that renames a column the history states no nullability
    of (a table made before the first revision) says nullable=False only to keep it NOT NULL
    (round r40): MySQL's CHANGE restates the whole column, NULL unless told otherwise, so a
    hand-written rename of a NOT NULL column must say it, with its existing_type. Not when
    the downgrade shows the old column nullable: an alter of it back (by either name) with
    nullable=True, or renaming it back with neither nullable= nor existing_nullable=False
    (CHANGE writes NULL; round r36: `width` -> `crop_x2` NOT NULL, renamed back plain), nor
    for a column this upgrade added."""
    old = (op.string("column_name") or "").lower()
    new = (op.string("new_column_name") or "").lower()
    if not old or not new or old == new or op.table is None or not _states_type(op):
        return False
    table = op.table.lower()
    if _added_here(facts, table, old, op.seq) or not_null_before(facts, options, op) is not None:
        return False
    downgrade = facts.module.downgrade
    for back in _alters(downgrade.operations) if downgrade is not None else ():
        named = {(back.string(p) or "").lower() for p in ("column_name", "new_column_name")}
        if back.name != "alter_column" or (back.table or "").lower() != table or old not in named:
            continue
        nullable = literal_bool(back.param("nullable"))
        if nullable is True or (
            nullable is None
            and literal_bool(back.param("existing_nullable")) is not False
            and modifying_alter(back)
        ):
            return False  # the downgrade leaves the old column nullable
    return True


def _alters(operations: Sequence[Operation]) -> list[Operation]:
    """The operations, and a stand-in alter_column for each raw CHANGE / MODIFY among them (a
    downgrade restating the column in SQL says its nullability as an alter_column does)."""
    return [*operations, *raw_restatements(operations)]


def _renamed_back(up: Operation, backs: list[Operation]) -> bool:
    """Whether the upgrade's alter_column renames the column and the downgrade's alters back
    all give it its old name again (`new_column_name=` the upgrade's column_name, from the
    upgrade's new name)."""
    new = (up.string("new_column_name") or "").lower()
    old = (up.string("column_name") or "").lower()
    return (
        bool(new and old)
        and new != old
        and bool(backs)
        and all(
            (back.string("column_name") or "").lower() == new
            and (back.string("new_column_name") or "").lower() == old
            for back in backs
        )
    )


def _states_type(alter: Operation) -> bool:
    """Whether an alter_column gives the column's type (existing_type= or type_=)."""
    return alter.param("existing_type") is not None or alter.param("type_") is not None


def _added_here(facts: Facts, table: str, column: str, before: int) -> bool:
    """Whether an add_column or create_table of this upgrade before step `before` made the
    column (under this name)."""
    return any(
        o.seq < before
        and o.name in ("add_column", "create_table")
        and (o.table or "").lower() == table
        and any((spec.name or "").lower() == column for spec in o.columns)
        for o in facts.upgrade_ops
    )


def _other_type(up: Operation, back: Operation) -> bool:
    """Whether the downgrade's alter_column gives the column another type than the upgrade's
    existing_type= says it has: a type_= of its own, or an existing_type= written otherwise."""
    if back.param("type_") is not None:
        return True
    given, restored = up.param("existing_type"), back.param("existing_type")
    return given is not None and restored is not None and ast.dump(given) != ast.dump(restored)


def not_null_before(facts: Facts, options: LintOptions, op: Operation) -> bool | None:
    """Whether the column `op` touches is NOT NULL (True), nullable (False) or not known (None)
    just before it, as the latest step stating it says: an earlier step of this revision (for
    a downgrade step, the whole upgrade and the downgrade's steps before it), else the deepest
    revisions before this one. A column created NOT NULL and later made nullable is nullable."""
    column = op.string("column_name")
    if op.table is None or column is None:
        return None
    key = (op.table.lower(), column.lower())
    before = _steps_before(facts, op)
    own = _own_state(before, key)
    if own.not_null is not None:
        return own.not_null
    rename = renamed_to(before, key)
    if rename is not None:
        # the column is an older one renamed earlier in this revision (a helper's loop renaming
        # `tenant_id` to `project_id`): it is what that column was just before the rename
        return not_null_before(facts, options, rename)
    return options.state_before(op.table, column).not_null


def not_null_witness(facts: Facts, options: LintOptions, op: Operation) -> str | None:
    """Who says the column an upgrade step touches is NOT NULL, when that is certain: the
    latest step stating its nullability made it so (an earlier step of this upgrade: "line N";
    else the deepest revisions before: "revision X"), and ran whatever the schema held (not
    under an `if` lint cannot decide, nor refused under a handler that carries on). None when
    the column is not known NOT NULL, or the word comes through a rename, or may not hold."""
    column = op.string("column_name")
    upgrade = facts.module.upgrade
    if op.table is None or column is None or upgrade is None:
        return None
    if (
        not any(o is op for o in facts.upgrade_ops)
        or not_null_before(facts, options, op) is not True
    ):
        return None
    key = (op.table.lower(), column.lower())
    before = [o for o in facts.upgrade_ops if o.seq < op.seq]
    stating = [
        seq
        for seq, stepped, state in column_steps(before)
        if stepped == key and (state.not_null is not None or state.restated)
    ]
    if stating:
        seq = max(stating)
        if seq in upgrade.conditional | upgrade.caught | upgrade.mariadb_only:
            return None
        return f"line {next(o.line for o in before if o.seq == seq)}"
    if renamed_to(before, key) is not None:
        return None  # what the old column was: not followed here
    ids = options.nullability_stated_by(op.table, column)
    return f"revision {', '.join(ids)}" if ids else None


def restated_before(facts: Facts, options: LintOptions, op: Operation) -> bool:
    """Whether a MySQL CHANGE/MODIFY that did not state the column's nullability (an earlier
    step of this revision, else of the revisions before it) declared the column `op` touches
    NULL since the latest step stating it: a NOT NULL the revisions show is already gone from
    the declaration, and a later restatement drops nothing (L330 said so at the first one).
    A downgrade step is judged by the downgrade's steps before it and the revisions before
    this one, not by the upgrade: it should leave the column as it was before the revision,
    and a NOT NULL the upgrade's own restatement dropped is one it fails to give back."""
    column = op.string("column_name")
    if op.table is None or column is None:
        return False
    own = _own_state(restoring_steps(facts, op), (op.table.lower(), column.lower()))
    if own.restated is not None:
        return own.restated
    return options.state_before(op.table, column).restated is True


def default_before(facts: Facts, options: LintOptions, op: Operation) -> bool | None:
    """Whether the column `op` touches has a server default just before it (True), has none
    (False) or is not known (None), as the latest step stating it says, in the order
    not_null_before reads them: a default added with the column and removed since by an
    alter_column(server_default=None) is gone (round r28a)."""
    column = op.string("column_name")
    if op.table is None or column is None:
        return None
    steps = restoring_steps(facts, op, restates_default)
    own = _own_state(steps, (op.table.lower(), column.lower()))
    if own.has_default is not None:
        return own.has_default
    return options.state_before(op.table, column).has_default


def _steps_before(facts: Facts, op: Operation) -> list[Operation]:
    """This revision's steps before `op`: for a downgrade step, the whole upgrade and the
    downgrade's steps before it."""
    downgrade = facts.module.downgrade
    in_downgrade = downgrade is not None and any(o is op for o in downgrade.operations)
    before = [o for o in facts.upgrade_ops if in_downgrade or o.seq < op.seq]
    if in_downgrade and downgrade is not None:
        before += [o for o in downgrade.operations if o.seq < op.seq]
    return before


def restoring_steps(
    facts: Facts, op: Operation, undone: Callable[[Operation], bool] = restating_alter
) -> list[Operation]:
    """_steps_before, less the upgrade's steps `undone` picks, for a downgrade step: the
    downgrade should give back the NOT NULL and the default the column had before the revision,
    and what the upgrade's restatement dropped is still the downgrade's to restore (L330).
    `restating_alter` for nullability; `restates_default` for the default, which any MODIFY
    drops, nullability stated or not (round 34)."""
    before = _steps_before(facts, op)
    downgrade = facts.module.downgrade
    if downgrade is None or not any(o is op for o in downgrade.operations):
        return before
    upgrade = facts.upgrade_ops
    return [o for o in before if not (undone(o) and any(o is u for u in upgrade))]


def _own_state(before: list[Operation], key: tuple[str, str]) -> ColumnState:
    """What the steps `before` leave the column as."""
    own = ColumnState()
    for _, stepped, state in column_steps(before):
        if stepped == key:
            own = own.then(state)
    return own


def renamed_to(before: list[Operation], key: tuple[str, str]) -> Operation | None:
    """The latest alter_column of `before` that renames a column of the table to `key`'s."""
    table, column = key
    return next(
        (
            o
            for o in reversed(before)
            if o.name == "alter_column"
            and (o.table or "").lower() == table
            and (o.string("new_column_name") or "").lower() == column
            and (o.string("column_name") or "").lower() != column
        ),
        None,
    )


def key_left_behind(
    facts: Facts, options: LintOptions, table: str, dropped: str, added: str
) -> bool:
    """Whether the dropped column was part of a unique key (made by an earlier revision) and
    the upgrade puts no unique key on the added column: a rename keeps what the column is for,
    and a key column's successor that no key covers is a different design (whose lost values
    L305 reports), not the same column under a new name."""
    column = dropped.lower()
    if not any(column in key for key in options.unique_keys(table)):
        return False
    new_keys = table_keys(facts.module).get(table.lower(), set())
    return not any(added.lower() in key for key in new_keys)


def computed_column(
    facts: Facts, options: LintOptions, table: str | None, column: str | None
) -> bool:
    """Whether a dropped column is a generated one (`sa.Computed`, virtual or stored): the
    revisions before this one left it so, or this revision's downgrade adds it back so."""
    if table is None or column is None:
        return False
    if options.state_before(table, column).computed is True:
        return True
    downgrade = facts.module.downgrade
    restores = downgrade.operations if downgrade is not None else ()
    if any(
        op.name == "add_column"
        and op.table == table
        and any(spec.name == column and spec.computed for spec in op.columns)
        for op in restores
    ):
        return True
    # the downgrade adds it back by raw SQL as `... GENERATED ALWAYS AS (...)`
    key = (table.lower(), column.lower())
    return any(step == key and state.computed for _, step, state in raw_column_steps(restores))


# words a column name shares with many others: no sign of one column renamed into another
_GENERIC_WORDS = frozenset({"id", "code", "key", "ref", "uuid", "fk", "pk", "name", "no", "num"})


def _words(name: str) -> set[str]:
    """The words of a column name (`jwtEndpoint`, `jwt_endpoint` -> {"jwt", "endpoint"}),
    generic ones left out."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return {w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w} - _GENERIC_WORDS


def name_words(table: str, column: str) -> set[str]:
    """The words of a column's name that may tell it from another column of the table: the
    generic ones and the table's own name (`fileCreatedBy`, `fileStampId` on `file` share only
    the prefix every column of the table carries, round 41) left out."""
    return _words(column) - _words(table)


def replaced_by_reference(facts: Facts, table: str, dropped: str, added: str) -> bool:
    """Whether the added column is a new reference that replaces a plain value of another
    meaning (a URL dropped, a foreign-key code added): the upgrade makes the added column a
    foreign key on its own, the downgrade restores the dropped one with none, and the two names
    share no word (`id`, `code`, `key` aside). A rename keeps what the column stands for; a
    column that gains a key to another table and shares nothing with the old one's name is a
    redesign, whose lost values L305 reports. `country` -> `country_code` shares a word and
    may be the same codes renamed: still L306's; the table's own name is no shared word."""
    before, after = name_words(table, dropped), name_words(table, added)
    if not before or not after or before & after:
        return False  # a word shared (or nothing but generic words to compare)
    lowered, name, old = table.lower(), added.lower(), dropped.lower()
    referenced = any(
        (op.table or "").lower() == lowered
        and (
            (
                op.name == "create_foreign_key"
                and [c.lower() for c in string_list(op.param("local_cols")) or ()] == [name]
            )
            or (
                op.name == "add_column"
                and any(c.name and c.name.lower() == name and c.foreign_keys for c in op.columns)
            )
        )
        for op in facts.upgrade_ops
    )
    downgrade = facts.module.downgrade
    if not referenced or downgrade is None:
        return False
    restored = [
        spec
        for op in downgrade.operations
        if op.name == "add_column" and (op.table or "").lower() == lowered
        for spec in op.columns
        if spec.name and spec.name.lower() == old
    ]
    keyed_again = any(
        op.name == "create_foreign_key"
        and (op.table or "").lower() == lowered
        and old in [c.lower() for c in string_list(op.param("local_cols")) or ()]
        for op in downgrade.operations
    )
    return bool(restored) and not keyed_again and not any(s.foreign_keys for s in restored)


def type_before(facts: Facts, options: LintOptions, op: Operation) -> TypeSpec | None:
    """The type the column an upgrade alter_column changes the type of has just before it: the
    revisions before this one (lint.history), then this upgrade's own steps before it (a raw
    `CHANGE id id int(11)` first). None for any other operation, and when no step gave the
    column a type lint reads (one lookup per type change, nothing more)."""
    if op.param("type_") is None:
        return None
    state = _state_before_alter(facts, options, op)
    known = state.column_type if state is not None else None
    return known if known is not None and known.family else None  # not UNKNOWN_TYPE


def type_stated_before(facts: Facts, options: LintOptions, op: Operation) -> TypeSpec | None:
    """The type an earlier alter_column's existing_type= said the column has, when no step
    gave it a type since (lint.column_steps.ColumnState.stated_type), in the order type_before
    reads; None else."""
    if op.param("type_") is None:
        return None
    state = _state_before_alter(facts, options, op)
    return state.stated_type if state is not None else None


def auto_increment_before(facts: Facts, options: LintOptions, op: Operation) -> bool | None:
    """Whether the column an upgrade alter_column makes AUTO_INCREMENT already is just before
    it (created as the table's integer primary key, say), in the order type_before reads."""
    state = _state_before_alter(facts, options, op)
    return state.auto_increment if state is not None else None


def restated_key_auto_increment(facts: Facts, op: Operation) -> bool:
    """Whether an upgrade alter_column's autoincrement=True restates the AUTO_INCREMENT of a
    table's integer key rather than adds it, for a column the history states nothing of
    (round r40: tables a `create_all` made before the first revision). The alter rewrites
    the column (a rename, or a type change: MySQL's CHANGE/MODIFY carries the whole
    definition, and Alembic writes AUTO_INCREMENT only when told), so keeping an
    AUTO_INCREMENT key's attribute takes exactly this keyword; and the column is that key by
    what the revision says: existing_type an integer, and `primary_key=True` in the alter,
    or either name `id` or the table's own `<table>_id` (`tDataset.dataset_id` -> `id`). SQLAlchemy
    makes a table's lone integer primary key AUTO_INCREMENT, so such a rename is no copy. A
    plain `alter_column(t, "id", autoincrement=True)` (no rename, no type) only adds the
    attribute, and a history that shows the column not AUTO_INCREMENT overrides this (the
    caller asks only when it shows nothing)."""
    if not modifying_alter(op) or literal_bool(op.param("autoincrement")) is not True:
        return False
    existing = type_spec(op.param("existing_type"), facts.names)
    if existing is None or existing.family != INTEGER:
        return False
    if literal_bool(op.param("primary_key")) is True:
        return True
    names = [op.string("column_name"), op.string("new_column_name")]
    return any(name is not None and names_own_key(name, op.table or "") for name in names)


def names_own_key(column: str, table: str) -> bool:
    """Whether a column name is the table's own key by convention: `id`, or `<table>_id` /
    `<table>Id` under the table's singular, after any prefix of it (`tDataset` keyed
    `dataset_id`, `app_users` keyed `user_id`)."""
    lowered = column.lower()
    if lowered == "id":
        return True
    match = _OWN_KEY.fullmatch(column)
    if match is None or not table:
        return False
    stem = re.sub(r"[^a-z0-9]", "", match.group("stem").lower())
    flat = re.sub(r"[^a-z0-9]", "", table.lower())
    singulars = {flat, flat[:-1] if flat.endswith("s") else flat}
    if flat.endswith("ies"):
        singulars.add(flat[:-3] + "y")
    return bool(stem) and any(form.endswith(stem) for form in singulars)


# `dataset_id`, `datasetId`, `datasetID`: the stem and the key suffix
_OWN_KEY = re.compile(r"(?P<stem>.*?[A-Za-z0-9])(?:_id|_ID|(?<=[a-z0-9])Id|(?<=[a-z0-9])ID)")


def _state_before_alter(facts: Facts, options: LintOptions, op: Operation) -> ColumnState | None:
    column = op.string("column_name")
    if op.name != "alter_column" or not op.table or not column:
        return None
    key = (op.table.lower(), column.lower())
    state = options.state_before(op.table, column)
    for seq, step in _own_steps(facts).get(key, ()):
        if seq < op.seq:
            state = state.then(step)
    return state


def _own_steps(facts: Facts) -> dict[tuple[str, str], list[tuple[int, ColumnState]]]:
    """(table, column) -> the upgrade's column steps (lint.history), read once per revision."""
    known = facts.memo.get("own_column_steps")
    if isinstance(known, dict):
        return known
    found: dict[tuple[str, str], list[tuple[int, ColumnState]]] = {}
    for seq, key, state in column_steps(facts.upgrade_ops, facts.names):
        found.setdefault(key, []).append((seq, state))
    facts.memo["own_column_steps"] = found
    return found


def type_at(
    facts: Facts, options: LintOptions, table: str, column: str, seq: int
) -> TypeSpec | None:
    """The type the column has just before upgrade step `seq`, in the order type_before reads
    (the revisions before this one, then this upgrade's steps before it); None when no step gave
    it a type lint reads, or a later one gave it a type lint cannot read or dropped it."""
    state = options.state_before(table, column)
    for step, stated in _own_steps(facts).get((table.lower(), column.lower()), ()):
        if step < seq:
            state = state.then(stated)
    known = state.column_type
    return known if known is not None and known.family else None
