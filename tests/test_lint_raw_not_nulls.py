"""Issue 20: a NOT NULL written in raw SQL, and a nullability restated against the history.

- L302: `op.execute("ALTER TABLE t MODIFY c <type> NOT NULL")` (CHANGE, one clause of several,
  `sa.text`, a multi-line string) makes the column NOT NULL as `alter_column(nullable=False)`
  does, and gets the same exemptions: the column NOT NULL already (its history, an earlier raw
  MODIFY), filled or its NULL rows deleted before, a table made here, an AUTO_INCREMENT key, a
  NOT NULL the downgrade's raw MODIFY restates too. Another raw DDL statement before it (an
  index, another column's MODIFY, a plain ADD of the column) is no fill of it. Checked on
  MariaDB 10.11: the MODIFY / CHANGE fails on a NULL row (ERROR 1265, Data truncated).
- L330: a type change or rename saying `existing_nullable=True` of a column the history
  certainly shows NOT NULL: Alembic writes `MODIFY c ... NULL` (checked offline), the NOT NULL
  goes. Not when the history is unknown, says nullable, comes from a step under an `if` lint
  cannot decide or a restatement already declared it NULL, nor for `nullable=True`. A raw
  MODIFY ... NOT NULL is NOT NULL in the history a plain restatement is judged by too.

Our own revisions, in tmp_path or inline."""

from __future__ import annotations

from pathlib import Path

from test_lint_histories import chained
from test_lint_restated_columns import history
from test_lint_rules import lint, revision

from alembic_sentinel.lint.linter import LintOptions, lint_files

# --- L302: raw MODIFY / CHANGE ... NOT NULL --------------------------------------------------


def l302(upgrade: str, downgrade: str = "pass") -> list[str]:
    return [f.message for f in lint(revision(upgrade, downgrade)) if f.code == "L302"]


MODIFY_WEIGHT = 'op.execute("ALTER TABLE parcel MODIFY weight INT NOT NULL")'


def test_a_raw_modify_to_not_null_is_reported() -> None:
    (message,) = l302(MODIFY_WEIGHT)
    assert "MODIFY parcel.weight ... NOT NULL" in message and "no data fill" in message


def test_a_multi_line_modify_column_among_other_clauses_in_sa_text_is_reported() -> None:
    upgrade = '''
    op.execute(sa.text("""
        ALTER TABLE `parcel`
          ADD COLUMN `note` VARCHAR(20),
          MODIFY COLUMN `weight` int(11) NOT NULL DEFAULT 0
    """))
    '''
    assert len(l302(upgrade)) == 1


def test_a_raw_change_to_not_null_of_a_column_added_nullable_is_reported() -> None:
    upgrade = """
    op.add_column("parcel", sa.Column("weight", sa.Integer(), nullable=True))
    op.execute("ALTER TABLE parcel CHANGE weight mass INT NOT NULL")
    """
    (message,) = l302(upgrade)
    assert "CHANGE parcel.weight" in message and "since add_column" in message


def test_a_raw_modify_after_another_columns_modify_is_reported() -> None:
    upgrade = """
    op.execute("ALTER TABLE parcel MODIFY size INT NOT NULL")
    op.execute("CREATE INDEX ix_parcel_size ON parcel (size)")
    op.execute("ALTER TABLE parcel MODIFY weight INT NOT NULL")
    """
    assert len(l302(upgrade)) == 2


def test_a_raw_modify_after_a_plain_raw_add_is_reported() -> None:
    upgrade = """
    op.execute("ALTER TABLE parcel ADD COLUMN weight INT")
    op.execute("ALTER TABLE parcel MODIFY weight INT NOT NULL")
    """
    assert len(l302(upgrade)) == 1


def test_a_downgrade_making_it_nullable_again_keeps_the_finding() -> None:
    downgrade = 'op.execute("ALTER TABLE parcel MODIFY weight INT NULL")'
    assert len(l302(MODIFY_WEIGHT, downgrade)) == 1


def test_a_raw_modify_that_leaves_the_column_nullable_is_not_reported() -> None:
    assert l302('op.execute("ALTER TABLE parcel MODIFY weight INT NULL")') == []
    assert (
        l302('op.execute("ALTER TABLE parcel MODIFY weight INT CHECK (weight IS NOT NULL)")') == []
    )


