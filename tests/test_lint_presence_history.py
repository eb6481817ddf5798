"""Round 39's false classes: steps the history says never run or touch nothing (issue 20).

- L319: a create under an undecided `if` (`if not _has_index(...)`, a helper over
  `inspector.get_indexes`, `inspector.has_table`) of an index, unique key, foreign key or table
  the history already made never runs on a database built from the history: no inverse owed.
  A guarded create of a name the history does not hold, one the upgrade dropped first, or an
  unguarded one, is still reported.
- L305 / L304 / L319: the drop of a column or table an earlier revision already dropped (and
  none made again) drops nothing; a column the history made again, or one dropped only under
  an `if` that does not test it, is still a loss.
- L305 / L319: a guarded drop (`try`, or an `if` testing the column) of a scratch copy no
  revision made (`difficulty_int` beside a kept `difficulty`), on a table a revision created
  with every column lint reads, drops nothing on a database built from the history, and its
  values are the kept column's. Unguarded (the author's database has it, made outside the
  history), of another name (an edited revision may once have made it), on a table whose first
  create is itself guarded (it may predate the history), or on a table changed by SQL lint
  cannot read, it is still reported.
- L342 (new): an unguarded drop of what an ancestor revision (or an earlier step of the same
  upgrade) already dropped, with nothing making it again on any branch, fails on MySQL (ERROR
  1091 / 1051). Guarded, caught, after a step lint cannot read on the table, by a drop of
  another branch, or on PostgreSQL, it is not reported.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from test_lint_histories import chained
from test_lint_round37_history import found, history
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

# L319: guarded creates of what the history already has

SUPPLIER = revision(
    """
    op.create_table("supplier", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("tax_id", sa.String(20)), sa.Column("company_id", sa.Integer()))
    op.create_index("ix_supplier_tax_id", "supplier", ["tax_id"], unique=True)
    op.create_unique_constraint("uq_supplier_company", "supplier", ["company_id", "tax_id"])
    """
)

HELPERS = """
bind = op.get_bind()
inspector = sa.inspect(bind)

def _has_index(table, name):
    return any(ix["name"] == name for ix in inspector.get_indexes(table))

