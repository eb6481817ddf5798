"""Rules about how the revision is written: constraint names, what it imports and runs, downgrade.

L310 a drop of a constraint or index by name None, L311 a constraint left for MySQL to name,
L315 an op call at import time, L316 an import of the application's own code, L326 an inline
REFERENCES in raw SQL that MySQL ignores, L327 a dropped foreign key, L328 a rename running code
reads (the upgrade/downgrade pair is downgrade_rules'). Each rule is a `Check` over lint.facts'
`Facts`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from alembic_sentinel.lint.application_code import adds_nothing
from alembic_sentinel.lint.facts import (
    SQL_TABLE,
    Facts,
    Hit,
    LintOptions,
    column_label,
    object_name,
    op_hit,
    table_of,
)
from alembic_sentinel.lint.fallback_adds import guarded_noop
from alembic_sentinel.lint.foreign_key_types import refused_link
from alembic_sentinel.lint.lazy_patterns import LazyPattern
from alembic_sentinel.lint.literals import is_none, string_list
from alembic_sentinel.lint.named_keys import name_after
from alembic_sentinel.lint.revision_model import ImportRef, Operation
from alembic_sentinel.lint.table_swaps import (
    name_taken_back,
    renamed_aside,
    renames_a_new_table,
)

# the operations that create a constraint (L311 names them; downgrade_rules pairs them)
CONSTRAINT_CREATES = frozenset(
    {
        "create_unique_constraint",
        "create_foreign_key",
        "create_check_constraint",
        "create_primary_key",
    }
)


# L310, L311

# the type_ values Alembic's drop_constraint accepts (schemaobj.generic_constraint; any other
# string, `"primarykey"` or `"PRIMARY"`, raises TypeError: "'type' can be one of ...")
_CONSTRAINT_TYPES = frozenset({"check", "foreignkey", "primary", "unique"})


def drop_unnamed_constraint(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    # also such a call after another in a `try` body: it never runs, and is as wrong
    functions = (facts.module.upgrade, facts.module.downgrade)
    unreached = [op for body in functions if body is not None for op in body.unreached_operations]
    for op in sorted((*facts.all_ops, *unreached), key=lambda o: o.line):
        if op.name == "drop_constraint" and is_none(op.param("constraint_name")):
            kind = op.string("type_")
            if kind is not None and kind not in _CONSTRAINT_TYPES:
                # Alembic looks the type up before the name: its TypeError is the failure
                yield op_hit(
                    "L310",
                    op,
                    f"drop_constraint(None) on {table_of(op)} can never run: type_={kind!r} "
                    "is no constraint type Alembic knows ('check', 'foreignkey', 'primary', "
                    "'unique'): it raises TypeError before any SQL",
                    fix="pass one of those types, and the constraint's real name (SHOW CREATE "
                    "TABLE; MySQL's type_='primary' needs none)",
                )
            elif kind == "primary" and options.target.is_mysql:
                continue  # MySQL's DROP PRIMARY KEY names no constraint: Alembic writes it
            else:
                yield op_hit(
                    "L310",
                    op,
                    f"drop_constraint(None) on {table_of(op)} can never run: the constraint "
                    "needs its name",
                )
        elif op.name == "drop_index" and is_none(op.param("index_name")):
            yield op_hit(
                "L310",
                op,
                f"drop_index(None) on {table_of(op)} can never run: it needs a name",
            )


def unnamed_constraint(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    if options.naming_convention:
        return
    # without metadata lint cannot tell whether the MetaData names constraints: it says so
    unless = (
        "unless the MetaData has a naming_convention, " if options.naming_convention is None else ""
    )
    # MySQL makes a name up; SQLite keeps none, so no later revision can drop it by name
    # (the batch mode that rebuilds the table needs the name to leave the constraint out)
    sqlite = options.target.flavor == "sqlite"
    nameless = "SQLite keeps it nameless, so a later revision cannot drop it by name"
    for op in facts.all_ops:
        table = op.table_label()
        if refused_link(facts, options, op):
            continue  # refused for its foreign key's types (L335): nothing is named
        if guarded_noop(facts, options, op):
            continue  # guarded, and the history already has what it makes: it never runs
        if op.name in CONSTRAINT_CREATES and op.name != "create_primary_key":
            if is_none(op.param("constraint_name")):
                columns = string_list(op.param("local_cols")) or string_list(op.param("columns"))
                yield op_hit(
                    "L311",
                    op,
                    f"{op.name}(None, ...) on {table}: {unless}"
                    f"{nameless if sqlite else 'MySQL invents the name'}",
                    subject=f"{_KIND_OF_CREATE[op.name]} {table}"
                    + (f" ({', '.join(columns)})" if columns else ""),
                )
            continue
        if op.name not in ("create_table", "add_column"):
            continue
        for constraint in op.constraints:
            if constraint.kind in ("foreign_key", "unique", "check") and not constraint.named:
                on = f" on ({', '.join(constraint.columns)})" if constraint.columns else ""
                kind = constraint.kind.replace("_", " ")
                yield op_hit(
                    "L311",
                    op,
                    f"{op.name} {table}: {kind} constraint{on} has no name: {unless}"
                    f"{nameless if sqlite else 'MySQL invents one'}",
                    subject=f"{kind} {table}{on.removeprefix(' on')}",
                )
        for column in op.columns:
            for fk in column.foreign_keys:
                if not fk.named:
                    invented = nameless if sqlite else f"MySQL names it {table}_ibfk_N"
                    yield op_hit(
                        "L311",
                        op,
                        f"{op.name} {table}: the foreign key of column {column.name} has "
                        f"no name: {unless}{invented}",
                        subject=f"foreign key {table}.{column.name}",
                    )


# the kind of constraint each create_* operation makes, as a grouped L311 lists it
_KIND_OF_CREATE = {
    "create_unique_constraint": "unique",
    "create_foreign_key": "foreign key",
    "create_check_constraint": "check",
}


# L315, L316


def module_level_op(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for call in facts.module.module_calls:
        if call.guarded_unused:
            continue  # its NameError swallowed, its result never used: nothing breaks
        yield Hit(
            "L315",
            f"{call.call}() runs at import time, outside any migration",
            call.line,
            call.end_line,
        )


def imports_app_models(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    if not options.local_packages:
        return
    environment = options.migration_package
    # an application module's imports, in order (`import app.models` then `from app.models
    # import *`, as a script.py.mako may write both): one dependency, one finding (round 43)
    imports_of: dict[str, list[ImportRef]] = {}
    for imported in facts.module.imports:
        if environment is not None and (
            imported.module == environment or imported.module.startswith(environment + ".")
        ):
            continue  # a helper module of the migration environment itself (`db_types.py`)
        if not _application_module(imported.module, options.local_packages):
            continue
        if _migration_toolkit(facts, imported.module) or _toolkit_submodules(facts, imported):
            continue  # the project's migration toolkit: it imports Alembic's `op` itself
        imports_of.setdefault(imported.module, []).append(imported)
    for module, imports in imports_of.items():
        if module in options.env_modules and all(
            _adds_nothing(facts, imported, options.env_modules) for imported in imports
        ):
            continue  # unused (or a metadata string) of a module loaded before it runs anyway
        first, others = imports[0], imports[1:]
        message = (
            f"imports {module}, the application's own code: this revision breaks when it changes"
        )
        if others:
            lines = [str(imported.line) for imported in others]
            where = f"line {lines[0]}" if len(lines) == 1 else f"lines {', '.join(lines)}"
            imports_word = "import" if len(others) == 1 else "imports"
            message += (
                f"; the same L316 for {len(others)} more {imports_word} of {module} in this "
                f"revision ({where})"
            )
        yield Hit("L316", message, first.line, first.end_line)


def _adds_nothing(facts: Facts, imported: ImportRef, env_modules: frozenset[str]) -> bool:
    """Whether the import loads nothing env.py does not and binds nothing the revision uses
    (application_code.adds_nothing); the file's syntax read once, only for such imports."""
    tree = facts.memo.get("L316 tree")
    if tree is None:
        source = facts.source
        if source is None:
            return False  # the text is not at hand: the import stays reported
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            return False
        facts.memo["L316 tree"] = tree
    assert isinstance(tree, ast.Module)
    return adds_nothing(tree, imported.line, imported.module, env_modules)


