"""Round r40's class of early returns as guards (issue 20). Our own revisions.

`if <test>: return` followed by code reads as `if <test>: return  else: <code>`: the code
after it runs only when the test is false, so every guard reading sees it as under an undecided
`if`. When the history already made what that code makes (a column, an index), the guard
stops it on a database built from the history:

- L336: a create_index of an index the first revision made, after `if it exists: return`;
- L311 / L314: an add_column with an unnamed foreign key of a column the first revision made.

Unguarded, or guarded by a return before which the history has NOT made the object, they are
still reported; so is the code after an early return whose test asks nothing of the schema
(a legacy-engine switch, offline mode): on a database built from the history it runs.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from test_lint_round37_history import found, history
from test_lint_rules import revision

BASE = revision(
    """
    op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table("orgs", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("slug", sa.String(63), nullable=True))
    op.create_index("ix_orgs_slug", "orgs", ["slug"], unique=True)
    op.create_table("invites", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("invited_by", sa.Integer(), nullable=True))
    """,
    None,
)
BARE = revision(
    """
    op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table("orgs", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table("invites", sa.Column("id", sa.Integer(), primary_key=True))
    """,
    None,
)

SQL_TEST = """
conn = op.get_bind()
result = conn.execute(sa.text(
    "SELECT COUNT(*) FROM information_schema.columns "
    "WHERE table_name='orgs' AND column_name='slug'"))
"""

# the same early return, spelled in several ways
INDEX_GUARDS = [
    SQL_TEST + "if result.scalar():\n    return\n",
    SQL_TEST + "if result.scalar():\n    print('slug exists')\n    return\n",
    "insp = sa.inspect(op.get_bind())\n"
    "if 'slug' in [c['name'] for c in insp.get_columns('orgs')]:\n    return\n",
    "insp = sa.inspect(op.get_bind())\n"
    "if 'slug' in [c['name'] for c in insp.get_columns('orgs')]:\n    return\n"
    "else:\n    print('adding slug')\n",
]
INDEX_REST = """
op.add_column("orgs", sa.Column("slug", sa.String(63), nullable=True))
op.create_index("ix_orgs_slug", "orgs", ["slug"], unique=True)
"""

FK_GUARDS = [
    "cols = [c['name'] for c in sa.inspect(op.get_bind()).get_columns('invites')]\n"
    "if 'invited_by' in cols:\n    return\n",
    "conn = op.get_bind()\n"
    'if conn.execute(sa.text("SELECT 1 FROM information_schema.columns WHERE '
    "column_name='invited_by'\")).first():\n    return\n",
    "if column_exists('invites', 'invited_by'):\n    return\n",
]
FK_REST = """
op.add_column("invites", sa.Column("invited_by", sa.Integer(),
              sa.ForeignKey("users.id"), nullable=True))
"""


def test_an_index_after_an_early_return_the_history_answers_never_runs(
    tmp_path: Path,
) -> None:
    for number, guard in enumerate(INDEX_GUARDS):
        folder = tmp_path / str(number)
        folder.mkdir()
        findings = history(folder, BASE, revision(guard + INDEX_REST, None))
        assert found(findings, "L336") == [], guard


def test_an_index_with_no_early_return_is_still_a_duplicate(tmp_path: Path) -> None:
    assert found(history(tmp_path, BASE, revision(SQL_TEST + INDEX_REST, None)), "L336") == [
        "r1.py"
    ]


def test_a_return_in_a_branch_that_does_not_end_there_guards_nothing(tmp_path: Path) -> None:
    # the return is nested under a second test; the branch itself does not end with it
    guard = SQL_TEST + "if result.scalar():\n    if False:\n        return\n    print('x')\n"
    findings = history(tmp_path, BASE, revision(guard + INDEX_REST, None))
    assert found(findings, "L336") == ["r1.py"]


def test_an_add_after_an_early_return_of_a_column_the_history_has_never_runs(
    tmp_path: Path,
) -> None:
    for number, guard in enumerate(FK_GUARDS):
        folder = tmp_path / str(number)
        folder.mkdir()
        findings = history(folder, BASE, revision(guard + FK_REST, None))
        assert found(findings, "L311") == [], guard
        assert found(findings, "L314") == [], guard


def test_an_add_after_an_early_return_of_a_new_column_is_still_reported(
    tmp_path: Path,
) -> None:
    for number, guard in enumerate(FK_GUARDS):
        folder = tmp_path / str(number)
        folder.mkdir()
        findings = history(folder, BARE, revision(guard + FK_REST, None))
        assert found(findings, "L311") == ["r1.py"], guard
        assert found(findings, "L314") == ["r1.py"], guard


def test_an_unguarded_add_is_still_reported(tmp_path: Path) -> None:
    findings = history(tmp_path, BARE, revision(FK_REST, None))
    assert found(findings, "L311") == ["r1.py"]
    assert found(findings, "L314") == ["r1.py"]


def test_an_early_return_of_a_test_that_reads_no_schema_guards_nothing(tmp_path: Path) -> None:
    for number, guard in enumerate(
        [
            "if skip_on_legacy_engine(op, __name__):\n    return\n",
            "if context.is_offline_mode():\n    return\n",
            "legacy = os.environ.get('LEGACY')\nif legacy:\n    return\n",
        ]
    ):
        folder = tmp_path / str(number)
        folder.mkdir()
        findings = history(folder, BASE, revision(guard + INDEX_REST, None))
        assert found(findings, "L336") == ["r1.py"], guard


def test_a_clash_after_an_early_return_the_history_does_not_answer_is_reported(
    tmp_path: Path,
) -> None:
    # the table is new: the test is false on a database built from the history, the code
    # runs, and the index=True index clashes with the explicit one of the same name
    guard = SQL_TEST.replace("columns", "tables") + "if result.scalar():\n    return\n"
    rest = """
    op.create_table("jobs", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("org_id", sa.Integer(), index=True))
    op.create_index("ix_jobs_org_id", "jobs", ["org_id"])
    """
    findings = history(tmp_path, BASE, revision(guard + textwrap.dedent(rest), None))
    assert found(findings, "L336") == ["r1.py"]


def test_an_early_return_naming_another_object_guards_nothing(tmp_path: Path) -> None:
    # the test asks about another column: the history does not answer it for this add
    guard = "if column_exists('invites', 'accepted_at'):\n    return\n"
    findings = history(tmp_path, BASE, revision(guard + FK_REST, None))
    assert found(findings, "L311") == ["r1.py"]
