"""L301 and L305 over what round 22's held-out set showed lint did not read (issue 20, round 23).

- L301 on MySQL: a raw UPDATE written as a `+` join into a name that held other SQL before is
  read as its latest value (the write after the add); a table the upgrade empties after the add
  and refills only through INSERTs naming the column keeps no row of MySQL's implicit value; a
  literal client-side `default=` equal to the type's implicit value is what the rows get.
- L305: rows fetched into a name before the drop (`SELECT *` too) and read by a loop after it
  were read when they were fetched; a Core table a same-file factory returns for a literal
  name is that table (`t.name`, `t.c.x.name` included).
- Messages name an unresolved table or column once, in words or quoted, never joined by a dot.

Fixtures are our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision, target

_MYSQL = target("mysql-8.0")


def _codes(body: str, header: str = "", server: str = "mysql-8.0") -> list[str]:
    return [f.code for f in lint(revision(body, header=header), target=target(server))]


# --- L301: an UPDATE joined with `+` into a name that held a SELECT before ---------------

_REASSIGNED = """
op.add_column("ledger", sa.Column("{column}", sa.Integer(), nullable=False))
conn = op.get_bind()
query = "SELECT id, opened FROM ledger"
for entry in conn.execute(sa.text(query)):
    query = (
        "UPDATE ledger SET `{column}` = " +
        "(SELECT COUNT(*) FROM posting WHERE posting.ledger_id = :id) " +
        "WHERE ledger.id = :id"
    )
    conn.execute(sa.text(query), {{"id": entry.id}})
"""


@pytest.mark.parametrize("column", ["entries", "order", "key"])
def test_a_joined_update_in_a_reassigned_name_is_the_write_after_the_add(column: str) -> None:
    assert "L301" not in _codes(_REASSIGNED.format(column=column))
    assert "L301" in _codes(_REASSIGNED.format(column=column), server="postgresql")


def test_a_joined_update_of_another_column_still_leaves_the_added_one_unwritten() -> None:
    body = _REASSIGNED.format(column="entries").replace("SET `entries`", "SET `touched`")
    assert "L301" in _codes(body)


def test_a_name_rebound_to_a_value_known_only_at_run_time_is_no_write() -> None:
    body = _REASSIGNED.format(column="entries").replace(
        '"WHERE ledger.id = :id"', "where_clause(entry)"
    )
    assert "L301" in _codes(body)


# --- L301: emptied after the add, refilled by INSERTs naming the column --------------------

_BUCKET = """
bucket = sa.table(
    "bucket",
    sa.column("owner", sa.String),
    sa.column("label", sa.String),
    sa.column("payload", sa.LargeBinary),
)
"""

_REFILL = """
op.add_column("bucket", sa.Column("payload", sa.LargeBinary(), nullable=False))
conn = op.get_bind()
kept = conn.execute(sa.text("SELECT owner, label FROM bucket")).fetchall()
grouped = {{}}
for row in kept:
    grouped.setdefault(row.owner, []).append(row.label)
