"""Column types of the project's own (issue 20, round 23; lint/project_types.py): a
TypeDecorator class of the revision file or of the project's modules is read as its `impl`, or
as what its `load_dialect_impl` returns for MySQL, so the rules that ask what a column's type
is (L301's implicit value, L324's length) judge it as the server does. Projects of our own in
tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lint_projects import lint_in_project

TYPES = """
from sqlalchemy import types
from sqlalchemy.dialects import mysql
from sqlalchemy.ext.compiler import compiles


class BigText(types.TypeDecorator):
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name != "mysql":
            return dialect.type_descriptor(types.Text())
        return dialect.type_descriptor(mysql.MEDIUMTEXT())


class JsonBlob(BigText):
    impl = types.Text  # load_dialect_impl, inherited, decides


class Counter(types.TypeDecorator):
    impl = types.Integer


class Slug(types.TypeDecorator):
    impl = types.String


class Tuned(types.TypeDecorator):
    impl = types.String

    def __init__(self, *args, **kwargs):
        super().__init__(length=40)


class Chosen(types.TypeDecorator):
    impl = types.Text

    def load_dialect_impl(self, dialect):
        return pick_type(dialect)


class Compiled(types.TypeDecorator):
    impl = types.Unicode


@compiles(Compiled, "mysql")
def compile_compiled(element, compiler, **kw):
    return "VARCHAR(255) CHARACTER SET utf8mb4"


class Document(types.TypeDecorator):
    impl = types.Text

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(types.JSON())


class Coded(types.TypeDecorator):
    # a code number stored for a member of the enum class it keeps

    impl = types.SmallInteger

    def __init__(self, members):
        super(Coded, self).__init__()
        self.members = members


class SubCoded(Coded):
    impl = types.Integer


class Passed(types.TypeDecorator):
    impl = types.String

    def __init__(self, members):
        super().__init__(members.width)


class Swapped(types.TypeDecorator):
    impl = types.SmallInteger

    def __init__(self, members):
        super().__init__()
        self.impl = members.storage()


class Spelled(types.UserDefinedType):
    def get_col_spec(self):
        return "TEXT"
"""


def _findings(tmp_path: Path, column_type: str, server: str, header: str = "") -> list[str]:
    source = textwrap.dedent(
        f'''
        """add the ledger's payload"""
        import sqlalchemy as sa
        from alembic import op
        from app import db
        from app.db import kinds

        revision = "1234abcd5678"
        down_revision = "a8a2fc4e4c77"
        #HEADER#

        def upgrade():
            op.add_column("ledger", sa.Column("payload", {column_type}, nullable=False))
            op.execute("UPDATE ledger SET payload = '1'")


        def downgrade():
            op.drop_column("ledger", "payload")
        '''
    ).replace("#HEADER#", header)
    modules = {
        "app/__init__.py": "",
        # the package re-exports one class of its module
        "app/db/__init__.py": "from .kinds import JsonBlob\n",
        "app/db/kinds.py": TYPES,
    }
    path = "migrations/versions/1234abcd5678_payload.py"
    found = lint_in_project(tmp_path / "project", modules, path, source, server)
    return [f"{f.code} {f.message}" for f in found]


LOCAL = """
class Notes(sa.types.TypeDecorator):
    impl = sa.Text
"""


@pytest.mark.parametrize(
    "column_type",
    [
        "kinds.JsonBlob()",  # load_dialect_impl inherited: MEDIUMTEXT on MySQL
        "db.JsonBlob()",  # re-exported by the package
        "kinds.BigText",
        "kinds.Counter()",
        "kinds.Slug(64)",  # the call's length goes to the impl
        "Notes()",  # a class of the revision file
        # an __init__ that keeps its argument and gives the impl none (round 34)
        "kinds.Coded(Phase)",
        "kinds.SubCoded(Phase)",
    ],
)
def test_a_project_type_with_a_known_implicit_value_written_after_the_add_is_not_l301(
    tmp_path: Path, column_type: str
) -> None:
    found = _findings(tmp_path, column_type, "mysql-8.0", header=LOCAL)
    assert not [f for f in found if f.startswith(("L301", "L324"))]


@pytest.mark.parametrize(
    "column_type",
    [
        "kinds.Tuned()",  # an __init__ may give the impl anything
        "kinds.Passed(Phase)",  # its argument reaches the impl
        "kinds.Swapped(Phase)",  # it sets the impl itself
        "kinds.Chosen()",  # a load_dialect_impl lint cannot read
        "kinds.Compiled()",  # its DDL is a @compiles function's
        "kinds.Spelled()",  # not a TypeDecorator
        "kinds.Missing()",  # not found in the project
    ],
)
def test_a_project_type_lint_cannot_read_stays_unknown(tmp_path: Path, column_type: str) -> None:
    found = _findings(tmp_path, column_type, "mysql-8.0")
    assert [f for f in found if f.startswith("L301")] == [
        "L301 add_column ledger.payload is NOT NULL without a server_default: MySQL gives "
        "existing rows the type's implicit default, PostgreSQL and SQLite refuse"
    ]


def test_postgresql_refuses_the_add_whatever_the_type(tmp_path: Path) -> None:
    found = _findings(tmp_path, "kinds.JsonBlob()", "postgresql")
    assert [f for f in found if f.startswith("L301")] == [
        "L301 add_column ledger.payload is NOT NULL without a server_default: PostgreSQL "
        "refuses it on a table with rows (the column would hold NULLs)"
    ]


def test_a_string_impl_without_a_length_is_a_varchar_without_one(tmp_path: Path) -> None:
    found = _findings(tmp_path, "kinds.Slug()", "mysql-8.0")
    assert [f.split()[0] for f in found if f.startswith("L324")] == ["L324"]


def test_a_compiled_type_is_no_varchar_without_a_length(tmp_path: Path) -> None:
    found = _findings(tmp_path, "kinds.Compiled()", "mysql-8.0")
    assert not [f for f in found if f.startswith("L324")]


def _altered(tmp_path: Path, old: str, new: str) -> list[str]:
    source = textwrap.dedent(
        f'''
        """store the report as text"""
        import sqlalchemy as sa
        from alembic import op
        from app import kinds

        revision = "1234abcd5678"
        down_revision = "a8a2fc4e4c77"


        def upgrade():
            op.alter_column("report", "body", type_={new}, existing_nullable=False)


        def downgrade():
            op.alter_column("report", "body", type_={old}, existing_nullable=False)
        '''
    )
    modules = {"app/__init__.py": "", "app/kinds.py": TYPES}
    path = "migrations/versions/1234abcd5678_report.py"
    found = lint_in_project(tmp_path / "project", modules, path, source)
    return [f"{f.code} {f.severity} {f.message}" for f in found if f.code == "L307"]


@pytest.mark.parametrize("old", ["kinds.Document()", "sa.JSON()"])
def test_json_to_text_narrows_it(tmp_path: Path, old: str) -> None:
    # the downgrade's type settles what the column was: a JSON document may be a LONGTEXT's
    found = _altered(tmp_path, old, "sa.Text()")
    assert len(found) == 1 and found[0].startswith("L307 error") and "lowers" in found[0]


@pytest.mark.parametrize(
    ("old", "new"), [("kinds.Document()", "mysql.LONGTEXT()"), ("sa.Text()", "kinds.JsonBlob()")]
)
def test_a_project_type_widened_is_no_narrowing(tmp_path: Path, old: str, new: str) -> None:
    assert _altered(tmp_path, old, new.replace("mysql.", "sa.dialects.mysql.")) == []
