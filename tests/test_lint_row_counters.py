"""L309 and a key column numbered row by row by a counter (issue 20): a MySQL user variable
stepped in the UPDATE (`SET @n = 0` before, or `(SELECT @n := 0)` joined in, then `SET c = (@n
:= @n + 1)`, also under a subquery's alias) or `ROW_NUMBER() OVER (...)` gives every row it
writes its own number, so a unique key over the column cannot meet a duplicate; partitioned by
x, only a key holding x as well. Still reported: the counter writing another table, an UPDATE
that leaves rows out (a WHERE, a LIMIT) of a column they keep a repeated value in, a variable
never given a number (NULL + 1 is NULL), one reset per group, a partition outside the key, a
constant. Our own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision, target

from alembic_sentinel.lint.row_counters import numbers_rows, reaches_every_row

ADD = (
    'op.add_column("slot", sa.Column("position", sa.Integer(), nullable=False, server_default="0"))'
)
ADD_NULL = 'op.add_column("slot", sa.Column("position", sa.Integer(), nullable=True))'
BOTH = 'op.create_unique_constraint("uq_slot_position", "slot", ["group_id", "position"])'
ALONE = 'op.create_unique_constraint("uq_slot_position", "slot", ["position"])'


def _l309(*steps: str) -> list[str]:
    source = revision("\n".join(steps))
    return [f.severity for f in lint(source, target=target("mariadb-10.11")) if f.code == "L309"]


def _sql(text: str) -> str:
    return f"op.execute({text!r})"


START = _sql("SET @row_number = 0")
STEP = _sql("UPDATE slot SET `position` = (@row_number := @row_number + 1) ORDER BY group_id")


@pytest.mark.parametrize(
    "steps",
    [
        # the bunkerweb shape: the variable set by one execute, stepped by the next
        (ADD, START, STEP, BOTH),
        (ADD, START, STEP, ALONE),
        (ADD_NULL, START, STEP, ALONE),
        (ADD, _sql("SET @n := 10"), _sql("UPDATE slot SET position = @n := 1 + @n"), ALONE),
        # started in the statement itself
        (
            ADD,
            _sql("UPDATE slot JOIN (SELECT @n := 0) AS init SET slot.position = (@n := @n + 1)"),
            ALONE,
        ),
        # stepped in a subquery the SET takes by its alias
        (
            ADD,
            _sql(
                "UPDATE slot JOIN (SELECT id, @n := @n + 1 AS rn FROM slot, (SELECT @n := 0) i "
                "ORDER BY group_id) r ON slot.id = r.id SET slot.position = r.rn"
            ),
            ALONE,
        ),
        # a window: unpartitioned, or partitioned by a column the key holds too
        (
            ADD,
            _sql(
                "UPDATE slot JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY group_id, id) AS rn "
                "FROM slot) r ON slot.id = r.id SET slot.position = r.rn"
            ),
            ALONE,
        ),
        (
            ADD,
            _sql(
                "UPDATE slot JOIN (SELECT id, ROW_NUMBER() OVER (PARTITION BY group_id ORDER BY "
                "id) AS rn FROM slot) r ON slot.id = r.id SET slot.position = r.rn"
            ),
            BOTH,
        ),
        # rows the WHERE leaves out keep the NULL of a column just added: NULLs never collide
        (
            ADD_NULL,
            START,
            _sql("UPDATE slot SET position = (@row_number := @row_number + 1) WHERE active = 1"),
            ALONE,
        ),
    ],
)
def test_a_counter_numbering_every_row_cannot_meet_duplicates(steps: tuple[str, ...]) -> None:
    assert _l309(*steps) == []


@pytest.mark.parametrize(
    ("steps", "severities"),
    [
        # the counter numbers another table: the key's column keeps 0 in every row (bunkerweb's
        # second key; the `SET @n = 0` before writes no table, issue 20)
        (
            (
                ADD,
                START,
                _sql("UPDATE slot_template SET `position` = (@row_number := @row_number + 1)"),
                ALONE,
            ),
            ["warning"],
        ),
        (
            (
                ADD,
                _sql(
                    "UPDATE slot_template JOIN (SELECT @n := 0) AS init "
                    "SET slot_template.position = (@n := @n + 1)"
                ),
                ALONE,
            ),
            ["warning"],
        ),
        # rows the WHERE or LIMIT leaves out keep the default 0 (MariaDB: Duplicate entry '0')
        (
            (
                ADD,
                START,
                _sql(
                    "UPDATE slot SET position = (@row_number := @row_number + 1) WHERE active = 1"
                ),
                ALONE,
            ),
            ["warning"],
        ),
        (
            (
                ADD,
                START,
                _sql("UPDATE slot SET position = (@row_number := @row_number + 1) LIMIT 100"),
                ALONE,
            ),
            ["warning"],
        ),
        # never given a number: NULL + 1 is NULL, and 0 on a NOT NULL column outside strict mode
        ((ADD, STEP, ALONE), ["warning"]),
        # reset per group: the same numbers in every group
        (
            (
                ADD,
                START,
                _sql(
                    "UPDATE slot SET position = (@row_number := IF(@g = group_id, "
                    "@row_number + 1, 1)), group_seen = (@g := group_id) ORDER BY group_id"
                ),
                ALONE,
            ),
            ["warning"],
        ),
        # partitioned by a column outside the key
        (
            (
                ADD,
                _sql(
                    "UPDATE slot JOIN (SELECT id, ROW_NUMBER() OVER (PARTITION BY group_id ORDER "
                    "BY id) AS rn FROM slot) r ON slot.id = r.id SET slot.position = r.rn"
                ),
                ALONE,
            ),
            ["warning"],
        ),
        # a window over the rows a WHERE keeps: the others keep 0
        (
            (
                ADD,
                _sql(
                    "UPDATE slot JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM slot "
                    "WHERE active = 1) r ON slot.id = r.id SET slot.position = r.rn"
                ),
                ALONE,
            ),
            ["warning"],
        ),
        ((ADD, _sql("UPDATE slot SET position = 1"), ALONE), ["warning"]),
    ],
)
def test_a_counter_that_may_leave_rows_alike_is_still_reported(
    steps: tuple[str, ...], severities: list[str]
) -> None:
    assert _l309(*steps) == severities


@pytest.mark.parametrize(
    ("text", "every"),
    [
        ("UPDATE slot SET position = 1", True),
        ("UPDATE slot j SET position = r.n FROM (SELECT id FROM slot) r WHERE r.id = j.id", True),
        ("UPDATE slot SET position = 1 WHERE position IS NULL", False),
        (
            "UPDATE slot j SET position = r.n FROM (SELECT id FROM slot) r WHERE r.id = j.id OR 1",
            False,
        ),
        ("UPDATE slot j SET position = r.n FROM slot r WHERE j.id = j.parent_id", False),
        ("UPDATE slot SET position = 1 ORDER BY id LIMIT 5", False),
    ],
)
def test_an_update_reaches_every_row_unless_a_where_filters(text: str, every: bool) -> None:
    assert reaches_every_row(text) is every


def test_a_variable_started_before_counts_as_the_earlier_sql_shows() -> None:
    step = "(@n := @n + 1)"
    assert numbers_rows("UPDATE t SET c = (@n := @n + 1)", step, (), "SET @n = 0", False)
    assert not numbers_rows("UPDATE t SET c = (@n := @n + 1)", step, (), "SET @m = 0", False)
    assert not numbers_rows(
        "UPDATE t SET c = (@n := @m + 1)", "@n := @m + 1", (), "SET @n = 0; SET @m = 0", False
    )


def _loop(
    head: str, value: str = "i", select: str = "SELECT id FROM slot", where: str = "id"
) -> str:
    return (
        "conn = op.get_bind()\n"
        f'rows = conn.execute(sa.text("{select}")).fetchall()\n'
        f"{head}\n"
        f'    conn.execute(sa.text("UPDATE slot SET position = :p WHERE {where} = :id"), '
        f'{{"p": {value}, "id": row[0]}})'
    )


ENUMERATE = "for i, row in enumerate(rows):"
STEPPED = "n = 0\nfor row in rows:\n    n += 1"


@pytest.mark.parametrize(
    "steps",
    [
        (ADD, _loop(ENUMERATE), ALONE),
        (ADD, _loop("for i, row in enumerate(rows, start=1):", "str(i + 1)"), ALONE),
        (ADD, _loop(STEPPED, "n"), ALONE),
        # rows the SELECT leaves out keep the NULL of a column just added
        (ADD_NULL, _loop(ENUMERATE, select="SELECT id FROM slot WHERE active = 1"), ALONE),
        # formatted per row rather than bound
        (
            ADD,
            "conn = op.get_bind()\n"
            'rows = conn.execute(sa.text("SELECT id FROM slot")).fetchall()\n'
            "for i, row in enumerate(rows):\n"
            '    op.execute("UPDATE slot SET position = {} WHERE id = {}".format(i, row[0]))',
            ALONE,
        ),
    ],
)
def test_a_loop_numbering_every_row_by_its_key_cannot_meet_duplicates(
    steps: tuple[str, ...],
) -> None:
    assert _l309(*steps) == []


@pytest.mark.parametrize(
    "steps",
    [
        # rows the SELECT leaves out keep the default 0, which the first pass writes as well
        (ADD, _loop(ENUMERATE, select="SELECT id FROM slot WHERE active = 1"), ALONE),
        # a WHERE that may match several rows: they all get one number
        (ADD, _loop(ENUMERATE, where="group_id"), ALONE),
        # numbered again for each group
        (
            ADD,
            "conn = op.get_bind()\n"
            'for g in conn.execute(sa.text("SELECT id FROM grp")).fetchall():\n'
            '    rows = conn.execute(sa.text("SELECT id FROM slot WHERE group_id = :g"), '
            '{"g": g[0]}).fetchall()\n'
            "    for i, row in enumerate(rows):\n"
            '        conn.execute(sa.text("UPDATE slot SET position = :p WHERE id = :id"), '
            '{"p": i, "id": row[0]})',
            ALONE,
        ),
        (ADD, _loop("for row in rows:\n    n = 0\n    n += 1", "n"), ALONE),
        (ADD, _loop("n = 0\nfor row in rows:\n    if row[0]:\n        n += 1", "n"), ALONE),
        (ADD, _loop(ENUMERATE, "i % 3"), ALONE),
    ],
)
def test_a_loop_count_that_may_repeat_is_still_reported(steps: tuple[str, ...]) -> None:
    assert _l309(*steps) == ["warning"]


@pytest.mark.parametrize(
    ("expression", "within", "distinct"),
    [
        ("ROW_NUMBER() OVER (ORDER BY id)", (), True),
        ("row_number() OVER (PARTITION BY g ORDER BY id)", ("g",), True),
        ("row_number() OVER (PARTITION BY t.g, h)", ("g",), False),
        ("row_number() over (partition by g) + 1", (), False),
        ("row_number() over (partition by lower(g))", ("g",), False),
        ("RANK() OVER (ORDER BY id)", (), False),
        ("@n := @n + 0", (), False),
        ("@n := IF(@g = g, @n + 1, 1)", ("g",), False),
    ],
)
def test_a_window_counts_with_its_partition_inside_the_key(
    expression: str, within: tuple[str, ...], distinct: bool
) -> None:
    text = f"SET @n = 0; UPDATE t SET c = {expression}"
    assert numbers_rows(text, expression, within, "", False) is distinct
