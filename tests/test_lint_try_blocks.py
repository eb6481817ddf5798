"""How lint reads `try` / `except` (issue 20, round 15; lint/try_blocks.py): a handler that
retries the body's change is its alternative (an inverse in either, the hazard reported once,
on the body's line), and a statement that always raises ends its block, so what follows it in a
`try` body never runs. Our own fixtures."""

from __future__ import annotations

import pytest
from test_lint_histories import lint
from test_lint_rules import revision

from alembic_sentinel.report.model import Finding

TARGET = "mysql-8.0"


def _found(upgrade: str, downgrade: str = "pass", code: str = "") -> list[Finding]:
    return [f for f in lint(revision(upgrade, downgrade), target=TARGET) if f.code == code]


RETRIES = [
    # a keyword only one Alembic version accepts, the older call in the handler
    """
    with op.batch_alter_table("ledger") as batch:
        try:
            batch.alter_column("note", existing_type=sa.Text(), type_=sa.LargeBinary(),
                               postgresql_using="note::bytea")
        except TypeError:
            batch.alter_column("ledger_note", existing_type=sa.Text(), type_=sa.LargeBinary())
    """,
    # the same on op, the handler naming the column under its old spelling
    """
    try:
        op.alter_column("ledger", "note", type_=sa.LargeBinary(), existing_type=sa.Text())
    except Exception:
        op.alter_column("ledger", "Note_Text", type_=sa.LargeBinary())
    """,
    # several handlers, a bare one last
    """
    try:
        op.alter_column("ledger", "note", type_=sa.LargeBinary(), existing_type=sa.Text())
    except (TypeError, ValueError):
        op.alter_column("ledger", "note_v1", type_=sa.LargeBinary())
    except:  # noqa: E722
        op.alter_column("ledger", "note_v0", type_=sa.LargeBinary())
    """,
]
UNDO = 'op.alter_column("ledger", "note", type_=sa.Text(), existing_type=sa.LargeBinary())'


@pytest.mark.parametrize("upgrade", RETRIES)
def test_a_handler_retrying_the_bodys_change_is_its_alternative(upgrade: str) -> None:
    # the body's change is undone, the retry needs no inverse of its own
    assert _found(upgrade, UNDO, "L319") == []
    # the hazard is reported once, on the body's line
    copies = _found(upgrade, UNDO, "L314")
    assert len(copies) == 1
    assert "ledger.note:" in copies[0].message


def test_a_handler_undoes_in_the_downgrade() -> None:
    downgrade = """
    try:
        op.drop_index("ix_ledger_note", table_name="ledger")
    except Exception:
        op.drop_constraint("ix_ledger_note", "ledger", type_="unique")
    """
    upgrade = 'op.create_index("ix_ledger_note", "ledger", ["note"])'
    assert _found(upgrade, downgrade, "L319") == []
    # an inverse found only in the handler also counts: either path undoes
    only_handler = """
    try:
        check_state()
    except Exception:
        op.drop_index("ix_ledger_note", table_name="ledger")
    """
    assert _found(upgrade, only_handler, "L319") == []


@pytest.mark.parametrize(
    ("upgrade", "named"),
    [
        # the handler does something else: read as any statement
        (
            """
            try:
                op.alter_column("ledger", "note", type_=sa.LargeBinary(), existing_type=sa.Text())
            except Exception:
                op.drop_table("ledger_archive")
            """,
            "ledger_archive",
        ),
        # the retry is on another table
        (
            """
            try:
                op.create_index("ix_a", "ledger", ["note"])
            except Exception:
                op.create_index("ix_b", "journal", ["note"])
            """,
            "ix_b",
        ),
    ],
)
def test_a_handler_doing_something_else_is_still_reported(upgrade: str, named: str) -> None:
    found = _found(upgrade, "op.drop_index('ix_unrelated')", "L319")
    assert named in " ".join(f.message for f in found)


DEAD_DROPS = [
    # drops after an unnamed drop_constraint in the same try body
    """
    try:
        op.drop_constraint(None, "entry", type_="foreignkey")
        op.drop_column("entry", "created_by")
    except Exception:
        pass
    """,
    # the unnamed drop inside a with in the try body: the rest of the body is dead too
    """
    try:
        with op.batch_alter_table("entry") as batch:
            batch.drop_constraint(None, type_="foreignkey")
            batch.drop_column("created_by")
        op.drop_column("entry", "changed_by")
    except Exception:
        pass
    """,
    # after a drop_index(None), and after a `raise`
    """
    try:
        op.drop_index(None, table_name="entry")
        op.drop_column("entry", "created_by")
    except Exception:
        pass
    """,
    """
    try:
        raise RuntimeError("not on this server")
        op.drop_column("entry", "created_by")
    except RuntimeError:
        pass
    """,
]


@pytest.mark.parametrize("upgrade", DEAD_DROPS)
def test_statements_after_one_that_always_raises_never_run(upgrade: str) -> None:
    assert _found(upgrade, "pass", "L305") == []


def test_a_second_unnamed_drop_after_the_first_is_still_l310() -> None:
    upgrade = """
    try:
        op.drop_constraint(None, "entry", type_="foreignkey")
        op.drop_constraint(None, "entry", type_="foreignkey")
    except Exception:
        pass
    """
    assert len(_found(upgrade, "pass", "L310")) == 2
    # and an unnamed drop of a foreign key whose error a handler swallows drops none: no L327
    assert _found(upgrade, "pass", "L327") == []
    # outside a try the author names the key and the drop happens: L327 stays
    bare = 'op.drop_constraint(None, "entry", type_="foreignkey")'
    assert len(_found(bare, "pass", "L327")) == 1


@pytest.mark.parametrize(
    "upgrade",
    [
        # outside a try the unnamed drop is an error to fix; then the drop after it runs
        """
        op.drop_constraint(None, "entry", type_="foreignkey")
        op.drop_column("entry", "created_by")
        """,
        # a raise in one branch: the other branch and what follows may run
        """
        try:
            if flag():
                raise RuntimeError("stop")
            op.drop_column("entry", "created_by")
        except RuntimeError:
            pass
        """,
        # a named drop_constraint may succeed
        """
        try:
            op.drop_constraint("fk_entry_user", "entry", type_="foreignkey")
            op.drop_column("entry", "created_by")
        except Exception:
            pass
        """,
        # the drop in the handler or after the try runs
        """
        try:
            op.drop_constraint(None, "entry", type_="foreignkey")
        except Exception:
            op.drop_column("entry", "created_by")
        """,
        """
        try:
            op.drop_constraint(None, "entry", type_="foreignkey")
        except Exception:
            pass
        op.drop_column("entry", "created_by")
        """,
    ],
)
def test_drops_that_can_run_are_still_reported(upgrade: str) -> None:
    assert len(_found(upgrade, "pass", "L305")) == 1
