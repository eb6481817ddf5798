"""Names MySQL refuses by what the revisions before gave (issue 20, round 34): an index or
unique key created twice on a table (L336, ERROR 1061), a CHECK name still held (L337: any
table on MySQL 8.0, ERROR 3822; the same table on MariaDB, ERROR 1826), an unnamed foreign key
dropped by PostgreSQL's `<table>_<column>_fkey` (L338, ERROR 1091). Checked on MariaDB 10.11
where it can be. Our own revisions in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.report.model import Finding


def history(
    tmp_path: Path,
    *upgrades: str,
    target: str = "mysql-8.0",
    convention: bool | None = False,
    templates: dict[str, str] | None = None,
) -> list[Finding]:
    down = "base0000"
    for number, upgrade in enumerate(upgrades):
        revision_id = f"eeee{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(revision(upgrade), revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    options = LintOptions(
        naming_convention=convention,
        naming_templates=templates,
        target=parse_server_version(target),
    )
    return lint_files(files, options).findings


def found(findings: list[Finding], code: str) -> list[tuple[str, str]]:
    return [(f.path, f.message) for f in findings if f.code == code]


SHELF = (
    'op.create_table("shelf", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("label", sa.String(40)), sa.Column("room_id", sa.Integer()))'
)
INDEX = 'op.create_index("ix_shelf_label", "shelf", ["label"])'

# L336


@pytest.mark.parametrize("target", ["mysql-8.0", "mariadb-10.11"])
def test_an_index_created_again_across_revisions(tmp_path: Path, target: str) -> None:
    findings = history(tmp_path, SHELF, INDEX, INDEX, target=target)
    [(path, message)] = found(findings, "L336")
    assert path == "r2.py" and "ERROR 1061" in message and "ix_shelf_label" in message
    assert not [f for f in findings if f.path == "r2.py" and f.code == "L314"]


def test_a_unique_key_under_an_index_name_in_one_upgrade(tmp_path: Path) -> None:
    upgrade = f'{INDEX}\nop.create_unique_constraint("ix_shelf_label", "shelf", ["label"])'
    assert len(found(history(tmp_path, SHELF, upgrade), "L336")) == 1


def test_a_named_index_of_create_table_created_again(tmp_path: Path) -> None:
    create = SHELF[:-1] + ', sa.Index("ix_shelf_label", "label"))'
    assert len(found(history(tmp_path, create, INDEX), "L336")) == 1


INDEXED = SHELF.replace("sa.String(40))", "sa.String(40), index=True)")


def test_an_index_the_convention_named_created_again_by_its_name(tmp_path: Path) -> None:
    # SQLAlchemy's default convention names an index=True column's ix_<table>_<column>
    [(path, _)] = found(history(tmp_path, INDEXED, INDEX), "L336")
    assert path == "r1.py"


@pytest.mark.parametrize("convention", [None, True])
def test_a_convention_lint_cannot_read_is_taken_as_the_default(
    tmp_path: Path, convention: bool | None
) -> None:
    # round 39's miss: index=True in create_table, then create_index("ix_<table>_<column>");
    # a convention without "ix" cannot name an index=True index at all, and the documented
    # ones keep SQLAlchemy's default: reported, with an "unless"
    [(path, message)] = found(history(tmp_path, INDEXED, INDEX, convention=convention), "L336")
    assert path == "r1.py" and "unless the MetaData's naming_convention" in message


ADDED_INDEXED = 'op.add_column("shelf", sa.Column("label", sa.String(40), index=True))'
PLAIN_SHELF = (
    'op.create_table("shelf", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("room_id", sa.Integer()))'
)
IMPLICIT = {
    "create_table index=True": [INDEXED, INDEX],
    "index and unique (a UNIQUE INDEX ix_...)": [
        SHELF.replace("sa.String(40))", "sa.String(40), index=True, unique=True)"),
        INDEX,
    ],
    "an unnamed sa.Index of create_table": [SHELF[:-1] + ", sa.Index(None, 'label'))", INDEX],
    "add_column index=True": [PLAIN_SHELF, ADDED_INDEXED, INDEX],
    "add_column index=True, same upgrade": [PLAIN_SHELF, f"{ADDED_INDEXED}\n{INDEX}"],
    "batch add_column index=True": [
        PLAIN_SHELF,
        'with op.batch_alter_table("shelf") as batch_op:\n'
        '    batch_op.add_column(sa.Column("label", sa.String(40), index=True))',
        INDEX,
    ],
    "a unique key under the implicit name": [
        INDEXED,
        'op.create_unique_constraint("ix_shelf_label", "shelf", ["label"])',
    ],
}


@pytest.mark.parametrize("upgrades", IMPLICIT.values(), ids=list(IMPLICIT))
def test_an_implicit_index_created_again_by_its_name(tmp_path: Path, upgrades: list[str]) -> None:
    # Alembic's offline SQL: CREATE [UNIQUE] INDEX ix_shelf_label ON shelf (label) for each
    assert len(found(history(tmp_path, *upgrades), "L336")) == 1


def test_another_columns_implicit_index_is_another_name(tmp_path: Path) -> None:
    note = 'op.add_column("shelf", sa.Column("note", sa.String(40), index=True))'
    assert not found(history(tmp_path, SHELF, note, INDEX, convention=None), "L336")


def test_a_schema_puts_its_name_in_the_label(tmp_path: Path) -> None:
    # Alembic's offline SQL: schema="app" makes it ix_app_shelf_label, another name
    create = INDEXED[:-1] + ', schema="app")'
    again = 'op.create_index("ix_shelf_label", "shelf", ["label"], schema="app")'
    assert not found(history(tmp_path, create, again), "L336")
    added = 'op.add_column("shelf", sa.Column("label", sa.String(40), index=True), schema="app")'
    assert not found(history(tmp_path, PLAIN_SHELF, f"{added}\n{again}"), "L336")


def test_a_convention_read_that_names_indexes_otherwise(tmp_path: Path) -> None:
    templates = {"ix": "idx_%(table_name)s_%(column_0_name)s"}
    assert not found(history(tmp_path, INDEXED, INDEX, templates=templates), "L336")
    again = 'op.create_index("idx_shelf_label", "shelf", ["label"])'
    assert len(found(history(tmp_path, INDEXED, again, templates=templates), "L336")) == 1


@pytest.mark.parametrize(
    ("upgrades", "convention"),
    [
        (['op.drop_index("ix_shelf_label", table_name="shelf")', INDEX], False),
        (['op.create_index("ix_shelf_label_2", "shelf", ["label"])'], False),
        (['op.create_index("ix_shelf_label_2", "shelf", ["label"])'], None),
        (['op.create_index("idx_label", "shelf", ["label"])'], None),
        (['op.drop_column("shelf", "label")', INDEX], None),
    ],
    ids=[
        "dropped-by-that-name",
        "another-name",
        "another-name-convention-unknown",
        "another-name-2",
        "its-column-dropped",
    ],
)
def test_an_index_the_convention_named_is_not_guessed(
    tmp_path: Path, upgrades: list[str], convention: bool | None
) -> None:
    findings = history(tmp_path, INDEXED, *upgrades, convention=convention)
    assert not found(findings, "L336")


REBUILDS_SHELF = (
    "from shop.migration import helpers\n"
    'helpers.transform_table("shelf", {}, {}, sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("label", sa.String(40)))\n'
)
NOT_DUPLICATED = {
    "dropped between": [INDEX, 'op.drop_index("ix_shelf_label", table_name="shelf")', INDEX],
    "another table": [INDEX, 'op.create_index("ix_shelf_label", "room", ["label"])'],
    "the table dropped and made again": [INDEX, 'op.drop_table("shelf")\n' + SHELF, INDEX],
    "raw DDL on the table between": [
        INDEX,
        'op.execute("ALTER TABLE shelf DROP INDEX ix_shelf_label")',
        INDEX,
    ],
    "a creation under a test": [
        INDEX,
        'if not has_index("shelf", "ix_shelf_label"):\n    ' + INDEX,
    ],
    "its column dropped between": [INDEX, 'op.drop_column("shelf", "label")', INDEX],
    "a step lint cannot read between": [INDEX, "rebuild_indexes(op)", INDEX],
    # a project function building the table whole (a new one from the definition, the old one
    # dropped: its index goes with it); the setting before it writes nothing (issue 20)
    "the table rebuilt by a project function": [INDEX, REBUILDS_SHELF + INDEX],
    "the table rebuilt after a setting": [
        INDEX,
        'op.execute("SET FOREIGN_KEY_CHECKS=0")\n' + REBUILDS_SHELF + INDEX,
    ],
}


@pytest.mark.parametrize("upgrades", NOT_DUPLICATED.values(), ids=list(NOT_DUPLICATED))
def test_an_index_name_free_again_is_not_reported(tmp_path: Path, upgrades: list[str]) -> None:
    assert not found(history(tmp_path, SHELF, *upgrades), "L336")


def test_postgresql_is_not_judged(tmp_path: Path) -> None:
    assert not found(history(tmp_path, SHELF, INDEX, INDEX, target="postgresql"), "L336")


# L337

CHECK = 'op.create_check_constraint("ck_positive", "{table}", "room_id > 0")'
ROOM = 'op.create_table("room", sa.Column("id", sa.Integer(), primary_key=True))'


def test_a_check_name_of_another_table_on_mysql(tmp_path: Path) -> None:
    findings = history(
        tmp_path, SHELF, ROOM, CHECK.format(table="shelf"), CHECK.format(table="room")
    )
    [(path, message)] = found(findings, "L337")
    assert path == "r3.py" and "ERROR 3822" in message and "shelf" in message


def test_a_check_name_of_another_table_is_free_on_mariadb(tmp_path: Path) -> None:
    upgrades = [SHELF, ROOM, CHECK.format(table="shelf"), CHECK.format(table="room")]
    assert not found(history(tmp_path, *upgrades, target="mariadb-10.11"), "L337")


def test_a_check_name_of_the_same_table_on_mariadb(tmp_path: Path) -> None:
    upgrades = [SHELF, CHECK.format(table="shelf"), CHECK.format(table="shelf")]
    [(_, message)] = found(history(tmp_path, *upgrades, target="mariadb-10.11"), "L337")
    assert "ERROR 1826" in message


def test_a_create_table_check_named_as_another_tables(tmp_path: Path) -> None:
    create = (
        'op.create_table("room", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.CheckConstraint("id > 0", name="ck_positive"))'
    )
    assert len(found(history(tmp_path, SHELF, CHECK.format(table="shelf"), create), "L337")) == 1


def test_a_check_dropped_before_its_name_is_reused(tmp_path: Path) -> None:
    drop = 'op.drop_constraint("ck_positive", "shelf", type_="check")'
    upgrades = [SHELF, ROOM, CHECK.format(table="shelf"), drop, CHECK.format(table="room")]
    assert not found(history(tmp_path, *upgrades), "L337")


TABLED_CK = {"ck": "ck_%(table_name)s_%(constraint_name)s"}
ROOM_CHECK_TABLE = (
    'op.create_table("room", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.CheckConstraint("id > 0", name="ck_positive"))'
)


@pytest.mark.parametrize(
    ("reuse", "convention", "templates"),
    [
        (CHECK.format(table="room"), True, TABLED_CK),
        (ROOM_CHECK_TABLE, True, TABLED_CK),
        (CHECK.format(table="room"), True, None),  # a convention whose templates lint lacks
        (ROOM_CHECK_TABLE, True, None),
    ],
    ids=["ck-template", "create-table-ck-template", "unknown-convention", "create-table-unknown"],
)
def test_a_check_name_the_convention_prefixes_with_its_table_is_not_reused(
    tmp_path: Path, reuse: str, convention: bool | None, templates: dict[str, str] | None
) -> None:
    # ck_positive on shelf and on room become ck_shelf_ck_positive and ck_room_ck_positive
    upgrades = [SHELF, ROOM, CHECK.format(table="shelf"), reuse]
    findings = history(tmp_path, *upgrades, convention=convention, templates=templates)
    assert not found(findings, "L337")


@pytest.mark.parametrize(
    ("upgrades", "templates"),
    [
        # the same table: the convention gives both the same name
        ([SHELF, CHECK.format(table="shelf"), CHECK.format(table="shelf")], TABLED_CK),
        ([SHELF, CHECK.format(table="shelf"), CHECK.format(table="shelf")], None),
        # op.f names are final: the convention leaves them as written
        (
            [
                SHELF,
                ROOM,
                CHECK.format(table="shelf").replace('"ck_positive"', 'op.f("ck_positive")'),
                CHECK.format(table="room").replace('"ck_positive"', 'op.f("ck_positive")'),
            ],
            TABLED_CK,
        ),
        (
            [
                SHELF,
                CHECK.format(table="shelf").replace('"ck_positive"', 'op.f("ck_positive")'),
                ROOM_CHECK_TABLE.replace('name="ck_positive"', 'name=op.f("ck_positive")'),
            ],
            None,
        ),
        # a ck template without the table: every table's ck_positive is ck_ck_positive
        (
            [SHELF, ROOM, CHECK.format(table="shelf"), CHECK.format(table="room")],
            {"ck": "ck_%(constraint_name)s"},
        ),
    ],
    ids=["same-table", "same-table-unknown", "op-f", "op-f-create-table", "ck-without-table"],
)
def test_a_check_name_the_convention_keeps_is_still_reused(
    tmp_path: Path, upgrades: list[str], templates: dict[str, str] | None
) -> None:
    findings = history(tmp_path, *upgrades, convention=True, templates=templates)
    assert len(found(findings, "L337")) == 1


def test_a_check_name_reused_when_no_convention_is_known(tmp_path: Path) -> None:
    # lint cannot say whether there is a convention: the names are read as written
    upgrades = [SHELF, ROOM, CHECK.format(table="shelf"), CHECK.format(table="room")]
    assert len(found(history(tmp_path, *upgrades, convention=None), "L337")) == 1


# L338

UNNAMED_FK = (
    'op.create_table("shelf", sa.Column("id", sa.Integer(), primary_key=True), '
    'sa.Column("room_id", sa.Integer(), sa.ForeignKey("room.id")))'
)
PG_DROP = 'op.drop_constraint("shelf_room_id_fkey", "shelf", type_="foreignkey")'


@pytest.mark.parametrize("target", ["mysql-8.0", "mariadb-10.11"])
def test_an_unnamed_foreign_key_dropped_by_postgresqls_name(tmp_path: Path, target: str) -> None:
    findings = history(tmp_path, ROOM, UNNAMED_FK, PG_DROP, target=target)
    [(path, message)] = found(findings, "L338")
    assert path == "r2.py" and "ERROR 1091" in message and "shelf_ibfk_" in message


def test_create_foreign_key_none_then_the_postgresql_name(tmp_path: Path) -> None:
    made = 'op.create_foreign_key(None, "shelf", "room", ["room_id"], ["id"])'
    assert len(found(history(tmp_path, ROOM, SHELF, made, PG_DROP), "L338")) == 1


NOT_REFUSED = {
    "named so when created": (
        [
            'op.create_table("shelf", sa.Column("id", sa.Integer(), primary_key=True), '
            'sa.Column("room_id", sa.Integer(), '
            'sa.ForeignKey("room.id", name="shelf_room_id_fkey")))',
            PG_DROP,
        ],
        "mysql-8.0",
        False,
    ),
    "the table renamed between": (
        [UNNAMED_FK, 'op.rename_table("shelf", "shelf_old")', PG_DROP],
        "mysql-8.0",
        False,
    ),
    "PostgreSQL": ([UNNAMED_FK, PG_DROP], "postgresql", False),
    "no creation shown": ([PG_DROP], "mysql-8.0", False),
    "under a test": (
        [UNNAMED_FK, 'if "shelf_room_id_fkey" in names:\n    ' + PG_DROP],
        "mysql-8.0",
        False,
    ),
}


@pytest.mark.parametrize(
    ("upgrades", "target", "convention"), NOT_REFUSED.values(), ids=list(NOT_REFUSED)
)
def test_a_drop_the_server_may_run_is_not_reported(
    tmp_path: Path, upgrades: list[str], target: str, convention: bool | None
) -> None:
    findings = history(tmp_path, ROOM, *upgrades, target=target, convention=convention)
    assert not found(findings, "L338")


def test_a_convention_lint_cannot_read_is_said_in_the_message(tmp_path: Path) -> None:
    # no metadata read, no revision naming keys as a convention does: reported, with the one
    # convention that would make the drop run
    findings = history(tmp_path, ROOM, UNNAMED_FK, PG_DROP, convention=None)
    [(_, message)] = found(findings, "L338")
    assert (
        "unless the MetaData's naming_convention names foreign keys shelf_<column>_fkey" in message
    )


def test_a_convention_that_names_foreign_keys_is_not_second_guessed(tmp_path: Path) -> None:
    templates = {"fk": "%(table_name)s_%(column_0_name)s_fkey"}
    findings = history(tmp_path, ROOM, UNNAMED_FK, PG_DROP, convention=True, templates=templates)
    assert not found(findings, "L338")
