"""Raw SQL built from a template (issue 20, round 17): `"UPDATE acls SET description='%s'
WHERE name='%s'" % (text, name)` or `"DELETE FROM {} WHERE ...".format(table)` writes rows;
its keywords are literal even though its values are not, so an empty downgrade leaves no
schema change behind (L318). A template that changes the schema is still reported. Our own
snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source


def l318(upgrade: str) -> int:
    source = revision(upgrade, "pass", header='ACLS = {"issue_create": "Create a ticket"}')
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return sum(1 for f in report.findings if f.code == "L318")


@pytest.mark.parametrize(
    "upgrade",
    [
        # %-formatting, in a loop
        """
        for acl in ACLS:
            op.execute("UPDATE acls SET description='%s' WHERE name='%s';" % (ACLS[acl], acl))
        """,
        # a single value after %
        """op.execute("DELETE FROM tokens WHERE acl = '%s'" % name_of())""",
        # str.format inside sa.text
        """op.execute(sa.text("INSERT INTO acls (name) VALUES ('{}')".format(new_acl())))""",
        # str.format on its own, held by bind.execute is not needed: op.execute takes it
        """op.execute("update {} set flag = 0".format(table_name()))""",
    ],
)
def test_a_templated_data_change_leaves_nothing_to_undo(upgrade: str) -> None:
    assert l318(upgrade) == 0


@pytest.mark.parametrize(
    "upgrade",
    [
        # the template changes the schema
        """op.execute("ALTER TABLE %s ADD COLUMN flag INT" % table_name())""",
        """op.execute("CREATE INDEX ix_{0} ON {0} (name)".format(table_name()))""",
        # the whole statement is a value: nothing literal to read
        """op.execute("%s" % statement_for())""",
        """op.execute("{}".format(statement_for()))""",
        # data and schema together: the schema change stays
        """op.execute("UPDATE t SET a = '%s'; ALTER TABLE t DROP COLUMN b" % value())""",
    ],
)
def test_a_templated_schema_change_is_still_reported(upgrade: str) -> None:
    assert l318(upgrade) == 1