def _application_module(module: str, local: frozenset[str]) -> bool:
    """Whether the module is (in) one of the application's packages: a top-level name, or a
    dotted module of a migration-only package that imports the application (application_code)."""
    parts = module.split(".")
    return any(".".join(parts[: n + 1]) in local for n in range(len(parts)))


# a package or module named for migrations (`app.storage.migration.utils`, `app.db.alembic_ops`)
_MIGRATION_PART = LazyPattern(r"(?:^|_)(?:migrations?|migrate|alembic)(?:_|$)", re.IGNORECASE)


def _migration_toolkit(facts: Facts, module: str) -> bool:
    """Whether the project module is written for the revisions: named for migrations (a part
    of its dotted name) and importing Alembic's `op` at module level, which only works while a
    migration runs. An application module that also imports `op` (`app.db.utils` with one
    migration helper among its retry decorators) is still the application's code."""
    project = facts.module.project
    if project is None or not any(_MIGRATION_PART.search(p) for p in module.split(".")[1:]):
        return False
    return project.written_for_migrations(module)


def _toolkit_submodules(facts: Facts, imported: ImportRef) -> bool:
    """Whether `from package import a, b` takes only submodules that are the migrations'
    toolkit (`from app.lib import alembic_helper`, app/lib/alembic_helper.py importing `op`):
    the package itself (a PEP 420 namespace package without `__init__.py`, or one whose
    `__init__` is empty) is not what the revision uses."""
    return bool(imported.names) and all(
        name != "*" and _migration_toolkit(facts, f"{imported.module}.{name}")
        for name in imported.names
    )


