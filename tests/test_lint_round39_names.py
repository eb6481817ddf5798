"""Round 39's classes of names the server gives and tables raw SQL creates (issue 20), as
rules over our own revisions:

- L319: InnoDB's `<table>_ibfk_<n>` follows a rename_table (RENAME TABLE renames every key
  called `<old>_ibfk_<n>` to `<new>_ibfk_<n>`, checked on MariaDB 10.11): a key dropped under
  the name it has after the upgrade's rename is restored by the downgrade's create_foreign_key
  under either name of its table.
- L314 / L301: a table the upgrade creates in raw SQL (`CREATE TABLE t (...)`, `CREATE TABLE t
  LIKE u`) is new and empty, as an op.create_table's is; `CREATE TABLE t AS SELECT ...` is not
  empty, nor is `CREATE TABLE IF NOT EXISTS` surely new.
- L306: a reference column dropped and one to another table added, where the new name says
  its table after a qualifier (`default_logo_image_id` -> `logo_image`), or the old column's key
  is known from the revisions before: a redesign, not a rename.
"""

from __future__ import annotations

from pathlib import Path

from test_lint_histories import chained, lint
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version


def messages(source: str, code: str, target: str = "mariadb-10.11") -> list[str]:
    return [f.message for f in lint(source, target=target) if f.code == code]


# L319: InnoDB's generated foreign key names follow the table's renames. The upgrade drops the
# key under either name it may have (a database upgraded by hand before, or not): the
# downgrade's key under the old name is one the upgrade drops too, so only its names pair it

RENAMED_THEN_DROPPED = revision(
    """
    op.rename_table("stock_items", "proxy_items")
    if _fk_exists("proxy_items", "proxy_items_ibfk_2"):
        op.drop_constraint("proxy_items_ibfk_2", "proxy_items", type_="foreignkey")
    elif _fk_exists("proxy_items", "stock_items_ibfk_2"):
        op.drop_constraint("stock_items_ibfk_2", "proxy_items", type_="foreignkey")
    op.alter_column("proxy_items", "stock_id", new_column_name="proxy_id",
                    existing_type=sa.Integer(), existing_nullable=False)
    op.create_foreign_key("fk_proxy_items_proxy", "proxy_items", "proxies", ["proxy_id"], ["id"])
    """,
    """
    op.drop_constraint("fk_proxy_items_proxy", "proxy_items", type_="foreignkey")
    op.alter_column("proxy_items", "proxy_id", new_column_name="stock_id",
                    existing_type=sa.Integer(), existing_nullable=False)
    op.create_foreign_key(RESTORED, "proxy_items", "proxies", ["stock_id"], ["id"])
    op.rename_table("proxy_items", "stock_items")
    """,
)


def test_a_key_dropped_under_its_renamed_name_is_restored_under_the_old_one() -> None:
    source = RENAMED_THEN_DROPPED.replace("RESTORED", '"stock_items_ibfk_2"')
    assert messages(source, "L319") == []


def test_restored_under_the_new_name_the_rename_back_gives_it_the_old_one() -> None:
    source = RENAMED_THEN_DROPPED.replace("RESTORED", '"proxy_items_ibfk_2"')
    assert messages(source, "L319") == []


def test_raw_sql_renames_count_too() -> None:
    for sql in (
        "RENAME TABLE stock_items TO proxy_items",
        "ALTER TABLE `stock_items` RENAME TO `proxy_items`",
    ):
        source = RENAMED_THEN_DROPPED.replace(
            'op.rename_table("stock_items", "proxy_items")', f'op.execute("{sql}")'
        ).replace("RESTORED", '"stock_items_ibfk_2"')
        assert messages(source, "L319") == [], sql


def test_restored_by_raw_sql_or_dropped_in_a_batch() -> None:
    raw = RENAMED_THEN_DROPPED.replace(
        'op.create_foreign_key(RESTORED, "proxy_items", "proxies", ["stock_id"], ["id"])',
        'op.execute("ALTER TABLE proxy_items ADD CONSTRAINT stock_items_ibfk_2 '
        'FOREIGN KEY (stock_id) REFERENCES proxies (id)")',
    )
    assert messages(raw, "L319") == []
    batch = RENAMED_THEN_DROPPED.replace(
        '        op.drop_constraint("proxy_items_ibfk_2", "proxy_items", type_="foreignkey")',
        '        with op.batch_alter_table("proxy_items") as batch_op:\n'
        '            batch_op.drop_constraint("proxy_items_ibfk_2", type_="foreignkey")',
    ).replace("RESTORED", '"stock_items_ibfk_2"')
    assert batch != RENAMED_THEN_DROPPED.replace("RESTORED", '"stock_items_ibfk_2"')
    assert messages(batch, "L319") == []


