"""Round r37's false classes, as rules over a history of our own revisions (issue 20):

- L302: a batch table named by a conditional of one name in two letter cases (`"users" if
  "users" in names else "Users"`) is that table, whose create_table made the column NOT NULL;
  names that differ otherwise stay unknown and are still reported.
- L302: a column NOT NULL until an earlier revision made it nullable keeping its server default
  (that revision's downgrade makes it NOT NULL again) holds no NULL: quiet; without the default,
  with a write of the table's rows since, or nullable from the start, still reported.
- L319: a guarded add_column of a column the history already has (self-healing), or of the
  column another branch makes by renaming one the downgrade renames back, needs no inverse; an
  unguarded add, or a guarded add of a column the history lacks, is still reported.
- L314: a raw `CHANGE COLUMN id id int AUTO_INCREMENT` makes the column AUTO_INCREMENT, so a
  later alter_column(autoincrement=True) restating it copies nothing; without the raw
  AUTO_INCREMENT it does.
"""

from __future__ import annotations

from pathlib import Path

from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version
from alembic_sentinel.report.model import Finding


def history(tmp_path: Path, *revisions: str) -> list[Finding]:
    """Lint the revisions as one chain, each revising the one before."""
    down = "base0000"
    for number, source in enumerate(revisions):
        revision_id = f"dddd{number:04d}"
        (tmp_path / f"r{number}.py").write_text(chained(source, revision_id, down))
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    options = LintOptions(target=parse_server_version("mysql-8.0"))
    return list(lint_files(files, options).findings)


def found(findings: list[Finding], code: str) -> list[str]:
    """The files (r0.py, r1.py, ...) holding a `code` finding, once per finding."""
    return [Path(f.path).name for f in findings if f.code == code]


# L302: a table named by a conditional of literal names

USERS = revision(
    """
    op.create_table("Users", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("Username", sa.String(50), nullable=False),
                    sa.Column("Nickname", sa.String(50), nullable=True))
    """
)


def renamed_under(choice: str, column: str) -> str:
    return revision(
        f"""
        names = sa.inspect(op.get_bind()).get_table_names()
        if "Users" in names and "users" not in names:
            op.rename_table("Users", "users")
        table_name = {choice}
        with op.batch_alter_table(table_name) as batch_op:
            batch_op.alter_column("{column}", new_column_name="{column.lower()}",
                                  existing_type=sa.String(50), nullable=False)
        """
    )


def test_a_table_chosen_between_two_spellings_links_to_its_create_table(tmp_path: Path) -> None:
    choice = '"users" if "users" in names else "Users"'
    assert found(history(tmp_path, USERS, renamed_under(choice, "Username")), "L302") == []


def test_a_column_of_that_table_created_nullable_is_still_reported(tmp_path: Path) -> None:
    choice = '"users" if "users" in names else "Users"'
    assert found(history(tmp_path, USERS, renamed_under(choice, "Nickname")), "L302") == ["r1.py"]


def test_a_choice_between_two_different_tables_stays_unknown(tmp_path: Path) -> None:
    choice = '"users" if "users" in names else "accounts"'
    assert found(history(tmp_path, USERS, renamed_under(choice, "Username")), "L302") == ["r1.py"]


# L302: NOT NULL again after a revision loosened it, keeping the server default

EVENTS = revision(
    """
    op.create_table("events", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("created_at", sa.DateTime(), nullable=False,
                              server_default=sa.text("CURRENT_TIMESTAMP")))
    """
)
BARE_EVENTS = revision('op.create_table("events", sa.Column("id", sa.Integer(), primary_key=True))')
LOOSENED = revision(
    """
    op.alter_column("events", "created_at", existing_type=sa.DateTime(), nullable=True,
                    existing_server_default=sa.text("CURRENT_TIMESTAMP"))
    """,
    """
    op.alter_column("events", "created_at", existing_type=sa.DateTime(), nullable=False,
                    existing_server_default=sa.text("CURRENT_TIMESTAMP"))
    """,
)
LOOSENED_NO_DEFAULT = revision(
    'op.alter_column("events", "created_at", existing_type=sa.DateTime(), nullable=True)',
    'op.alter_column("events", "created_at", existing_type=sa.DateTime(), nullable=False)',
)
WRITTEN = revision('op.execute("UPDATE events SET created_at = NULL WHERE id < 10")')
TIGHTENED = revision(
    """
    op.alter_column("events", "created_at", existing_type=sa.DateTime(), nullable=False,
                    existing_server_default=sa.text("CURRENT_TIMESTAMP"))
    """
)


def test_not_null_again_after_a_loosening_that_kept_the_default(tmp_path: Path) -> None:
    assert found(history(tmp_path, EVENTS, LOOSENED, TIGHTENED), "L302") == []


def test_the_loosening_revisions_downgrade_says_it_was_not_null(tmp_path: Path) -> None:
    # the table's columns made outside Alembic: only the downgrade's nullable=False says it
    assert found(history(tmp_path, BARE_EVENTS, LOOSENED, TIGHTENED), "L302") == []


