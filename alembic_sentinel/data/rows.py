"""Representative rows for every table of a schema: parents first, keys distinct, references real.

Pure: table shapes, the rows already there and a seed in; rows out, the same for the same input.
Each table draws from its own `random.Random`, seeded from the run's seed and the table's name, so
adding a table to the schema leaves the other tables' rows as they were.

- Tables are filled in an order where every table comes after the tables its foreign keys refer
  to. A self-reference picks the row itself or an earlier one (a root, a child of a root, ...);
  a cycle between tables (A refers to B, B to A) is broken at one table, whose references into
  the cycle are filled in once the other tables have rows (`deferred`): inserted with the
  server's foreign key checks off, they hold when the last row is in.
- References lean towards the first parents, so some parents have many children and some none.
- The primary key and every unique set stay distinct (with the rows already there): a column of
  each set counts up; a set of references alone (an association table) draws other parents
  until the combination is new, and a row that cannot be made distinct is left out.
- A column with a server default takes it in a third of the rows (it is left out of those
  rows' INSERT), unless the column is part of a key.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from random import Random
from typing import Any, NamedTuple

from alembic_sentinel.data.schema import ForeignKeyShape, TableShape
from alembic_sentinel.data.values import ValueMaker, comparison_key

DEFAULT_ROWS = 50
DEFAULT_SEED = 0
SELF_SHARE = 0.25  # of a self-reference's rows that refer to the row itself
NULL_REFERENCE_SHARE = 0.15
DEFAULT_SHARE = 1 / 3  # of a defaulted column's rows that leave it to the server
RETRIES = 12
# kinds whose values are few: a key set is kept distinct by another column when it can be
_FEW_VALUES = ("boolean", "enum", "set", "year")

Row = dict[str, Any]  # a column missing from a row is left to its server default


class GeneratedTable(NamedTuple):
    table: str
    rows: list[Row]
    note: str  # why it has fewer rows than asked, or ""
    # rows refer to earlier rows of the table (a self-reference): insert them in this order
    ordered: bool = False


class Generated(NamedTuple):
    tables: list[GeneratedTable]  # in the order to insert them
    # some references go from a table to one inserted after it: insert with the checks off
    needs_deferred_checks: bool


def table_seed(seed: int, table: str) -> int:
    """The seed of one table's random numbers: stable across runs, Python versions, machines."""
    return zlib.crc32(f"{seed}:{table}".encode())


def fill_order(tables: Sequence[TableShape]) -> tuple[list[str], set[tuple[str, int]]]:
    """Table names, each after the tables it refers to, and the references that could not be
    (cycles): (table, index of the foreign key) pairs."""
    names = {table.name for table in tables}
    needs = {
        table.name: {
            fk.referred_table
            for fk in table.foreign_keys
            if fk.referred_table in names and fk.referred_table != table.name
        }
        for table in tables
    }
    by_name = {table.name: table for table in tables}
    order: list[str] = []
    done: set[str] = set()
    deferred: set[tuple[str, int]] = set()
    while len(order) < len(tables):
        ready = sorted(name for name in names - done if needs[name] <= done)
        if not ready:
            # a cycle: start it at the table with the fewest references still missing,
            # preferring references that may be NULL
            def missing(name: str) -> tuple[int, int, str]:
                fks = [
                    fk
                    for fk in by_name[name].foreign_keys
                    if fk.referred_table in needs[name] - done
                ]
                not_null = sum(
                    1 for fk in fks if any(not by_name[name].column(c).nullable for c in fk.columns)
                )
                return (not_null, len(fks), name)

            start = min(names - done, key=missing)
            for index, fk in enumerate(by_name[start].foreign_keys):
                if fk.referred_table in needs[start] - done:
                    deferred.add((start, index))
            ready = [start]
        for name in ready:
            order.append(name)
            done.add(name)
    return order, deferred