def test_through_a_chain_of_renames() -> None:
    source = RENAMED_THEN_DROPPED.replace(
        '    op.rename_table("stock_items", "proxy_items")\n',
        '    op.rename_table("stock_items", "items_tmp")\n'
        '    op.rename_table("items_tmp", "proxy_items")\n',
    ).replace("RESTORED", '"stock_items_ibfk_2"')
    found = " ".join(messages(source, "L319"))
    assert "drop_constraint" not in found, found


def test_another_number_is_another_key() -> None:
    source = RENAMED_THEN_DROPPED.replace("RESTORED", '"stock_items_ibfk_3"').replace(
        '"stock_items_ibfk_2", "proxy_items"', '"stock_items_ibfk_3", "proxy_items"'
    )
    found = " ".join(messages(source, "L319"))
    assert "drop_constraint proxy_items_ibfk_2" in found, found


def test_without_the_rename_the_old_name_is_another_key() -> None:
    source = (
        RENAMED_THEN_DROPPED.replace('    op.rename_table("stock_items", "proxy_items")\n', "")
        .replace('    op.rename_table("proxy_items", "stock_items")\n', "")
        .replace("RESTORED", '"stock_items_ibfk_2"')
    )
    found = " ".join(messages(source, "L319"))
    assert "drop_constraint proxy_items_ibfk_2" in found, found


def test_postgresql_keeps_the_name_on_a_rename() -> None:
    source = RENAMED_THEN_DROPPED.replace("RESTORED", '"stock_items_ibfk_2"')
    found = " ".join(messages(source, "L319", target="postgresql"))
    assert "drop_constraint proxy_items_ibfk_2" in found, found


# L314 / L301: a table raw SQL creates is new and empty, as an op.create_table's is

RAW_COPY = revision(
    """
    op.execute(CREATE)
    op.execute("ALTER TABLE plugin_config_2 ADD plugin_id INT NOT NULL FIRST")
    op.create_foreign_key("fk_config_plugin", "plugin_config_2", "plugin", ["plugin_id"], ["id"])
    op.execute("INSERT INTO plugin_config_2 SELECT p.id, c.* FROM plugin_config c JOIN plugin p")
    op.drop_table("plugin_config")
    op.rename_table("plugin_config_2", "plugin_config")
    """,
    """
    op.drop_constraint("fk_config_plugin", "plugin_config", type_="foreignkey")
    op.drop_column("plugin_config", "plugin_id")
    """,
)


def l314_lines(source: str) -> list[str]:
    return [m for m in messages(source, "L314") if "plugin_config_2" in m]


def test_a_key_on_a_table_created_like_another_copies_nothing() -> None:
    for create in (
        '"CREATE TABLE plugin_config_2 LIKE plugin_config"',
        '"CREATE TABLE `plugin_config_2` (LIKE `plugin_config`)"',
        '"CREATE TABLE plugin_config_2 (id INT PRIMARY KEY, name VARCHAR(30))"',
        'sa.text("create table plugin_config_2 (id int primary key) engine=InnoDB")',
    ):
        assert l314_lines(RAW_COPY.replace("CREATE", create)) == [], create


def test_a_create_through_the_connection_counts_too() -> None:
    source = RAW_COPY.replace(
        "    op.execute(CREATE)\n",
        "    conn = op.get_bind()\n"
        '    conn.execute(sa.text("CREATE TABLE plugin_config_2 LIKE plugin_config"))\n',
    )
    assert "conn.execute" in source
    assert l314_lines(source) == []


def test_a_table_created_with_rows_is_copied() -> None:
    for create in (
        '"CREATE TABLE plugin_config_2 AS SELECT * FROM plugin_config"',
        '"CREATE TABLE plugin_config_2 SELECT * FROM plugin_config"',
        '"CREATE TABLE plugin_config_2 (id INT PRIMARY KEY) SELECT id FROM plugin_config"',
    ):
        found = " ".join(l314_lines(RAW_COPY.replace("CREATE", create)))
        assert "add foreign key fk_config_plugin on plugin_config_2" in found, create


