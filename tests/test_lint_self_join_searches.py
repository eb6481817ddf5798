"""L309 and duplicates found by a self-join, then renamed row by row before the key (issue 20,
round 32): `SELECT ... FROM t a JOIN t b ON a.x = b.x AND a.id != b.id` (also `<`, `>`,
`<>`, a comma join, `EXISTS (SELECT 1 FROM t b WHERE ...)`) finds every row another row
matches over columns of the key; a write of those columns afterwards (`UPDATE t SET x = :x
WHERE id = :id` with bound parameters, or a Core update) renames them. The key cannot meet a
duplicate. A search over a column outside the key, one without a condition telling the rows
apart, a write before the search, a write of another column, or no write at all leave it
reported. Our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

from alembic_sentinel.lint.deduplications import self_joined_search

SEARCH = (
    "SELECT a.id, a.label FROM badge a INNER JOIN badge b ON a.holder_id = b.holder_id "
    "AND a.label = b.label AND a.id < b.id"
)
RENAME = """
bind = op.get_bind()
rows = bind.execute(sa.text(SEARCH)).fetchall()
for number, row in enumerate(rows, 1):
    bind.execute(
        sa.text("UPDATE badge SET label = :label WHERE id = :id"),
        {"label": "%s (%d)" % (row.label, number), "id": row.id},
    )
"""
KEY = 'op.create_unique_constraint("uq_badge_holder_label", "badge", ["holder_id", "label"])\n'


def l309(upgrade: str, search: str = SEARCH) -> list[str]:
    source = revision(upgrade, header=f"SEARCH = {search!r}")
    return [f.severity for f in lint(source) if f.code == "L309"]


CORE = """
badge = sa.table("badge", sa.column("id"), sa.column("label"))
bind = op.get_bind()
for row in bind.execute(sa.text(SEARCH)):
    bind.execute(
        badge.update().where(badge.c.id == row.id).values(label=row.label + " (copy)")
    )
"""


@pytest.mark.parametrize(
    ("upgrade", "search"),
    [
        (RENAME + KEY, SEARCH),
        (RENAME + KEY, SEARCH.replace("a.id < b.id", "a.id != b.id")),
        # the table under its own name and an alias, in an EXISTS
        (
            RENAME + KEY,
            "SELECT id, label FROM badge WHERE EXISTS (SELECT 1 FROM badge AS later WHERE "
            "later.label = badge.label AND later.holder_id = badge.holder_id AND "
            "later.id > badge.id)",
        ),
        # a comma join, quoted names
        (
            RENAME + KEY,
            'SELECT "x"."id", "x"."label" FROM "badge" "x", "badge" "y" WHERE '
            '"x"."label" = "y"."label" AND "x"."id" <> "y"."id"',
        ),
        # a search over fewer columns than the key finds every row alike over the key
        (RENAME + KEY, SEARCH.replace("a.holder_id = b.holder_id AND ", "")),
        (CORE + KEY, SEARCH),
    ],
)
def test_duplicates_found_by_a_self_join_and_renamed_cannot_fail_the_key(
    upgrade: str, search: str
) -> None:
    assert l309(upgrade, search) == []


@pytest.mark.parametrize(
    ("upgrade", "search"),
    [
        # the search also matches the colour: rows alike over the key in two colours stay
        (RENAME + KEY, SEARCH.replace("a.id < b.id", "a.colour = b.colour AND a.id < b.id")),
        # nothing tells the rows apart: each row joins itself, no search for duplicates
        (RENAME + KEY, SEARCH.replace(" AND a.id < b.id", "")),
        # alike over one column or another: not a search over the key
        (RENAME + KEY, SEARCH.replace("AND a.label = b.label", "OR a.label = b.label")),
        # the search is over another table
        (RENAME + KEY, SEARCH.replace("badge", "award")),
        # the rows found are written elsewhere (another column), not renamed
        (RENAME.replace("SET label = :label", "SET note = :label") + KEY, SEARCH),
        # written first, searched after: nothing renamed after the search
        (
            "op.execute(\"UPDATE badge SET label = 'gold'\")\n"
            + "rows = op.get_bind().execute(sa.text(SEARCH)).fetchall()\n"
            + KEY,
            SEARCH,
        ),
    ],
)
def test_a_search_that_misses_duplicates_or_renames_nothing_stays_reported(
    upgrade: str, search: str
) -> None:
    assert len(l309(upgrade, search)) == 1


def test_the_search_is_read_from_its_text() -> None:
    assert self_joined_search(SEARCH) == ("badge", frozenset({"holder_id", "label"}))
    assert self_joined_search("SELECT a.id FROM badge a JOIN badge b ON a.id = b.id") is None
    # an UPDATE or DELETE joining the table again is read by the rules' other checks
    assert self_joined_search(SEARCH.replace("SELECT a.id, a.label", "DELETE a")) is None
    # two tables, each under one name: no self-join
    joined = "SELECT a.id FROM badge a JOIN award b ON a.label = b.label AND a.id < b.id"
    assert self_joined_search(joined) is None