def generate_rows(
    tables: Sequence[TableShape],
    rows_per_table: int = DEFAULT_ROWS,
    seed: int = DEFAULT_SEED,
    existing: Mapping[str, Sequence[Row]] | None = None,
) -> Generated:
    """Rows for every table in `tables`, `rows_per_table` each where the keys allow it, on top
    of the `existing` rows (which references may point at and keys must not repeat)."""
    existing = existing or {}
    order, deferred = fill_order(tables)
    by_name = {table.name: table for table in tables}
    maker = ValueMaker(seed)
    made: dict[str, list[Row]] = {}
    generated = []
    for name in order:
        table = by_name[name]
        builder = _TableBuilder(
            table, maker, Random(table_seed(seed, name)), existing.get(name, [])
        )
        rows, note = builder.build(rows_per_table, made, existing, deferred)
        made[name] = rows
        ordered = any(fk.referred_table == name for fk in table.foreign_keys)
        generated.append(GeneratedTable(name, rows, note, ordered))
    for name, index in sorted(deferred):
        table = by_name[name]
        builder = _TableBuilder(table, maker, Random(table_seed(seed, name) + 1), [])
        builder.refer_later(made[name], table.foreign_keys[index], made, existing)
    return Generated(generated, bool(deferred))


class _TableBuilder:
    def __init__(
        self, table: TableShape, maker: ValueMaker, rng: Random, existing: Sequence[Row]
    ) -> None:
        self.table = table
        self.maker = maker
        self.rng = rng
        self.existing = existing
        self.reference_columns = {c for fk in table.foreign_keys for c in fk.columns}
        self.key_columns = {c for key in table.key_sets for c in key}

    def build(
        self,
        count: int,
        made: Mapping[str, list[Row]],
        existing: Mapping[str, Sequence[Row]],
        deferred: set[tuple[str, int]],
    ) -> tuple[list[Row], str]:
        table = self.table
        plain = [c for c in table.columns if c.name not in self.reference_columns]
        counting = self._counting_columns()
        taken = {key: {self._key(row, key) for row in self.existing} for key in table.key_sets}
        columns: dict[str, list[Any]] = {}
        for column in plain:
            if column.name in counting:
                own = {comparison_key(row.get(column.name)) for row in self.existing}
                start = 1
                if column.kind == "integer":
                    numbers = [v for v in (row.get(column.name) for row in self.existing)]
                    start = max([0, *(v for v in numbers if isinstance(v, int))]) + 1
                columns[column.name] = self.maker.unique_values(column, count, self.rng, own, start)
            else:
                columns[column.name] = self.maker.column_values(column, count, self.rng)
        wanted = count
        count = min([count, *(len(values) for values in columns.values())])
        references = [
            (index, fk)
            for index, fk in enumerate(table.foreign_keys)
            if (table.name, index) not in deferred
        ]
        rows: list[Row] = []
        left_out = 0
        for index in range(count):
            row: Row = {name: values[index] for name, values in columns.items()}
            for column in plain:
                if column.kind == "unknown" and column.has_default:
                    del row[column.name]  # only the server knows a value of its type
                elif column.kind == "unknown" and column.nullable:
                    row[column.name] = None
                elif (
                    column.has_default
                    and column.name not in self.key_columns
                    and self.rng.random() < DEFAULT_SHARE
                ):
                    del row[column.name]
            placed = False
            for attempt in range(RETRIES):
                problem = self._refer(row, index, rows, references, made, existing)
                if problem:
                    # a NOT NULL reference with nothing to refer to: no row can be made
                    return rows, problem
                clash = self._clashing_key(row, taken)
                if clash is None:
                    placed = True
                    break
                self._redraw(row, clash, attempt)
            if not placed:
                left_out += 1
                continue
            for key in table.key_sets:
                taken[key].add(self._key(row, key))
            rows.append(row)
        if len(rows) < wanted:
            reason = (
                "their keys could not be made distinct"
                if left_out
                else ("the key's type has no more distinct values")
            )
            return rows, f"{wanted - len(rows)} rows fewer: {reason}"
        return rows, ""

    # --- which columns count up -------------------------------------------------------------

    def _counting_columns(self) -> set[str]:
        """One column per key set whose values will be distinct by construction."""
        counting: set[str] = set()
        for key in self.table.key_sets:
            if counting & set(key):
                continue
            candidates = [
                name
                for name in key
                if name not in self.reference_columns
                and self.table.column(name).kind not in _FEW_VALUES
            ]
            if not candidates:
                candidates = [n for n in key if n not in self.reference_columns]
            if candidates:
                counting.add(candidates[0])
        return counting

    # --- references -------------------------------------------------------------------------

    def _fk_is_nullable(self, fk: ForeignKeyShape) -> bool:
        return all(self.table.column(name).nullable for name in fk.columns)

    def _refer(
        self,
        row: Row,
        index: int,
        rows: list[Row],
        references: list[tuple[int, ForeignKeyShape]],
        made: Mapping[str, list[Row]],
        existing: Mapping[str, Sequence[Row]],
    ) -> str:
        """Fill the row's references; a reason when a NOT NULL one has nothing to refer to."""
        for _, fk in references:
            if fk.referred_table == self.table.name:
                parents = [*self.existing, *rows, row]  # the row itself: its own root
            else:
                parents = [*existing.get(fk.referred_table, ()), *made.get(fk.referred_table, ())]
            parents = [p for p in parents if all(p.get(c) is not None for c in fk.referred_columns)]
            nullable = self._fk_is_nullable(fk)
            # the second row's is NULL: every nullable reference has one
            draw = self.rng.random()
            if nullable and (not parents or index == 1 or draw < NULL_REFERENCE_SHARE):
                for name in fk.columns:
                    row[name] = None
                continue
            if not parents:
                return f"no rows in {fk.referred_table} to refer to"
            itself = any(parent is row for parent in parents)
            if itself and self.rng.random() < SELF_SHARE:
                parent = row
            else:
                # skewed towards the first parents: some have many children, some none
                parent = parents[int(len(parents) * self.rng.random() ** 2)]
            for name, referred in zip(fk.columns, fk.referred_columns):
                row[name] = parent.get(referred)
        return ""

    def refer_later(
        self,
        rows: list[Row],
        fk: ForeignKeyShape,
        made: Mapping[str, list[Row]],
        existing: Mapping[str, Sequence[Row]],
    ) -> None:
        """Fill a reference into a table filled after this one (a cycle), now that it has rows,
        keeping the key sets it is part of distinct."""
        parents = [*existing.get(fk.referred_table, ()), *made.get(fk.referred_table, ())]
        parents = [p for p in parents if all(p.get(c) is not None for c in fk.referred_columns)]
        nullable = self._fk_is_nullable(fk)
        keys = [key for key in self.table.key_sets if set(key) & set(fk.columns)]
        taken: dict[tuple[str, ...], set[tuple[Any, ...]]] = {key: set() for key in keys}
        for row in rows:
            for _ in range(RETRIES):
                if not parents or (nullable and self.rng.random() < NULL_REFERENCE_SHARE):
                    parent = None
                else:
                    parent = parents[int(len(parents) * self.rng.random() ** 2)]
                for name, referred in zip(fk.columns, fk.referred_columns):
                    row[name] = None if parent is None else parent.get(referred)
                if self._clashing_key(row, taken, keys) is None:
                    break
            else:
                if nullable:  # NULL never clashes in a unique index
                    for name in fk.columns:
                        row[name] = None
            for key in keys:
                taken[key].add(self._key(row, key))

    # --- keys ---------------------------------------------------------------------------------

    @staticmethod
    def _key(row: Row, key: tuple[str, ...]) -> tuple[Any, ...]:
        return tuple(comparison_key(row.get(name)) for name in key)

    def _clashing_key(
        self,
        row: Row,
        taken: Mapping[tuple[str, ...], set[tuple[Any, ...]]],
        keys: Sequence[tuple[str, ...]] | None = None,
    ) -> tuple[str, ...] | None:
        for key in self.table.key_sets if keys is None else keys:
            values = self._key(row, key)
            # NULLs never clash in a unique index (MySQL, SQLite); a primary key has none
            if any(value is None for value in values) and key != self.table.primary_key:
                continue
            if values in taken[key]:
                return key
        return None

    def _redraw(self, row: Row, key: tuple[str, ...], attempt: int) -> None:
        """Draw the key's non-counting, non-reference values again (references are drawn again
        by the next `_refer`)."""
        for name in key:
            column = self.table.column(name)
            if name in self.reference_columns:
                continue
            pool = self.maker.pool(column, self.rng)
            if pool and attempt < RETRIES - 1:
                row[name] = self.rng.choice(pool)
