"""SQL templates whose fields are bound from literal names (round 36): a `.format()` in a loop
over a dict of table names walked the Python 2 way (`six.iteritems(D)`), and a helper whose
SELECT / UPDATE picks its column by a boolean parameter (`column if forward else "_" +
column`). The reader sees each statement the loop or the call runs, so rows copied before a
drop count as copied (L304, L305); a field bound to a value known only at run time leaves the
SQL unread, and a loop that keeps nothing of the rows keeps the finding. Our own snippets."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from test_lint_histories import chained
from test_lint_rules import codes, revision

from alembic_sentinel.lint.linter import LintOptions, lint_files
from alembic_sentinel.lint.literal_dicts import dict_items
from alembic_sentinel.lint.string_folding import folded

# --- a loop over a dict of association tables, each read by one formatted SELECT (L304) -----

MEMBERSHIPS = '{"team_members": "members", "team_invites": "invited"}'
COPY_LOOP = """
bind = op.get_bind()
table_column = MEMBERSHIPS
gathered = {}
for link_table, column in WALK:
    rows = bind.execute(sa.text(
        "SELECT teams.id, people.login FROM {link} "
        "JOIN people ON {link}.person = people.id "
        "JOIN teams ON {link}.team = teams.id".format(link=link_table)
    ))
    for team_id, login in rows:
        gathered.setdefault(team_id, {}).setdefault(column, []).append(login)
for team_id, logins in gathered.items():
    bind.execute(
        sa.text("UPDATE teams SET members = :members, invited = :invited WHERE id = :id"),
        id=team_id, members=logins.get("members", []), invited=logins.get("invited", []),
    )
op.drop_table("team_members")
op.drop_table("team_invites")
"""


def _loop(walk: str, body: str = COPY_LOOP) -> str:
    return revision(
        body.replace("MEMBERSHIPS", MEMBERSHIPS).replace("WALK", walk), header="import six"
    )


@pytest.mark.parametrize(
    "walk",
    [
        "six.iteritems(table_column)",
        "table_column.iteritems()",
        "six.viewitems(table_column)",
        "table_column.items()",
        f"six.iteritems({MEMBERSHIPS})",
    ],
)
def test_tables_a_formatted_select_reads_in_a_loop_over_literal_names_are_copied(
    walk: str,
) -> None:
    assert "L304" not in codes(_loop(walk))


def test_a_loop_over_literal_names_that_only_counts_the_rows_keeps_l304() -> None:
    counting = """
    bind = op.get_bind()
    table_column = MEMBERSHIPS
    for link_table, column in WALK:
        total = bind.execute(sa.text("SELECT count(*) FROM {}".format(link_table))).scalar()
        print(column, total)
    op.drop_table("team_members")
    op.drop_table("team_invites")
    """
    found = codes(_loop("six.iteritems(table_column)", textwrap.dedent(counting)))
    assert found.count("L304") == 2


def test_a_loop_over_names_a_query_returns_leaves_the_formatted_select_unread() -> None:
    # the names come from the database: which tables the SELECT reads is not known
    source = _loop("six.iteritems(dict(bind.execute(sa.text('SELECT t, c FROM registry'))))")
    assert codes(source).count("L304") == 2


def test_iteritems_walks_a_literal_dict_as_items_does() -> None:
    node = ast.parse(f"six.iteritems({MEMBERSHIPS})", mode="eval").body
    pairs = dict_items(node, {})
    assert pairs is not None
    assert [ast.literal_eval(pair) for pair in pairs] == [
        ("team_members", "members"),
        ("team_invites", "invited"),
    ]
    assert dict_items(ast.parse("six.iteritems(rows)", mode="eval").body, {}) is None


# --- a helper whose SQL picks its column by a boolean parameter (L305, round 37) ------------

HELPER = """
def recompress(conn, table, column, forward=True, batch=100):
    for offset in range(0, 10_000, batch):
        rows = conn.execute(sa.text(
            "SELECT id, `{column}` FROM `{table}` LIMIT :n OFFSET :o".format(
                column=column if forward else "_" + column, table=table
            )
        ), n=batch, o=offset).fetchall()
        for row_id, data in rows:
            conn.execute(sa.text(
                "UPDATE `{table}` SET `{column}` = :payload WHERE id = :id".format(
                    column="_" + column if forward else column, table=table
                )
            ), payload=gzip.compress(data) if forward else gzip.decompress(data), id=row_id)
