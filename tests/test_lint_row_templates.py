"""Raw SQL a loop formats for each row from that row's values (issue 20): `.format()`, `%`,
f-strings and `+` read each run-time value as a bound parameter, never as a blank constant,
and a loop that writes each row, found by its unique key, its own key back, a fresh id or the
same row's value of another unique column gives every row a distinct value: a unique key over
the column meets no duplicate (L309). A constant formatted with a constant, a value made once
before the loop, a column that may repeat, a WHERE that may match several rows or rows read
from another table still leave rows alike. The other rules read the formatted text the same
(L301). Our own snippets: must flag and must not."""

from __future__ import annotations

import ast

import pytest
from test_lint_rules import codes, lint, revision, target

from alembic_sentinel.lint.sql_templates import templated_sql

ADD = 'op.add_column("operator", sa.Column("email", sa.String(120), nullable=True))'
LOGIN_KEY = 'op.execute("ALTER TABLE operator ADD UNIQUE (login)")'
KEY = 'op.execute("ALTER TABLE operator ADD UNIQUE (email)")'
HEADER = "from uuid import uuid4"


def _rows(select: str = "SELECT login, id FROM operator", target_name: str = "r") -> str:
    return (
        "conn = op.get_bind()\n"
        f'rows = conn.execute("{select}").fetchall()\n'
        f"for {target_name} in rows:\n"
    )


def _l309(fill: str, before: str = LOGIN_KEY) -> list[str]:
    source = revision(f"{ADD}\n{fill}\n{before}\n{KEY}", header=HEADER)
    found = lint(source, target=target("mysql-8.0"))
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "UNIQUE (email)" in text)
    return [f.severity for f in found if f.code == "L309" and f.line == line]


@pytest.mark.parametrize(
    "fill",
    [
        # the same row's login, unique since the key before: an e-mail per login
        _rows() + "    op.execute(\"update operator set email='{0}@example.com' where id={1};\""
        ".format(r[0], r[1]))",
        # the row's own key written back, by name
        _rows("SELECT id FROM operator")
        + "    op.execute(\"UPDATE operator SET email = 'op-{}@example.com' WHERE id = {}\""
        ".format(r.id, r.id))",
        # an f-string with the loop variable's key
        "for operator_id in load_ids():\n"
        "    op.execute(f\"UPDATE operator SET email = 'op{operator_id}@example.com' "
        'WHERE id = {operator_id}")',
        # % formatting, the row's login by its key
        _rows() + "    op.execute(\"UPDATE operator SET email = '%s@example.com' WHERE id = %s\""
        ' % (r["login"], r["id"]))',
        # the target unpacked, through sa.text and the connection
        _rows(target_name="login, ident")
        + "    conn.execute(sa.text(\"UPDATE operator SET email = '{}@x.org' WHERE id = {}\""
        ".format(login, ident)))",
        # joined by +, the key through str()
        _rows("SELECT id FROM operator")
        + '    op.execute("UPDATE operator SET email = \'" + str(r.id) + "@x.org\' WHERE id = "'
        " + str(r.id))",
        # a fresh id per pass
        _rows("SELECT id FROM operator")
        + "    op.execute(\"UPDATE operator SET email = '{}' WHERE id = {}\""
        ".format(uuid4(), r.id))",
        # the value joined to a constant in Python first
        _rows() + "    op.execute(\"UPDATE operator SET email = '{}' WHERE id = {}\""
        ".format(r.login + '@x.org', r.id))",
        # the SQL bound to a name in the loop first
        _rows()
        + "    sql = \"UPDATE operator SET email = '{}@x.org' WHERE id = {}\".format(r[0], r[1])\n"
        "    op.execute(sql)",
    ],
)
def test_a_key_column_formatted_per_row_from_a_distinct_value_is_quiet(fill: str) -> None:
    assert _l309(fill) == []


