"""What raw SQL run before (or with) a new key shows of the rows it meets (L309, L325; round 32).

- A per-row fill read through a template, as the reader builds its text (`"UPDATE {t} SET code
  = CONCAT('{p}', id)".format(t=..., p=...)`, `%` formatting, a variable holding it), not only
  a literal: each row its own value, no duplicate (distinct_fills.sets_distinct); also one
  a loop formats for each row from that row's values and runs once per row (`"... set
  email='{0}@example.com' where id={1}".format(r[0], r[1])`, row_templates).
- Duplicates found by a self-join (`SELECT ... FROM t a JOIN t b ON a.x = b.x AND a.id !=
  b.id`, deduplications.self_joined_search) and then renamed row by row.
- `ALTER TABLE t DROP PRIMARY KEY, ADD COLUMN seq ... AUTO_INCREMENT, ADD PRIMARY KEY (seq)`:
  the server numbers every row of the new key's one column.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Sequence

from alembic_sentinel.lint.deduplications import self_joined_search
from alembic_sentinel.lint.distinct_fills import sets_distinct
from alembic_sentinel.lint.facts import Facts, sql_text
from alembic_sentinel.lint.fresh_values import fresh_bound_write
from alembic_sentinel.lint.revision_model import DEFAULT_NONE, LIKE, Operation
from alembic_sentinel.lint.row_fills import filled_for_every_row
from alembic_sentinel.lint.row_templates import distinct_by_template
from alembic_sentinel.lint.sql_reader import UPDATE, SqlStatement


def set_distinct_by_sql(
    facts: Facts,
    table: str,
    column: str,
    keys: Collection[str],
    before: int,
    within: Collection[str] = (),
) -> bool:
    """Whether raw SQL run before step `before` sets the column to a value distinct per row
    (distinct_fills.sets_distinct): its text as written (an f-string's source kept, for its
    `'{uuid4()}'`), or as the reader built it from a template or a variable (`"UPDATE {t} SET
    code = CONCAT('{p}', id)".format(t=..., p=...)`, `%` formatting; round 32), or as a loop
    formats it from each row (row_templates), or binds it per row in a loop (fresh_values'
    fresh_bound_write). An UPDATE lint reads as one of another table gives this one nothing.
    A counter numbering the rows (row_counters) counts with the SQL run before it (where `SET
    @n = 0` stands), `within` (the key's other columns, which may hold a window's partition),
    and whether rows it leaves out hold NULL or none is left out."""
    fills = {fill.seq: fill for fill in facts.fills}
    texts = [
        (other.seq, executed_text(other))
        for other in facts.upgrade_ops
        if other.seq < before and other.name == "execute"
    ]
    texts += [(fill.seq, fill.sql) for fill in facts.fills if fill.seq < before and fill.sql]
    texts.sort(key=lambda entry: entry[0])
    for index, (seq, text) in enumerate(texts):
        fill = fills.get(seq)
        updated = {
            s.table
            for s in (fill.statements if fill is not None else ())
            if s.kind == UPDATE and s.table
        }
        if any(name.startswith(LIKE) for name in updated) or not updated or table in updated:
            if not text:
                continue
            # where a user variable's `SET @n = 0` may stand (joined only for one in use)
            earlier = "\n".join(t for o, t in texts[:index] if o < seq) if "@" in text else ""
            null = _added_null(facts, table, column, seq)
            if sets_distinct(text, column, keys, within=within, earlier=earlier, missed_null=null):
                return True
    every_row = counted_rows_kept_apart(facts, table, column, before)
    return distinct_by_template(facts, table, column, before, keys, every_row) or fresh_bound_write(
        facts, table, column, before, keys, every_row
    )


def counted_rows_kept_apart(
    facts: Facts, table: str, column: str, before: int
) -> Callable[[], bool]:
    """Whether a loop numbering the rows it writes (row_counters) leaves no two alike: it walks
    every row of the table (row_fills' per-row loop over `SELECT ... FROM t` with no WHERE,
    LIMIT or join), or the rows it leaves out hold the NULL of a column just added. Asked only
    when such a loop is found."""

    def kept_apart() -> bool:
        if _added_null(facts, table, column, before):
            return True
        every = facts.memo.get("sql_key_evidence.every_row")
        if not isinstance(every, frozenset):
            every = filled_for_every_row(facts.module)
            facts.memo["sql_key_evidence.every_row"] = every
        return (table, column) in every

    return kept_apart


def _added_null(facts: Facts, table: str, column: str, before: int) -> bool:
    """Whether the upgrade added `table.column` (lowercase) before step `before` NULL, with no
    default and no value the server makes: every row it was not written into holds NULL."""
    for (t, c), (op, spec) in facts.added.items():
        if (t or "").lower() == table and (c or "").lower() == column and op.seq < before:
            return not (
                spec.not_null or spec.server_default not in (None, DEFAULT_NONE) or spec.generated
            )
    return False


def executed_text(op: Operation) -> str:
    """An op.execute's SQL: the literal, or an f-string's source (its {expressions} kept)."""
    text = sql_text(op)
    if text is not None:
        return text
    node = op.param("sqltext")
    if type(node) is ast.Call and node.args:
        node = node.args[0]
    return ast.unparse(node) if type(node) is ast.JoinedStr else ""


def renamed_after_search(facts: Facts, op: Operation, columns: Sequence[str]) -> bool:
    """Whether the upgrade finds the rows another row matches by a self-join over columns of
    the key (deduplications.self_joined_search: `FROM t a JOIN t b ON a.x = b.x AND a.id !=
    b.id`), then writes one of those columns of the table before the key: the duplicates
    renamed, row by row with bound parameters (`UPDATE t SET x = :x WHERE id = :id`) or by
    Core (round 32). Rows alike over the key are alike over the searched columns, so each is
    found; a search over a column outside the key finds too few."""
    table = (op.table or "").lower()
    wanted = {c.lower() for c in columns}
    for fill in facts.fills:
        if fill.seq >= op.seq or not fill.sql:
            continue
        found = self_joined_search(fill.sql)
        if found is None or found[0] != table or not found[1] <= wanted:
            continue
        if any(
            facts.written_between(op.table, column, fill.seq, op.seq, unread=False)
            for column in found[1]
        ):
            return True
    return False


def numbered_key(statement: SqlStatement, earlier: Collection[str]) -> bool:
    """Whether the primary key a raw ALTER TABLE adds is over one column the same statement,
    or raw SQL before it (`earlier`: the columns it added so), adds numbered by the server
    (`ADD COLUMN seq BIGINT NOT NULL AUTO_INCREMENT, ADD PRIMARY KEY (seq)`, SERIAL, an
    identity): each row, the existing ones included, gets a number of its own."""
    columns = {c for a in statement.actions if a.kind == "add_primary_key" for c in a.columns}
    if len(columns) != 1:
        return False
    numbered = {
        (a.name or "").lower() for a in statement.actions if a.kind == "add_column" and a.numbered
    }
    return columns <= numbered | set(earlier)
