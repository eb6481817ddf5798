"""The revision linter's rules: each one fires on the hazard it names and stays quiet otherwise."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from test_lint_patterns import CASES as PATTERN_CASES

from alembic_sentinel.lint.catalogue import RULES, explain
from alembic_sentinel.lint.linter import LintOptions, lint_files, lint_source
from alembic_sentinel.lint.online_ddl import ServerVersion, parse_server_version
from alembic_sentinel.report.model import ERROR, NOTICE, WARNING, Finding

GUIDE_REVISION = Path(__file__).parent / "data" / "guide_islisted_revision.py"
REFERENCE_VERSIONS = REPO / "migrations" / "versions"
REFERENCE_OPTIONS = LintOptions(naming_convention=True, local_packages=frozenset({"orm"}))


def revision(
    upgrade: str,
    downgrade: str | None = "pass",
    *,
    header: str = "",
    down_revision: str = '"a8a2fc4e4c77"',
) -> str:
    """A complete revision file with these function bodies (dedented snippets)."""
    parts = [
        '"""a test revision\n\nRevision ID: 1234abcd5678\n"""',
        "import sqlalchemy as sa\nfrom alembic import op",
        textwrap.dedent(header).strip(),
        f'revision = "1234abcd5678"\ndown_revision = {down_revision}',
        "def upgrade():\n" + textwrap.indent(textwrap.dedent(upgrade).strip(), "    "),
    ]
    if downgrade is not None:
        parts.append(
            "def downgrade():\n" + textwrap.indent(textwrap.dedent(downgrade).strip(), "    ")
        )
    return "\n\n\n".join(part for part in parts if part) + "\n"


def lint(source: str, **options: Any) -> list[Finding]:
    return lint_source(source, "versions/1234abcd5678_test.py", LintOptions(**options)).findings


def codes(source: str, **options: Any) -> list[str]:
    return [finding.code for finding in lint(source, **options)]


def line_of(source: str, text: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), 1) if text in line)


def target(text: str) -> ServerVersion:
    return parse_server_version(text)


# --- The guide's own revision and the reference app --------------------------------------------


def test_the_guides_islisted_revision_is_flagged_for_not_null_and_the_bool_fill() -> None:
    source = GUIDE_REVISION.read_text()
    findings = lint(source)
    assert sorted(f.code for f in findings) == ["L301", "L303"]
    by_code = {f.code: f for f in findings}
    add_line = line_of(source, "op.add_column('election'")
    assert by_code["L301"].line == add_line
    assert by_code["L301"].severity == ERROR
    assert "election.isListed" in by_code["L301"].message
    assert by_code["L303"].line == line_of(source, "election.isListed = ")
    assert "bool" in by_code["L303"].message and "String(100)" in by_code["L303"].message


def test_the_guides_revision_with_the_reference_apps_options_has_the_same_findings() -> None:
    assert sorted(codes(GUIDE_REVISION.read_text(), **REFERENCE_OPTIONS._asdict())) == [
        "L301",
        "L303",
    ]


def test_the_reference_app_uses_a_naming_convention() -> None:
    assert "naming_convention=NAMING_CONVENTION" in (REPO / "orm" / "__init__.py").read_text()


# Adding a foreign key with foreign_key_checks=1 is ALGORITHM=COPY on MySQL (manual: "Otherwise,
# only the COPY algorithm is supported"): the reference history's one such operation is a true
# L314 until the revision carries a suppression with its reason.
# e5a9c3f7d812's foreign key (L314, a table copy on MySQL) is suppressed there with its reason
REFERENCE_EXPECTED: dict[str, list[str]] = {}


@pytest.mark.parametrize(
    "path", sorted(REFERENCE_VERSIONS.glob("*.py")), ids=lambda path: path.name
)
def test_the_reference_apps_revisions_trigger_no_rule(path: Path) -> None:
    result = lint_source(path.read_bytes(), path.name, REFERENCE_OPTIONS)
    assert [f.code for f in result.findings] == REFERENCE_EXPECTED.get(path.name, [])


def test_the_reference_fill_then_not_null_revision_is_clean_and_classified() -> None:
    path = REFERENCE_VERSIONS / "65900aaf5afd_add_islisted_to_election.py"
    result = lint_source(path.read_bytes(), path.name, REFERENCE_OPTIONS)
    assert result.findings == []
    assert [(s.operation, s.algorithm) for s in result.statements] == [
        ("add_column election.isListed", "INSTANT"),
        ("set_not_null election.isListed", "INPLACE"),
    ]


# --- Positive and negative cases for each rule -------------------------------------------------

ADD_NULLABLE = 'op.add_column("election", sa.Column("isListed", sa.Boolean(), nullable=True))'
ALTER_NOT_NULL = (
    'op.alter_column("election", "isListed", existing_type=sa.Boolean(), nullable=False)'
)

CASES: list[tuple[Any, ...]] = [
    # (rule, case id, revision source, fires[, LintOptions fields])
    (
        "L301",
        "not-null-added",
        revision('op.add_column("election", sa.Column("x", sa.String(10), nullable=False))'),
        True,
    ),
    (
        "L301",
        "batch-primary-key",
        revision(
            """
            with op.batch_alter_table("election") as batch_op:
                batch_op.add_column(sa.Column("code", sa.String(5), primary_key=True))
            """
        ),
        True,
    ),
    (
        "L301",
        "import-sqlalchemy-as-db",
        revision(
            'op.add_column("election", db.Column("x", db.Integer(), nullable=False))',
            header="import sqlalchemy as db",
        ),
        True,
    ),
    (
        "L301",
        "from-sqlalchemy-import",
        revision(
            'op.add_column("election", Column("x", String(5), nullable=False))',
            header="from sqlalchemy import Column, String",
        ),
        True,
    ),
    (
        "L301",
        "with-server-default",
        revision(
            'op.add_column("election", sa.Column("x", sa.Integer(), nullable=False, '
            'server_default="0"))'
        ),
        False,
    ),
    (
        "L301",
        "nullable",
        revision('op.add_column("election", sa.Column("x", sa.Integer(), nullable=True))'),
        False,
    ),
    (
        "L301",
        "table-created-here",
        revision(
            """
            op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True))
            op.add_column("t", sa.Column("x", sa.Integer(), nullable=False))
            """
        ),
        False,
    ),
    ("L302", "alter-without-fill", revision(f"{ADD_NULLABLE}\n{ALTER_NOT_NULL}"), True),
    (
        "L302",
        "fill-only-before-the-add",
        revision(f'op.execute("UPDATE party SET x = 1")\n{ADD_NULLABLE}\n{ALTER_NOT_NULL}'),
        True,
    ),
    (
        "L302",
        "existing-column-without-fill",
        revision(ALTER_NOT_NULL),
        True,
    ),
    (
        "L302",
        "op-execute-fill",
        revision(
            f'{ADD_NULLABLE}\nop.execute("UPDATE election SET isListed = 0")\n{ALTER_NOT_NULL}'
        ),
        False,
    ),
    (
        "L302",
        "bind-execute-fill",
        revision(
            f"""
            {ADD_NULLABLE}
            bind = op.get_bind()
            bind.execute(sa.text("UPDATE election SET isListed = 0"))
            {ALTER_NOT_NULL}
            """
        ),
        False,
    ),
    (
        "L302",
        "added-with-a-default",
        revision(
            'op.add_column("election", sa.Column("n", sa.Integer(), server_default="0"))\n'
            'op.alter_column("election", "n", existing_type=sa.Integer(), nullable=False)'
        ),
        False,
    ),
    (
        "L303",
        "bool-into-string-via-update-values",
        revision(
            "op.execute(election.update().values(isListed=election.c.a == election.c.b))",
            header='election = sa.table("election", sa.column("isListed", sa.String(100)))',
        ),
        True,
    ),
    (
        "L303",
        "string-into-integer-via-sa-update",
        revision(
            'op.execute(sa.update(party).where(party.c.partyId == 1).values(votes="many"))',
            header='party = sa.table("party", sa.column("votes", sa.Integer))',
        ),
        True,
    ),
    (
        "L303",
        "number-into-string-via-bulk-insert",
        revision(
            'op.bulk_insert(party, [{"partyName": "A"}, {"partyName": 2}])',
            header='party = sa.table("party", sa.column("partyName", sa.String(100)))',
        ),
        True,
    ),
    (
        "L303",
        "type-from-the-add-column",
        revision(
            """
            op.add_column("election", sa.Column("isListed", sa.String(100), nullable=True))
            election = sa.table("election", sa.column("isListed"))
            op.execute(election.update().values(isListed=False))
            """
        ),
        True,
    ),
    (
        "L303",
        "orm-object-typed-by-get",
        revision(
            """
            class _Party(Base):
                __tablename__ = "party"
                partyId = sa.Column(sa.Integer, primary_key=True)
                votes = sa.Column(sa.Integer)
            session = Session(bind=op.get_bind())
            party = session.get(_Party, 1)
            party.votes = "none"
            session.flush()
            """
        ),
        True,
    ),
    (
        "L303",
        "value-outside-the-enum",
        revision(
            'op.execute(area.update().values(areaType="county"))',
            header='area = sa.table("area", sa.column("areaType", sa.Enum("state", "city")))',
        ),
        True,
    ),
    (
        "L303",
        "bool-into-boolean",
        revision(
            "op.execute(election.update().values(isListed=election.c.a == election.c.b))",
            header='election = sa.table("election", sa.column("isListed", sa.Boolean))',
        ),
        False,
    ),
    (
        "L303",
        "value-of-unknown-kind",
        revision(
            "op.execute(election.update().values(isListed=flag))",
            header='election = sa.table("election", sa.column("isListed", sa.String(100)))',
        ),
        False,
    ),
    ("L304", "drop-table", revision('op.drop_table("party")'), True),
    ("L304", "drop-table-in-downgrade-only", revision("pass", 'op.drop_table("party")'), False),
    ("L305", "drop-column", revision('op.drop_column("party", "partySymbol")'), True),
    (
        "L305",
        "batch-drop-column",
        revision(
            """
            with op.batch_alter_table("party") as batch_op:
                batch_op.drop_column("partySymbol")
            """
        ),
        True,
    ),
    (
        "L305",
        "drop-column-in-downgrade-only",
        revision("pass", 'op.drop_column("party", "partySymbol")'),
        False,
    ),
    (
        "L306",
        "add-and-drop-on-one-table",
        revision(
            'op.add_column("party", sa.Column("symbol", sa.String(100)))\n'
            'op.drop_column("party", "partySymbol")'
        ),
        True,
    ),
    (
        "L306",
        "create-and-drop-table",
        revision(
            'op.create_table("parties", sa.Column("id", sa.Integer(), primary_key=True))\n'
            'op.drop_table("party")'
        ),
        True,
    ),
    (
        "L306",
        "add-and-drop-on-different-tables",
        revision(
            'op.add_column("area", sa.Column("symbol", sa.String(100)))\n'
            'op.drop_column("party", "partySymbol")'
        ),
        False,
    ),
    (
        "L306",
        "real-rename",
        revision('op.alter_column("party", "partySymbol", new_column_name="symbol")'),
        False,
    ),
    (
        "L307",
        "shorter-string",
        revision(
            'op.alter_column("party", "partyName", type_=sa.String(50), '
            "existing_type=sa.String(length=100))"
        ),
        True,
    ),
    (
        "L307",
        "bigint-to-int",
        revision(
            'op.alter_column("party", "votes", type_=sa.Integer(), existing_type=sa.BigInteger())'
        ),
        True,
    ),
    (
        "L307",
        "mysql-int-to-tinyint",
        revision(
            'op.alter_column("party", "votes", type_=mysql.TINYINT(), '
            "existing_type=mysql.INTEGER(display_width=11))",
            header="from sqlalchemy.dialects import mysql",
        ),
        True,
    ),
    (
        "L307",
        "numeric-scale-down",
        revision(
            'op.alter_column("party", "share", type_=sa.Numeric(10, 1), '
            "existing_type=sa.Numeric(precision=10, scale=2))"
        ),
        True,
    ),
    (
        "L307",
        "datetime-to-date",
        revision('op.alter_column("party", "at", type_=sa.Date(), existing_type=sa.DateTime())'),
        True,
    ),
    (
        "L307",
        "text-to-string",
        revision('op.alter_column("party", "n", type_=sa.String(200), existing_type=sa.Text())'),
        True,
    ),
    (
        "L307",
        "to-boolean",
        revision(
            'op.alter_column("election", "isListed", type_=sa.Boolean(), '
            "existing_type=sa.String(100))"
        ),
        True,
    ),
    (
        "L307",
        "longer-string",
        revision(
            'op.alter_column("party", "partyName", type_=sa.String(200), '
            "existing_type=sa.String(100))"
        ),
        False,
    ),
    (
        "L307",
        "int-to-bigint",
        revision(
            'op.alter_column("party", "votes", type_=sa.BigInteger(), existing_type=sa.Integer())'
        ),
        False,
    ),
    (
        "L308",
        "enum-value-removed",
        revision(
            'op.alter_column("area", "areaType", type_=sa.Enum("state", "city"), '
            'existing_type=sa.Enum("state", "city", "village"))'
        ),
        True,
    ),
    (
        "L308",
        "enum-values-reordered",
        revision(
            'op.alter_column("area", "areaType", type_=mysql.ENUM("city", "state"), '
            'existing_type=mysql.ENUM("state", "city"))',
            header="from sqlalchemy.dialects import mysql",
        ),
        True,
    ),
    (
        "L308",
        "enum-value-appended",
        revision(
            'op.alter_column("area", "areaType", type_=sa.Enum("state", "city", "village"), '
            'existing_type=sa.Enum("state", "city"))'
        ),
        False,
    ),
    (
        "L308",
        "enum-value-inserted-in-middle",
        revision(
            'op.alter_column("area", "areaType", type_=sa.Enum("state", "district", "city"), '
            'existing_type=sa.Enum("state", "city"))'
        ),
        False,
    ),
    (
        "L308",
        "enum-value-inserted-at-start",
        revision(
            'op.alter_column("area", "areaType", type_=sa.Enum("nation", "state", "city"), '
            'existing_type=sa.Enum("state", "city"))'
        ),
        False,
    ),
    (
        "L308",
        "enum-values-inserted-in-several-places",
        revision(
            'op.alter_column("area", "areaType", '
            'type_=sa.Enum("nation", "state", "district", "city", "village"), '
            'existing_type=sa.Enum("state", "city"))'
        ),
        False,
    ),
    (
        "L308",
        "enum-values-swapped-with-insert",
        revision(
            'op.alter_column("area", "areaType", type_=sa.Enum("city", "district", "state"), '
            'existing_type=sa.Enum("state", "city"))'
        ),
        True,
    ),
    (
        "L308",
        "enum-value-removed-with-insert",
        revision(
            'op.alter_column("area", "areaType", type_=sa.Enum("state", "district"), '
            'existing_type=sa.Enum("state", "city"))'
        ),
        True,
    ),
    (
        "L308",
        "enum-value-moved",
        revision(
            'op.alter_column("area", "areaType", type_=sa.Enum("city", "village", "state"), '
            'existing_type=sa.Enum("state", "city", "village"))'
        ),
        True,
    ),
    (
        "L309",
        "unique-constraint-on-existing-table",
        revision('op.create_unique_constraint("uq_party_symbol", "party", ["partySymbol"])'),
        True,
    ),
    (
        "L309",
        "unique-index-on-existing-table",
        revision('op.create_index("ix_party_symbol", "party", ["partySymbol"], unique=True)'),
        True,
    ),
    (
        "L309",
        "unique-not-null-column-added",
        revision(
            'op.add_column("party", sa.Column("code", sa.String(5), nullable=False, '
            'server_default="", unique=True))'
        ),
        True,
    ),
    (
        "L309",
        "unique-nullable-column-added",
        revision('op.add_column("party", sa.Column("code", sa.String(5), unique=True))'),
        False,
    ),
    (
        "L309",
        "plain-index",
        revision('op.create_index("ix_party_symbol", "party", ["partySymbol"], unique=False)'),
        False,
    ),
    (
        "L309",
        "table-created-here",
        revision(
            'op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True), '
            'sa.Column("code", sa.String(5)))\n'
            'op.create_unique_constraint("uq_t_code", "t", ["code"])'
        ),
        False,
    ),
    (
        "L310",
        "drop-constraint-none",
        revision("pass", 'op.drop_constraint(None, "election", type_="foreignkey")'),
        True,
    ),
    (
        "L310",
        "batch-drop-constraint-none",
        revision(
            "pass",
            """
            with op.batch_alter_table("election") as batch_op:
                batch_op.drop_constraint(None, type_="unique")
            """,
        ),
        True,
    ),
    ("L310", "drop-index-none", revision("pass", 'op.drop_index(None, table_name="t")'), True),
    (
        "L310",
        "named",
        revision(
            "pass", 'op.drop_constraint(op.f("fk_area_electionId_election"), "area", "foreignkey")'
        ),
        False,
    ),
    (
        "L311",
        "create-foreign-key-none",
        revision('op.create_foreign_key(None, "area", "election", ["electionId"], ["electionId"])'),
        True,
    ),
    (
        "L311",
        "create-table-fk-constraint-without-name",
        revision(
            """
            op.create_table(
                "vote",
                sa.Column("voteId", sa.Integer(), primary_key=True),
                sa.Column("areaId", sa.Integer()),
                sa.ForeignKeyConstraint(["areaId"], ["area.areaId"]),
            )
            """
        ),
        True,
    ),
    (
        "L311",
        "column-foreign-key-without-name",
        revision(
            'op.add_column("area", sa.Column("parentId", sa.Integer(), '
            'sa.ForeignKey("area.areaId")))'
        ),
        True,
    ),
    (
        "L311",
        "unique-constraint-without-name",
        revision(
            'op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True), '
            'sa.Column("c", sa.String(5)), sa.UniqueConstraint("c"))'
        ),
        True,
    ),
    (
        "L311",
        "named",
        revision(
            """
            op.create_table(
                "vote",
                sa.Column("voteId", sa.Integer(), primary_key=True),
                sa.Column("areaId", sa.Integer(), sa.ForeignKey("area.areaId", name="fk_v_a")),
                sa.ForeignKeyConstraint(["voteId"], ["x.id"], name=op.f("fk_vote_x")),
            )
            """
        ),
        False,
    ),
    (
        "L312",
        "index-on-a-long-varchar",
        revision(
            'op.add_column("party", sa.Column("url", sa.String(800)))\n'
            'op.create_index("ix_party_url", "party", ["url"])'
        ),
        True,
    ),
    (
        "L312",
        "composite-unique-in-create-table",
        revision(
            """
            op.create_table(
                "t",
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("a", sa.String(500)),
                sa.Column("b", mysql.VARCHAR(length=300)),
                sa.UniqueConstraint("a", "b", name="uq_t_a_b"),
            )
            """,
            header="from sqlalchemy.dialects import mysql",
        ),
        True,
    ),
    (
        "L312",
        "prefix-index",
        revision(
            'op.add_column("party", sa.Column("url", sa.String(800)))\n'
            'op.create_index("ix_party_url", "party", ["url"], mysql_length={"url": 191})'
        ),
        False,
    ),
    (
        "L312",
        "within-the-limit",
        revision(
            'op.create_table("t", sa.Column("a", sa.String(255), primary_key=True), '
            'sa.Column("b", sa.String(255), primary_key=True))'
        ),
        False,
    ),
    (
        "L312",
        "unknown-lengths-are-skipped",
        revision('op.create_index("ix_party_url", "party", ["url"])'),
        False,
    ),
    (
        "L315",
        "module-level-get-bind",
        revision("pass", header="bind = op.get_bind()"),
        True,
    ),
    (
        "L315",
        "module-level-op-call",
        revision("pass", header='op.execute("SELECT 1")'),
        True,
    ),
    (
        "L315",
        "get-bind-inside-upgrade",
        revision('bind = op.get_bind()\nbind.execute(sa.text("SELECT 1"))'),
        False,
    ),
    (
        "L315",
        "module-level-table",
        revision("pass", header='party = sa.table("party", sa.column("partyId"))'),
        False,
    ),
    ("L317", "pass", revision("pass"), True),
    ("L317", "docstring-only", revision('"""Nothing yet."""'), True),
    (
        "L317",
        "merge-revision",
        revision("pass", down_revision='("3f1c0d2b9e7a", "b7e4a91c5d20")'),
        False,
    ),
    ("L317", "has-operations", revision('op.drop_index("ix_a", table_name="a")'), False),
    # no downgrade() at all: a forward-only project (its template has none), by design
    ("L318", "no-downgrade", revision('op.create_index("ix_a", "a", ["b"])', None), False),
    ("L318", "downgrade-pass", revision('op.create_index("ix_a", "a", ["b"])', "pass"), True),
    (
        "L318",
        "downgrade-raises",
        revision('op.create_index("ix_a", "a", ["b"])', 'raise RuntimeError("irreversible")'),
        False,
    ),
    ("L318", "both-empty-merge", revision("pass", "pass", down_revision='("a", "b")'), False),
    (
        "L318",
        "downgrade-undoes",
        revision('op.create_index("ix_a", "a", ["b"])', 'op.drop_index("ix_a", table_name="a")'),
        False,
    ),
    (
        "L319",
        "index-left-behind",
        revision(
            'op.add_column("a", sa.Column("b", sa.Integer()))\n'
            'op.create_index(op.f("ix_a_b"), "a", ["b", "c"])',
            # MySQL drops an index with its last column only: this one stays on (c)
            'op.drop_column("a", "b")',
        ),
        True,
    ),
    (
        "L319",
        "alter-not-reverted",
        revision(
            'op.alter_column("a", "b", existing_type=sa.Integer(), nullable=True)',
            'op.drop_index("ix_other", table_name="a")',
        ),
        True,
    ),
    (
        "L319",
        "dropped-column-not-restored",
        revision('op.drop_column("a", "b")', 'op.drop_index("ix_other", table_name="a")'),
        True,
    ),
    (
        "L319",
        "complete-inverse",
        revision(
            """
            op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True))
            op.add_column("a", sa.Column("b", sa.Integer()))
            op.create_index(op.f("ix_a_b"), "a", ["b"])
            op.create_foreign_key("fk_a_b_t", "a", "t", ["b"], ["id"])
            op.alter_column("a", "c", new_column_name="d")
            op.rename_table("x", "y")
            op.execute("UPDATE a SET b = 1")
            """,
            """
            op.rename_table("y", "x")
            op.alter_column("a", "d", new_column_name="c")
            op.drop_constraint("fk_a_b_t", "a", type_="foreignkey")
            op.drop_index(op.f("ix_a_b"), table_name="a")
            op.drop_column("a", "b")
            op.drop_table("t")
            """,
        ),
        False,
    ),
    (
        "L319",
        "batch-inverse",
        revision(
            """
            with op.batch_alter_table("a") as batch_op:
                batch_op.add_column(sa.Column("b", sa.Integer()))
                batch_op.create_unique_constraint("uq_a_b", ["b"])
            """,
            """
            with op.batch_alter_table("a") as batch_op:
                batch_op.drop_constraint("uq_a_b", type_="unique")
                batch_op.drop_column("b")
            """,
        ),
        False,
    ),
    (
        "L303",
        "loop-over-a-query",
        revision(
            """
            class _Area(Base):
                __tablename__ = "area"
                areaId = sa.Column(sa.Integer, primary_key=True)
                areaCode = sa.Column(sa.String(10))
            session = Session(bind=op.get_bind())
            for area in session.query(_Area).filter(_Area.areaCode.is_(None)):
                area.areaCode = area.areaId > 10
            session.commit()
            """
        ),
        True,
    ),
    (
        "L303",
        "sa-Table-insert",
        revision(
            'op.execute(party.insert().values({"votes": "none"}))',
            header='party = sa.Table("party", sa.MetaData(), sa.Column("votes", sa.Integer))',
        ),
        True,
    ),
    (
        "L303",
        "orm-constructor-and-query-update",
        revision(
            """
            class _Party(Base):
                __tablename__ = "party"
                partyId = sa.Column(sa.Integer, primary_key=True)
                partySymbol = sa.Column(sa.String(100))
            session = Session(bind=op.get_bind())
            session.add(_Party(partyId=1, partySymbol="star"))
            session.query(_Party).filter(_Party.partyId > 1).update({_Party.partySymbol: 0})
            """
        ),
        True,
    ),
    (
        "L301",
        "import-alembic-module",
        revision(
            'alembic.op.add_column("election", sa.Column("x", sa.Integer(), nullable=False))',
            header="import alembic",
        ),
        True,
    ),
    (
        "L313",
        "literal-text-default-on-mysql-8.0",
        revision('op.add_column("party", sa.Column("notes", sa.Text(), server_default="x"))'),
        True,
    ),
    (
        "L313",
        "literal-text-default-on-mariadb",
        revision('op.add_column("party", sa.Column("notes", sa.Text(), server_default="x"))'),
        False,
        {"target": parse_server_version("mariadb-10.11")},
    ),
    (
        "L314",
        "type-change",
        revision('op.alter_column("party", "n", type_=sa.Date(), existing_type=sa.DateTime())'),
        True,
    ),
    (
        "L314",
        "add-nullable-column",
        revision('op.add_column("party", sa.Column("n", sa.Integer(), nullable=True))'),
        False,
    ),
    (
        "L316",
        "imports-orm",
        revision("pass", header="from orm import Election"),
        True,
        {"local_packages": frozenset({"orm"})},
    ),
    (
        "L316",
        "imports-a-library",
        revision("pass", header="from sqlalchemy.orm import Session"),
        False,
        {"local_packages": frozenset({"orm"})},
    ),
    (
        "L332",
        "lone-integer-primary-key-added",
        revision('op.add_column("visit", sa.Column("id", sa.Integer(), primary_key=True))'),
        True,
    ),
    (
        "L332",
        "autoincrement-false",
        revision(
            'op.add_column("visit", sa.Column("id", sa.Integer(), primary_key=True, '
            "autoincrement=False))"
        ),
        False,
    ),
    (
        "L333",
        "add-column-if-not-exists",
        revision(
            'op.add_column("visit", sa.Column("note", sa.Text()), if_not_exists=True)',
            'op.drop_column("visit", "note")',
        ),
        True,
    ),
    (
        "L333",
        "create-table-if-not-exists",
        revision(
            'op.create_table("visit", sa.Column("id", sa.Integer(), primary_key=True), '
            "if_not_exists=True)",
            'op.drop_table("visit", if_exists=True)',
        ),
        False,
    ),
    (
        "L334",
        "drop-constraint-without-type",
        revision('op.drop_constraint("visit_owner_fkey", "visit")'),
        True,
    ),
    (
        "L334",
        "drop-constraint-with-type",
        revision('op.drop_constraint("visit_owner_fkey", "visit", type_="foreignkey")'),
        False,
    ),
    (
        "L335",
        "self-reference-int-to-bigint",
        revision(
            'op.create_table("node", sa.Column("id", sa.BigInteger(), primary_key=True), '
            'sa.Column("up_id", sa.Integer(), sa.ForeignKey("node.id", name="fk_node_up")))'
        ),
        True,
    ),
    (
        "L335",
        "self-reference-bigint-to-bigint",
        revision(
            'op.create_table("node", sa.Column("id", sa.BigInteger(), primary_key=True), '
            'sa.Column("up_id", sa.BigInteger(), sa.ForeignKey("node.id", name="fk_node_up")))'
        ),
        False,
    ),
    (
        "L336",
        "index-created-twice",
        revision(
            'op.create_index("ix_case_day", "case", ["day"])\n'
            'op.create_index("ix_case_day", "case", ["day"])'
        ),
        True,
    ),
    (
        "L336",
        "index-dropped-then-created",
        revision(
            'op.create_index("ix_case_day", "case", ["day"])\n'
            'op.drop_index("ix_case_day", table_name="case")\n'
            'op.create_index("ix_case_day", "case", ["day"])'
        ),
        False,
    ),
    (
        "L337",
        "check-name-of-another-table",
        revision(
            'op.create_check_constraint("ck_day", "case", "day > 0")\n'
            'op.create_check_constraint("ck_day", "hearing", "day > 0")'
        ),
        True,
    ),
    (
        "L337",
        "check-names-of-their-own",
        revision(
            'op.create_check_constraint("ck_case_day", "case", "day > 0")\n'
            'op.create_check_constraint("ck_hearing_day", "hearing", "day > 0")'
        ),
        False,
    ),
    (
        "L338",
        "unnamed-fk-dropped-by-postgresql-name",
        revision(
            'op.create_foreign_key(None, "case", "court", ["court_id"], ["id"])\n'
            'op.drop_constraint("case_court_id_fkey", "case", type_="foreignkey")'
        ),
        True,
    ),
    (
        "L338",
        "named-fk-dropped-by-its-name",
        revision(
            'op.create_foreign_key("case_court_id_fkey", "case", "court", ["court_id"], ["id"])\n'
            'op.drop_constraint("case_court_id_fkey", "case", type_="foreignkey")'
        ),
        False,
    ),
    (
        "L339",
        "fk-name-of-another-table",
        revision(
            'op.create_foreign_key("fk_court", "case", "court", ["court_id"], ["id"])\n'
            'op.create_foreign_key("fk_court", "hearing", "court", ["court_id"], ["id"])'
        ),
        True,
    ),
    (
        "L339",
        "fk-names-of-their-own",
        revision(
            'op.create_foreign_key("fk_case_court", "case", "court", ["court_id"], ["id"])\n'
            'op.create_foreign_key("fk_hearing_court", "hearing", "court", ["court_id"], ["id"])'
        ),
        False,
    ),
    (
        "L340",
        "varchar-over-65535-bytes",
        revision('op.add_column("case", sa.Column("notes", sa.String(20000), nullable=True))'),
        True,
    ),
    (
        "L340",
        "varchar-within-utf8mb4",
        revision('op.add_column("case", sa.Column("notes", sa.String(16383), nullable=True))'),
        False,
    ),
    (
        "L341",
        "column-dropped-under-its-unnamed-fk",
        revision(
            'op.create_foreign_key(None, "case", "court", ["court_id"], ["id"])\n'
            'op.drop_column("case", "court_id")'
        ),
        True,
    ),
    (
        "L341",
        "fk-dropped-before-its-column",
        revision(
            'op.create_foreign_key(None, "case", "court", ["court_id"], ["id"])\n'
            'op.drop_constraint("case_ibfk_1", "case", type_="foreignkey")\n'
            'op.drop_column("case", "court_id")'
        ),
        False,
    ),
    (
        "L342",
        "column-dropped-twice",
        revision('op.drop_column("case", "notes")\nop.drop_column("case", "notes")'),
        True,
    ),
    (
        "L342",
        "column-added-back-between-drops",
        revision(
            'op.drop_column("case", "notes")\n'
            'op.add_column("case", sa.Column("notes", sa.Text()))\n'
            'op.drop_column("case", "notes")'
        ),
        False,
    ),
    (
        "L343",
        "column-of-a-two-column-primary-key-dropped",
        revision(
            'op.create_primary_key("pk_case", "case", ["court_id", "number"])\n'
            'op.drop_column("case", "number")'
        ),
        True,
    ),
    (
        "L343",
        "primary-key-dropped-before-its-column",
        revision(
            'op.create_primary_key("pk_case", "case", ["court_id", "number"])\n'
            'op.drop_constraint("pk_case", "case", type_="primary")\n'
            'op.drop_column("case", "number")'
        ),
        False,
    ),
    (
        "L344",
        "alter-column-primary-key-ignored",
        revision(
            'op.alter_column("users", "username", existing_type=sa.String(256), primary_key=True)'
        ),
        True,
    ),
    (
        "L344",
        "alter-column-parameters-only",
        revision(
            'op.alter_column("users", "username", existing_type=sa.String(256), nullable=False)'
        ),
        False,
    ),
    (
        "L320",
        "no-reason",
        revision('op.drop_table("party")  # sentinel: ignore[L304]'),
        True,
    ),
    (
        "L320",
        "with-reason",
        revision('op.drop_table("party")  # sentinel: ignore[L304] -- archived'),
        False,
    ),
    (
        "L321",
        "unknown-code",
        revision('op.drop_table("party")  # sentinel: ignore[L304, X1] -- archived'),
        True,
    ),
    (
        "L321",
        "known-code",
        revision('op.drop_table("party")  # sentinel: ignore[L304] -- archived'),
        False,
    ),
]


@pytest.mark.parametrize(
    ("code", "source", "fires", "options"),
    [
        pytest.param(code, source, fires, options[0] if options else {}, id=f"{code}-{case}")
        for code, case, source, fires, *options in CASES
    ],
)
def test_rule(code: str, source: str, fires: bool, options: dict[str, Any]) -> None:
    findings = lint(source, **options)
    assert (code in [f.code for f in findings]) is fires, "\n".join(
        f"{f.line}: {f.code} {f.message}" for f in findings
    )


def test_every_rule_has_a_positive_and_a_negative_case() -> None:
    # the rules of issue 14 are covered by our revision files in tests/data/revision_patterns
    covered = {(case[0], case[3]) for case in CASES} | {
        (code, bool(on)) for _, code, on, _ in PATTERN_CASES
    }
    # R601 is raised by the rollout plan from table sizes, never by lint: tests/test_plan.py
    lint_rules = [c for c in RULES if not c.startswith("R")]
    assert (
        sorted(c for c in lint_rules if (c, True) not in covered or (c, False) not in covered) == []
    )


def test_findings_name_the_operation_line_and_carry_the_rules_fix() -> None:
    source = revision('op.drop_column("party", "partySymbol")', UNDROP)
    [finding] = lint(source)
    assert finding.code == "L305" and finding.name == "drop-column"
    assert finding.severity == WARNING
    assert finding.line == line_of(source, "op.drop_column")
    assert finding.path == "versions/1234abcd5678_test.py"
    assert "party.partySymbol" in finding.message
    assert finding.fix == RULES["L305"].fix
    assert "\n" not in finding.message


def test_a_type_change_without_existing_type_is_a_notice_naming_the_column() -> None:
    source = revision(
        'op.alter_column("party", "partyName", type_=sa.String(50))',
        'op.drop_index("ix_party_other", table_name="party")',
    )
    [notice] = [f for f in lint(source) if f.code == "L307"]
    assert notice.severity == NOTICE
    assert "party.partyName" in notice.message and "existing_type" in notice.message


def test_unnamed_constraints_are_fine_with_a_naming_convention() -> None:
    source = revision(
        'op.create_foreign_key(None, "area", "election", ["electionId"], ["electionId"])'
    )
    assert "L311" in codes(source)
    assert "L311" not in codes(source, naming_convention=True)


def test_a_primary_key_is_always_named_primary_on_mysql() -> None:
    source = revision('op.create_primary_key(None, "t", ["id"])', 'op.drop_table("t")')
    assert "L311" not in codes(source)


def test_drop_constraint_none_is_an_error_even_with_a_naming_convention() -> None:
    source = revision("pass", 'op.drop_constraint(None, "election", type_="foreignkey")')
    assert "L310" in codes(source, naming_convention=True)


# --- L313 and L314 depend on the target server ------------------------------------------------

TEXT_LITERAL = revision(
    'op.add_column("party", sa.Column("notes", sa.Text(), nullable=True, server_default="none"))'
)
TEXT_EXPRESSION = revision(
    'op.add_column("party", sa.Column("notes", sa.Text(), server_default=sa.text("(\'none\')")))'
)
JSON_FUNCTION = revision(
    'op.add_column("party", sa.Column("tags", sa.JSON(), server_default=sa.func.json_array()))'
)
LONGTEXT_ALTER = revision(
    'op.alter_column("party", "notes", existing_type=mysql.LONGTEXT(), server_default="x")',
    header="from sqlalchemy.dialects import mysql",
)


@pytest.mark.parametrize(
    ("source", "server", "fires"),
    [
        pytest.param(TEXT_LITERAL, "mysql-5.7", True, id="literal-mysql-5.7"),
        pytest.param(TEXT_EXPRESSION, "mysql-5.7", True, id="expression-mysql-5.7"),
        pytest.param(TEXT_EXPRESSION, "mysql-8.0.12", True, id="expression-mysql-8.0.12"),
        pytest.param(TEXT_LITERAL, "mysql-8.0", True, id="literal-mysql-8.0"),
        pytest.param(TEXT_EXPRESSION, "mysql-8.0", False, id="expression-mysql-8.0"),
        pytest.param(JSON_FUNCTION, "mysql-8.4", False, id="function-mysql-8.4"),
        pytest.param(LONGTEXT_ALTER, "mysql-8.0", True, id="alter-literal-mysql-8.0"),
        pytest.param(TEXT_LITERAL, "mariadb-10.11", False, id="literal-mariadb-10.11"),
        pytest.param(LONGTEXT_ALTER, "mariadb-10.11", False, id="alter-literal-mariadb-10.11"),
    ],
)
def test_text_default_depends_on_the_target(source: str, server: str, fires: bool) -> None:
    assert ("L313" in codes(source, target=target(server))) is fires


@pytest.mark.parametrize(
    "default",
    ['sa.text("NULL")', 'sa.text(" null ")', "sa.null()", 'sa.literal_column("NULL")'],
)
@pytest.mark.parametrize("server", ["mysql-5.7", "mysql-8.0"])
def test_a_null_default_on_text_is_accepted_everywhere(default: str, server: str) -> None:
    # DEFAULT NULL is no default: MySQL refuses only a default that is not NULL on TEXT/BLOB
    added = revision(
        f'op.add_column("party", sa.Column("notes", sa.Text(), nullable=True, '
        f"server_default={default}))"
    )
    altered = revision(
        f'op.alter_column("party", "notes", existing_type=sa.Text(), server_default={default})'
    )
    assert "L313" not in codes(added, target=target(server))
    assert "L313" not in codes(altered, target=target(server))


@pytest.mark.parametrize("default", ["sa.text(\"'NULL'\")", '"NULL"', 'sa.text("nullif")'])
def test_a_default_that_only_spells_null_is_still_refused(default: str) -> None:
    # the string 'NULL' (quoted, or a plain Python string SQLAlchemy quotes) is a literal
    source = revision(
        f'op.add_column("party", sa.Column("notes", sa.Text(), server_default={default}))'
    )
    assert "L313" in codes(source, target=target("mysql-8.0"))


def test_a_text_column_without_default_is_fine_everywhere() -> None:
    source = revision('op.add_column("party", sa.Column("notes", sa.Text(), nullable=True))')
    assert "L313" not in codes(source, target=target("mysql-5.7"))


def test_a_type_change_copies_the_table_on_mysql() -> None:
    source = revision(
        'op.alter_column("party", "votes", type_=sa.BigInteger(), existing_type=sa.Integer(), '
        "existing_nullable=True)",
        'op.alter_column("party", "votes", type_=sa.Integer(), existing_type=sa.BigInteger(), '
        "existing_nullable=True)",
    )
    result = lint_source(source, "v.py", LintOptions(target=target("mysql-8.0")))
    [finding] = result.findings
    assert finding.code == "L314" and finding.severity == WARNING
    assert "change_type party.votes" in finding.message and "mysql-8.0" in finding.message
    assert [(s.operation, s.algorithm) for s in result.statements] == [
        ("change_type party.votes", "COPY")
    ]


WIDEN_PAST_255_BYTES = revision(
    'op.alter_column("party", "code", type_=sa.String(100), existing_type=sa.String(20))',
    'op.alter_column("party", "code", type_=sa.String(20), existing_type=sa.String(100))',
)


@pytest.mark.parametrize(
    ("server", "algorithm"),
    [("mysql-8.0", "COPY"), ("mysql-8.4", "COPY"), ("mariadb-10.11", "INSTANT")],
)
def test_widening_a_varchar_past_255_bytes_copies_on_mysql_but_not_on_mariadb(
    server: str, algorithm: str
) -> None:
    # VARCHAR(20) -> VARCHAR(100) under utf8mb4 is 80 -> 400 bytes: MySQL needs a copy when the
    # length prefix grows; MariaDB 10.4.3+ extends a column of at most 127 bytes instantly.
    result = lint_source(WIDEN_PAST_255_BYTES, "v.py", LintOptions(target=target(server)))
    assert [(s.operation, s.algorithm) for s in result.statements] == [
        ("widen_varchar party.code", algorithm)
    ]
    assert ("L314" in [f.code for f in result.findings]) is (algorithm == "COPY")


def test_an_instant_operation_is_listed_but_not_flagged() -> None:
    source = revision(ADD_NULLABLE, 'op.drop_column("election", "isListed")')
    result = lint_source(source, "v.py")
    assert result.findings == []
    assert [(s.operation, s.algorithm, s.line) for s in result.statements] == [
        ("add_column election.isListed", "INSTANT", line_of(source, "op.add_column"))
    ]


def test_a_check_constraint_copies_on_mysql_8_0_but_is_ignored_on_5_7() -> None:
    source = revision(
        'op.create_check_constraint("ck_votes", "party", "votes >= 0")',
        'op.drop_constraint("ck_votes", "party", type_="check")',
    )
    assert "L314" in codes(source, target=target("mysql-8.0"))
    assert "L314" not in codes(source, target=target("mysql-5.7"))


# --- L316: the application's own code ---------------------------------------------------------


def test_importing_the_apps_models_is_flagged_at_module_level_and_in_functions() -> None:
    source = revision(
        "from orm.election import Election\npass",
        header="import orm",
    )
    found = [f for f in lint(source, local_packages=frozenset({"orm"})) if f.code == "L316"]
    assert [f.line for f in found] == [
        line_of(source, "import orm"),
        line_of(source, "from orm.election"),
    ]
    assert "orm.election" in found[1].message


def test_imports_of_libraries_are_not_the_apps_code() -> None:
    source = revision("pass", header="from sqlalchemy.orm import Session")
    assert "L316" not in codes(source, local_packages=frozenset({"orm"}))
    assert "L316" not in codes(revision("pass", header="import orm"))


# --- Suppressions -----------------------------------------------------------------------------

DROP = 'op.drop_column("party", "partySymbol")'
UNDROP = 'op.add_column("party", sa.Column("partySymbol", sa.String(100), nullable=True))'


def test_a_suppression_with_a_reason_on_the_line_silences_the_finding() -> None:
    source = revision(f"{DROP}  # sentinel: ignore[L305] -- symbols moved to party_symbol")
    assert "L305" not in codes(source)


def test_a_suppression_on_the_line_above_silences_the_finding() -> None:
    source = revision(f"# sentinel: ignore[L305] -- symbols moved to party_symbol\n{DROP}")
    assert "L305" not in codes(source)


def test_a_suppression_two_lines_above_does_not_reach() -> None:
    source = revision(f"# sentinel: ignore[L305] -- symbols moved\npass\n{DROP}")
    assert "L305" in codes(source)


def test_a_suppression_inside_a_multiline_call_covers_it() -> None:
    source = revision(
        """
        op.drop_column(
            "party",
            "partySymbol",  # sentinel: ignore[L305] -- unused since 2021
        )
        """
    )
    assert "L305" not in codes(source)


def test_a_suppression_lists_several_codes() -> None:
    source = revision(
        'op.add_column("party", sa.Column("symbol", sa.String(100)))\n'
        f"{DROP}  # sentinel: ignore[L305, l306] -- renamed on purpose, data copied by hand"
    )
    assert {"L305", "L306"}.isdisjoint(codes(source))


def test_a_suppression_without_a_reason_suppresses_nothing_and_is_an_error() -> None:
    source = revision(f"{DROP}  # sentinel: ignore[L305]", UNDROP)
    findings = lint(source)
    assert sorted(f.code for f in findings) == ["L305", "L320"]
    [l320] = [f for f in findings if f.code == "L320"]
    assert l320.severity == ERROR and l320.line == line_of(source, "sentinel:")


def test_an_empty_reason_is_no_reason() -> None:
    assert "L320" in codes(revision(f"{DROP}  # sentinel: ignore[L305] --   "))


def test_a_suppression_of_an_unknown_code_is_flagged() -> None:
    source = revision(f"{DROP}  # sentinel: ignore[L999] -- typo", UNDROP)
    assert sorted(codes(source)) == ["L305", "L321"]


def test_a_known_code_with_a_reason_is_not_flagged() -> None:
    source = revision(f"{DROP}  # sentinel: ignore[L305] -- column unused")
    assert {"L320", "L321"}.isdisjoint(codes(source))


def test_a_suppression_in_a_string_is_not_a_comment() -> None:
    source = revision(f"{DROP}; x = '# sentinel: ignore[L305] -- not a comment'")
    assert "L305" in codes(source)


def test_a_docstring_suppression_covers_the_whole_file() -> None:
    source = revision(f"{DROP}\nop.drop_column('area', 'areaType')").replace(
        '"""a test revision\n',
        '"""a test revision\n\nsentinel: ignore[L305] -- legacy columns, archived in TICKET-12\n',
    )
    assert "L305" not in codes(source)


