"""Steps lint cannot read (issue 20, round 22; lint/opaque_steps.py): a warning that says a copy,
a fill or an inverse is missing (L304, L305, L306, L309, L319) is not raised when the revision
holds a step lint could not read that may be that piece, on the same table or on one lint cannot
name; it still is when the step clearly touches other tables, can only make another kind of
change, or comes too late. Every kind of step, for every rule. Revisions of our own writing."""

from __future__ import annotations

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.lint.revision_reader import read_revision_module
from alembic_sentinel.report.model import Finding

HEADER = """
from parcels.upkeep import carry_rows, Mover, notify
from parcels.upkeep import QUEUED_SQL
from alembic.operations import ops
"""


def lint(upgrade: str, downgrade: str = "pass", header: str = HEADER) -> list[Finding]:
    source = revision(upgrade, downgrade, header=header)
    options = LintOptions(target=parse_server_version("mysql-8.0"))
    return lint_source(source, "versions/1234abcd5678_test.py", options).findings


def codes(upgrade: str, downgrade: str = "pass", header: str = HEADER) -> list[str]:
    return [f.code for f in lint(upgrade, downgrade, header)]


# --- the steps, as the reader records them ---------------------------------------------------


def steps(body: str, header: str = HEADER) -> list[tuple[str, object, object]]:
    module = read_revision_module(revision(body, header=header), "x.py")
    found = module.upgrade.opaque_steps if module.upgrade else ()
    return [
        (
            s.kind,
            None if s.tables is None else sorted(s.tables),
            None if s.effects is None else sorted(s.effects),
        )
        for s in found
    ]


LOAD = ["c", "crate", "csv", "data", "infile", "into", "load", "table"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a function imported from a module lint cannot read, given a table's name
        ('carry_rows(op, "crate")', [("call", ["crate"], None)]),
        # given nothing it can read: any table
        ("carry_rows(op, pick())", [("call", None, None)]),
        # a method of what such a call returned
        (
            'mover = Mover(op)\nmover.run("crate")',
            [("call", None, None), ("call", ["crate"], None)],
        ),
        # a callback bound at run time
        ("handler = HANDLERS[kind]\nhandler()", [("call", None, None)]),
        # named for one kind of change: only that kind
        ('drop_crate_columns("crate")', [("call", ["crate"], ["drop_column"])]),
        # SQL lint cannot see, SQL of a kind it does not know, a procedure
        ("op.execute(QUEUED_SQL)", [("sql", None, None)]),
        ("op.execute(\"LOAD DATA INFILE 'c.csv' INTO TABLE crate\")", [("sql", LOAD, None)]),
        ('op.execute("CALL sort_crates()")', [("sql", None, None)]),
        # a template: its writes, which the fill does not keep, on its table's pattern
        (
            'op.execute(f"UPDATE {prefix}crate SET label = {label()}")',
            [("sql", ["~[\\w.]*crate"], ["write_rows"])],
        ),
        # rows written by setattr on objects lint cannot name
        ('for obj in objects:\n    setattr(obj, "label", "x")', [("rows", None, None)]),
        # op.invoke / op.run_async
        ('op.invoke(ops.DropTableOp("crate"))', [("alembic", ["crate"], ["drop_table"])]),
        ("op.run_async(copy_rows_async)", [("alembic", None, None)]),
        # an operation whose object is named at run time, on a known table
        (
            'for name in columns_of("crate"):\n    op.drop_column("crate", name)',
            [("operation", ["crate"], ["drop_column"])],
        ),
    ],
)
def test_the_reader_records_what_it_cannot_read(body: str, expected: list[object]) -> None:
    assert steps(body) == expected


def test_objects_made_at_module_level_are_told_apart() -> None:
    header = HEADER + "Session = sa.orm.sessionmaker()\nMOVER = Mover()\n"
    # a library's object: its methods read or configure
    assert steps("Session.configure(bind=op.get_bind())", header) == []
    # an object a project's class made: its methods may do anything
    assert steps('MOVER.run("crate")', header) == [("call", ["crate"], None)]