op.execute("DELETE FROM bucket")
{insert}
"""

_NAMING = [
    # a Core insert of a comprehension of dicts
    'op.execute(bucket.insert().values([{"owner": o, "label": "all", "payload": b"x"}\n'
    "    for o in grouped]))",
    # a Core insert executed with a list of parameter dicts
    'conn.execute(bucket.insert(), [{"owner": "a", "label": "b", "payload": b"1"}])',
    # op.bulk_insert of literal rows
    'op.bulk_insert(bucket, [{"owner": "a", "label": "b", "payload": b"1"},\n'
    '    {"owner": "c", "label": "d", "payload": b"2"}])',
    # raw SQL naming the column
    "op.execute(\"INSERT INTO bucket (owner, label, payload) VALUES ('a', 'b', 'x')\")",
    # nothing put back at all
    "pass",
]

_LEAVING_IT_OUT = [
    # a row of the literal list without the column
    'op.bulk_insert(bucket, [{"owner": "a", "label": "b", "payload": b"1"},\n'
    '    {"owner": "c", "label": "d"}])',
    # None for the column
    'op.execute(bucket.insert().values(owner="a", label="b", payload=None))',
    # rows lint cannot read
    "op.bulk_insert(bucket, rows_from_somewhere())",
    # raw SQL leaving it out
    "op.execute(\"INSERT INTO bucket (owner, label) VALUES ('a', 'b')\")",
    # SQL in a name lint cannot read
    "conn.execute(sa.text(build_insert()))",
    # an INSERT ... SELECT
    'op.execute("INSERT INTO bucket SELECT * FROM bucket_old")',
]


@pytest.mark.parametrize("insert", _NAMING)
def test_rows_put_back_after_an_emptying_all_name_the_column(insert: str) -> None:
    assert "L301" not in _codes(_REFILL.format(insert=insert), header=_BUCKET)
    # PostgreSQL refuses the ADD before the DELETE runs
    assert "L301" in _codes(_REFILL.format(insert=insert), header=_BUCKET, server="postgresql")


@pytest.mark.parametrize("insert", _LEAVING_IT_OUT)
def test_a_row_put_back_without_the_column_keeps_l301(insert: str) -> None:
    assert "L301" in _codes(_REFILL.format(insert=insert), header=_BUCKET)


def test_an_emptying_that_chooses_rows_keeps_l301() -> None:
    body = _REFILL.format(insert=_NAMING[0]).replace(
        "DELETE FROM bucket", "DELETE FROM bucket WHERE owner = 'x'"
    )
    assert "L301" in _codes(body, header=_BUCKET)


def test_a_date_column_refilled_keeps_l301_the_add_may_fail_in_strict_mode() -> None:
    body = (
        'op.add_column("bucket", sa.Column("since", sa.Date(), nullable=False))\n'
        'op.execute("DELETE FROM bucket")\n'
        "op.execute(\"INSERT INTO bucket (owner, since) VALUES ('a', '2020-01-01')\")"
    )
    assert "L301" in _codes(body, header=_BUCKET)


# --- L301: a literal client-side default equal to MySQL's implicit value -------------------

_DEFAULTS_SAME = [
    "sa.Integer(), default=0",
    "sa.Numeric(10, 2), default=0.0",
    "sa.Boolean(), default=False",
    'sa.String(20), default=""',
    'sa.Enum("draft", "sent", name="state"), default="draft"',
]

_DEFAULTS_OTHER = [
    "sa.Integer(), default=1",
    'sa.String(20), default="none"',
    "sa.Boolean(), default=True",
    'sa.Enum("draft", "sent", name="state"), default="sent"',
    "sa.Integer(), default=next_rank",
    "sa.DateTime(), default=datetime.datetime.utcnow",
    "sa.Integer(), default=sa.text('0')",
]


@pytest.mark.parametrize("spec", _DEFAULTS_SAME)
def test_a_client_default_equal_to_the_implicit_value_is_no_l301_on_mysql(spec: str) -> None:
    body = f'op.add_column("invoice", sa.Column("extra", {spec}, nullable=False))'
    assert "L301" not in _codes(body)
    assert "L301" in _codes(body, server="postgresql")


@pytest.mark.parametrize("spec", _DEFAULTS_OTHER)
def test_a_client_default_other_than_the_implicit_value_keeps_l301(spec: str) -> None:
    body = f'op.add_column("invoice", sa.Column("extra", {spec}, nullable=False))'
    assert "L301" in _codes(body, header="import datetime\n")


# a default indexed into a module-level literal list (also spread into the Enum's members)
_INDEXED_SAME = [
    ('PHASES = ["queued", "running"]', "sa.Enum(*PHASES, name='phase'), default=PHASES[0]"),
    ('PHASES = ("queued", "running")', "sa.Enum(*PHASES, name='phase'), default=PHASES[0]"),
    ('TAGS = ["", "hot"]', "sa.String(8), default=TAGS[0]"),
]

_INDEXED_OTHER = [
    ('PHASES = ["queued", "running"]', "sa.Enum(*PHASES, name='phase'), default=PHASES[1]"),
    ('PHASES = ["queued", "running"]', "sa.Enum(*PHASES, name='phase'), default=PHASES[5]"),
    ('PHASES = ["queued", "running"]', "sa.Enum(*PHASES, name='phase'), default=PHASES[pick]"),
    ("PHASES = list_phases()", "sa.Enum(*PHASES, name='phase'), default=PHASES[0]"),
    ('TAGS = ["hot", ""]', "sa.String(8), default=TAGS[0]"),
    # a list of numbers is no constant the reader keeps: the element stays unread
    ("LEVELS = [0, 5, 10]", "sa.Integer(), default=LEVELS[0]"),
    ("", "sa.Integer(), default=LEVELS[0]"),
]


@pytest.mark.parametrize(("constant", "spec"), _INDEXED_SAME)
def test_a_default_indexed_into_a_literal_list_is_read_as_its_element(
    constant: str, spec: str
) -> None:
    body = f'op.add_column("job", sa.Column("extra", {spec}, nullable=False))'
    assert "L301" not in _codes(body, header=constant + "\n")
    assert "L301" in _codes(body, header=constant + "\n", server="postgresql")


@pytest.mark.parametrize(("constant", "spec"), _INDEXED_OTHER)
def test_an_index_lint_cannot_read_or_another_element_keeps_l301(constant: str, spec: str) -> None:
    body = f'pick = 0\nop.add_column("job", sa.Column("extra", {spec}, nullable=False))'
    header = "from .catalog import LEVELS, list_phases\n" + constant + "\n"
    assert "L301" in _codes(body, header=header)


# --- L305: rows fetched before the drops, read by a loop after them ------------------------

_FETCHED = """
conn = op.get_bind()
saved = conn.execute({select}).fetchall()
op.drop_column("crate", "width")
op.drop_column("crate", "depth")
for row in saved:
    conn.execute(
        sa.text("UPDATE crate SET size = :size WHERE id = :id"),
        {{"size": row.width * row.depth, "id": row.id}},
    )
