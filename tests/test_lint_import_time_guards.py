"""L315 with a module-level `op.get_bind()` guarded by try/except and never used (issue 20,
round 18; lint/import_time_guards.py).

Outside a migration Alembic's `op` proxy raises NameError; a handler that swallows it keeps
`alembic history` and the hooks working, and offline mode's mock connection failing to reflect
is swallowed too. When nothing that runs reads what the block binds, the call is dead code.
When upgrade(), a helper it calls or other module-level code reads it, or the block acts, or
the handler does not catch the NameError, L315 stays. Fixtures are our own snippets."""

from __future__ import annotations

import textwrap

import pytest
from test_lint_rules import codes

_HEAD = '''"""a test revision

Revision ID: 1234abcd5678
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import inspect

revision = "1234abcd5678"
down_revision = "a8a2fc4e4c77"
'''

_UPGRADE = """
def upgrade():
    op.add_column("player", sa.Column("nick", sa.String(40), nullable=True))


def downgrade():
    op.drop_column("player", "nick")
"""


def _l315(block: str, functions: str = _UPGRADE) -> int:
    source = _HEAD + textwrap.dedent(block) + textwrap.dedent(functions)
    return codes(source).count("L315")


_GUARDED = [
    # a bare except, three names, a helper reading them that nothing calls
    """
    try:
        bind = op.get_bind()
        insp = inspect(bind)
        names = insp.get_table_names()
    except:
        bind = None
        insp = None
        names = None


    def _has_table(name):
        return name in insp.get_table_names()
    """,
    # Exception, one name
    """
    try:
        connection = op.get_bind()
    except Exception:
        connection = None
    """,
    # a tuple naming NameError, an annotated name, context read too
    """
    try:
        ctx = op.get_context()
        dialect: str = ctx.dialect.name
    except (NameError, AttributeError):
        pass
    """,
]


@pytest.mark.parametrize("block", _GUARDED)
def test_a_guarded_call_whose_names_nothing_reads_is_no_l315(block: str) -> None:
    assert _l315(block) == 0


@pytest.mark.parametrize(
    "block",
    [
        # no guard at all
        "bind = op.get_bind()\n",
        # a handler that does not take the proxy's NameError
        """
        try:
            bind = op.get_bind()
        except ImportError:
            bind = None
        """,
        # a handler that raises it again
        """
        try:
            bind = op.get_bind()
        except Exception:
            raise
        """,
        # the block acts at import time
        """
        try:
            op.execute("UPDATE player SET nick = NULL")
        except Exception:
            pass
        """,
        """
        try:
            rows = op.get_bind().execute(sa.text("DELETE FROM player"))
        except Exception:
            rows = None
        """,
        # an else branch runs more code at import
        """
        try:
            bind = op.get_bind()
        except Exception:
            bind = None
        else:
            print(bind)
        """,
        # other module-level code reads the name
        """
        try:
            bind = op.get_bind()
        except Exception:
            bind = None
        DIALECT = bind.dialect.name if bind is not None else "mysql"
        """,
    ],
)
def test_l315_stays_when_the_guard_does_not_make_the_call_dead(block: str) -> None:
    assert _l315(block) == 1


_BLOCK = """
try:
    bind = op.get_bind()
    insp = inspect(bind)
except:
    bind = insp = None
"""


@pytest.mark.parametrize(
    "functions",
    [
        # upgrade() reads the import-time inspector
        """
        def upgrade():
            if "player" in insp.get_table_names():
                op.add_column("player", sa.Column("nick", sa.String(40), nullable=True))


        def downgrade():
            pass
        """,
        # downgrade() through a helper, two calls deep
        """
        def _columns(table):
            return [c["name"] for c in insp.get_columns(table)]


        def _has_column(table, column):
            return column in _columns(table)


        def upgrade():
            pass


        def downgrade():
            if _has_column("player", "nick"):
                op.drop_column("player", "nick")
        """,
        # the connection passed on
        """
        def upgrade():
            bind.execute(sa.text("UPDATE player SET nick = login"))


        def downgrade():
            pass
        """,
    ],
)
def test_l315_stays_when_a_migration_uses_the_import_time_names(functions: str) -> None:
    assert _l315(_BLOCK, functions) == 1
