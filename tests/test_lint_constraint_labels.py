"""Messages name the key an operation is about (issue 20, round 22): a literal name as before;
a name computed at run time by its expression (`fk["name"]` from reflection), not "(unnamed)";
a key left unnamed by its table and columns. Our own snippets."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision

from alembic_sentinel.lint.online_ddl import parse_server_version

MYSQL = parse_server_version("mysql-8.0")


@pytest.mark.parametrize(
    ("upgrade", "said"),
    [
        (
            'op.create_foreign_key("fk_line_order", "line", "orders", ["order_id"], ["id"])',
            "add foreign key fk_line_order on line:",
        ),
        (
            'op.create_foreign_key(None, "line", "orders", ["order_id"], ["id"])',
            "add unnamed foreign key on line(order_id):",
        ),
        (
            """
            for fk in sa.inspect(op.get_bind()).get_foreign_keys("line"):
                op.create_foreign_key(fk["name"], "line", "orders", ["order_id"], ["id"])
            """,
            "add foreign key named by `fk['name']` on line:",
        ),
        (
            """
            pk = sa.inspect(op.get_bind()).get_pk_constraint("line")
            op.drop_constraint(pk["name"], "line", type_="primary")
            """,
            "drop primary key named by `pk['name']` on line:",
        ),
    ],
)
def test_l314_names_the_key(upgrade: str, said: str) -> None:
    messages = [f.message for f in lint(revision(upgrade), target=MYSQL) if f.code == "L314"]
    assert any(said in m for m in messages), messages
    assert not any(".(unnamed)" in m for m in messages), messages


def test_l318_names_a_key_dropped_by_a_run_time_name() -> None:
    source = revision(
        """
        for key in sa.inspect(op.get_bind()).get_unique_constraints("voucher"):
            op.drop_constraint(key["name"], "voucher", type_="unique")
        op.add_column("voucher", sa.Column("batch", sa.Integer(), nullable=True))
        """,
        "pass",
    )
    [message] = [f.message for f in lint(source) if f.code == "L318"]
    assert "drop_constraint named by `key['name']` on voucher" in message, message
