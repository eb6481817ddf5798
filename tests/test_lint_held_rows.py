"""L304 with a table's rows read through a query result held in local names (issue 20, round
17): `result = conn.execute(old.select())`, `chunk = result.fetchmany(500)`, then `for row in
chunk:` copying each row elsewhere reads the rows before the drop, as a loop over
`conn.execute(old.select())` itself does. Our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

HEADER = """
old = sa.table("item_old", sa.column("id"), sa.column("name"))
new = sa.table("item", sa.column("id"), sa.column("name"))
other = sa.table("label", sa.column("id"), sa.column("name"))
"""


def l304(body: str) -> int:
    source = revision(
        'op.rename_table("item", "item_old")\nconn = op.get_bind()\n'
        + body.strip()
        + '\nop.drop_table("item_old")',
        header=HEADER,
    )
    return sum(1 for f in lint(source) if f.code == "L304")


@pytest.mark.parametrize(
    "body",
    [
        """
result = conn.execute(old.select())
for row in result:
    conn.execute(new.insert().values(id=row.id, name=row.name))
""",
        """
result = conn.execution_options(stream_results=True).execute(old.select())
chunk = result.fetchmany(500)
while chunk:
    for row in chunk:
        conn.execute(new.insert().values(id=row.id, name=row.name))
    chunk = result.fetchmany(500)
""",
        """
rows = conn.execute(sa.select(old.c.id, old.c.name)).fetchall()
for row in rows:
    conn.execute(new.insert().values(id=row[0], name=row[1]))
""",
    ],
)
def test_rows_of_a_held_query_are_read_before_the_drop(body: str) -> None:
    assert l304(body) == 0


@pytest.mark.parametrize(
    "body",
    [
        # the held query is of another table
        """
rows = conn.execute(other.select())
for row in rows:
    conn.execute(new.insert().values(id=row.id, name=row.name))
""",
        # the held result is of a write, not a query of the dropped table's rows
        """
made = conn.execute(old.insert().values(id=1, name="x"))
for row in made:
    print(row)
""",
        # a loop over a literal list
        """
names = ["a", "b"]
for name in names:
    conn.execute(new.insert().values(name=name))
""",
    ],
)
def test_other_loops_leave_the_drop_reported(body: str) -> None:
    assert l304(body) == 1