"""


@pytest.mark.parametrize(
    "select", ['"SELECT * FROM crate"', 'sa.text("SELECT id, width, depth FROM crate")']
)
def test_rows_fetched_before_the_drops_keep_their_values(select: str) -> None:
    assert "L305" not in _codes(_FETCHED.format(select=select))


def test_a_column_the_loop_does_not_take_is_still_lost() -> None:
    body = _FETCHED.format(select='"SELECT * FROM crate"').replace(
        "row.width * row.depth", "row.width"
    )
    assert _codes(body).count("L305") == 1


def test_rows_fetched_after_the_drop_read_nothing_of_it() -> None:
    body = """
conn = op.get_bind()
op.drop_column("crate", "width")
saved = conn.execute("SELECT * FROM crate").fetchall()
for row in saved:
    conn.execute(sa.text("UPDATE crate SET size = :s"), {"s": row.width})
"""
    assert "L305" in _codes(body)


# --- L305: a Core table a same-file factory makes for a literal name -----------------------

_FACTORY = """
def shelf_table(name, nullable=False):
    kind = None if nullable else 0
    return sa.table(
        name,
        sa.column("grade", sa.Integer),
        sa.column("score", sa.Integer),
    )


north = shelf_table("shelf_north")
south = shelf_table("shelf_south", nullable=True)


def convert(table):
    op.add_column(table.name, sa.Column("score", sa.Integer(), nullable=True))
    op.execute(table.update().values(score=table.c.grade * 10))
    op.drop_column(table.name, table.c.grade.name)
"""


def test_a_factory_table_converted_before_its_drop_keeps_the_values() -> None:
    body = "convert(north)\nconvert(south)"
    assert "L305" not in _codes(body, header=_FACTORY)


def test_a_factory_table_dropped_without_a_read_names_its_table() -> None:
    header = _FACTORY.replace("op.execute(table.update().values(score=table.c.grade * 10))", "pass")
    messages = [
        f.message
        for f in lint(revision("convert(north)", header=header), target=_MYSQL)
        if f.code == "L305"
    ]
    assert messages == ["upgrade drops column shelf_north.grade and its values"]


def test_a_factory_given_a_value_known_at_run_time_names_no_table() -> None:
    header = _FACTORY.replace('shelf_table("shelf_north")', "shelf_table(os.environ['T'])")
    findings = [
        f
        for f in lint(revision("convert(north)", header="import os\n" + header), target=_MYSQL)
        if f.code == "L305"
    ]
    assert all("shelf_north" not in f.message for f in findings)


# --- messages: an unresolved name is said once ----------------------------------------------


def test_a_drop_of_a_column_and_table_both_named_at_run_time_reads_as_one_phrase() -> None:
    body = "for table, column in sorted(plan()):\n    op.drop_column(table, column)"
    messages = [f.message for f in lint(revision(body), target=_MYSQL) if f.code == "L305"]
    for message in messages:
        assert "`." not in message and ").(" not in message
