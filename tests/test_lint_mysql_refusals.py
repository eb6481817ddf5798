"""Operations Alembic writes in a form MySQL refuses (issue 20, round 32): L333, IF [NOT]
EXISTS on a column or an index operation, which only MariaDB parses (ERROR 1064 on MySQL);
L334, a drop_constraint without type_ (Alembic's MySQL dialect raises NotImplementedError) or a
drop_index without table_name (DROP INDEX ... ON no_table, ERROR 1146). Fixtures are ours."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

from alembic_sentinel.lint.online_ddl import parse_server_version


def _found(source: str, code: str, target: str = "mysql-8.0") -> list[str]:
    return [f.message for f in lint(source, target=parse_server_version(target)) if f.code == code]


def _severities(source: str, code: str, target: str = "mysql-8.0") -> list[str]:
    return [f.severity for f in lint(source, target=parse_server_version(target)) if f.code == code]


# --- L333: IF [NOT] EXISTS on a column or an index -------------------------------------------

IF_CLAUSES = {
    "add_column": (
        'op.add_column("visit", sa.Column("note", sa.Text()), if_not_exists=True)',
        "ADD COLUMN IF NOT EXISTS",
    ),
    "drop_column": ('op.drop_column("visit", "note", if_exists=True)', "DROP COLUMN IF EXISTS"),
    "create_index": (
        'op.create_index("ix_visit_day", "visit", ["day"], if_not_exists=True)',
        "CREATE INDEX IF NOT EXISTS",
    ),
    "drop_index": (
        'op.drop_index("ix_visit_day", table_name="visit", if_exists=True)',
        "DROP INDEX IF EXISTS",
    ),
    "positional arguments": (
        'op.create_index("ix_visit_day", "visit", ["day"], unique=False, if_not_exists=True)',
        "CREATE INDEX IF NOT EXISTS",
    ),
    "batch add_column": (
        'with op.batch_alter_table("visit") as batch_op:\n'
        '    batch_op.add_column(sa.Column("note", sa.Text()), if_not_exists=True)',
        "ADD COLUMN IF NOT EXISTS",
    ),
    "batch drop_index": (
        'with op.batch_alter_table("visit", schema=None) as batch_op:\n'
        '    batch_op.drop_index("ix_visit_day", if_exists=True)',
        "DROP INDEX IF EXISTS",
    ),
    "a module constant": (
        'op.drop_column("visit", "note", if_exists=GUARDED)',
        "DROP COLUMN IF EXISTS",
    ),
}


@pytest.mark.parametrize("upgrade, clause", IF_CLAUSES.values(), ids=list(IF_CLAUSES))
@pytest.mark.parametrize("target", ["mysql-5.7", "mysql-8.0", "mysql-8.4"])
def test_mysql_refuses_if_exists_on_columns_and_indexes(
    upgrade: str, clause: str, target: str
) -> None:
    source = revision(upgrade, header="GUARDED = True")
    [message] = _found(source, "L333", target)
    assert clause in message and "ERROR 1064" in message and target in message
    assert _severities(source, "L333", target) == ["error"]


def test_the_imported_operation_spelling_is_read_too() -> None:
    source = revision(
        'add_column("visit", sa.Column("note", sa.Text()), if_not_exists=True)',
        'drop_column("visit", "note", if_exists=True)',
        header="from alembic.op import add_column, drop_column",
    )
    assert len(_found(source, "L333")) == 2  # the downgrade's too


@pytest.mark.parametrize("target", ["mariadb-10.6", "mariadb-10.11", "postgresql", "sqlite"])
@pytest.mark.parametrize("upgrade, clause", IF_CLAUSES.values(), ids=list(IF_CLAUSES))
def test_mariadb_and_other_targets_parse_it(upgrade: str, clause: str, target: str) -> None:
    assert _found(revision(upgrade, header="GUARDED = True"), "L333", target) == []


ACCEPTED_ON_MYSQL = {
    "create_table": (
        'op.create_table("visit", sa.Column("id", sa.Integer(), primary_key=True), '
        "if_not_exists=True)"
    ),
    "drop_table": 'op.drop_table("visit", if_exists=True)',
    "False": 'op.add_column("visit", sa.Column("note", sa.Text()), if_not_exists=False)',
    "a value lint cannot read": 'op.drop_column("visit", "note", if_exists=not strict)',
    "a module constant False": 'op.drop_column("visit", "note", if_exists=GUARDED)',
    # SQLAlchemy's MySQL compiler leaves drop_constraint's IF EXISTS out
    "drop_constraint": (
        'op.drop_constraint("fk_visit_owner", "visit", type_="foreignkey", if_exists=True)'
    ),
    # a rebuilt table is created anew: no ALTER TABLE ... ADD COLUMN is written
    "a batch that rebuilds the table": (
        'with op.batch_alter_table("visit", recreate="always") as batch_op:\n'
        '    batch_op.add_column(sa.Column("note", sa.Text()), if_not_exists=True)'
    ),
}


@pytest.mark.parametrize("upgrade", ACCEPTED_ON_MYSQL.values(), ids=list(ACCEPTED_ON_MYSQL))
def test_what_mysql_parses_is_no_l333(upgrade: str) -> None:
    source = revision(upgrade, header="GUARDED = False\nstrict = True")
    assert _found(source, "L333") == []


ADD = 'op.add_column("visit", sa.Column("note", sa.Text()), if_not_exists=True)'
DIALECT_BRANCHES = {
    "PostgreSQL's branch": f'if op.get_bind().dialect.name == "postgresql":\n    {ADD}',
    "MariaDB's branch": f'if op.get_bind().dialect.name == "mariadb":\n    {ADD}',
    "the else of MySQL's branch": (
        f'if op.get_bind().dialect.name == "mysql":\n    pass\nelse:\n    {ADD}'
    ),
    "a flag holding the test": (
        f'is_mariadb = op.get_bind().engine.name == "mariadb"\nif is_mariadb:\n    {ADD}'
    ),
    "a same-file helper": f"if on_mariadb():\n    {ADD}",
    "the dialect's is_mariadb": f"if op.get_bind().dialect.is_mariadb:\n    {ADD}",
    "a guard that returns on MySQL": (
        f'if op.get_context().dialect.name != "mariadb":\n    return\n{ADD}'
    ),
    "an assert": f'assert op.get_bind().dialect.name == "mariadb"\n{ADD}',
}
HELPER = """
def on_mariadb():
    return op.get_bind().dialect.name == "mariadb"