def test_a_raw_modify_after_a_fill_or_a_delete_of_the_nulls_is_not_reported() -> None:
    for before in (
        'op.execute("UPDATE parcel SET weight = 0 WHERE weight IS NULL")',
        'op.execute("DELETE FROM parcel WHERE weight IS NULL")',
        'op.execute("ALTER TABLE parcel ADD COLUMN weight INT DEFAULT 0")',
    ):
        assert l302(f"{before}\n{MODIFY_WEIGHT}") == [], before


def test_an_add_in_another_dialects_branch_after_it_does_not_hide_the_fill() -> None:
    upgrade = """
    if op.get_bind().dialect.name == "mysql":
        op.execute("ALTER TABLE parcel ADD COLUMN weight INT NULL")
        op.execute("UPDATE parcel SET weight = 0 WHERE weight IS NULL")
        op.execute("ALTER TABLE parcel MODIFY COLUMN weight INT NOT NULL")
    else:
        op.add_column("parcel", sa.Column("weight", sa.Integer(), nullable=True))
    """
    assert l302(upgrade) == []


def test_a_raw_modify_of_a_table_made_here_is_not_reported() -> None:
    for create in (
        'op.create_table("parcel", sa.Column("weight", sa.Integer()))',
        'op.execute("CREATE TABLE parcel (weight INT)")',
    ):
        assert l302(f"{create}\n{MODIFY_WEIGHT}") == [], create


def test_a_raw_modify_making_an_auto_increment_key_is_not_reported() -> None:
    assert l302('op.execute("ALTER TABLE parcel MODIFY id INT NOT NULL AUTO_INCREMENT")') == []


def test_a_not_null_the_downgrades_raw_modify_restates_is_not_reported() -> None:
    downgrade = 'op.execute("ALTER TABLE parcel MODIFY weight SMALLINT NOT NULL")'
    assert l302(MODIFY_WEIGHT, downgrade) == []


ADDS_WEIGHT = revision(
    'op.add_column("parcel", sa.Column("weight", sa.Integer(), nullable=False))',
    'op.drop_column("parcel", "weight")',
)
ADDS_WEIGHT_NULLABLE = revision(
    'op.add_column("parcel", sa.Column("weight", sa.Integer(), nullable=True))',
    'op.drop_column("parcel", "weight")',
)
WIDENS_WEIGHT = revision('op.execute("ALTER TABLE parcel MODIFY weight BIGINT NOT NULL")')


def test_a_raw_modify_restating_a_not_null_column_is_not_reported(tmp_path: Path) -> None:
    assert history(tmp_path, ADDS_WEIGHT, WIDENS_WEIGHT, code="L302") == []


def test_a_raw_modify_of_a_column_the_history_shows_nullable_is_reported(tmp_path: Path) -> None:
    found = history(tmp_path, ADDS_WEIGHT_NULLABLE, WIDENS_WEIGHT, code="L302")
    assert [name for name, _ in found] == ["r1.py"]


def test_a_raw_not_null_counts_for_a_later_alter(tmp_path: Path) -> None:
    later = revision(
        'op.alter_column("parcel", "weight", existing_type=sa.BigInteger(), nullable=False)'
    )
    found = history(tmp_path, ADDS_WEIGHT_NULLABLE, WIDENS_WEIGHT, later, code="L302")
    assert [name for name, _ in found] == ["r1.py"]


# --- L330: existing_nullable=True against a history that says NOT NULL -----------------------

ADDS_KIND = revision(
    'op.add_column("parcel", sa.Column("kind", sa.String(10), nullable=False))',
    'op.drop_column("parcel", "kind")',
)
ADDS_KIND_NULLABLE = revision(
    'op.add_column("parcel", sa.Column("kind", sa.String(10), nullable=True))',
    'op.drop_column("parcel", "kind")',
)
GUARDED_ADD = revision(
    """
    if not has_column("parcel", "kind"):
        op.add_column("parcel", sa.Column("kind", sa.String(10), nullable=False))
    """,
    'op.drop_column("parcel", "kind")',
    header="def has_column(table, column):\n"
    "    columns = sa.inspect(op.get_bind()).get_columns(table)\n"
    '    return column in [c["name"] for c in columns]\n',
)
WIDENS_KIND_SAYING_NULLABLE = revision(
    'op.alter_column("parcel", "kind", type_=sa.String(20), existing_type=sa.String(10), '
    "existing_nullable=True)"
)
RENAMES_KIND_SAYING_NULLABLE = revision(
    'op.alter_column("parcel", "kind", new_column_name="sort", existing_type=sa.String(10), '
    "existing_nullable=True)"
)


