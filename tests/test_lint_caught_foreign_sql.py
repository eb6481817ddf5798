"""L331's forms in a `try:` whose handler carries on (round 35): the server's refusal raises,
the handler catches it and the migration goes on (a sequence only PostgreSQL needs, tried
everywhere), so nothing stops there, as L333 and L334 already read it. Also one finding per
raw statement: SQL refused as written is not also said to change no row or every row.
Our own revisions."""

from __future__ import annotations

import textwrap

import pytest
from test_lint_rules import lint, revision

from alembic_sentinel.lint.online_ddl import parse_server_version

HEADER = """\
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DatabaseError, OperationalError, ProgrammingError
"""
DESK = """\
op.create_table(
    "desk",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("size", sa.Integer()),
)
"""
# each statement MySQL 8.0 refuses (or, for the partial index, builds wrongly)
REFUSED = {
    "sequence construct": 'op.execute(sa.schema.CreateSequence(sa.Sequence("desk_seq")))',
    "sequence drop construct": 'op.execute(sa.schema.DropSequence(sa.Sequence("desk_seq")))',
    "raw sequence": 'op.execute("CREATE SEQUENCE desk_seq START 1")',
    "double-quoted name": """op.execute('UPDATE desk SET "size" = 1')""",
    "single-quoted name": "op.execute(\"UPDATE desk SET 'size' = 1\")",
    "same-table subquery": (
        'op.execute("DELETE FROM desk WHERE id IN (SELECT id FROM desk WHERE size > 9)")'
    ),
    "quoted name in WHERE": "op.execute(\"UPDATE desk SET size = 1 WHERE 'size' IS NULL\")",
    "postgresql ENUM create": (
        'postgresql.ENUM("a", "b", name="mood").create(op.get_bind(), checkfirst=False)'
    ),
    "postgresql type": 'op.add_column("desk", sa.Column("tags", postgresql.JSONB()))',
    "partial unique index": (
        'op.create_index("ix_desk_size", "desk", ["size"], unique=True, '
        'postgresql_where=sa.text("size > 0"))'
    ),
}
HANDLERS = [
    "except (OperationalError, ProgrammingError):",
    "except DatabaseError:",
    "except Exception:",
    "except:",
]


def l331(upgrade: str) -> list[str]:
    source = revision(DESK + upgrade, header=HEADER)
    findings = lint(source, target=parse_server_version("mysql-8.0"))
    return [f.message for f in findings if f.code == "L331"]


@pytest.mark.parametrize("statement", REFUSED.values(), ids=list(REFUSED))
def test_a_refused_statement_outside_a_try_is_reported(statement: str) -> None:
    assert len(l331(statement)) == 1


@pytest.mark.parametrize("handler", HANDLERS)
@pytest.mark.parametrize("statement", REFUSED.values(), ids=list(REFUSED))
def test_a_refused_statement_a_handler_catches_is_not(statement: str, handler: str) -> None:
    tried = f"try:\n    {statement}\n{handler}\n    pass\n"
    assert not l331(tried)


def test_a_try_with_only_finally_catches_nothing() -> None:
    tried = f"try:\n    {REFUSED['raw sequence']}\nfinally:\n    pass\n"
    assert len(l331(tried)) == 1


def test_only_the_statements_inside_the_try_are_spared() -> None:
    upgrade = textwrap.dedent(
        f"""\
        try:
            {REFUSED["raw sequence"]}
        except ProgrammingError:
            pass
        {REFUSED["double-quoted name"]}
        """
    )
    [message] = l331(upgrade)
    assert "double-quoted" in message


def test_a_statement_refused_for_its_quoted_set_is_one_finding() -> None:
    # the server refuses the SET 'size' (ERROR 1064): the WHERE never runs, so no
    # "changes no row or every row" claim beside the refusal
    statement = "op.execute(\"UPDATE desk SET 'size' = 1 WHERE 'size' IS NULL\")"
    [message] = l331(statement)
    assert "ERROR 1064" in message and "every row" not in message


@pytest.mark.parametrize(
    "handler",
    [
        # PostgreSQL's "already exists" is ignored, anything else (MySQL's 1064) raised again
        'except ProgrammingError as error:\n    if "already exists" not in str(error):\n'
        "        raise",
        "except Exception:\n    raise",
    ],
    ids=["raised-unless", "raised"],
)
def test_a_handler_that_raises_again_lets_the_refusal_through(handler: str) -> None:
    for statement in (REFUSED["raw sequence"], REFUSED["postgresql ENUM create"]):
        tried = f"try:\n    {statement}\n{handler}\n"
        assert len(l331(tried)) == 1, statement
