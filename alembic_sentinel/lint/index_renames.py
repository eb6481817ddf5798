"""An index renamed aside in raw SQL for a rebuild: `ALTER INDEX ix RENAME TO ix_old`
(PostgreSQL) or `ALTER TABLE t RENAME INDEX ix TO ix_old` (MySQL), then the new `ix` created and
`ix_old` dropped. The drop removes the index that was `ix` when the function began.

So an upgrade's drop of `ix_old` is undone by a downgrade creating `ix` again, and a downgrade
that renames `ix` aside and drops it undoes the upgrade's create_index of `ix` (L319).

The other way round, an index created under a temporary name and renamed into place after the
old one is dropped (`create_index ix_new`, `drop_index ix`, `RENAME INDEX ix_new TO ix`): the
function leaves `ix`, so the create is undone by a drop of `ix`, and a downgrade building the
old index the same way creates `ix` (round 33).
"""

from __future__ import annotations

from alembic_sentinel.lint.revision_model import FunctionBody

# the undo key of a drop of the index a function found under a name when it began, renamed
# aside since: it undoes another function's create_index of that name
DROPPED_AT_START = "drop_index_at_start"


def at_start(index: str) -> tuple[str, str]:
    """The undo key a create_index of `index` is undone by, besides its direct drop."""
    return (DROPPED_AT_START, index)


def index_renames(body: FunctionBody) -> list[tuple[int, str, str]]:
    """(seq, old name, new name) of each index the function renames in its raw SQL, lowercase."""
    return [
        (fill.seq, action.name, action.new_name)
        for fill in body.fills
        for statement in fill.statements
        for action in statement.actions
        if action.kind == "rename_index" and action.name and action.new_name
    ]


def name_at_start(renames: list[tuple[int, str, str]], name: str, seq: int) -> str:
    """The name the index called `name` at position `seq` had when the function began (the
    renames before `seq` followed back, latest first); `name` lowercase when none renamed it."""
    current = name.lower()
    for at, old, new in sorted(renames, reverse=True):
        if at < seq and new == current:
            current = old
    return current


def name_at_end(renames: list[tuple[int, str, str]], name: str, seq: int) -> str:
    """The name the index called `name` at position `seq` has when the function ends (the
    renames after `seq` followed forward, earliest first); `name` lowercase when none renames
    it."""
    current = name.lower()
    for at, old, new in sorted(renames):
        if at > seq and old == current:
            current = new
    return current