def test_a_docstring_suppression_without_a_reason_is_flagged_on_its_line() -> None:
    source = revision(DROP, UNDROP).replace(
        '"""a test revision\n', '"""a test revision\n\nsentinel: ignore[L305]\n'
    )
    findings = lint(source)
    assert sorted(f.code for f in findings) == ["L305", "L320"]
    assert [f.line for f in findings if f.code == "L320"] == [line_of(source, "sentinel:")]


# --- Severities -------------------------------------------------------------------------------


def test_a_configured_severity_replaces_the_rules() -> None:
    [finding] = lint(revision(DROP, UNDROP), severities={"L305": "error"})
    assert finding.severity == ERROR


def test_a_rule_configured_off_is_dropped() -> None:
    assert lint(revision(DROP, UNDROP), severities={"L305": "off"}) == []


def test_other_rules_keep_their_severity() -> None:
    source = revision(DROP, "pass")
    found = {f.code: f.severity for f in lint(source, severities={"L318": "notice"})}
    assert found == {"L305": WARNING, "L318": NOTICE}


# --- Files that cannot be read ----------------------------------------------------------------


def test_a_file_with_a_syntax_error_is_one_f201_finding() -> None:
    source = revision("op.add_column(")
    result = lint_source(source, "versions/bad.py")
    [finding] = result.findings
    assert finding.code == "F201" and finding.name == "unparseable-file"
    assert finding.severity == ERROR
    assert finding.line is not None and finding.line >= line_of(source, "op.add_column(")
    assert result.statements == []


