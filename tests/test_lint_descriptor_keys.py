"""L314 and foreign keys made from descriptor dicts (issue 20, round 34): a revision keeps
each foreign key's keywords in a dict, the list of them returned by a function of its own, and
calls `op.create_foreign_key(**descriptor)` in a loop. Lint reads each pass with the dict's
keywords, so the tables are known: keys on tables this upgrade created just before are free
(empty tables), a key on a table that existed before is still reported. Our own snippets."""

from __future__ import annotations

from test_lint_rules import lint, revision, target

HELPER = """
def _keys():
    keys = [
        {{
            "constraint_name": "shelf_room_fk",
            "source_table": "{source}",
            "referent_table": "room",
            "local_cols": ["room_code"],
            "remote_cols": ["code"],
            "ondelete": "CASCADE",
        }},
    ]
    return keys
"""

UPGRADE = """
op.create_table(
    "room",
    sa.Column("code", sa.String(36), primary_key=True),
)
op.create_table(
    "shelf",
    sa.Column("code", sa.String(36), primary_key=True),
    sa.Column("room_code", sa.String(36)),
)
for descriptor in _keys():
    op.create_foreign_key(**descriptor)
"""


def _l314(source: str) -> list[str]:
    text = revision(UPGRADE, 'op.drop_table("shelf")\nop.drop_table("room")')
    text += HELPER.format(source=source)
    return [f.message for f in lint(text, target=target("mysql-8.0")) if f.code == "L314"]


def test_keys_on_tables_created_here_are_not_copies() -> None:
    assert _l314("shelf") == []


def test_a_key_on_an_older_table_is_still_a_copy() -> None:
    messages = _l314("cupboard")
    assert len(messages) == 1 and "cupboard" in messages[0]