def test_a_loosening_that_dropped_the_default_is_still_reported(tmp_path: Path) -> None:
    findings = history(tmp_path, BARE_EVENTS, LOOSENED_NO_DEFAULT, TIGHTENED)
    assert found(findings, "L302") == ["r2.py"]


def test_rows_written_since_the_loosening_are_still_reported(tmp_path: Path) -> None:
    findings = history(tmp_path, EVENTS, LOOSENED, WRITTEN, TIGHTENED)
    assert found(findings, "L302") == ["r3.py"]


def test_a_loosening_the_downgrade_does_not_undo_is_still_reported(tmp_path: Path) -> None:
    loosened_for_good = revision(
        """
        op.alter_column("events", "created_at", existing_type=sa.DateTime(), nullable=True,
                        existing_server_default=sa.text("CURRENT_TIMESTAMP"))
        """
    )
    findings = history(tmp_path, BARE_EVENTS, loosened_for_good, TIGHTENED)
    assert found(findings, "L302") == ["r2.py"]


# L319: a guarded fallback add

CLUBS = revision(
    """
    op.create_table("clubs", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("home_club", sa.String(200)), sa.Column("role_id", sa.Integer()))
    """
)
COLUMNS = 'columns = [c["name"] for c in sa.inspect(op.get_bind()).get_columns("clubs")]'


def test_a_guarded_add_of_a_column_the_history_has_needs_no_inverse(tmp_path: Path) -> None:
    healing = revision(
        f"""
        {COLUMNS}
        if "role_id" not in columns:
            op.add_column("clubs", sa.Column("role_id", sa.Integer(), nullable=True))
        op.add_column("clubs", sa.Column("ticket", sa.String(50), nullable=True))
        """,
        'op.drop_column("clubs", "ticket")',
    )
    assert found(history(tmp_path, CLUBS, healing), "L319") == []


def test_a_guarded_add_of_a_new_column_is_still_reported(tmp_path: Path) -> None:
    guarded = revision(
        f"""
        {COLUMNS}
        if "ticket" not in columns:
            op.add_column("clubs", sa.Column("ticket", sa.String(50), nullable=True))
        """,
        'op.execute("SELECT 1")',
    )
    assert found(history(tmp_path, CLUBS, guarded), "L319") == ["r1.py"]


def test_an_unguarded_add_of_an_existing_column_is_still_reported(tmp_path: Path) -> None:
    again = revision(
        'op.add_column("clubs", sa.Column("role_id", sa.Integer(), nullable=True))',
        'op.execute("SELECT 1")',
    )
    assert found(history(tmp_path, CLUBS, again), "L319") == ["r1.py"]


def renamed_or_added(back: str) -> str:
    return revision(
        f"""
        {COLUMNS}
        if "home_club" in columns:
            op.alter_column("clubs", "home_club", new_column_name="display_name",
                            existing_type=sa.String(200))
        elif "display_name" not in columns:
            op.add_column("clubs", sa.Column("display_name", sa.String(200), nullable=True))
        """,
        back,
    )


def test_the_add_beside_a_rename_the_downgrade_renames_back_is_undone(tmp_path: Path) -> None:
    back = (
        'op.alter_column("clubs", "display_name", new_column_name="home_club", '
        "existing_type=sa.String(200))"
    )
    assert found(history(tmp_path, CLUBS, renamed_or_added(back)), "L319") == []


def test_the_add_beside_a_rename_the_downgrade_leaves_is_reported(tmp_path: Path) -> None:
    findings = history(tmp_path, CLUBS, renamed_or_added('op.execute("SELECT 1")'))
    assert found(findings, "L319") == ["r1.py", "r1.py"]  # the rename and the add


# L314: AUTO_INCREMENT restated after a raw CHANGE COLUMN made it so

SCHEDULES = revision(
    'op.create_table("schedules", sa.Column("id", sa.Integer(), nullable=False), '
    'sa.Column("note", sa.String(20)))'
)
RESTATED = revision(
    """
    op.alter_column("schedules", "id", existing_type=sa.Integer(), comment="the id",
                    existing_nullable=False, autoincrement=True)
    """
)


def test_auto_increment_made_by_a_raw_change_column_is_no_copy_later(tmp_path: Path) -> None:
    raw = revision('op.execute("ALTER TABLE schedules CHANGE COLUMN id id int AUTO_INCREMENT")')
    findings = history(tmp_path, SCHEDULES, raw, RESTATED)
    assert "r2.py" not in found(findings, "L314")


def test_a_raw_change_column_without_auto_increment_leaves_the_copy(tmp_path: Path) -> None:
    raw = revision('op.execute("ALTER TABLE schedules CHANGE COLUMN id id int NOT NULL")')
    findings = history(tmp_path, SCHEDULES, raw, RESTATED)
    assert found(findings, "L314").count("r2.py") == 1