# L326


def inline_references(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    if options.target.flavor == "mariadb":
        return  # MariaDB creates the foreign key (checked on 10.11)
    for body in (facts.module.upgrade, facts.module.downgrade):
        for fill in body.fills if body is not None else ():
            for statement in fill.statements:
                columns = [a.name or "(a column)" for a in statement.actions if a.inline_references]
                if statement.inline_references:
                    columns.append("a column")
                if columns:
                    yield Hit(
                        "L326",
                        f"raw SQL on {statement.table or SQL_TABLE}: the REFERENCES clause of "
                        f"{', '.join(columns)} is parsed and ignored by {options.target}: no "
                        "foreign key is created",
                        fill.line,
                        fill.end_line,
                    )


# L327, L328


def drop_foreign_key(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    recreated = {op.table for op in facts.upgrade_ops if _creates_foreign_key(op)}
    # the same tables lowercase, to meet a dropped key's table under the name a later
    # rename_table of the upgrade gives it (the key recreated on the renamed table; round r28)
    recreated_lower = {(table or "").lower() for table in recreated}
    table_moves = [op for op in facts.upgrade_ops if op.name == "rename_table"]
    dropped_tables = {op.table for op in facts.upgrade_ops if op.name == "drop_table"}
    for op in facts.upgrade_ops:
        if op.name != "drop_constraint" or op.string("type_") != "foreignkey":
            continue
        upgrade = facts.module.upgrade
        if upgrade is not None and op.seq in upgrade.swallowed:
            continue  # it fails in a `try` whose handler goes on: no key is ever dropped
        if op.table in recreated or op.table in dropped_tables:
            continue  # recreated around another change, or its table goes too
        moved = name_after(table_moves, (op.table or "").lower(), op.seq) if table_moves else ""
        if moved and moved != (op.table or "").lower() and moved in recreated_lower:
            continue  # recreated on the table under the name the upgrade renames it to
        if _dropped_for_its_column(facts, op):
            continue  # its column goes next: the key's loss is the column's (L305)
        yield op_hit(
            "L327",
            op,
            f"upgrade drops foreign key {object_name(op, 'constraint_name')} on "
            f"{table_of(op)}: the server stops checking that its rows point at existing ones",
        )


def _creates_foreign_key(op: Operation) -> bool:
    """Whether the operation creates a foreign key on its table: create_foreign_key, and a
    `sa.ForeignKey` in an added column or a ForeignKey / ForeignKeyConstraint in create_table
    (Alembic writes the key with the column or the table, round 28: the keys of a column
    replaced by a new reference column)."""
    if op.name == "create_foreign_key":
        return True
    if op.name not in ("add_column", "create_table"):
        return False
    return any(column.foreign_keys for column in op.columns) or any(
        constraint.kind == "foreign_key" for constraint in op.constraints
    )


def _key_columns(facts: Facts, drop: Operation) -> tuple[str, ...] | None:
    """The columns of the foreign key a drop_constraint removes, as the downgrade's
    create_foreign_key of the same name lists them; for a name MySQL invents (`<table>_ibfk_N`,
    the key declared without one), the columns the downgrade adds back to the table with an
    unnamed foreign key (round 22); None when the downgrade does not say."""
    name = drop.string("constraint_name")
    downgrade = facts.module.downgrade
    for op in downgrade.operations if downgrade is not None and name else ():
        if op.name == "create_foreign_key" and op.string("constraint_name") == name:
            return string_list(op.param("local_cols"))
    if downgrade is None or not name or not drop.table:
        return None
    # the downgrade adds the column back with the key declared on it under the same name
    # (`sa.Column("x_id", sa.ForeignKey("x.id", name="..."))`; round r28)
    wanted = name.lower()
    inline = tuple(
        column.name
        for op in downgrade.operations
        if op.name == "add_column" and op.table == drop.table
        for column in op.columns
        if column.name and any((fk.name or "").lower() == wanted for fk in column.foreign_keys)
    )
    if inline:
        return inline
    if not re.fullmatch(rf"{re.escape(drop.table)}_ibfk_\d+", name, re.IGNORECASE):
        return None
    added = tuple(
        column.name
        for op in downgrade.operations
        if op.name == "add_column" and op.table == drop.table
        for column in op.columns
        if column.name and any(not fk.name for fk in column.foreign_keys)
    )
    return added or None


def _dropped_for_its_column(facts: Facts, drop: Operation) -> bool:
    """Whether the upgrade drops the key's own column(s) from the table after the key: the key
    goes only so that the column can (MySQL refuses to drop a column a foreign key uses). The
    key's columns are the downgrade's create_foreign_key's, else the dropped column whose name
    is a whole `_`-separated part of the key's name (`fk_run_context_id_context`,
    `run_context_id_fkey`); a key named otherwise (`run_ibfk_1`) is still reported, unless
    the downgrade adds the dropped column back with an unnamed key (_key_columns)."""
    later = {
        (o.string("column_name") or "").lower()
        for o in facts.upgrade_ops
        if o.name == "drop_column" and o.table == drop.table and o.seq > drop.seq
    } - {""}
    if not later:
        return False
    if drop.string("constraint_name") is None:
        return _column_dropped_next(facts, drop)
    columns = _key_columns(facts, drop)
    if columns:
        return all(c.lower() in later for c in columns)
    name = (drop.string("constraint_name") or "").lower()
    return any(re.search(rf"(?:^|_){re.escape(c)}(?:_|$)", name) for c in later)


def _column_dropped_next(facts: Facts, drop: Operation) -> bool:
    """A key whose name lint cannot read (found at run time: `insp.get_foreign_keys`, a
    project function, a variable; or None) dropped right before a column of its table: the next
    change to the table, past other such key drops, is a drop_column. MySQL refuses to drop a
    column a foreign key uses, which is why a revision drops the key first (round 14)."""
    for other in facts.upgrade_ops:
        if other.seq <= drop.seq or other.table != drop.table:
            continue
        if (
            other.name == "drop_constraint"
            and other.string("type_") == "foreignkey"
            and other.string("constraint_name") is None
        ):
            continue  # the column's other keys, dropped first too
        return other.name == "drop_column"
    return False


def _takes_a_dropped_name(facts: Facts, rename: Operation) -> bool:
    """Whether the alter_column renames a column to the name of one this upgrade dropped from
    the table before it (a column replaced through a new one, data_rules' L305 exemption)."""
    new = rename.string("new_column_name")
    return new is not None and any(
        o.name == "drop_column"
        and o.table == rename.table
        and o.seq < rename.seq
        and o.string("column_name") == new
        for o in facts.upgrade_ops
    )


def _renamed_out_of_the_way(facts: Facts, rename: Operation) -> bool:
    """Whether an alter_column renaming `c` to `c_old` only moves the column out of the way of
    its replacement: later in the upgrade a column this upgrade added to the table is renamed
    into `c`, and `c_old` is dropped (the column form of table_swaps.name_taken_back; a kept
    `c_old` leaves the rename behind). Running code finds a column under the old name once the
    upgrade is done."""
    old, aside = rename.string("column_name"), rename.string("new_column_name")
    if not old or not aside or rename.table is None:
        return False
    later = [o for o in facts.upgrade_ops if o.seq > rename.seq and o.table == rename.table]
    taken_back = any(
        o.name == "alter_column"
        and (o.string("new_column_name") or "").lower() == old.lower()
        and _added_before(facts, o)
        for o in later
    )
    dropped = any(
        o.name == "drop_column" and (o.string("column_name") or "").lower() == aside.lower()
        for o in later
    )
    return taken_back and dropped


def _added_before(facts: Facts, rename: Operation) -> bool:
    """Whether the column an alter_column renames was added by this upgrade before it."""
    added = facts.added.get((rename.table, rename.string("column_name")))
    return added is not None and added[0].seq < rename.seq


def rename_breaks_running_code(facts: Facts, options: LintOptions) -> Iterator[Hit]:
    for op in facts.upgrade_ops:
        if op.name == "rename_table":
            old, new = (
                op.table_label(),
                op.string("new_table_name") or "(a name in a variable)",
            )
        elif op.name == "alter_column" and op.string("new_column_name"):
            old = column_label(op, op.string("column_name"))
            new = op.string("new_column_name") or "(a name in a variable)"
        else:
            continue
        if op.name == "alter_column" and facts.added.get((op.table, op.string("column_name"))):
            # added before the rename: no running code reads it yet; added after it (the old
            # name given to a replacement): running code still finds a column of that name
            continue
        if op.name == "alter_column" and _takes_a_dropped_name(facts, op):
            continue  # a replacement takes the dropped column's name: running code reads it
        if op.name == "alter_column" and _renamed_out_of_the_way(facts, op):
            continue  # a column this upgrade added takes the old name back
        if op.name == "alter_column" and facts.created_before(op.table, op.seq):
            continue  # a column of a table this upgrade made (a copy's scratch table): no
            # running code reads it
        if op.name == "rename_table" and renames_a_new_table(facts, op):
            continue  # the name it takes away was made by this upgrade: no running code reads it
        if op.name == "rename_table" and renamed_aside(facts.upgrade_ops, op):
            continue  # moved aside for a rebuild: the upgrade creates the old name again
        if op.name == "rename_table" and name_taken_back(facts, op):
            continue  # swapped out: a table this upgrade made takes the old name back
        yield op_hit(
            "L328",
            op,
            f"{op.name} renames {old} to {new}: the application version still running during "
            "the deploy reads the old name and fails until the new code is out",
        )
