"""Issue 20: a raw MySQL `MODIFY c <type> ...` / `CHANGE a b <type> ...` is the alter_column that
restates every attribute of the column, and is judged as one against the history's type.

- L314: a type change copies the table (checked on MariaDB 10.11: `MODIFY status_text
  LONGTEXT` of a TEXT column and an ENUM reorder refuse ALGORITHM=INPLACE, "Cannot change
  column type"; an ENUM append runs ALGORITHM=INSTANT; a restatement of the same type and NOT
  NULL runs ALGORITHM=INSTANT).
- L307: the type narrows what the revisions before gave the column; L308: an ENUM's members
  reordered or removed.
- L330: a MODIFY without NOT NULL of a column the history shows NOT NULL drops it (checked:
  `MODIFY msg TEXT` of a `TEXT NOT NULL` column leaves `msg text DEFAULT NULL`).
Not: a restatement of the same type, a table this upgrade created, a column of unknown history,
a type lint does not read (the history forgets the type), a clause saying NULL, PostgreSQL's
ALTER COLUMN ... TYPE. Our own revisions, in tmp_path."""

from __future__ import annotations

from pathlib import Path

from test_lint_histories import chained
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.online_ddl import parse_server_version

CODES = ("L307", "L308", "L314", "L330")


def findings(
    tmp_path: Path, *upgrades: str, target: str = "mysql-8.0"
) -> list[tuple[str, str, str]]:
    """(file, code, message) of each L307 / L308 / L314 / L330 over a chain of revisions, one
    per upgrade body."""
    down = "base0000"
    for number, upgrade in enumerate(upgrades):
        revision_id = f"dddd{number:04d}"
        source = chained(revision(upgrade, "pass"), revision_id, down)
        (tmp_path / f"r{number}.py").write_text(source)
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    options = LintOptions(naming_convention=True, target=parse_server_version(target))
    report = lint_files(files, options)
    return [(f.path or "", f.code, f.message) for f in report.findings if f.code in CODES]


CREATES_JOB = """
op.create_table(
    "job",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("status_text", sa.Text(), nullable=True),
    sa.Column("message", sa.Text(), nullable=False),
    sa.Column("code", sa.String(255), nullable=True),
    sa.Column("name", sa.String(40), nullable=False),
    sa.Column("hits", sa.Integer(), nullable=False),
    sa.Column("price", sa.Numeric(10, 2), nullable=True),
    sa.Column("day", sa.Date(), nullable=True),
    sa.Column("kind", sa.Enum("APP", "NORMAL", "BATCH"), nullable=False),
)
"""


def execute(sql: str) -> str:
    return f"op.execute({sql!r})"


# --- must flag ------------------------------------------------------------------------------


def test_a_raw_modify_from_text_to_longtext_copies_the_table(tmp_path: Path) -> None:
    upgrade = execute("ALTER TABLE job MODIFY status_text LONGTEXT")
    found = findings(tmp_path, CREATES_JOB, upgrade)
    assert [(f, c) for f, c, _ in found] == [("r1.py", "L314")]
    assert "execute is ALGORITHM=COPY" in found[0][2]
    assert "change_type job.status_text" in found[0][2]


def test_several_raw_modify_clauses_each_copy(tmp_path: Path) -> None:
    upgrade = '''op.execute("""
        ALTER TABLE job
            MODIFY status_text LONGTEXT,
            MODIFY COLUMN `message` MEDIUMTEXT NOT NULL,
            MODIFY code VARCHAR(300)""")'''
    found = findings(tmp_path, CREATES_JOB, upgrade)
    said = " ".join(m for _, c, m in found if c == "L314")
    # VARCHAR(255) to VARCHAR(300) keeps its 2-byte length prefix: in place, no copy
    assert "job.status_text" in said and "job.message" in said and "job.code" not in said


def test_a_raw_change_reordering_an_enum_copies_and_renumbers(tmp_path: Path) -> None:
    upgrade = execute(
        "ALTER TABLE job CHANGE `kind` `kind` ENUM('APP','BATCH','MODEL','NORMAL') "
        "CHARSET utf8 COLLATE utf8_general_ci NOT NULL;"
    )
    found = findings(tmp_path, CREATES_JOB, upgrade)
    assert sorted(c for _, c, _ in found) == ["L308", "L314"]
    (l308,) = [m for _, c, m in found if c == "L308"]
    assert "reorders the values (APP, NORMAL, BATCH -> APP, BATCH, MODEL, NORMAL)" in l308


def test_a_raw_modify_shortening_a_varchar_is_a_narrowing(tmp_path: Path) -> None:
    upgrade = execute("ALTER TABLE job MODIFY code VARCHAR(40)")
    found = findings(tmp_path, CREATES_JOB, upgrade)
    (l307,) = [m for _, c, m in found if c == "L307"]
    assert "execute restating job.code as VARCHAR(40)" in l307
    assert "the revisions before gave it String(255)" in l307


def test_a_raw_modify_dropping_decimals_is_a_narrowing(tmp_path: Path) -> None:
    upgrade = execute("ALTER TABLE job MODIFY price DECIMAL(12,0)")
    found = findings(tmp_path, CREATES_JOB, upgrade)
    assert "L307" in [c for _, c, _ in found]


