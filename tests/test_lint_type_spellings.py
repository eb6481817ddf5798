"""L314 and one MySQL type spelt two ways (issue 20, round 14).

`existing_type=sa.TEXT(), type_=sa.Text()` restates a column as it is: MySQL changes nothing and
copies nothing. A real change of type (TEXT to MEDIUMTEXT or LONGTEXT, VARCHAR to TEXT,
INT(11) to FLOAT) still copies the table. Our own fixtures."""

from __future__ import annotations

import pytest
from test_lint_histories import codes
from test_lint_rules import revision

MYSQL = "from sqlalchemy.dialects import mysql"


def _alter(old: str, new: str) -> str:
    return revision(
        f'op.alter_column("job", "notes", existing_type={old}, type_={new}, '
        "existing_nullable=True)",
        f'op.alter_column("job", "notes", existing_type={new}, type_={old}, '
        "existing_nullable=True)",
        header=MYSQL,
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("sa.TEXT()", "sa.Text()"),
        ("sa.Text()", "sa.UnicodeText()"),
        ("sa.VARCHAR(length=250)", "sa.String(250)"),
        ("sa.Unicode(40)", "mysql.VARCHAR(40)"),
        ("sa.INTEGER()", "sa.Integer()"),
        ("sa.BIGINT()", "sa.BigInteger()"),
        ("sa.Text(length=2000)", "sa.TEXT(2000)"),
    ],
)
def test_the_same_type_spelt_twice_copies_nothing(old: str, new: str) -> None:
    assert "L314" not in codes(_alter(old, new))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("sa.TEXT()", "mysql.MEDIUMTEXT()"),
        ("sa.VARCHAR(length=5000)", "sa.Text()"),
        ("sa.Text()", "mysql.LONGTEXT()"),
        ("mysql.INTEGER(display_width=11)", "sa.Float()"),
        ("sa.SmallInteger()", "sa.Integer()"),
    ],
)
def test_a_change_of_type_still_copies_the_table(old: str, new: str) -> None:
    assert "L314" in codes(_alter(old, new))