def test_a_create_if_not_exists_may_create_nothing() -> None:
    create = '"CREATE TABLE IF NOT EXISTS plugin_config_2 LIKE plugin_config"'
    found = " ".join(l314_lines(RAW_COPY.replace("CREATE", create)))
    assert "add foreign key fk_config_plugin on plugin_config_2" in found, found


def test_a_not_null_column_added_to_a_raw_new_table_loses_nothing() -> None:
    source = revision(
        """
        op.execute("CREATE TABLE audit_2 LIKE audit")
        op.add_column("audit_2", sa.Column("kind", sa.String(20), nullable=False))
        """,
        'op.drop_table("audit_2")',
    )
    assert messages(source, "L301") == []
    guarded = source.replace("CREATE TABLE audit_2", "CREATE TABLE IF NOT EXISTS audit_2")
    assert messages(guarded, "L301") != []


# L306: two references to different tables, the new name qualified or the old key known only
# from the revisions before


def l306_in_history(tmp_path: Path, *revisions: str) -> list[str]:
    """The L306 messages of the last revision, linted as one chain with those before it."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    down = "base0000"
    for number, source in enumerate(revisions):
        revision_id = f"ffff{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.glob("*.py"))]
    options = LintOptions(target=parse_server_version("mysql-8.0"))
    last = f"r{len(revisions) - 1}.py"
    return [
        f.message
        for f in lint_files(files, options).findings
        if f.code == "L306" and Path(f.path).name == last
    ]


TABLES = revision(
    """
    op.create_table("picture", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table("logo_image", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table("station", sa.Column("id", sa.Integer(), primary_key=True))
    """,
    'op.drop_table("station")',
)


def swap(old: str, new: str, old_key: str = "") -> tuple[str, str]:
    """An earlier revision adding `old` to station (with `old_key`, a ForeignKey's argument),
    and the revision dropping it and adding `new`, autogenerate's downgrade restoring `old`."""
    key = f", sa.ForeignKey({old_key!r})" if old_key else ""
    earlier = revision(
        f'op.add_column("station", sa.Column("{old}", sa.Integer(){key}, nullable=True))',
        f'op.drop_column("station", "{old}")',
    )
    later = revision(
        f"""
        op.add_column("station", sa.Column("{new}", sa.Integer(), nullable=True))
        op.drop_column("station", "{old}")
        """,
        f"""
        op.add_column("station", sa.Column("{old}", mysql.INTEGER(display_width=11),
                      autoincrement=False, nullable=True))
        op.drop_column("station", "{new}")
        """,
        header="from sqlalchemy.dialects import mysql",
    )
    return earlier, later


def test_a_qualified_name_of_another_known_table_is_no_rename(tmp_path: Path) -> None:
    for number, (old, new) in enumerate(
        [
            ("epg_picture_id", "default_logo_image_id"),
            ("epgPictureId", "defaultLogoImageId"),
            ("picture_id", "owner_user_id"),
        ]
    ):
        assert l306_in_history(tmp_path / str(number), TABLES, *swap(old, new)) == [], new


def test_the_old_key_from_an_earlier_revision_shows_another_table(tmp_path: Path) -> None:
    # `image_id` -> `logo_image_id` share a word; the keys say `picture` and `logo_image`
    earlier, later = swap("image_id", "logo_image_id", old_key="picture.id")
    keyed = later.replace(
        'sa.Column("logo_image_id", sa.Integer(),',
        'sa.Column("logo_image_id", sa.Integer(), sa.ForeignKey("logo_image.id"),',
    )
    assert keyed != later
    assert l306_in_history(tmp_path / "a", TABLES, earlier, keyed) == []
    # the same table on both sides: perhaps a rename
    same, _ = swap("image_id", "logo_image_id", old_key="logo_image.id")
    assert l306_in_history(tmp_path / "b", TABLES, same, keyed) != []


def test_a_qualified_name_of_the_same_table_may_be_a_rename(tmp_path: Path) -> None:
    found = l306_in_history(
        tmp_path / "a", TABLES, *swap("main_pic_id", "main_picture_id", old_key="picture.id")
    )
    assert found != []
    # the old key's table is the one the new name says, after its qualifier
    found = l306_in_history(
        tmp_path / "b", TABLES, *swap("creator_id", "owner_user_id", old_key="users.id")
    )
    assert found != []


def test_a_qualified_name_of_no_known_table_may_be_a_rename(tmp_path: Path) -> None:
    found = l306_in_history(tmp_path, TABLES, *swap("epg_picture_id", "default_banner_id"))
    assert found != []