"""


@pytest.mark.parametrize("upgrade", DIALECT_BRANCHES.values(), ids=list(DIALECT_BRANCHES))
def test_code_mysql_never_runs_is_no_l333(upgrade: str) -> None:
    assert _found(revision(upgrade, header=HELPER), "L333") == []


CAUGHT = {
    "suppress": (
        "with suppress(sa.exc.DatabaseError):\n"
        '    op.drop_index("ix_visit_day", table_name="visit", if_exists=True)'
    ),
    "contextlib.suppress": (
        "with contextlib.suppress(Exception):\n"
        '    op.drop_index("ix_visit_day", table_name="visit", if_exists=True)'
    ),
    "try": f"try:\n    {ADD}\nexcept Exception:\n    pass",
}


@pytest.mark.parametrize("upgrade", CAUGHT.values(), ids=list(CAUGHT))
def test_a_refusal_the_revision_catches_is_no_l333(upgrade: str) -> None:
    # the author expects it may fail (`# mysql does not support drop if exists index`)
    header = "import contextlib\nfrom contextlib import suppress"
    assert _found(revision(upgrade, header=header), "L333") == []
    assert _found(revision(f"{ADD}\n" + upgrade, header=header), "L333")


def test_what_follows_a_mariadb_branch_and_mysqls_branch_are_reported() -> None:
    source = revision(
        f"""
        bind = op.get_bind()
        if bind.dialect.name == "mariadb":
            {ADD}
        op.create_index("ix_visit_note", "visit", ["note"], if_not_exists=True)
        if bind.dialect.name == "mysql":
            op.drop_index("ix_visit_day", table_name="visit", if_exists=True)
        """
    )
    found = _found(source, "L333")
    assert len(found) == 2, found
    assert "CREATE INDEX IF NOT EXISTS" in found[0] and "DROP INDEX IF EXISTS" in found[1]


def test_a_refused_statement_is_no_table_copy_of_l314() -> None:
    # a stored generated column is added by a table copy (L314); this one is never added
    column = 'sa.Column("total", sa.Integer(), sa.Computed("a + b", persisted=True))'
    source = revision(f'op.add_column("visit", {column}, if_not_exists=True)')
    assert _found(source, "L333")
    assert _found(source, "L314") == []
    assert _found(revision(f'op.add_column("visit", {column})'), "L314")


# --- L334: a drop Alembic cannot write for MySQL ----------------------------------------------

UNTYPED = {
    "positional": 'op.drop_constraint("visit_owner_fkey", "visit")',
    "keywords": 'op.drop_constraint(constraint_name="visit_owner_fkey", table_name="visit")',
    "type_=None": 'op.drop_constraint("visit_owner_fkey", "visit", type_=None)',
    "batch": (
        'with op.batch_alter_table("visit") as batch_op:\n'
        '    batch_op.drop_constraint("visit_owner_fkey")'
    ),
    "imported": 'drop_constraint("visit_owner_fkey", "visit")',
    "named by a loop": (
        'for name in ("visit_owner_fkey", "visit_room_fkey"):\n'
        '    op.drop_constraint(name, "visit")'
    ),
}


@pytest.mark.parametrize("upgrade", UNTYPED.values(), ids=list(UNTYPED))
@pytest.mark.parametrize("target", ["mysql-8.0", "mariadb-10.11"])
def test_a_drop_constraint_without_its_type_cannot_run(upgrade: str, target: str) -> None:
    source = revision(upgrade, header="from alembic.op import drop_constraint")
    found = _found(source, "L334", target)
    assert found and all("No generic 'DROP CONSTRAINT' in MySQL" in m for m in found), found
    assert _severities(source, "L334", target)[0] == "error"


def test_the_fix_names_the_kind_the_name_says() -> None:
    [finding] = [f for f in lint(revision(UNTYPED["positional"])) if f.code == "L334"]
    assert "type_='foreignkey'" in (finding.fix or "")
    [finding] = [
        f
        for f in lint(revision('op.drop_constraint("visit_day_key", "visit")'))
        if f.code == "L334"
    ]
    assert "type_='unique'" in (finding.fix or "")


TYPED = {
    "positional": 'op.drop_constraint("visit_owner_fkey", "visit", "foreignkey")',
    "keyword": 'op.drop_constraint("visit_owner_fkey", "visit", type_="unique")',
    "a constant": 'op.drop_constraint("visit_owner_fkey", "visit", type_=KIND)',
    "a value lint cannot read": 'op.drop_constraint("visit_owner_fkey", "visit", type_=kind)',
    "batch positional": (
        'with op.batch_alter_table("visit") as batch_op:\n'
        '    batch_op.drop_constraint("visit_owner_fkey", "foreignkey")'
    ),
    # a rebuilt table leaves the constraint out by its name, whatever its kind
    "a batch that rebuilds the table": (
        'with op.batch_alter_table("visit", recreate="always") as batch_op:\n'
        '    batch_op.drop_constraint("visit_owner_fkey")'
    ),
    "keywords spread": 'op.drop_constraint("visit_owner_fkey", "visit", **options)',
    "in PostgreSQL's branch": (
        'if op.get_bind().dialect.name == "postgresql":\n'
        '    op.drop_constraint("visit_owner_fkey", "visit")'
    ),
    "its error caught": (
        'try:\n    op.drop_constraint("visit_owner_fkey", "visit")\nexcept Exception:\n    pass'
    ),
}


@pytest.mark.parametrize("upgrade", TYPED.values(), ids=list(TYPED))
def test_a_drop_constraint_mysql_can_write_is_no_l334(upgrade: str) -> None:
    source = revision(upgrade, header='KIND = "foreignkey"\nkind = "check"\noptions = {}')
    assert _found(source, "L334") == []


def test_a_drop_under_a_test_of_a_name_mysql_does_not_give_is_no_l334() -> None:
    # PostgreSQL names an unnamed unique key <table>_<columns>_key, MySQL after its first
    # column: on MySQL the test does not find it and the drop never runs
    source = revision(
        """
        names = [u["name"] for u in sa.inspect(op.get_bind()).get_unique_constraints("visit")]
        if "visit_owner_day_key" in names:
            op.drop_constraint("visit_owner_day_key", table_name="visit")
        """
    )
    assert _found(source, "L334") == []


def test_a_drop_under_a_test_of_a_key_made_by_that_name_is_l334() -> None:
    # the upgrade creates the index under its name on MySQL too: the downgrade's test finds
    # it, and the drop without its table fails
    source = revision(
        """
        if not has_index("visit", "ix_visit_day"):
            op.create_index("ix_visit_day", "visit", ["day"], unique=True)
        """,
        """
        if has_index("visit", "ix_visit_day"):
            op.drop_index("ix_visit_day")
        """,
        header="from app.migration_utils import has_index",
    )
    [message] = _found(source, "L334")
    assert "DROP INDEX ix_visit_day ON no_table" in message


@pytest.mark.parametrize("target", ["postgresql", "sqlite"])
def test_other_targets_drop_a_constraint_by_name(target: str) -> None:
    assert _found(revision(UNTYPED["positional"]), "L334", target) == []


def test_a_nameless_drop_is_l310s_alone() -> None:
    source = revision('op.drop_constraint(None, "visit")')
    assert _found(source, "L334") == [] and _found(source, "L310")


TABLELESS = {
    "name only": 'op.drop_index("ix_visit_day")',
    "op.f": 'op.drop_index(op.f("ix_visit_day"))',
    "table_name=None": 'op.drop_index("ix_visit_day", table_name=None)',
    "imported": 'drop_index("ix_visit_day")',
}


@pytest.mark.parametrize("downgrade", TABLELESS.values(), ids=list(TABLELESS))
@pytest.mark.parametrize("target", ["mysql-8.0", "mariadb-10.11"])
def test_a_drop_index_without_its_table_cannot_run(downgrade: str, target: str) -> None:
    source = revision(
        'op.create_index("ix_visit_day", "visit", ["day"])',
        downgrade,
        header="from alembic.op import drop_index",
    )
    [message] = _found(source, "L334", target)
    assert "DROP INDEX ix_visit_day ON no_table" in message and "ERROR 1146" in message


WITH_TABLE = {
    "positional": 'op.drop_index("ix_visit_day", "visit")',
    "keyword": 'op.drop_index("ix_visit_day", table_name="visit")',
    "a constant": 'op.drop_index("ix_visit_day", table_name=TABLE)',
    "batch": (
        'with op.batch_alter_table("visit") as batch_op:\n    batch_op.drop_index("ix_visit_day")'
    ),
    "keywords spread": 'op.drop_index("ix_visit_day", **options)',
    "in SQLite's branch": (
        'if op.get_bind().dialect.name == "sqlite":\n    op.drop_index("ix_visit_day")'
    ),
}


@pytest.mark.parametrize("upgrade", WITH_TABLE.values(), ids=list(WITH_TABLE))
def test_a_drop_index_given_its_table_is_no_l334(upgrade: str) -> None:
    source = revision(upgrade, header='TABLE = "visit"\noptions = {"table_name": "visit"}')
    assert _found(source, "L334") == []


@pytest.mark.parametrize("target", ["postgresql", "sqlite"])
def test_other_targets_drop_an_index_by_name(target: str) -> None:
    assert _found(revision(TABLELESS["name only"]), "L334", target) == []