@pytest.mark.parametrize(
    "body",
    [
        'print("moving crates")',  # a builtin
        'logging.getLogger("x").info("moving")',  # a library's
        'if has_column(op.get_bind(), "crate", "label"):\n    pass',  # a question asked
        'cols = get_columns(op.get_bind(), "crate")',  # named as a read
        "session = sa.orm.Session(bind=op.get_bind())\nsession.close()",  # a session opened
        'op.execute("UPDATE crate SET label = upper(label)")',  # SQL read whole
        'op.execute("ANALYZE TABLE crate")',  # upkeep: no table changed
        'op.execute("CREATE VIEW crate_v AS SELECT * FROM crate")',  # a view, no table
        'op.execute(sa.text("UPDATE {} SET label = 1".format(TABLE)))',  # a template read
        'op.execute(CreateSequence(Sequence("crate_seq")))',  # a construct of no table
        'op.drop_column("crate", "label")',  # fully named
    ],
)
def test_what_lint_reads_or_cannot_change_a_table_is_no_step(body: str) -> None:
    header = HEADER + "import logging\nfrom sqlalchemy.schema import CreateSequence, Sequence\n"
    header += 'TABLE = "crate"\n'
    assert steps(body, header) == []


# --- L304 / L305 / L306: a copy that may be there ----------------------------------------------

# the copy lint cannot read, each kind, on the dropped table or a table it cannot name
COPIES = {
    "imported call": 'carry_rows(op, "crate", "crate_archive")',
    "call given nothing readable": "carry_rows(op, pick())",
    "method of its result": 'Mover(op).run("crate")',
    "sql in a constant of another module": "op.execute(QUEUED_SQL)",
    "procedure": 'op.execute("CALL archive_crates()")',
    "template of unknown verb": 'op.execute(f"{verb} INTO crate_archive SELECT * FROM crate")',
    "connection given a run-time statement": "op.get_bind().execute(sa.text(build()))",
    "op.invoke": "op.invoke(copy_op)",
    "op.invoke of an operation lint reads": "op.invoke(ops.ExecuteSQLOp(QUEUED_SQL))",
    "op.run_async": "op.run_async(copy_rows_async)",
}


@pytest.mark.parametrize("copy", COPIES.values(), ids=list(COPIES))
def test_a_step_lint_cannot_read_may_copy_the_rows_first(copy: str) -> None:
    assert "L304" not in codes(copy + '\nop.drop_table("crate")')
    assert "L305" not in codes(copy + '\nop.drop_column("crate", "label")')


@pytest.mark.parametrize(
    "step",
    [
        # it names only another table
        'carry_rows(op, "ledger", "ledger_archive")',
        'op.execute("ANALYZE TABLE ledger")',
        'op.invoke(ops.DropTableOp("ledger"))',
        # it can only make another kind of change
        'for name in columns_of():\n    op.drop_index(name, table_name="crate")',
        'drop_crate_index("crate")',
        # messages only
        'notify("crates are moving")',
    ],
)
def test_a_step_about_other_tables_or_changes_copies_nothing(step: str) -> None:
    assert "L304" in codes(step + '\nop.drop_table("crate")')
    assert "L305" in codes(step + '\nop.drop_column("crate", "label")')


def test_a_step_after_the_drop_is_too_late() -> None:
    assert "L304" in codes('op.drop_table("crate")\ncarry_rows(op, "crate")')
    assert "L305" in codes('op.drop_column("crate", "label")\nop.execute(QUEUED_SQL)')


RENAME = """
op.add_column("crate", sa.Column("caption", sa.String(80), nullable=True))
{step}
op.drop_column("crate", "label")
"""
RESTORE = 'op.add_column("crate", sa.Column("label", sa.String(80), nullable=True))'


def test_a_step_between_the_add_and_the_drop_may_carry_the_values() -> None:
    assert "L306" in codes(RENAME.format(step=""), RESTORE)
    for copy in COPIES.values():
        assert "L306" not in codes(RENAME.format(step=copy), RESTORE)
    assert "L306" in codes(RENAME.format(step='carry_rows(op, "ledger")'), RESTORE)
    # before the add, no value can go into the new column yet
    before = 'carry_rows(op, "crate")\n' + RENAME.format(step="")
    assert "L306" in codes(before, RESTORE)


TABLE_RENAME = """
op.create_table("box", sa.Column("id", sa.Integer(), primary_key=True))
{step}
op.drop_table("crate")
"""


def test_a_step_between_the_create_and_the_drop_may_move_the_rows() -> None:
    assert "L306" in codes(TABLE_RENAME.format(step=""))
    assert "L306" not in codes(TABLE_RENAME.format(step='carry_rows(op, "crate", "box")'))
    assert "L306" not in codes(TABLE_RENAME.format(step="op.execute(QUEUED_SQL)"))
    assert "L306" in codes(TABLE_RENAME.format(step='carry_rows(op, "ledger")'))


