"""SQL a function of the revision's own file returns, filled from the call's literal arguments
(issue 20, round 32; sql_templates.returned_template): `op.execute(keep_latest("owner",
"serial"))` runs what the function's template says for those arguments, read like SQL written
in place. A unique key built after such SQL deleted the rows alike over it is quiet (L309); SQL
that only writes the key's columns, deletes rows of another table, or is returned from a
branch or filled at run time is not evidence. Our own fixtures."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

KEY = 'op.create_index("ix_device_owner_serial", "device", ["owner", "serial"], unique=True)'
DOWN = 'op.drop_index("ix_device_owner_serial", table_name="device")'
FILL = "op.execute(\"UPDATE device SET owner = '' WHERE owner IS NULL\")"

# ranks the rows alike over two columns and deletes all but the newest (ROW_NUMBER, .format)
NUMBERED = '''
def keep_latest(first: str, second: str) -> str:
    """Delete every row but the newest of each pair."""
    sql = """
        CREATE TEMPORARY TABLE ranked
        SELECT ROW_NUMBER() OVER (PARTITION BY {a}, {b} ORDER BY updated DESC) rn, d.*
        FROM device d;
        DELETE FROM device WHERE id IN (SELECT id FROM ranked WHERE ranked.rn <> 1);
        DROP TEMPORARY TABLE ranked;
    """
    return sql.format(a=first, b=second)
'''

# the table and the columns as f-string fields, the oldest row of each group kept
GROUPED = """
def without_repeats(table, columns):
    kept = f"SELECT MIN(id) FROM {table} GROUP BY {columns}"
    return f"DELETE FROM {table} WHERE id NOT IN (SELECT id FROM ({kept}) AS k)"
"""

# `%` with a default parameter, the rows alike found in a table of their own
PERCENT = """
def purge_copies(key, table="device"):
    return (
        "CREATE TEMPORARY TABLE extra SELECT MAX(id) AS id FROM %s "
        "GROUP BY %s HAVING COUNT(*) > 1; "
        "DELETE FROM %s WHERE id IN (SELECT id FROM extra)" % (table, key, table)
    )
"""

# only normalises the key's columns: duplicates may remain, or be made
LOWERED = """
def lowered(column):
    return "UPDATE device SET {0} = LOWER({0})".format(column)
"""

# deletes rows of another table
ELSEWHERE = """
def clear_log(first, second):
    return "DELETE FROM device_log WHERE ({}, {}) IS NULL".format(first, second)
"""

# two returns: which SQL runs is decided at run time
BRANCHED = """
def cleanup(first, second, really=True):
    if really:
        return "DELETE FROM device WHERE id IN (SELECT id FROM extra_{}_{})".format(first, second)
    return "SELECT 1"
"""


def l309(source: str) -> list[str]:
    return [f.severity for f in lint(source) if f.code == "L309"]


@pytest.mark.parametrize(
    ("helper", "call"),
    [
        (NUMBERED, 'op.execute(keep_latest("owner", "serial"))'),
        (NUMBERED, 'op.execute(sa.text(keep_latest(second="serial", first="owner")))'),
        (GROUPED, 'op.execute(without_repeats("device", "owner, serial"))'),
        (PERCENT, 'op.execute(purge_copies("owner, serial"))'),
        (NUMBERED, 'PAIR = ("owner", "serial")\nop.execute(keep_latest(*PAIR))'),
    ],
)
def test_duplicates_deleted_by_sql_a_function_of_the_file_returns(helper: str, call: str) -> None:
    source = revision(f"{FILL}\n{call}\n{KEY}", DOWN, header=helper)
    assert l309(source) == []


@pytest.mark.parametrize(
    ("helper", "call"),
    [
        (LOWERED, 'op.execute(lowered("owner"))'),
        (ELSEWHERE, 'op.execute(clear_log("owner", "serial"))'),
        (BRANCHED, 'op.execute(cleanup("owner", "serial"))'),
        # the column named at run time: the SQL is not known
        (NUMBERED, 'op.execute(keep_latest(op.get_context().opts["column"], "serial"))'),
    ],
)
def test_sql_of_a_function_that_shows_no_deletion_of_duplicates(helper: str, call: str) -> None:
    source = revision(f"{FILL}\n{call}\n{KEY}", DOWN, header=helper)
    assert len(l309(source)) == 1