"""


# a downgrade that undoes something else: an empty one is L318's case, never L319's
OTHER = 'op.drop_index("ix_other", table_name="other")'


def guarded(body: str, downgrade: str = OTHER) -> str:
    return revision(HELPERS + textwrap.dedent(body), downgrade)


def test_a_guarded_create_index_of_an_index_the_history_made_owes_no_inverse(
    tmp_path: Path,
) -> None:
    later = guarded(
        """
        if not _has_index("supplier", "ix_supplier_tax_id"):
            op.create_index("ix_supplier_tax_id", "supplier", ["tax_id"])
        """
    )
    assert found(history(tmp_path, SUPPLIER, later), "L319") == []


def test_a_guard_written_as_a_name_list_or_in_a_batch_counts_the_same(tmp_path: Path) -> None:
    later = revision(
        """
        names = [ix["name"] for ix in sa.inspect(op.get_bind()).get_indexes("supplier")]
        with op.batch_alter_table("supplier") as batch_op:
            if "ix_supplier_tax_id" not in names:
                batch_op.create_index("ix_supplier_tax_id", ["tax_id"])
            if "uq_supplier_company" not in names:
                batch_op.create_unique_constraint("uq_supplier_company", ["company_id", "tax_id"])
        """,
        OTHER,
    )
    assert found(history(tmp_path, SUPPLIER, later), "L319") == []


def test_a_guarded_create_after_a_guarded_add_column_still_owes_nothing(tmp_path: Path) -> None:
    later = guarded(
        """
        cols = [c["name"] for c in inspector.get_columns("supplier")]
        if "branch_id" not in cols:
            op.add_column("supplier", sa.Column("branch_id", sa.Integer()))
        if not _has_index("supplier", "ix_supplier_tax_id"):
            op.create_index("ix_supplier_tax_id", "supplier", ["tax_id"])
        """,
    )
    assert found(history(tmp_path, SUPPLIER, later), "L319") == ["r1.py"]  # the add only


def test_a_guard_reading_information_schema_counts_the_same(tmp_path: Path) -> None:
    later = revision(
        """
        count = op.get_bind().execute(sa.text(
            "SELECT COUNT(*) FROM information_schema.statistics "
            "WHERE table_name = 'supplier' AND index_name = 'ix_supplier_tax_id'"
        )).scalar()
        if not count:
            op.create_index("ix_supplier_tax_id", "supplier", ["tax_id"])
        """,
        OTHER,
    )
    assert found(history(tmp_path, SUPPLIER, later), "L319") == []


def test_a_guarded_create_table_of_a_table_the_history_made_owes_no_inverse(
    tmp_path: Path,
) -> None:
    later = revision(
        """
        if not sa.inspect(op.get_bind()).has_table("supplier"):
            op.create_table("supplier", sa.Column("id", sa.Integer(), primary_key=True))
        """,
        OTHER,
    )
    assert found(history(tmp_path, SUPPLIER, later), "L319") == []


def test_a_guarded_create_of_a_new_name_is_still_reported(tmp_path: Path) -> None:
    later = guarded(
        """
        if not _has_index("supplier", "ix_supplier_company_id"):
            op.create_index("ix_supplier_company_id", "supplier", ["company_id"])
        """
    )
    assert found(history(tmp_path, SUPPLIER, later), "L319") == ["r1.py"]


def test_a_guarded_create_after_the_upgrade_dropped_the_name_is_still_reported(
    tmp_path: Path,
) -> None:
    later = guarded(
        """
        op.drop_index("ix_supplier_tax_id", table_name="supplier")
        if not _has_index("supplier", "ix_supplier_tax_id"):
            op.create_index("ix_supplier_tax_id", "supplier", ["tax_id"], unique=False)
        """,
    )
    messages = [f.message for f in history(tmp_path, SUPPLIER, later) if f.code == "L319"]
    assert any("create_index ix_supplier_tax_id" in message for message in messages)


def test_a_guarded_create_table_of_a_table_the_history_lacks_is_still_reported(
    tmp_path: Path,
) -> None:
    later = revision(
        """
        if not sa.inspect(op.get_bind()).has_table("branch"):
            op.create_table("branch", sa.Column("id", sa.Integer(), primary_key=True))
        """,
        OTHER,
    )
    assert found(history(tmp_path, SUPPLIER, later), "L319") == ["r1.py"]


# L305 / L304 / L319: drops of what an earlier revision already dropped

REGISTRATIONS = revision(
    """
    op.create_table("registrations", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("notes", sa.Text()), sa.Column("arrival", sa.DateTime()))
    op.create_table("guests", sa.Column("id", sa.Integer(), primary_key=True))
    """
)
DROPPED = revision(
    """
    op.drop_column("registrations", "notes")
    names = sa.inspect(op.get_bind()).get_table_names()
    if "guests" in names:
        op.drop_table("guests")
    """,
    """
    op.add_column("registrations", sa.Column("notes", sa.Text()))
    op.create_table("guests", sa.Column("id", sa.Integer(), primary_key=True))
    """,
)


def test_a_column_dropped_again_in_a_try_loses_nothing(tmp_path: Path) -> None:
    again = revision(
        """
        for column in ["notes"]:
            try:
                op.drop_column("registrations", column)
            except Exception:
                pass
        """,
        'op.add_column("registrations", sa.Column("notes", sa.Text()))',
    )
    findings = history(tmp_path, REGISTRATIONS, DROPPED, again)
    assert found(findings, "L305") == ["r1.py"]  # the first drop only


def test_a_table_dropped_again_by_autogenerate_loses_nothing(tmp_path: Path) -> None:
    again = revision('op.drop_table("guests")', OTHER)
    findings = history(tmp_path, REGISTRATIONS, DROPPED, again)
    assert "r2.py" not in found(findings, "L304")
    assert "r2.py" not in found(findings, "L319")


def test_a_raw_drop_of_a_dropped_table_loses_nothing(tmp_path: Path) -> None:
    again = revision('op.execute("DROP TABLE IF EXISTS guests")')
    assert "r2.py" not in found(history(tmp_path, REGISTRATIONS, DROPPED, again), "L304")


def test_a_column_added_again_since_its_drop_is_still_a_loss(tmp_path: Path) -> None:
    readded = revision('op.add_column("registrations", sa.Column("notes", sa.Text()))')
    again = revision('op.drop_column("registrations", "notes")')
    findings = history(tmp_path, REGISTRATIONS, DROPPED, readded, again)
    assert "r3.py" in found(findings, "L305")


def test_a_column_dropped_under_an_unrelated_if_may_still_be_there(tmp_path: Path) -> None:
    maybe = revision(
        """
        if op.get_context().opts.get("drop_legacy"):
            op.drop_column("registrations", "arrival")
        """
    )
    again = revision('op.drop_column("registrations", "arrival")')
    assert "r2.py" in found(history(tmp_path, REGISTRATIONS, maybe, again), "L305")


def test_a_table_recreated_by_sql_lint_cannot_read_is_still_a_loss(tmp_path: Path) -> None:
    rebuilt = revision("op.execute(DDL)", header="DDL = open('schema.sql').read()")
    again = revision('op.drop_table("guests")')
    findings = history(tmp_path, REGISTRATIONS, DROPPED, rebuilt, again)
    assert "r3.py" in found(findings, "L304")


# L305 / L319: guarded drops of columns no revision made

DIVES = revision(
    """
    op.create_table("dives", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("difficulty", sa.Integer()))
    """
)


def test_a_leftover_column_dropped_in_a_try_loses_nothing(tmp_path: Path) -> None:
    cleanup = revision(
        """
        try:
            op.drop_column("dives", "difficulty_int")
        except Exception:
            pass  # left by a manual conversion
        """,
        OTHER,
    )
    findings = history(tmp_path, DIVES, cleanup)
    assert found(findings, "L305") == []
    assert found(findings, "L319") == []


def test_a_leftover_column_dropped_under_its_existence_test_loses_nothing(
    tmp_path: Path,
) -> None:
    cleanup = revision(
        """
        columns = [c["name"] for c in sa.inspect(op.get_bind()).get_columns("dives")]
        if "difficulty_int" in columns:
            op.drop_column("dives", "difficulty_int")
        """
    )
    assert found(history(tmp_path, DIVES, cleanup), "L305") == []


def test_an_unguarded_drop_of_a_column_no_revision_made_is_still_reported(
    tmp_path: Path,
) -> None:
    cleanup = revision('op.drop_column("dives", "difficulty_int")', OTHER)
    findings = history(tmp_path, DIVES, cleanup)
    assert found(findings, "L305") == ["r1.py"]
    assert found(findings, "L319") == ["r1.py"]


def test_a_table_first_created_under_a_guard_may_hold_columns_the_history_lacks(
    tmp_path: Path,
) -> None:
    baseline = revision(
        """
        if not sa.inspect(op.get_bind()).has_table("dives"):
            op.create_table("dives", sa.Column("id", sa.Integer(), primary_key=True))
        """
    )
    cleanup = revision(
        """
        try:
            op.drop_column("dives", "site_id")
        except Exception:
            pass
        """
    )
    assert found(history(tmp_path, baseline, cleanup), "L305") == ["r1.py"]


def test_a_table_altered_by_sql_lint_cannot_read_may_hold_the_column(tmp_path: Path) -> None:
    altered = revision("op.execute(SQL)", header="SQL = open('alter.sql').read()")
    cleanup = revision(
        """
        try:
            op.drop_column("dives", "difficulty_int")
        except Exception:
            pass
        """
    )
    assert found(history(tmp_path, DIVES, altered, cleanup), "L305") == ["r2.py"]


def test_a_column_a_raw_alter_added_is_a_loss(tmp_path: Path) -> None:
    added = revision('op.execute("ALTER TABLE dives ADD COLUMN difficulty_int INT")')
    cleanup = revision(
        """
        try:
            op.drop_column("dives", "difficulty_int")
        except Exception:
            pass
        """
    )
    assert found(history(tmp_path, DIVES, added, cleanup), "L305") == ["r2.py"]


def test_a_guarded_drop_of_a_never_made_column_of_another_name_is_still_reported(
    tmp_path: Path,
) -> None:
    # (not a scratch copy of a kept column: an edited revision may once have added it, and
    # the databases that ran that version hold its values)
    cleanup = revision(
        """
        columns = [c["name"] for c in sa.inspect(op.get_bind()).get_columns("dives")]
        if "bogon_status" in columns:
            op.drop_column("dives", "bogon_status")
        """
    )
    assert found(history(tmp_path, DIVES, cleanup), "L305") == ["r1.py"]


def test_a_scratch_copy_of_a_column_the_history_dropped_is_still_reported(
    tmp_path: Path,
) -> None:
    dropped = revision('op.drop_column("dives", "difficulty")')
    cleanup = revision(
        """
        try:
            op.drop_column("dives", "tmp_difficulty")
        except Exception:
            pass
        """
    )
    assert found(history(tmp_path, DIVES, dropped, cleanup), "L305") == ["r1.py", "r2.py"]


# L342: an unguarded drop of what an ancestor already dropped fails on MySQL


def test_an_unguarded_drop_of_a_table_an_ancestor_dropped_is_an_error(tmp_path: Path) -> None:
    again = revision('op.drop_table("guests")', OTHER)
    findings = history(tmp_path, REGISTRATIONS, DROPPED, again)
    [message] = [f.message for f in findings if f.code == "L342"]
    assert "revision dddd0001" in message and "ERROR 1051" in message


def test_an_unguarded_drop_of_a_column_an_ancestor_dropped_is_an_error(tmp_path: Path) -> None:
    again = revision('op.drop_column("registrations", "notes")', OTHER)
    findings = history(tmp_path, REGISTRATIONS, DROPPED, again)
    assert found(findings, "L342") == ["r2.py"]
    assert "r2.py" not in found(findings, "L305")


def test_a_drop_in_a_try_or_under_a_guard_is_no_error(tmp_path: Path) -> None:
    again = revision(
        """
        try:
            op.drop_column("registrations", "notes")
        except Exception:
            pass
        if "guests" in sa.inspect(op.get_bind()).get_table_names():
            op.drop_table("guests")
        """
    )
    assert found(history(tmp_path, REGISTRATIONS, DROPPED, again), "L342") == []


def test_a_column_made_again_on_any_branch_is_no_error(tmp_path: Path) -> None:
    readded = revision('op.add_column("registrations", sa.Column("notes", sa.Text()))')
    again = revision('op.drop_column("registrations", "notes")')
    assert found(history(tmp_path, REGISTRATIONS, DROPPED, readded, again), "L342") == []


def test_a_drop_on_a_table_changed_by_sql_lint_cannot_read_is_no_error(tmp_path: Path) -> None:
    rebuilt = revision("op.execute(DDL)", header="DDL = open('schema.sql').read()")
    again = revision('op.drop_table("guests")')
    assert found(history(tmp_path, REGISTRATIONS, DROPPED, rebuilt, again), "L342") == []


def test_a_drop_by_a_revision_of_another_branch_is_no_error(tmp_path: Path) -> None:
    # r1 and r2 both revise r0: r1's drop is no ancestor of r2's
    (tmp_path / "r0.py").write_text(chained(REGISTRATIONS, "dddd0000", "base0000"))
    (tmp_path / "r1.py").write_text(chained(DROPPED, "dddd0001", "dddd0000"))
    again = revision('op.drop_column("registrations", "notes")')
    (tmp_path / "r2.py").write_text(chained(again, "dddd0002", "dddd0000"))
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    options = LintOptions(target=parse_server_version("mysql-8.0"))
    assert found(list(lint_files(files, options).findings), "L342") == []


def test_a_drop_is_no_error_on_postgresql(tmp_path: Path) -> None:
    (tmp_path / "r0.py").write_text(chained(REGISTRATIONS, "dddd0000", "base0000"))
    (tmp_path / "r1.py").write_text(chained(DROPPED, "dddd0001", "dddd0000"))
    again = revision('op.drop_table("guests")')
    (tmp_path / "r2.py").write_text(chained(again, "dddd0002", "dddd0001"))
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    options = LintOptions(target=parse_server_version("postgresql"))
    assert found(list(lint_files(files, options).findings), "L342") == []
