"""A dict of names written as a call (issue 20, round 17): `MAPPING = dict(header_uri="x",
footer_uri="y")` is the literal dict `{"header_uri": "x", ...}`, so a downgrade that walks it
(`for column in MAPPING: op.add_column("mailinglist", sa.Column(column, ...))`) is unrolled and
L319 sees each dropped column added back. Our own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import revision

from alembic_sentinel.lint.linter import LintOptions, lint_source

UPGRADE = """
with op.batch_alter_table("mailinglist") as batch_op:
    batch_op.drop_column("header_uri")
    batch_op.drop_column("footer_uri")
"""


def l319(downgrade: str, header: str = "") -> list[str]:
    source = revision(UPGRADE, downgrade, header=header)
    report = lint_source(source, "versions/1234abcd5678_test.py", LintOptions())
    return [f.message for f in report.findings if f.code == "L319"]


ADD_BACK = """
for column in MAPPING:
    op.add_column("mailinglist", sa.Column(column, sa.Unicode(), nullable=True))
"""


@pytest.mark.parametrize(
    ("header", "downgrade"),
    [
        # a module constant, walked by its keys
        ('MAPPING = dict(header_uri="list:header", footer_uri="list:footer")', ADD_BACK),
        # walked by .items(), the value unused
        (
            'MAPPING = dict(footer_uri="list:footer", header_uri="list:header")',
            """
            for column, _template in MAPPING.items():
                op.add_column("mailinglist", sa.Column(column, sa.Unicode()))
            """,
        ),
        # the function's own dict, values lists of names
        (
            "",
            'MAPPING = dict(header_uri=["a"], footer_uri=("b", "c"))\n' + ADD_BACK,
        ),
        # guarded by a reflection test inside the loop
        (
            'MAPPING = dict(header_uri="h", footer_uri="f")',
            """
            for column in MAPPING:
                if column not in existing_columns():
                    op.add_column("mailinglist", sa.Column(column, sa.Unicode()))
            """,
        ),
    ],
)
def test_a_loop_over_a_keyword_dict_adds_each_back(header: str, downgrade: str) -> None:
    assert l319(downgrade, header) == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # one column missing from the dict
        ('MAPPING = dict(header_uri="list:header")', 1),
    ],
)
def test_a_dict_that_does_not_name_every_column_is_reported(header: str, expected: int) -> None:
    found = l319(ADD_BACK, header)
    assert len(found) >= 1
    text = " ".join(found)
    assert ("footer_uri" in text) and (expected == 1 or "header_uri" in text)


@pytest.mark.parametrize(
    "header",
    [
        # a value lint cannot read: the dict is not literal, nothing is unrolled
        'MAPPING = dict(header_uri=uri_of("h"), footer_uri="f")',
        # a ** spread: keys unknown
        'MAPPING = dict(header_uri="h", **MORE)',
        # positional source: dict(pairs, ...) is not written out
        'MAPPING = dict(PAIRS, header_uri="h")',
    ],
)
def test_a_dict_lint_cannot_read_may_add_every_column_back(header: str) -> None:
    # each pass adds a column named at run time to mailinglist: any dropped one, for all lint
    # can tell (lint/opaque_steps.py); the same loop on another table undoes nothing there
    assert l319(ADD_BACK, header) == []
    elsewhere = ADD_BACK.replace('"mailinglist", sa.Column', '"archive", sa.Column')
    assert len(l319(elsewhere, header)) == 2