@pytest.mark.parametrize(
    "fill",
    [
        # a constant formatted with a constant, in no loop: one value for every row
        'op.execute("UPDATE operator SET email = \'{}@example.com\'".format("nobody"))',
        # one value made at run time, outside a loop: the same for every row
        "address = load_address()\n"
        "op.execute(\"UPDATE operator SET email = '{}'\".format(address))",
        # in the loop, but a value made once before it
        "address = load_address()\n"
        + _rows("SELECT id FROM operator")
        + "    op.execute(\"UPDATE operator SET email = '{}' WHERE id = {}\""
        ".format(address, r.id))",
        # a WHERE over a column that may repeat: one value for several rows
        _rows("SELECT id, team FROM operator")
        + "    op.execute(f\"UPDATE operator SET email = 't{r.id}@x.org' WHERE team = {r.team}\")",
        # the rows walked are another table's: its login is not this table's
        _rows("SELECT login, id FROM legacy_operator")
        + "    op.execute(\"update operator set email='{0}@example.com' where id={1};\""
        ".format(r[0], r[1]))",
        # a column of the row that may repeat, beside its key
        _rows("SELECT id, name FROM operator")
        + "    op.execute(f\"UPDATE operator SET email = '{r.name}@x.org' WHERE id = {r.id}\")",
    ],
)
def test_a_shared_or_repeating_formatted_value_is_still_reported(fill: str) -> None:
    assert _l309(fill) == ["warning"]


def test_a_login_no_key_keeps_apart_is_still_reported() -> None:
    fill = (
        _rows() + "    op.execute(\"update operator set email='{0}@example.com' where id={1};\""
        ".format(r[0], r[1]))"
    )
    assert _l309(fill, before="pass") == ["warning"]


# --- the template's text: run-time values as bound parameters -------------------------------


@pytest.mark.parametrize(
    ("python", "sql"),
    [
        (
            "\"update t set email='{0}@example.com' where id={1};\".format(r[0], r[1])",
            "update t set email=CONCAT(:value, '@example.com') where id=:value;",
        ),
        (
            "\"UPDATE t SET c = '%s' WHERE k = %s\" % (row.c, row.k)",
            "UPDATE t SET c = :c WHERE k = :k",
        ),
        (
            "f\"UPDATE t SET c = 'x-{row.c}' WHERE id IN ({row.ids})\"",
            "UPDATE t SET c = CONCAT('x-', :c) WHERE id IN (:ids)",
        ),
        (
            "\"UPDATE t SET c = 'it''s {}'\".format(note)",
            "UPDATE t SET c = CONCAT('it''s ', :note)",
        ),
        # a dunder attribute names its parameter without the underscores (no placeholder)
        (
            "\"INSERT INTO t (v) VALUES ('{}')\".format(app.__version__)",
            "INSERT INTO t (v) VALUES (:version)",
        ),
        # a literal argument is its text
        ("\"UPDATE t SET c = '{}@x'\".format('a')", "UPDATE t SET c = 'a@x'"),
        # a run-time name where a name stands: not read
        ('"UPDATE {} SET c = 1".format(table)', None),
        ('f"UPDATE t SET {column} = 1"', None),
    ],
)
def test_run_time_values_of_a_template_are_bound_parameters(python: str, sql: str | None) -> None:
    node = ast.parse(python, mode="eval").body
    assert templated_sql(node, lambda name: None, placeholders=False) == sql


# --- the other rules read the formatted text the same (L301) ---------------------------------

NOT_NULL = 'op.add_column("till", sa.Column("code", sa.String(20), nullable=False))'


@pytest.mark.parametrize(
    "fill",
    [
        "op.execute(f\"UPDATE till SET code = '{row.code}' WHERE id = {row.id}\")",
        "op.execute(\"UPDATE till SET code = 'c-{}' WHERE id = {}\".format(row.code, row.id))",
        "op.execute(\"UPDATE till SET code = '%s' WHERE id = %s\" % (row.code, row.id))",
    ],
)
def test_a_not_null_column_a_formatted_update_fills_per_row_is_not_l301(fill: str) -> None:
    loop = "for row in op.get_bind().execute(sa.text('SELECT id, code FROM legacy')):\n    "
    assert "L301" not in codes(revision(f"{NOT_NULL}\n{loop}{fill}"), target=target("mysql-8.0"))
    other = fill.replace("SET code", "SET label")
    assert "L301" in codes(revision(f"{NOT_NULL}\n{loop}{other}"), target=target("mysql-8.0"))