def test_undecodable_bytes_are_f201() -> None:
    result = lint_source(b"# -*- coding: nonsense -*-\nx = 1\n", "versions/bad.py")
    assert [f.code for f in result.findings] == ["F201"]


def test_lint_files_reports_unreadable_files_and_sorts_findings(tmp_path: Path) -> None:
    first = tmp_path / "b_first.py"
    first.write_text(revision(DROP, UNDROP))
    second = tmp_path / "a_second.py"
    second.write_text(revision("pass"))
    missing = tmp_path / "gone.py"
    report = lint_files(
        [("v/b_first.py", first), ("v/a_second.py", second), ("v/gone.py", missing)],
        LintOptions(),
    )
    assert report.command == "lint"
    assert [(f.path, f.code) for f in report.findings] == [
        ("v/a_second.py", "L317"),
        ("v/b_first.py", "L305"),
        ("v/gone.py", "F201"),
    ]
    assert report.facts["files"] == 3
    assert report.facts["statements"] == [
        {
            "path": "v/b_first.py",
            "line": line_of(first.read_text(), "op.drop_column"),
            "operation": "drop_column party.partySymbol",
            "algorithm": "INSTANT",
        }
    ]
    assert report.exit_code() == 1


# --- The catalogue, --explain and docs/rules.md stay in step ----------------------------------

RULES_DOC = REPO / "docs" / "rules.md"


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_is_documented_and_explained(code: str) -> None:
    rule = RULES[code]
    documented = RULES_DOC.read_text()
    assert re.search(
        rf"^\| {code} \| {re.escape(rule.name)} \| {rule.severity} \|", documented, re.MULTILINE
    )
    assert re.search(rf"^## {code}$", documented, re.MULTILINE)
    text = explain(code)
    for part in (rule.code, rule.name, rule.severity, rule.summary, rule.why, rule.fix):
        assert part in text
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
    assert "\n" not in rule.summary and "\n" not in rule.fix


def test_explaining_an_unknown_code_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        explain("L999")


def test_the_docs_list_only_real_rules() -> None:
    documented = set(re.findall(r"^\| ([LR]\d{3}) \|", RULES_DOC.read_text(), re.MULTILINE))
    assert documented == set(RULES)
