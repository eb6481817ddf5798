"""L309 and a column filled per row with values of its own (issue 20, round 28): a unique key
over a column the revision fills from a sequence (`nextval('s')`, also under the alias a
subquery gives it), `NEXT VALUE FOR s`, an unpartitioned `row_number() OVER (...)`, a uuid
function in any dialect's spelling, the row's own key (`SET c = id`, `CONCAT('j-', id)`, `'j-'
|| id`, a Core `.values(c=t.c.id)` of the same table), or a column the server numbers
as it adds it (`sa.Identity()`, a `nextval` server default) cannot meet a duplicate. A
partitioned row_number, a constant, another column, or a uuid conversion of another column
(`BIN_TO_UUID(legacy)`) can: still reported. Our own snippets: must flag and must not."""

from __future__ import annotations

import pytest
from test_lint_rules import lint, revision, target

from alembic_sentinel.lint.distinct_fills import sets_distinct

KEY = 'op.create_index("ix_journal_serial", "journal", ["serial"], unique=True)'
ADD = 'op.add_column("journal", sa.Column("serial", sa.BigInteger(), nullable=True))'
CORE = 'journal = sa.table("journal", sa.column("id"), sa.column("serial"))'


def _l309(fill: str, dialect: str = "postgresql") -> list[str]:
    source = revision(f"{fill}\n{KEY}")
    return [f.severity for f in lint(source, target=target(dialect)) if f.code == "L309"]


def _sql(text: str) -> str:
    return f"{ADD}\nop.execute({text!r})"


@pytest.mark.parametrize(
    "fill",
    [
        _sql(
            "UPDATE journal SET serial = n.serial_new FROM journal AS o RIGHT JOIN (SELECT *, "
            "nextval('journal_serial_seq') AS serial_new FROM journal ORDER BY ts) AS n "
            "USING (pk) WHERE journal.pk = o.pk"
        ),
        _sql("UPDATE journal SET serial = nextval('journal_serial_seq') WHERE serial IS NULL"),
        _sql("UPDATE journal SET serial = NEXT VALUE FOR journal_serial_seq"),
        _sql(
            "UPDATE journal j SET serial = r.n FROM (SELECT id, row_number() OVER "
            "(ORDER BY ts, id) AS n FROM journal) r WHERE r.id = j.id"
        ),
        _sql("UPDATE journal SET serial = gen_random_uuid()"),
        _sql("UPDATE journal SET serial = uuid_generate_v4()"),
        _sql("UPDATE `journal` SET `serial` = UUID()"),
        _sql("UPDATE journal SET serial = NEWID()"),
        _sql("UPDATE journal SET serial = id"),
        _sql("UPDATE journal SET serial = CONCAT('j-', id)"),
        _sql("UPDATE journal SET serial = 'j-' || journal.id"),
        'op.add_column("journal", sa.Column("serial", sa.BigInteger(), sa.Identity(), '
        "nullable=False))",
        'op.add_column("journal", sa.Column("serial", sa.BigInteger(), '
        "server_default=sa.text(\"nextval('journal_serial_seq')\"), nullable=False))",
        f"{ADD}\n{CORE}\nop.execute(journal.update().values(serial=journal.c.id))",
        f'{ADD}\n{CORE}\nop.execute(journal.update().values(serial=sa.func.concat("j-", '
        "journal.c.id)))",
        f"{ADD}\nimport uuid\n{CORE}\nbind = op.get_bind()\n"
        "for row in bind.execute(sa.select(journal.c.id)):\n"
        "    bind.execute(journal.update().where(journal.c.id == row.id)"
        ".values(serial=str(uuid.uuid4())))",
    ],
)
def test_a_column_filled_per_row_with_its_own_value_cannot_meet_duplicates(fill: str) -> None:
    assert _l309(fill) == []


@pytest.mark.parametrize(
    "fill",
    [
        # numbered again in each partition: the same numbers in every source
        _sql(
            "UPDATE journal j SET serial = r.n FROM (SELECT id, row_number() OVER "
            "(PARTITION BY source ORDER BY ts) AS n FROM journal) r WHERE r.id = j.id"
        ),
        _sql("UPDATE journal SET serial = 0"),
        _sql("UPDATE journal SET serial = source_serial"),
        _sql("UPDATE journal SET serial = CONCAT('j-', source)"),
        _sql(
            "UPDATE journal SET serial = n.v FROM (SELECT id, max(x) AS v FROM journal "
            "GROUP BY id) n WHERE n.id = journal.id"
        ),
        _sql("UPDATE journal SET serial = BIN_TO_UUID(legacy)"),
        f"{ADD}\n{CORE}\nop.execute(journal.update().values(serial=journal.c.source))",
        # which row a loop holds is not read: a parent's id copied to its children repeats
        f"{ADD}\n{CORE}\nbind = op.get_bind()\n"
        "for row in bind.execute(sa.select(journal.c.id)):\n"
        "    bind.execute(journal.update().where(journal.c.parent_id == row.id)"
        '.values(serial=f"j-{row.id}"))',
    ],
)
def test_values_that_may_repeat_are_still_reported(fill: str) -> None:
    assert _l309(fill) == ["warning"]


@pytest.mark.parametrize(
    ("sql", "distinct"),
    [
        ("UPDATE journal SET note = 'x', serial = id WHERE serial IS NULL", True),
        ("UPDATE journal SET serial = nextval('s'), note = 'x'", True),
        # a comparison in a JOIN or WHERE writes nothing
        ("UPDATE journal SET note = 'x' FROM source s JOIN host h ON s.serial = h.id", False),
        ("UPDATE journal SET note = 'x' WHERE serial = id", False),
        # a name qualified by its schema and table, bare or quoted, is the column (round 34)
        ("UPDATE ledger.journal SET ledger.journal.serial = id", True),
        ("UPDATE `ledger`.`journal` SET `journal`.`serial` = UUID()", True),
        ("UPDATE ledger.journal SET ledger.journal.serial = source", False),
        ("UPDATE ledger.journal SET ledger.journal.note = id", False),
        # a trigger's body compares, it sets nothing
        ("CREATE FUNCTION f() AS $$ SELECT 1 FROM p JOIN s ON p.serial = s.id $$", False),
    ],
)
def test_only_a_set_list_writes_the_column(sql: str, distinct: bool) -> None:
    assert sets_distinct(sql, "serial", {"id"}) is distinct