def test_existing_nullable_true_against_a_not_null_history_is_reported(tmp_path: Path) -> None:
    found = history(tmp_path, ADDS_KIND, WIDENS_KIND_SAYING_NULLABLE, code="L330")
    assert [name for name, _ in found] == ["r1.py"]


def test_the_message_names_the_revision_and_the_fix(tmp_path: Path) -> None:
    (tmp_path / "r0.py").write_text(chained(ADDS_KIND, "cccc0000", "base0000"))
    (tmp_path / "r1.py").write_text(chained(WIDENS_KIND_SAYING_NULLABLE, "cccc0001", "cccc0000"))
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    (finding,) = [f for f in lint_files(files, LintOptions()).findings if f.code == "L330"]
    assert "parcel.kind" in finding.message and "revision cccc0000" in finding.message
    assert "existing_nullable=True" in finding.message
    assert finding.fix is not None and "existing_nullable=False" in finding.fix


def test_a_rename_saying_nullable_is_reported(tmp_path: Path) -> None:
    found = history(tmp_path, ADDS_KIND, RENAMES_KIND_SAYING_NULLABLE, code="L330")
    assert [name for name, _ in found] == ["r1.py"]


def test_existing_nullable_true_after_a_not_null_earlier_in_the_upgrade_is_reported() -> None:
    source = revision(
        """
        op.add_column("parcel", sa.Column("kind", sa.String(10), nullable=False))
        op.alter_column("parcel", "kind", type_=sa.String(20), existing_type=sa.String(10),
                        existing_nullable=True)
        """
    )
    (finding,) = [f for f in lint(source) if f.code == "L330"]
    assert "(line 16)" in finding.message


def test_existing_nullable_true_after_a_raw_not_null_is_reported(tmp_path: Path) -> None:
    raw = revision('op.execute("ALTER TABLE parcel MODIFY kind VARCHAR(10) NOT NULL")')
    found = history(tmp_path, ADDS_KIND_NULLABLE, raw, WIDENS_KIND_SAYING_NULLABLE, code="L330")
    assert [name for name, _ in found] == ["r2.py"]


def test_existing_nullable_true_with_no_history_is_not_reported(tmp_path: Path) -> None:
    assert history(tmp_path, WIDENS_KIND_SAYING_NULLABLE, code="L330") == []


def test_existing_nullable_true_of_a_nullable_column_is_not_reported(tmp_path: Path) -> None:
    assert history(tmp_path, ADDS_KIND_NULLABLE, WIDENS_KIND_SAYING_NULLABLE, code="L330") == []


def test_a_not_null_from_a_guarded_add_is_not_certain(tmp_path: Path) -> None:
    assert history(tmp_path, GUARDED_ADD, WIDENS_KIND_SAYING_NULLABLE, code="L330") == []


def test_nullable_true_is_an_intended_change(tmp_path: Path) -> None:
    loosens = revision(
        'op.alter_column("parcel", "kind", type_=sa.String(20), existing_type=sa.String(10), '
        "nullable=True, existing_nullable=True)"
    )
    assert history(tmp_path, ADDS_KIND, loosens, code="L330") == []


def test_a_column_a_raw_modify_declared_null_already_loses_nothing(tmp_path: Path) -> None:
    raw = revision('op.execute("ALTER TABLE parcel MODIFY kind VARCHAR(10)")')
    # the raw MODIFY is the restatement that drops the NOT NULL (reported itself since issue
    # 20's raw restatements): the later one finds none to drop
    found = history(tmp_path, ADDS_KIND, raw, WIDENS_KIND_SAYING_NULLABLE, code="L330")
    assert [name for name, _ in found] == ["r1.py"]


def test_a_plain_restatement_after_a_raw_not_null_is_reported(tmp_path: Path) -> None:
    raw = revision('op.execute("ALTER TABLE parcel MODIFY kind VARCHAR(10) NOT NULL")')
    plain = revision(
        'op.alter_column("parcel", "kind", type_=sa.String(20), existing_type=sa.String(10))'
    )
    found = history(tmp_path, ADDS_KIND_NULLABLE, raw, plain, code="L330")
    assert [name for name, _ in found] == ["r2.py"]
