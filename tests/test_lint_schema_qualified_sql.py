"""Raw SQL naming a table with its schema (issue 20, round 34): `UPDATE app.shelf`, `` `app`.`shelf`
``, `app.shelf.label` are the table an op names without its schema= (or with it), as the SQL
reader keeps a name's last part. A fill through a qualified name fills the column (L301 on
MySQL), a self-join through one finds the duplicates a key would meet (L309), a SET of
`schema.table.column` writes that column; a statement over another table does none of it. Our
own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

ADD = 'op.add_column("shelf", sa.Column("label", sa.Integer(), nullable=False{schema}))'


def _l301(fill: str, schema: str = "") -> list[str]:
    source = revision(f"{ADD.format(schema=schema)}\nop.execute({fill!r})")
    return [f.code for f in lint(source) if f.code == "L301"]


@pytest.mark.parametrize(
    ("fill", "schema"),
    [
        ("UPDATE app.shelf SET app.shelf.label = 1 WHERE true", ""),
        ("UPDATE `app`.`shelf` SET `shelf`.`label` = 1", ""),
        ("Update app.shelf Set label = 1", ', schema="app"'),
        ("UPDATE app.shelf s JOIN app.room r ON r.id = s.room_id SET s.label = r.number", ""),
    ],
)
def test_a_fill_through_a_schema_qualified_name_fills_the_column(fill: str, schema: str) -> None:
    assert _l301(fill, schema) == []


@pytest.mark.parametrize(
    "fill",
    [
        "UPDATE app.room SET app.room.label = 1",
        "UPDATE app.shelf SET app.shelf.other = 1",
        "UPDATE app.shelf_archive SET label = 1",
    ],
)
def test_a_fill_of_another_table_or_column_leaves_the_error(fill: str) -> None:
    assert _l301(fill) == ["L301"]


KEY = 'op.create_unique_constraint("uq_badge_label", "badge", ["label"])\n'
RENAME = (
    "UPDATE badge a JOIN {joined} b ON a.label = b.label AND a.id > b.id "
    "SET a.label = CONCAT(a.label, '-dup')"
)


@pytest.mark.parametrize("joined", ["badge", "app.badge", "`app`.`badge`"])
def test_duplicates_renamed_through_a_qualified_self_join(joined: str) -> None:
    upgrade = f"op.execute({RENAME.format(joined=joined)!r})\n{KEY}"
    assert [f.code for f in lint(revision(upgrade)) if f.code == "L309"] == []


def test_a_join_of_another_table_is_no_self_join() -> None:
    upgrade = f"op.execute({RENAME.format(joined='app.award')!r})\n{KEY}"
    assert [f.code for f in lint(revision(upgrade)) if f.code == "L309"] == ["L309"]
