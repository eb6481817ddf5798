"""`Model.__tablename__` as a table's name (issue 20, round 14): a revision naming its table
through an ORM class of the project (`op.create_table(SqlRun.__tablename__, ...)` after `from
app.models import SqlRun`) or of its own file works on the table the class maps, so messages
name it and the history's facts about it apply. Projects of our own in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from alembic_sentinel.lint.linter import LintOptions, lint_files

MODELS = """
from sqlalchemy.orm import declarative_base, declared_attr

Base = declarative_base()


class SqlRun(Base):
    __tablename__ = "runs"


class SqlComputed(Base):
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower()
"""


def _messages(tmp_path: Path, imports: str, table: str, header: str = "") -> list[str]:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "models.py").write_text(MODELS)
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    source = textwrap.dedent(
        f'''
        """add the runs' experiment"""
        import sqlalchemy as sa
        from alembic import op
        {imports}

        revision = "1234abcd5678"
        down_revision = "a8a2fc4e4c77"
        #HEADER#

        def upgrade():
            with op.batch_alter_table({table}) as batch_op:
                batch_op.add_column(sa.Column("experiment_id", sa.Integer(), nullable=True))
            op.create_foreign_key(None, {table}, "experiments", ["experiment_id"], ["id"])


        def downgrade():
            op.drop_column({table}, "experiment_id")
        '''
    ).replace("#HEADER#", header)
    path = versions / "1234abcd5678_runs.py"
    path.write_text(source)
    report = lint_files([(path.name, path)], LintOptions())
    return [f.message for f in report.findings]


@pytest.mark.parametrize(
    ("imports", "table", "header"),
    [
        ("from app.models import SqlRun", "SqlRun.__tablename__", ""),
        ("from app import models", "models.SqlRun.__tablename__", ""),
        ("from app.models import SqlRun as Run", "Run.__tablename__", ""),
        # an ORM class of the revision's own file
        (
            "from sqlalchemy.orm import declarative_base",
            "Local.__tablename__",
            "Base = declarative_base()\n\n\nclass Local(Base):\n    __tablename__ = 'runs'\n",
        ),
    ],
)
def test_a_class_tablename_is_the_table_it_maps(
    tmp_path: Path, imports: str, table: str, header: str
) -> None:
    messages = _messages(tmp_path, imports, table, header)
    assert any("runs." in m or " runs" in m for m in messages)
    assert not any("__tablename__" in m for m in messages)


@pytest.mark.parametrize(
    ("imports", "table"),
    [
        # computed by declared_attr: no literal name
        ("from app.models import SqlComputed", "SqlComputed.__tablename__"),
        # a library's class, not the project's
        ("from somelib.models import SqlRun", "SqlRun.__tablename__"),
        # a class the module does not define
        ("from app.models import SqlMissing", "SqlMissing.__tablename__"),
    ],
)
def test_a_tablename_lint_cannot_read_stays_the_expression(
    tmp_path: Path, imports: str, table: str
) -> None:
    messages = _messages(tmp_path, imports, table)
    assert messages and not any(" runs" in m or "runs." in m for m in messages)