def test_a_raw_modify_leaving_out_the_not_null_drops_it(tmp_path: Path) -> None:
    upgrade = execute("ALTER TABLE job MODIFY message LONGTEXT")
    found = findings(tmp_path, CREATES_JOB, upgrade)
    (l330,) = [m for _, c, m in found if c == "L330"]
    assert "execute restating job.message" in l330 and "drops NOT NULL" in l330


def test_a_type_from_an_earlier_raw_modify_is_the_history(tmp_path: Path) -> None:
    widens = execute("ALTER TABLE job MODIFY code VARCHAR(500)")
    shortens = execute("ALTER TABLE job MODIFY code VARCHAR(300)")
    found = findings(tmp_path, CREATES_JOB, widens, shortens)
    assert ("r2.py", "L307") in [(f, c) for f, c, _ in found]


# --- must not flag --------------------------------------------------------------------------


def test_a_raw_restatement_of_the_same_type_and_not_null_is_nothing(tmp_path: Path) -> None:
    upgrade = '''op.execute("""ALTER TABLE job
        MODIFY name VARCHAR(40) NOT NULL,
        MODIFY hits INT(11) NOT NULL,
        MODIFY price DECIMAL(10,2),
        MODIFY `day` DATE,
        MODIFY kind ENUM('APP','NORMAL','BATCH') NOT NULL""")'''
    assert findings(tmp_path, CREATES_JOB, upgrade) == []


def test_a_raw_enum_append_is_instant(tmp_path: Path) -> None:
    upgrade = execute("ALTER TABLE job MODIFY kind ENUM('APP','NORMAL','BATCH','MODEL') NOT NULL")
    assert findings(tmp_path, CREATES_JOB, upgrade) == []


def test_a_raw_modify_of_a_table_made_in_the_same_upgrade_is_nothing(tmp_path: Path) -> None:
    upgrade = CREATES_JOB + execute("ALTER TABLE job MODIFY status_text LONGTEXT")
    assert findings(tmp_path, upgrade) == []


def test_a_raw_modify_of_a_column_of_unknown_history_is_nothing(tmp_path: Path) -> None:
    upgrade = execute("ALTER TABLE legacy MODIFY body LONGTEXT, MODIFY code VARCHAR(10)")
    assert findings(tmp_path, upgrade) == []


def test_a_type_lint_does_not_read_makes_the_history_forget(tmp_path: Path) -> None:
    unread = execute("ALTER TABLE job MODIFY code GEOMETRY")
    back = execute("ALTER TABLE job MODIFY code VARCHAR(40)")
    assert findings(tmp_path, CREATES_JOB, unread, back) == []


def test_a_raw_modify_saying_null_makes_it_nullable_on_purpose(tmp_path: Path) -> None:
    upgrade = execute("ALTER TABLE job MODIFY message LONGTEXT NULL")
    assert [c for _, c, _ in findings(tmp_path, CREATES_JOB, upgrade)] == ["L314"]


def test_postgresql_alter_column_type_is_not_a_restatement(tmp_path: Path) -> None:
    upgrade = execute("ALTER TABLE job ALTER COLUMN code TYPE VARCHAR(40)")
    assert findings(tmp_path, CREATES_JOB, upgrade, target="postgresql") == []


def test_a_raw_modify_is_not_judged_for_postgresql(tmp_path: Path) -> None:
    upgrade = execute("ALTER TABLE job MODIFY code VARCHAR(40)")
    found = findings(tmp_path, CREATES_JOB, upgrade, target="postgresql")
    assert [c for _, c, _ in found if c in ("L307", "L308", "L330")] == []


def test_a_raw_modify_the_downgrade_makes_not_null_again_means_nullable(tmp_path: Path) -> None:
    source = revision(
        execute("ALTER TABLE job MODIFY message LONGTEXT"),
        execute("ALTER TABLE job MODIFY message TEXT NOT NULL"),
    )
    (tmp_path / "r0.py").write_text(chained(revision(CREATES_JOB, "pass"), "dddd0000", "base0"))
    (tmp_path / "r1.py").write_text(chained(source, "dddd0001", "dddd0000"))
    report = lint_files([(p.name, p) for p in sorted(tmp_path.iterdir())], LintOptions())
    assert [f.code for f in report.findings if f.code == "L330"] == []


def test_a_raw_restated_auto_increment_of_unknown_history_copies_nothing(tmp_path: Path) -> None:
    upgrade = execute("ALTER TABLE users CHANGE COLUMN id id INT UNSIGNED AUTO_INCREMENT")
    assert findings(tmp_path, upgrade) == []


def test_a_raw_modify_adding_auto_increment_copies(tmp_path: Path) -> None:
    creates = """
op.create_table(
    "device",
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
)
"""
    upgrade = execute("ALTER TABLE device MODIFY id INT NOT NULL AUTO_INCREMENT")
    found = findings(tmp_path, creates, upgrade)
    assert [(f, c) for f, c, _ in found] == [("r1.py", "L314")]
    assert "set_auto_increment device.id" in found[0][2]
