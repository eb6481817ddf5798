"""Where rows go in an upgrade (issue 20, round 13): a new column with a fill of its own is no
rename (L306), a table emptied before a column's drop loses nothing more (L305), rows moved by
a function of the project's own modules (L304), columns made by a factory, raw-SQL generated
columns, and a foreign key dropped only so that its column can go (L327). Fixtures are ours;
each class has must-flag cases proving the real problem is still reported."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files, lint_source

ORM_HEADER = """
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Gadget(Base):
    __tablename__ = "gadget"
    id = sa.Column(sa.Integer, primary_key=True)
    kind = sa.Column(sa.String(20))
    prefs = sa.Column(sa.JSON)
"""

# the downgrade restores the dropped column with the new one's type: a rename would fit
RESTORE = 'op.add_column("gadget", sa.Column("old_prefs", sa.JSON(), nullable=True))'
ADD_NEW = 'op.add_column("gadget", sa.Column("prefs", sa.JSON(), nullable=True))'
DROP_OLD = 'op.drop_column("gadget", "old_prefs")'


def codes(source: str) -> list[str]:
    result = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return [finding.code for finding in result.findings]


def _with_fill(fill: str) -> str:
    body = "\n".join([ADD_NEW, textwrap.dedent(fill).strip(), DROP_OLD])
    return revision(body, RESTORE, header=ORM_HEADER + "\nfrom app.models import Sensor, Gadget2")


# --- 1. L306: the new column gets its own fill -------------------------------------------

OWN_FILLS = {
    "parameters dict, loop that continues": """
        conn = op.get_bind()
        g = sa.table("gadget", sa.column("id"), sa.column("kind"), sa.column("prefs"))
        for row in conn.execute(sa.select(g.c.id, g.c.kind)).fetchall():
            if not row.kind:
                continue
            conn.execute(g.update().where(g.c.id == row.id), {"prefs": {"k": row.kind}})
    """,
    "executemany over a list built in the loop": """
        conn = op.get_bind()
        g = sa.table("gadget", sa.column("id"), sa.column("kind"), sa.column("prefs"))
        pending = []
        for row in conn.execute(sa.select(g.c.id, g.c.kind)):
            pending.append({"gid": row.id, "prefs": [row.kind]})
        conn.execute(sa.update(g).where(g.c.id == sa.bindparam("gid")), pending)
    """,
    "objects of the application's class handed to add_all": """
        session = Session(bind=op.get_bind())
        made = []
        for sensor in session.query(Sensor).all():
            if sensor.gadget_id is None:
                continue
            made.append(Gadget2(id=sensor.gadget_id, prefs=sensor.params))
        session.add_all(made)
        session.commit()
    """,
    "session.add of a new object": """
        session = Session(bind=op.get_bind())
        for sensor in session.query(Sensor):
            session.add(Gadget2(id=sensor.gadget_id, prefs={"from": sensor.name}))
    """,
    "ORM loop reading another column": """
        session = Session(bind=op.get_bind())
        for gadget in session.query(Gadget):
            if gadget.kind is None:
                continue
            gadget.prefs = {"kind": gadget.kind}
        session.commit()
    """,
    "Core update from another column": """
        g = sa.table("gadget", sa.column("kind"), sa.column("prefs"))
        op.execute(g.update().values(prefs=g.c.kind))
    """,
    "raw UPDATE from another table": """
        op.execute(
            "UPDATE gadget JOIN sensor ON sensor.gadget_id = gadget.id "
            "SET gadget.prefs = sensor.params"
        )
    """,
}


@pytest.mark.parametrize("fill", OWN_FILLS.values(), ids=list(OWN_FILLS))
def test_a_new_column_filled_from_elsewhere_is_no_rename(fill: str) -> None:
    found = codes(_with_fill(fill))
    assert "L306" not in found
    assert "L305" in found  # the dropped column's values are still lost


COPIES = {
    "parameters dict reading the dropped column": """
        conn = op.get_bind()
        g = sa.table("gadget", sa.column("id"), sa.column("old_prefs"), sa.column("prefs"))
        for row in conn.execute(sa.select(g.c.id, g.c.old_prefs)):
            conn.execute(g.update().where(g.c.id == row.id), {"prefs": row.old_prefs})
    """,
    "new objects built from the dropped column": """
        session = Session(bind=op.get_bind())
        for gadget in session.query(Gadget):
            session.add(Gadget2(id=gadget.id, prefs=gadget.old_prefs))
    """,
}


@pytest.mark.parametrize("fill", COPIES.values(), ids=list(COPIES))
def test_a_fill_reading_the_dropped_column_is_a_copy(fill: str) -> None:
    found = codes(_with_fill(fill))
    assert "L306" not in found and "L305" not in found  # the values were copied first


NOT_OWN_FILLS = {
    "no fill": "",
    "parameters of a raw UPDATE (placeholders, not columns)": """
        conn = op.get_bind()
        conn.execute(sa.text("SELECT 1"), {"prefs": 1})
    """,
    "a dict appended but never executed as parameters": """
        notes = []
        for row in op.get_bind().execute(sa.text("SELECT id FROM sensor")):
            notes.append({"prefs": row.id})
    """,
    "a library class, not the application's": """
        session = Session(bind=op.get_bind())
        session.add(Session(prefs=1))
    """,
}


@pytest.mark.parametrize("fill", NOT_OWN_FILLS.values(), ids=list(NOT_OWN_FILLS))
def test_a_drop_and_add_without_a_fill_of_the_new_column_is_reported(fill: str) -> None:
    assert "L306" in codes(_with_fill(fill))


# --- 2. L305: every row deleted before the drop ------------------------------------------

EMPTIED = {
    "DELETE FROM": 'op.execute("DELETE FROM config")',
    "TRUNCATE TABLE": 'op.execute(sa.text("TRUNCATE TABLE `config`"))',
    "TRUNCATE": 'op.get_bind().execute(sa.text("truncate config"))',
    "Core delete": 'op.execute(sa.table("config", sa.column("id")).delete())',
    "sa.delete": 'cfg = sa.table("config")\nop.execute(sa.delete(cfg))',
    "ORM query delete": (
        "class Config(Base):\n"
        '    __tablename__ = "config"\n'
        "    id = sa.Column(sa.Integer, primary_key=True)\n"
        "session = Session(bind=op.get_bind())\n"
        "session.query(Config).delete()"
    ),
}


@pytest.mark.parametrize("delete", EMPTIED.values(), ids=list(EMPTIED))
def test_a_column_of_an_emptied_table_loses_nothing(delete: str) -> None:
    for drop in (
        'op.drop_column("config", "scope")',
        'op.execute("ALTER TABLE config DROP COLUMN scope")',
    ):
        source = revision(delete + "\n" + drop, header=ORM_HEADER)
        assert "L305" not in codes(source), (delete, drop)


KEPT_ROWS = {
    "DELETE with a WHERE": 'op.execute("DELETE FROM config WHERE scope IS NULL")',
    "DELETE with a LIMIT": 'op.execute("DELETE FROM config LIMIT 10")',
    "multi-table DELETE": 'op.execute("DELETE c FROM config c JOIN app ON app.id = c.app_id")',
    "another table": 'op.execute("TRUNCATE TABLE config_log")',
    "Core delete with a where": (
        'cfg = sa.table("config", sa.column("id"))\nop.execute(cfg.delete().where(cfg.c.id > 3))'
    ),
    "ORM query filtered": (
        "class Config(Base):\n"
        '    __tablename__ = "config"\n'
        "    id = sa.Column(sa.Integer, primary_key=True)\n"
        "session = Session(bind=op.get_bind())\n"
        "session.query(Config).filter(Config.id > 3).delete()"
    ),
}


@pytest.mark.parametrize("delete", KEPT_ROWS.values(), ids=list(KEPT_ROWS))
def test_a_column_of_a_table_that_keeps_rows_is_reported(delete: str) -> None:
    source = revision(delete + '\nop.drop_column("config", "scope")', header=ORM_HEADER)
    assert "L305" in codes(source)


def test_a_delete_after_the_drop_does_not_count() -> None:
    source = revision('op.drop_column("config", "scope")\nop.execute("DELETE FROM config")')
    assert "L305" in codes(source)


@pytest.mark.parametrize("delete", ["DELETE FROM config", "TRUNCATE TABLE config"])
def test_a_dropped_table_is_reported_even_when_emptied_first(delete: str) -> None:
    # the DELETE is the same loss as the drop: L304 stays the one place that names it
    assert "L304" in codes(revision(f'op.execute("{delete}")\nop.drop_table("config")'))


# --- 3. L304: rows moved by a function of the project's modules --------------------------

HELPERS = """
import sqlalchemy as sa


