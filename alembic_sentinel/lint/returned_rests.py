"""The code after an early return the history answers (issue 20, round r40).

`if <schema test>: return` followed by code (agena's `if result.scalar(): return` after an
information_schema query for organizations.slug): the code after it runs only when the test
says the object is not there, exactly as the `else` branch of `if <test>: ...` would. The
reader reads it as running (what a database without the object gets) and keeps it apart
(FunctionBody.returned_rests). Here, once the history is known: when the code makes an object
the history already has just before this revision (an add_column of a column an earlier
revision made and nothing dropped since, a create of a table or of a named index or key the
table holds) and the test names that object, the test is true on a database built from the
history and the code never runs there. Its operations are then read as under an undecided
`if` naming what the test names (FunctionBody.conditional and guards), so every rule that reads
guards sees the same thing as for `if not <test>: <code>`: a fallback (L319), no duplicate name
(L336), no invented name or table copy (L311, L314).

When the history does not have the object (a table this very revision creates after `if table
exists: return`), the code runs, and stays read as unconditional: a clash inside it is one.

Pure: the revision's model and the history before it.
"""

from __future__ import annotations

from types import MappingProxyType

from alembic_sentinel.lint.facts import Facts, LintOptions
from alembic_sentinel.lint.fallback_adds import made_before
from alembic_sentinel.lint.name_clashes import exists_before
from alembic_sentinel.lint.name_events import CHECK, FOREIGN_KEY, INDEX
from alembic_sentinel.lint.revision_model import UPGRADE, FunctionBody, Operation, RevisionModule
from alembic_sentinel.lint.table_presence import CREATED

# the named creates a rest may make, and the name space each takes its name in
_NAMED_CREATES = {
    "create_index": ("index_name", INDEX),
    "create_unique_constraint": ("constraint_name", INDEX),
    "create_check_constraint": ("constraint_name", CHECK),
    "create_foreign_key": ("constraint_name", FOREIGN_KEY),
}


def answered_returns(module: RevisionModule, options: LintOptions) -> RevisionModule:
    """The module with the operations of each early-returned rest the history answers (the
    module's docstring) made conditional and guarded; the module itself when there is none."""
    upgrade = module.upgrade
    if upgrade is None or not upgrade.returned_rests:
        return module
    facts = Facts(module)
    dead: dict[int, str] = {}
    for words, seqs in upgrade.returned_rests:
        rest = [op for op in upgrade.operations if op.seq in seqs]
        if any(_already_there(facts, options, op, words) for op in rest):
            dead.update(dict.fromkeys(seqs, words))
    if not dead:
        return module
    guards = dict(upgrade.guards)
    for seq, words in dead.items():
        guards[seq] = guards.get(seq, frozenset()) | {words}
    body: FunctionBody = upgrade._replace(
        conditional=upgrade.conditional | frozenset(dead), guards=MappingProxyType(guards)
    )
    return module._replace(functions=MappingProxyType({**module.functions, UPGRADE: body}))


def _already_there(facts: Facts, options: LintOptions, op: Operation, words: str) -> bool:
    """Whether `op` makes what the history has just before it, and the test names it."""
    if not op.table:
        return False
    table = op.table.lower()
    if op.name == "add_column":
        names = [c.name.lower() for c in op.columns if c.name]
        return (
            bool(names)
            and len(names) == len(op.columns)
            and all(name in words and made_before(options, table, name) for name in names)
        )
    if op.name == "create_table":
        there = options.table_state(op.table) == CREATED or options.table_present(op.table)
        return there and table in words
    known = _NAMED_CREATES.get(op.name)
    name = (op.string(known[0]) or "").lower() if known is not None else ""
    if known is None or not name or name not in words:
        return False
    return exists_before(facts, options, known[1], table, name, op.seq) is True