"""
ADD_COPY = 'op.add_column("attachment", sa.Column("_payload", sa.LargeBinary(), nullable=True))'
DROP_OLD = 'op.drop_column("attachment", "payload")'


def _l305_lines(tmp_path: Path, call: str, helper: str = HELPER) -> list[int]:
    """L305 of the drop two revisions after a revision that calls the helper."""
    down = "a8a2fc4e4c77"
    steps = [(ADD_COPY, ""), (call, "import gzip\n" + helper), (DROP_OLD, "")]
    for number, (body, header) in enumerate(steps):
        revision_id = f"f6{number:010d}"
        source = chained(revision(body, "pass", header=header), revision_id, down)
        (tmp_path / f"{revision_id}.py").write_text(source)
        down = revision_id
    files = [(p.name, p) for p in sorted(tmp_path.iterdir())]
    found = lint_files(files, LintOptions()).findings
    return [f.line for f in found if f.code == "L305" and f.path == f"{down}.py"]


@pytest.mark.parametrize(
    "call",
    [
        'recompress(op.get_bind(), "attachment", "payload", batch=1)',  # the default
        'recompress(op.get_bind(), "attachment", "payload", forward=True)',
        'recompress(op.get_bind(), "attachment", "payload", True)',
        'for table in ("attachment",):\n    recompress(op.get_bind(), table, "payload")',
    ],
    ids=["default", "keyword", "positional", "in-a-loop"],
)
def test_a_column_a_helper_copies_by_its_flag_is_carried(tmp_path: Path, call: str) -> None:
    assert _l305_lines(tmp_path, call) == []


@pytest.mark.parametrize(
    "call",
    [
        # backwards: `_payload` is read and `payload` written; nothing keeps `payload`
        'recompress(op.get_bind(), "attachment", "payload", forward=False)',
        # the flag is known only at run time: which column is read is not known
        'recompress(op.get_bind(), "attachment", "payload", forward=op.get_context().as_sql)',
    ],
    ids=["backwards", "flag-at-run-time"],
)
def test_a_helper_not_known_to_copy_the_dropped_column_keeps_l305(
    tmp_path: Path, call: str
) -> None:
    assert _l305_lines(tmp_path, call) != []


_SELECT_FORMAT = (
    '"SELECT id, `{column}` FROM `{table}` LIMIT :n OFFSET :o".format(\n'
    '                column=column if forward else "_" + column, table=table\n'
    "            )"
)


@pytest.mark.parametrize(
    "select",
    [
        "f\"SELECT id, `{column if forward else '_' + column}` FROM `{table}` LIMIT :n OFFSET :o\"",
        '"SELECT id, `%s` FROM `%s` LIMIT :n OFFSET :o" % '
        '(column if forward else "_" + column, table)',
    ],
    ids=["f-string", "percent"],
)
def test_other_spellings_of_the_template_pick_the_column_by_the_flag_too(
    tmp_path: Path, select: str
) -> None:
    helper = HELPER.replace(_SELECT_FORMAT, select)
    assert helper != HELPER
    call = 'recompress(op.get_bind(), "attachment", "payload")'
    assert _l305_lines(tmp_path, call, helper) == []


@pytest.mark.parametrize(
    ("python", "bound", "text"),
    [
        ('c if forward else "_" + c', {"forward": True}, "body"),
        ('c if forward else "_" + c', {"forward": False}, "_body"),
        ('c if not forward else "_" + c', {"forward": None}, "body"),
        ('c if forward else "_" + c', {}, None),  # not known: not folded
    ],
)
def test_a_conditional_folds_to_the_arm_its_known_test_picks(
    python: str, bound: dict[str, object], text: str | None
) -> None:
    names: dict[str, ast.expr] = {"c": ast.Constant("body")}
    names.update({name: ast.Constant(value) for name, value in bound.items()})
    assert folded(ast.parse(python, mode="eval").body, names.get) == text
