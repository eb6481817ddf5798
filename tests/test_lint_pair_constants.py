"""Round 22 (issue 20): a module constant of literal pairs walked by a loop, and session
settings in L318's list. Fixtures are our own snippets.

- `PAIRS = (("t", "c"), ...)` at module level, then `for (table, column) in PAIRS:` (with or
  without the parentheses): unrolled as the same literal written in the loop, so messages name
  each table and column instead of the loop's variables;
- `SET foreign_key_checks=0` / `SET NAMES ...` is the connection's setting, no schema change
  for L318 to list; `SET GLOBAL` changes the server and stays listed."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision, target

_PAIRS = 'STALE = (("shelf", "old_label"), ("crate", "old_code"))\n'


@pytest.mark.parametrize(
    "loop",
    [
        "for (table, column) in STALE:\n    op.drop_column(table, column)",
        "for table, column in STALE:\n    op.drop_column(table, column)",
        "for [table, column] in reversed(STALE):\n    op.drop_column(table, column)",
    ],
)
def test_a_loop_over_module_pairs_names_each_column(loop: str) -> None:
    findings = lint(revision(loop, header=_PAIRS), target=target("mysql-8.0"))
    messages = sorted(f.message for f in findings if f.code == "L305")
    assert any("shelf.old_label" in m for m in messages)
    assert not any("named by a variable" in m or "`table`" in m for m in messages)


def test_a_loop_over_pairs_of_other_shapes_stays_unnamed() -> None:
    header = 'STALE = (("shelf", "old_label"), ("crate", 3))\n'
    loop = "for (table, column) in STALE:\n    op.drop_column(table, column)"
    findings = lint(revision(loop, header=header), target=target("mysql-8.0"))
    assert [f.code for f in findings].count("L305") == 1


_ALTER = 'op.execute("ALTER TABLE shelf MODIFY label VARCHAR(80) NOT NULL")\n'


@pytest.mark.parametrize(
    "setting",
    ["SET foreign_key_checks=0", "SET NAMES utf8mb4", "set session sql_mode = ''"],
)
def test_a_session_setting_is_no_schema_change(setting: str) -> None:
    upgrade = f'op.execute("{setting};")\n' + _ALTER + 'op.execute("SET foreign_key_checks=1")'
    findings = [f for f in lint(revision(upgrade)) if f.code == "L318"]
    assert len(findings) == 1
    assert "1 schema change(s)" in findings[0].message
    assert not [f for f in lint(revision(f'op.execute("{setting}")')) if f.code == "L318"]


def test_a_global_setting_stays_a_change() -> None:
    findings = lint(revision('op.execute("SET GLOBAL innodb_file_per_table = 1")'))
    assert [f.code for f in findings].count("L318") == 1