# --- L309: duplicates a step lint cannot read may remove ---------------------------------------

KEY = 'op.create_unique_constraint("uq_crate_label", "crate", ["label"])'


def l309(upgrade: str) -> list[str]:
    return [f.severity for f in lint(upgrade) if f.code == "L309"]


@pytest.mark.parametrize(
    "step",
    [
        'carry_rows(op, "crate")',
        "op.execute(QUEUED_SQL)",
        'op.execute("CALL dedupe_crates()")',
        'op.execute(f"DELETE FROM {prefix}crate WHERE id IN ({ids()})")',
        'for obj in objects:\n    setattr(obj, "label", "x")',
    ],
)
def test_a_step_lint_cannot_read_before_the_key_leaves_a_notice(step: str) -> None:
    assert l309(step + "\n" + KEY) == ["notice"]


def test_a_write_lint_reads_before_the_key_is_still_a_warning() -> None:
    write = 'op.execute("UPDATE crate SET label = lower(label)")'
    assert l309(write + "\n" + KEY) == ["warning"]
    # a step on another table does not change that
    assert l309(write + '\ncarry_rows(op, "ledger")\n' + KEY) == ["warning"]


# --- L319: an inverse that may be there ----------------------------------------------------------

ADDS = 'op.add_column("crate", sa.Column("label", sa.String(80), nullable=True))'
INDEX = 'op.create_index("ix_crate_label", "crate", ["label"])'
FOREIGN_KEY = 'op.create_foreign_key("fk_crate_ledger", "crate", "ledger", ["ledger_id"], ["id"])'


def l319(upgrade: str, downgrade: str, header: str = HEADER) -> list[str]:
    return [f.message for f in lint(upgrade, downgrade, header) if f.code == "L319"]


# each inverse lint cannot read, for the add_column
INVERSES = {
    "imported call on the table": 'carry_rows(op, "crate")',
    "imported call given nothing readable": "carry_rows(op, pick())",
    "method of what a call returned": 'mover = Mover(op)\nmover.undo("crate")',
    "sql lint cannot see": "op.execute(QUEUED_SQL)",
    "sql of an unknown kind naming the table": 'op.execute("ALTER TABLE crate DISCARD label")',
    "template dropping a column": 'op.execute(f"ALTER TABLE {schema}crate DROP COLUMN label")',
    "op.invoke": 'op.invoke(ops.DropColumnOp("crate", "label"))',
    "op.run_async": "op.run_async(undo_async)",
    "a drop named at run time": 'for name in added():\n    op.drop_column("crate", name)',
    "a drop on a table named at run time": (
        'for table in tables():\n    op.drop_column(table, "label")'
    ),
    "a function named for the change": 'drop_crate_columns("crate", "label")',
    "a rebuild from a definition": 'with op.batch_alter_table("crate", recreate="always", '
    "copy_from=old_crate) as batch_op:\n    pass",
    "a metadata dropped whole": "meta = sa.MetaData()\nmeta.reflect(op.get_bind())\n"
    "meta.drop_all(op.get_bind())",
    "exec": "exec(UNDO)",
}


@pytest.mark.parametrize("inverse", INVERSES.values(), ids=list(INVERSES))
def test_a_downgrade_step_lint_cannot_read_may_be_the_inverse(inverse: str) -> None:
    upgrade = ADDS if "drop_all" not in inverse else 'op.create_table("crate", sa.Column("id"))'
    assert l319(upgrade, inverse) == []