def copy_rows(op, source, target):
    op.execute(f"INSERT INTO {target} SELECT * FROM {source}")


def move_bodies(op, source, target):
    src = sa.table(source, sa.column("id"), sa.column("body"))
    dst = sa.table(target, sa.column("id"), sa.column("body"))
    op.execute(dst.insert().from_select(["id", "body"], sa.select(src.c.id, src.c.body)))


def whole(op, source, target):
    src = sa.table(source, sa.column("id"))
    op.execute(sa.table(target).insert().from_select(["id"], src.select()))


def flag(op, table):
    op.execute(f"UPDATE {table} SET flag = 1")
"""


def _lint_in_project(tmp_path: Path, header: str, upgrade: str) -> list[str]:
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "migration_helpers.py").write_text(HELPERS)
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    path = versions / "1234abcd5678_test.py"
    path.write_text(revision(upgrade, header=header))
    report = lint_files([(str(path), path)], LintOptions())
    return [finding.code for finding in report.findings]


MOVED = {
    "raw SQL in an f-string": ("copy_rows", 'copy_rows(op, "memo_old", "memo")'),
    "Core, by keyword": ("move_bodies as move", 'move(op, target="memo", source="memo_old")'),
    "a whole-table select": ("whole", 'whole(op, "memo_old", "memo")'),
}


@pytest.mark.parametrize(("name", "call"), MOVED.values(), ids=list(MOVED))
def test_rows_moved_by_an_imported_helper_are_copied(tmp_path: Path, name: str, call: str) -> None:
    header = f"from app.migration_helpers import {name}"
    found = _lint_in_project(tmp_path, header, call + '\nop.drop_table("memo_old")')
    assert "L304" not in found


APP = "app.migration_helpers"
NOT_MOVED = {
    "from another table": (APP, "copy_rows", 'copy_rows(op, "memo_draft", "memo")'),
    "a helper that reads nothing": (APP, "flag", 'flag(op, "memo_old")'),
    "a library's function": ("shutil", "copy_rows", 'copy_rows(op, "memo_old", "memo")'),
}


@pytest.mark.parametrize(("module", "name", "call"), NOT_MOVED.values(), ids=list(NOT_MOVED))
def test_a_drop_the_helper_does_not_copy_is_reported(
    tmp_path: Path, module: str, name: str, call: str
) -> None:
    header = f"from {module} import {name}"
    assert "L304" in _lint_in_project(tmp_path, header, call + '\nop.drop_table("memo_old")')


def test_a_function_lint_cannot_follow_may_be_the_copy(tmp_path: Path) -> None:
    # the module lacks the name (a re-export lint does not read): the call is an opaque step
    # on the tables it is given (lint/opaque_steps.py), the copy for all lint can tell
    upgrade = 'missing(op, "memo_old", "memo")\nop.drop_table("memo_old")'
    (tmp_path / "a").mkdir()
    assert "L304" not in _lint_in_project(tmp_path / "a", f"from {APP} import missing", upgrade)
    other = 'missing(op, "memo_draft", "memo")\nop.drop_table("memo_old")'
    (tmp_path / "b").mkdir()
    assert "L304" in _lint_in_project(tmp_path / "b", f"from {APP} import missing", other)


def test_a_copy_after_the_drop_does_not_count(tmp_path: Path) -> None:
    upgrade = 'op.drop_table("memo_old")\ncopy_rows(op, "memo_old", "memo")'
    assert "L304" in _lint_in_project(tmp_path, f"from {APP} import copy_rows", upgrade)


# --- 4. columns made by a factory --------------------------------------------------------

FACTORY_COPIES = {
    "lambda, UPDATE": (
        "",
        """
        col = lambda name: sa.Column(name, sa.String(50))
        t = sa.table("item", col("id"), col("caption"), col("title"))
        op.execute(t.update().values(caption=t.c.title))
        op.drop_column("item", "title")
        """,
    ),
    "module factory, whole-table INSERT ... SELECT": (
        'def _text(name, length=80):\n    """A text column."""\n'
        "    return sa.column(name, sa.String(length))",
        """
        old = sa.table("item", _text("id"), _text("title"))
        archive = sa.table("item_archive", _text("id"), _text("title"))
        op.execute(archive.insert().from_select(["id", "title"], sa.select(old)))
        op.drop_column("item", "title")
        """,
    ),
    "lambda, whole table by .select(), then the table dropped": (
        "",
        """
        col = lambda name: sa.Column(name, sa.Text())
        old = sa.table("item", col("id"), col("title"))
        new = sa.table("entry", col("id"), col("title"))
        op.execute(new.insert().from_select(["id", "title"], old.select()))
        op.drop_table("item")
        """,
    ),
}


@pytest.mark.parametrize(("header", "upgrade"), FACTORY_COPIES.values(), ids=list(FACTORY_COPIES))
def test_a_copy_through_factory_columns_is_seen(header: str, upgrade: str) -> None:
    found = codes(revision(upgrade, header=header))
    assert "L305" not in found and "L304" not in found


FACTORY_LOSSES = {
    "lambda table, no copy": """
        col = lambda name: sa.Column(name, sa.String(50))
        t = sa.table("item", col("id"), col("title"))
        op.execute(t.update().values(id=t.c.id))
        op.drop_column("item", "title")
    """,
    "select of another table": """
        col = lambda name: sa.Column(name, sa.String(50))
        other = sa.table("item_draft", col("id"), col("title"))
        archive = sa.table("item_archive", col("id"), col("title"))
        op.execute(archive.insert().from_select(["id", "title"], sa.select(other)))
        op.drop_column("item", "title")
    """,
}


@pytest.mark.parametrize("upgrade", FACTORY_LOSSES.values(), ids=list(FACTORY_LOSSES))
def test_a_factory_table_without_the_copy_is_reported(upgrade: str) -> None:
    assert "L305" in codes(revision(upgrade))


def test_factory_columns_carry_their_types() -> None:
    source = revision(
        """
        stamp = lambda name: sa.Column(name, sa.DateTime(), nullable=False)
        op.create_table("log", sa.Column("id", sa.Integer(), primary_key=True), stamp("at"))
        """
    )
    from alembic_sentinel.lint.revision_reader import read_revision_module

    module = read_revision_module(source, "x.py")
    assert module.upgrade is not None
    columns = {c.name: c for c in module.upgrade.operations[0].columns}
    assert columns["at"].not_null and columns["at"].type is not None
    assert columns["at"].type.family == "datetime"


# --- 5. raw-SQL generated columns --------------------------------------------------------


def _history(tmp_path: Path, first: str, second: str, second_down: str = "pass") -> list[str]:
    versions = tmp_path / "versions"
    versions.mkdir()
    files = []
    for name, (upgrade, downgrade, down) in {
        "aaaa00000001": (first, "pass", "None"),
        "bbbb00000002": (second, second_down, '"aaaa00000001"'),
    }.items():
        path = versions / f"{name}_step.py"
        text = revision(upgrade, downgrade, down_revision=down)
        path.write_text(text.replace("1234abcd5678", name))
        files.append((str(path), path))
    findings = lint_files(files, LintOptions()).findings
    # the second revision's: what the history before it says of the column
    return [f.code for f in findings if f.code == "L305" and "bbbb00000002" in str(f.path)]


GENERATED = {
    "GENERATED ALWAYS AS ... STORED": (
        "ADD COLUMN total DECIMAL(10, 2) GENERATED ALWAYS AS (price * qty) STORED"
    ),
    "short AS (...) VIRTUAL": "ADD total INT AS (qty * 2) VIRTUAL",
    "GENERATED ALWAYS AS, no keyword after": "ADD COLUMN `total` INT GENERATED ALWAYS AS (qty + 1)",
}


@pytest.mark.parametrize("clause", GENERATED.values(), ids=list(GENERATED))
@pytest.mark.parametrize(
    "drop",
    ['op.drop_column("orders", "total")', 'op.execute("ALTER TABLE orders DROP COLUMN total")'],
)
def test_a_raw_generated_column_dropped_loses_nothing(
    tmp_path: Path, clause: str, drop: str
) -> None:
    assert _history(tmp_path, f'op.execute("ALTER TABLE orders {clause}")', drop) == []


def test_a_downgrade_restoring_a_raw_generated_column_says_it_was_generated() -> None:
    restore = (
        'op.execute("ALTER TABLE orders ADD COLUMN total INT GENERATED ALWAYS AS (qty) STORED")'
    )
    assert "L305" not in codes(revision('op.drop_column("orders", "total")', restore))
    plain = 'op.execute("ALTER TABLE orders ADD COLUMN total INT NULL")'
    assert "L305" in codes(revision('op.drop_column("orders", "total")', plain))


@pytest.mark.parametrize(
    "clause",
    [
        "ADD COLUMN total DECIMAL(10, 2) NULL",
        "ADD COLUMN total BIGINT GENERATED ALWAYS AS IDENTITY",
        "ADD COLUMN total INT DEFAULT 0",
    ],
)
def test_a_raw_stored_column_dropped_is_reported(tmp_path: Path, clause: str) -> None:
    found = _history(
        tmp_path, f'op.execute("ALTER TABLE orders {clause}")', 'op.drop_column("orders", "total")'
    )
    assert found == ["L305"]


def test_a_generated_column_made_plain_again_is_reported(tmp_path: Path) -> None:
    first = (
        'op.execute("ALTER TABLE orders ADD COLUMN total INT AS (qty * 2)")\n'
        'op.execute("ALTER TABLE orders DROP COLUMN total")\n'
        'op.add_column("orders", sa.Column("total", sa.Integer()))'
    )
    assert _history(tmp_path, first, 'op.drop_column("orders", "total")') == ["L305"]


# --- 6. L327: a key dropped so that its column can go ------------------------------------

KEY_THEN_COLUMN = {
    "named by convention": (
        'op.drop_constraint("fk_shipment_carrier_id_carrier", "shipment", type_="foreignkey")\n'
        'op.drop_column("shipment", "carrier_id")',
        "pass",
    ),
    "PostgreSQL's default name": (
        'op.drop_constraint("shipment_carrier_id_fkey", "shipment", type_="foreignkey")\n'
        'op.drop_column("shipment", "carrier_id")',
        "pass",
    ),
    "columns from the downgrade": (
        'op.drop_constraint("shipment_ibfk_2", "shipment", type_="foreignkey")\n'
        'op.drop_column("shipment", "carrier_id")',
        'op.add_column("shipment", sa.Column("carrier_id", sa.Integer()))\n'
        'op.create_foreign_key("shipment_ibfk_2", "shipment", "carrier", ["carrier_id"], ["id"])',
    ),
    "batch": (
        'with op.batch_alter_table("shipment") as batch_op:\n'
        '    batch_op.drop_constraint("fk_shipment_carrier_id_carrier", type_="foreignkey")\n'
        '    batch_op.drop_column("carrier_id")',
        "pass",
    ),
}


@pytest.mark.parametrize(
    ("upgrade", "downgrade"), KEY_THEN_COLUMN.values(), ids=list(KEY_THEN_COLUMN)
)
def test_a_key_dropped_for_its_column_is_no_notice(upgrade: str, downgrade: str) -> None:
    found = codes(revision(upgrade, downgrade))
    assert "L327" not in found
    assert "L305" in found  # the column's loss is still reported


KEY_KEPT_COLUMN = {
    "the column stays": (
        'op.drop_constraint("fk_shipment_carrier_id_carrier", "shipment", type_="foreignkey")',
        "pass",
    ),
    "another column dropped": (
        'op.drop_constraint("fk_shipment_carrier_id_carrier", "shipment", type_="foreignkey")\n'
        'op.drop_column("shipment", "note")',
        "pass",
    ),
    "a name that says no column": (
        'op.drop_constraint("shipment_ibfk_2", "shipment", type_="foreignkey")\n'
        'op.drop_column("shipment", "carrier_id")',
        "pass",
    ),
    "the column dropped before the key": (
        'op.drop_column("shipment", "carrier_id")\n'
        'op.drop_constraint("fk_shipment_carrier_id_carrier", "shipment", type_="foreignkey")',
        "pass",
    ),
    "one of the key's two columns": (
        'op.drop_constraint("fk_pair", "shipment", type_="foreignkey")\n'
        'op.drop_column("shipment", "carrier_id")',
        'op.create_foreign_key("fk_pair", "shipment", "carrier", ["carrier_id", "region"], '
        '["id", "region"])',
    ),
    "the same column name on another table": (
        'op.drop_constraint("fk_shipment_carrier_id_carrier", "shipment", type_="foreignkey")\n'
        'op.drop_column("parcel", "carrier_id")',
        "pass",
    ),
}


@pytest.mark.parametrize(
    ("upgrade", "downgrade"), KEY_KEPT_COLUMN.values(), ids=list(KEY_KEPT_COLUMN)
)
def test_a_key_dropped_while_its_column_stays_is_a_notice(upgrade: str, downgrade: str) -> None:
    assert "L327" in codes(revision(upgrade, downgrade))
