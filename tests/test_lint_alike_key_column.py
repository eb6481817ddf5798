"""L309 over a column the same upgrade just added with one value for every row (issue 20,
round 28): a NOT NULL column with no server default (MySQL gives each existing row '' or 0)
or one with a server default that is a constant, then a unique key on that column alone,
fails as soon as the table holds two rows: a warning, not the notice about data lint cannot
see. Quiet when the table is created (or emptied) by the same upgrade, when the column is
nullable, numbered or filled per row before the key; a fill with a constant is the warning
about writes. Our own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision, target

KEY = 'op.create_unique_constraint("uq_kit_prefix", "kit", ["prefix"])'


def _l309(upgrade: str) -> list[tuple[str, str]]:
    return [
        (f.severity, f.message)
        for f in lint(revision(upgrade), target=target("mysql-8.0"))
        if f.code == "L309"
    ]


@pytest.mark.parametrize(
    ("added", "said"),
    [
        (
            'op.add_column("kit", sa.Column("prefix", sa.String(10), nullable=False))',
            "NOT NULL with no server default",
        ),
        (
            'op.add_column("kit", sa.Column("prefix", sa.String(10), nullable=False, '
            'server_default="KIT"))',
            "server_default='KIT'",
        ),
        (
            'op.add_column("kit", sa.Column("prefix", sa.String(10), server_default=sa.text('
            "\"'x'\")))",
            "server_default=sa.text",
        ),
        (
            'with op.batch_alter_table("kit") as batch_op:\n'
            '    batch_op.add_column(sa.Column("prefix", sa.String(10), nullable=False))\n'
            '    batch_op.create_unique_constraint("uq_kit_prefix", ["prefix"])',
            "NOT NULL with no server default",
        ),
    ],
)
def test_a_key_over_a_column_every_row_got_alike_is_a_warning(added: str, said: str) -> None:
    upgrade = added if "batch_op.create" in added else f"{added}\n{KEY}"
    [(severity, message)] = _l309(upgrade)
    assert severity == "warning"
    assert said in message and "every existing row holds the same value" in message


@pytest.mark.parametrize(
    "upgrade",
    [
        # the table is new: no row yet
        'op.create_table("kit", sa.Column("id", sa.Integer(), primary_key=True))\n'
        'op.add_column("kit", sa.Column("prefix", sa.String(10), nullable=False))\n' + KEY,
        # emptied first
        'op.execute("DELETE FROM kit")\n'
        'op.add_column("kit", sa.Column("prefix", sa.String(10), nullable=False))\n' + KEY,
        # nullable: NULLs never collide
        'op.add_column("kit", sa.Column("prefix", sa.String(10), nullable=True))\n' + KEY,
        # filled per row before the key
        'op.add_column("kit", sa.Column("prefix", sa.String(10), nullable=False))\n'
        "op.execute(\"UPDATE kit SET prefix = CONCAT('K', id)\")\n" + KEY,
    ],
)
def test_an_empty_table_or_values_of_their_own_stay_quiet(upgrade: str) -> None:
    assert _l309(upgrade) == []


def test_a_key_over_the_new_column_and_another_stays_the_notice() -> None:
    upgrade = (
        'op.add_column("kit", sa.Column("prefix", sa.String(10), nullable=False))\n'
        'op.create_unique_constraint("uq_kit_prefix", "kit", ["prefix", "owner_id"])'
    )
    assert [severity for severity, _ in _l309(upgrade)] == ["notice"]


def test_a_constant_fill_is_the_warning_about_writes() -> None:
    upgrade = (
        'op.add_column("kit", sa.Column("prefix", sa.String(10), nullable=False))\n'
        "op.execute(\"UPDATE kit SET prefix = 'K'\")\n" + KEY
    )
    [(severity, message)] = _l309(upgrade)
    assert severity == "warning" and "writes the key's columns first" in message


def test_a_partial_index_is_the_warning_only_where_its_where_is_ignored() -> None:
    upgrade = (
        'op.add_column("kit", sa.Column("main", sa.Boolean(), nullable=False, '
        'server_default="false"))\n'
        'op.create_index("ix_kit_main", "kit", ["main"], unique=True, '
        'postgresql_where=sa.text("main"))'
    )
    found = lint(revision(upgrade), target=target("postgresql"))
    assert [f.severity for f in found if f.code == "L309"] == ["notice"]
    assert [severity for severity, _ in _l309(upgrade)] == ["warning"]