@pytest.mark.parametrize(
    ("upgrade", "downgrade"),
    [
        # another table named
        (ADDS, 'carry_rows(op, "ledger")'),
        (ADDS, 'op.execute("ALTER TABLE ledger DISCARD label")'),
        (ADDS, 'op.invoke(ops.DropColumnOp("ledger", "label"))'),
        (
            ADDS,
            'with op.batch_alter_table("ledger", recreate="always", copy_from=t) as b:\n    pass',
        ),
        # another kind of change, another object
        (ADDS, 'for name in added():\n    op.drop_index(name, table_name="crate")'),
        (ADDS, 'for table in tables():\n    op.drop_column(table, "caption")'),
        (ADDS, 'add_crate_columns("crate")'),
        (FOREIGN_KEY, 'op.drop_constraint(found("crate"), "crate", type_="check")'),
        # dropped after the downgrade made the same index again: that one goes
        (INDEX, "op.create_index('ix_crate_label', 'crate', ['label'])\nop.drop_index(found())"),
        # only messages, a statement that runs nothing on a table, an enum's drop
        (ADDS, 'notify("the label stays")'),
        (ADDS, 'op.execute("SET foreign_key_checks = 0")'),
        (ADDS, "status_enum.drop(op.get_bind())"),
        # an operation Alembic does not define: a project's registered one or a mistake
        (ADDS, 'op.drop_crate_label("crate")'),
        # a column added without a name, a Column given for a name: wrong, not unread
        ('op.drop_column("crate", "label")', 'op.add_column("crate", sa.Column(sa.Text()))'),
        (ADDS, 'op.drop_column("crate", sa.Column("label", sa.Text()))'),
    ],
)
def test_a_downgrade_step_that_cannot_be_the_inverse_leaves_it_reported(
    upgrade: str, downgrade: str
) -> None:
    assert len(l319(upgrade, downgrade)) == 1


def test_a_downgrade_that_does_nothing_is_still_reported() -> None:
    # `pass`, or only a comment: no step at all (L318 says the downgrade is empty)
    assert "L318" in codes(ADDS, "pass")
    assert "L318" in codes(ADDS, "# TODO: write the downgrade\npass")


def test_a_key_dropped_by_a_name_found_at_run_time_may_be_the_upgrades() -> None:
    # the first foreign key reflection reports on the table: maybe the upgrade's
    downgrade = """
    names = [fk["name"] for fk in sa.inspect(op.get_bind()).get_foreign_keys("crate")]
    op.drop_constraint(names[0], "crate", type_="foreignkey")
    """
    assert l319(FOREIGN_KEY, downgrade) == []


# --- L317 / L318 / L319: functions Alembic runs that lint did not read -------------------------


@pytest.mark.parametrize(
    "binding",
    [
        "from parcels.upkeep import upgrade, downgrade",
        "upgrade = downgrade = make_steps()",
        "if FLAG:\n    def upgrade():\n        op.drop_table('crate')\n\n"
        "    def downgrade():\n        pass",
    ],
)
def test_a_function_bound_another_way_is_not_judged_by_the_def_read(binding: str) -> None:
    source = (
        '"""x\n\nRevision ID: 1234abcd5678\n"""\nfrom alembic import op\n\n'
        'revision = "1234abcd5678"\ndown_revision = "a8a2fc4e4c77"\n\n'
        "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n\n\n" + binding + "\n"
    )
    found = lint_source(source, "versions/1234abcd5678_test.py", LintOptions()).findings
    assert not {f.code for f in found} & {"L317", "L318", "L319"}


def test_an_empty_upgrade_bound_by_its_def_is_still_reported() -> None:
    source = revision("pass", "pass")
    found = lint_source(source, "versions/1234abcd5678_test.py", LintOptions()).findings
    assert "L317" in {f.code for f in found}


def test_an_upgrade_step_on_a_table_named_at_run_time_is_undone_on_any_table() -> None:
    upgrade = 'for table in tables():\n    op.add_column(table, sa.Column("label", sa.Text()))'
    # the downgrade drops the column from tables it names: one of them may be it
    assert l319(upgrade, 'for table in ("crate", "box"):\n    op.drop_column(table, "label")') == []
    # another column dropped, or nothing dropped: still reported
    assert len(l319(upgrade, 'op.drop_column("crate", "caption")')) == 1
    assert len(l319(upgrade, 'op.drop_index("ix_crate_label", table_name="crate")')) == 1


def test_sql_built_at_module_level_is_read_as_its_template() -> None:
    # the module's f-string is an UPDATE of crate whose filter lint cannot read (a condition
    # made at run time; a value there, `id IN ({pick()})`, is read as a parameter): it writes
    # crate, it copies nothing from ledger, whose drop is still reported
    header = HEADER + "MARK = f\"UPDATE crate SET label = 'x' WHERE {pick()}\"\n"
    body = 'op.get_bind().execute(MARK)\nop.drop_column("ledger", "label")'
    assert steps(body, header) == [("sql", ["crate"], ["write_rows"])]
    assert "L305" in codes(body, header=header)
    # a module constant lint cannot see at all may be the copy
    assert "L305" not in codes(body.replace("MARK", "QUEUED_SQL"))
