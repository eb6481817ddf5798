"""Table and key names joined from literal parts (issue 20, round 14): inside a loop over
literal prefixes, `prefix + "_torrents"` and `f"{prefix}_torrents"` are the tables' names, so
messages name them and a table created earlier in the revision is known to be empty. Our own
snippets: must fold and must not."""

from __future__ import annotations

import textwrap

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source
from alembic_sentinel.lint.online_ddl import parse_server_version


def findings(upgrade: str, header: str = 'PREFIXES = ("north", "south")') -> list[tuple[str, str]]:
    source = revision(textwrap.dedent(upgrade), header=header)
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return [(f.code, f.message) for f in report.findings]


@pytest.mark.parametrize(
    "name",
    ['prefix + "_torrents"', 'f"{prefix}_torrents"', '"" + prefix + "_" + "torrents"'],
)
def test_a_joined_name_in_an_unrolled_loop_is_the_table(name: str) -> None:
    upgrade = f"""
    for prefix in PREFIXES:
        op.create_table(
            {name},
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("info_hash", sa.String(40)),
        )
        op.create_index(op.f("ix_" + prefix + "_hash"), {name}, ["info_hash"], unique=True)
    """
    found = findings(upgrade)
    # created in this revision, so empty: no duplicates to fear (L309 is quiet)
    assert not [m for code, m in found if code == "L309"]
    assert not any("`" in m for _, m in found)


def test_a_joined_name_is_named_in_messages() -> None:
    upgrade = """
    for prefix in PREFIXES:
        op.create_foreign_key(None, prefix + "_comments", "users", ["user_id"], ["id"])
    """
    messages = [m for code, m in findings(upgrade) if code == "L314"]
    assert any("north_comments" in m for m in messages)
    assert any("south_comments" in m for m in messages)


@pytest.mark.parametrize(
    ("name", "header"),
    [
        # the prefix is not known: a function's value
        ('prefix + "_comments"', "PREFIXES = site_prefixes()"),
        # a format spec changes the text
        ('f"{prefix:>8}_comments"', 'PREFIXES = ("north", "south")'),
        # %-formatting is not folded
        ('"%s_comments" % prefix', 'PREFIXES = ("north", "south")'),
    ],
)
def test_a_name_lint_cannot_know_stays_the_expression(name: str, header: str) -> None:
    upgrade = f"""
    for prefix in PREFIXES:
        op.create_foreign_key(None, {name}, "users", ["user_id"], ["id"])
    """
    messages = [m for code, m in findings(upgrade, header) if code == "L314"]
    assert messages and not any("north_comments" in m for m in messages)


def test_sql_joined_from_known_parts_is_read() -> None:
    source = revision('kind = "plan_kind"\nop.execute(f"ALTER TYPE {kind} RENAME TO old_kind")')
    options = LintOptions(target=parse_server_version("postgresql"))
    report = lint_source(source, "versions/1234abcd5678_test.py", options)
    [finding] = [f for f in report.findings if f.code == "L318"]
    assert 'execute "ALTER TYPE plan_kind RENAME TO old_kind"' in finding.message
