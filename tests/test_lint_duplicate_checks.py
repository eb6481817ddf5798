"""L309 and a revision that looks for duplicates itself (issue 20, round 36's class).

Renaming or deleting the rows that share values of some columns makes the rows unique over
those columns, and so over any key that contains them: a check over a PART of the new key
(`GROUP BY name` before a key over `(cluster_id, name)`) is enough, however the count is
spelled (`> 1`, `>= 2`). A check over MORE columns than the key is not: rows equal on the key
but different in the extra column are never found. Fixtures are our own snippets."""

from __future__ import annotations

import pytest
from test_lint_histories import codes
from test_lint_rules import revision


def _renamed_then_keyed(group_by: str, count: str, key: str) -> str:
    return revision(
        f"""
        bind = op.get_bind()
        rows = bind.execute(
            sa.text("SELECT name FROM crew GROUP BY {group_by} HAVING COUNT(*) {count}")
        )
        for (name,) in rows:
            for i, (row_id,) in enumerate(
                bind.execute(sa.text("SELECT id FROM crew WHERE name = :n"), {{"n": name}})
            ):
                bind.execute(
                    sa.text("UPDATE crew SET name = :v WHERE id = :i"),
                    {{"v": f"{{name}}_{{i}}", "i": row_id}},
                )
        op.create_unique_constraint("uq_crew", "crew", {key})
        """,
        'op.drop_constraint("uq_crew", "crew", type_="unique")',
    )


@pytest.mark.parametrize("count", ["> 1", ">= 2", "> 1 "])
@pytest.mark.parametrize(
    ("group_by", "key"),
    [
        ("name", '["team_id", "name"]'),
        ("name", '["name"]'),
        ("name, team_id", '["team_id", "name", "role"]'),
    ],
)
def test_a_check_over_the_key_or_a_part_of_it_makes_it_safe(
    group_by: str, count: str, key: str
) -> None:
    assert "L309" not in codes(_renamed_then_keyed(group_by, count, key))


@pytest.mark.parametrize(
    ("group_by", "key"),
    [
        ("name, role", '["name"]'),
        ("name, role", '["team_id", "name"]'),
    ],
)
def test_a_check_over_more_columns_than_the_key_is_not_enough(group_by: str, key: str) -> None:
    assert "L309" in codes(_renamed_then_keyed(group_by, ">= 2", key))
