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

Linear in the rows, and streamed: a table's rows come `BATCH_ROWS` at a time (`stream_rows`);
what stays in memory is, per table, the values its keys and the references into it need
(`ParentKeys`, a list of key tuples a reference draws from by position), never the rows
themselves, except a table whose references into a cycle wait for a later table. A run of at
most `BATCH_ROWS` rows a table gives exactly the rows one batch always gave.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from random import Random
from typing import Any, NamedTuple, Union

from alembic_sentinel.data.schema import ColumnShape, ForeignKeyShape, TableShape
from alembic_sentinel.data.values import ValueMaker, comparison_key

DEFAULT_ROWS = 50
DEFAULT_SEED = 0
BATCH_ROWS = 1_000  # rows generated (and handed to the loader) at a time
SELF_SHARE = 0.25  # of a self-reference's rows that refer to the row itself
NULL_REFERENCE_SHARE = 0.15
DEFAULT_SHARE = 1 / 3  # of a defaulted column's rows that leave it to the server
RETRIES = 12
# kinds whose values are few: a key set is kept distinct by another column when it can be
_FEW_VALUES = ("boolean", "enum", "set", "year")

Row = dict[str, Any]  # a column missing from a row is left to its server default
# rows per table: one number for every table, or a number per table name with a default
RowCounts = Union[int, "PerTable"]


class PerTable(NamedTuple):
    """Rows per table: `tables`' own counts (`data-rows`), `default` for the others."""

    default: int
    tables: Mapping[str, int]

    def of(self, table: str) -> int:
        return self.tables.get(table, self.default)


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


def rows_of(counts: RowCounts, table: str) -> int:
    return counts if isinstance(counts, int) else counts.of(table)


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


class ParentKeys:
    """What references draw from: for each (table, referred columns) some foreign key names,
    the values of those columns in every row there is (existing rows first, then generated
    ones in their order), NULLs left out. A parent is picked by position, in constant time."""

    def __init__(self, tables: Sequence[TableShape], existing: Mapping[str, Sequence[Row]]):
        self.keys: dict[tuple[str, tuple[str, ...]], list[tuple[Any, ...]]] = {}
        for table in tables:
            for fk in table.foreign_keys:
                self.keys.setdefault((fk.referred_table, fk.referred_columns), [])
        self._columns: dict[str, list[tuple[str, ...]]] = {}
        for table_name, columns in self.keys:
            self._columns.setdefault(table_name, []).append(columns)
        for table_name in self._columns:
            for row in existing.get(table_name, ()):
                self.add(table_name, row)

    def add(self, table: str, row: Row) -> None:
        for columns in self._columns.get(table, ()):
            values = tuple(row.get(c) for c in columns)
            if all(value is not None for value in values):
                self.keys[(table, columns)].append(values)

    def of(self, table: str, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
        return self.keys.get((table, columns), [])

    def lengths(self, table: str) -> dict[tuple[str, ...], int]:
        columns_of = self._columns.get(table, ())
        return {columns: len(self.keys[(table, columns)]) for columns in columns_of}

    def truncate(self, table: str, lengths: Mapping[tuple[str, ...], int]) -> None:
        """Forget the table's rows after these counts (its rows are made again)."""
        for columns, length in lengths.items():
            del self.keys[(table, columns)][length:]


class TableRows:
    """One table's rows, made a batch at a time as `batches()` is iterated; calling it again
    starts again from the first row (the same rows: they are made deterministically). Once the
    batches are done, `note` says why the table has fewer rows than `asked`."""

    def __init__(
        self,
        table: str,
        asked: int,
        ordered: bool,
        make: Callable[[], Generator[list[Row], None, str]],
    ) -> None:
        self.table = table
        self.asked = asked
        # rows refer to earlier rows of the table (a self-reference)
        self.ordered = ordered
        self.note = ""
        self.made = 0  # rows in the batches given so far
        self.done = False
        self._make = make

    def batches(self) -> Iterator[list[Row]]:
        self.note, self.made, self.done = "", 0, False
        source = self._make()
        while True:
            try:
                batch = next(source)
            except StopIteration as stop:
                self.note, self.done = stop.value or "", True
                return
            self.made += len(batch)
            yield batch

    def finish(self) -> None:
        """Make the rows not asked for yet (later tables refer to them)."""
        if not self.done:
            for _ in self.batches():
                pass


def stream_rows(
    tables: Sequence[TableShape],
    rows: RowCounts = DEFAULT_ROWS,
    seed: int = DEFAULT_SEED,
    existing: Mapping[str, Sequence[Row]] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> Iterator[TableRows]:
    """Every table's rows, in an order to insert them: the fill order, except that a table
    with references into a cycle comes last (its rows are made, then held until the tables
    it refers to have theirs). A table's rows are all made (`finish`) before the next table
    is given: later tables refer to them."""
    existing = existing or {}
    order, deferred = fill_order(tables)
    by_name = {table.name: table for table in tables}
    maker = ValueMaker(seed)
    parents = ParentKeys(tables, existing)
    held: dict[str, TableRows] = {}
    held_rows: dict[str, list[Row]] = {}
    for name in order:
        table = by_name[name]
        start = parents.lengths(name)

        def make(
            table: TableShape = table, start: dict[tuple[str, ...], int] = start
        ) -> Generator[list[Row], None, str]:
            parents.truncate(table.name, start)  # made again: its keys too
            rng = Random(table_seed(seed, table.name))
            builder = _TableBuilder(table, maker, rng, existing.get(table.name, []))
            asked = rows_of(rows, table.name)
            return builder.batches(asked, parents, deferred, batch_rows)

        ordered = any(fk.referred_table == name for fk in table.foreign_keys)
        stream = TableRows(name, rows_of(rows, name), ordered, make)
        if any(deferred_name == name for deferred_name, _ in deferred):
            held_rows[name] = [row for batch in stream.batches() for row in batch]
            held[name] = stream
            continue
        yield stream
        stream.finish()
    for name, index in sorted(deferred):
        table = by_name[name]
        builder = _TableBuilder(table, maker, Random(table_seed(seed, name) + 1), [])
        builder.refer_later(held_rows[name], table.foreign_keys[index], parents)
    for name in order:
        if name in held:
            first = held[name]

            def replay(
                made: list[Row] = held_rows[name], note: str = first.note
            ) -> Generator[list[Row], None, str]:
                for offset in range(0, len(made), batch_rows):
                    yield made[offset : offset + batch_rows]
                return note

            yield TableRows(name, first.asked, first.ordered, replay)


def generate_rows(
    tables: Sequence[TableShape],
    rows_per_table: RowCounts = DEFAULT_ROWS,
    seed: int = DEFAULT_SEED,
    existing: Mapping[str, Sequence[Row]] | None = None,
) -> Generated:
    """Rows for every table in `tables`, `rows_per_table` each where the keys allow it, on top
    of the `existing` rows (which references may point at and keys must not repeat): the rows
    `stream_rows` makes, all in memory, in the fill order."""
    made: dict[str, GeneratedTable] = {}
    for stream in stream_rows(tables, rows_per_table, seed, existing):
        rows = [row for batch in stream.batches() for row in batch]
        made[stream.table] = GeneratedTable(stream.table, rows, stream.note, stream.ordered)
    order, deferred = fill_order(tables)
    return Generated([made[name] for name in order], bool(deferred))


class _TableBuilder:
    def __init__(
        self, table: TableShape, maker: ValueMaker, rng: Random, existing: Sequence[Row]
    ) -> None:
        self.table = table
        self.maker = maker
        self.rng = rng
        self.existing = existing
        self.reference_columns = {c for fk in table.foreign_keys for c in fk.columns}
        self.key_sets = table.key_sets
        self.key_columns = {c for key in self.key_sets for c in key}
        self.nullable_references = {
            fk: all(table.column(name).nullable for name in fk.columns) for fk in table.foreign_keys
        }

    def batches(
        self,
        asked: int,
        parents: ParentKeys,
        deferred: set[tuple[str, int]],
        batch_rows: int,
    ) -> Generator[list[Row], None, str]:
        """The table's rows, `batch_rows` at a time, each added to `parents` as it is made;
        returns why there are fewer than `asked`, or ""."""
        table = self.table
        plain = [c for c in table.columns if c.name not in self.reference_columns]
        counting = self._counting_columns()
        taken = {key: {self._key(row, key) for row in self.existing} for key in self.key_sets}
        references = [
            (index, fk)
            for index, fk in enumerate(table.foreign_keys)
            if (table.name, index) not in deferred
        ]
        # each column's source of values, made when its first batch is taken (in column
        # order, so the random numbers are drawn as they always were)
        sources: dict[str, Callable[[int], list[Any]]] = {}
        attempted = made = left_out = 0
        exhausted = False
        while attempted < asked and not exhausted:
            wanted = min(batch_rows, asked - attempted)
            columns: dict[str, list[Any]] = {}
            for column in plain:
                if column.name not in sources:
                    sources[column.name] = self._source(column, column.name in counting)
                columns[column.name] = sources[column.name](wanted)
            count = min([wanted, *(len(values) for values in columns.values())])
            exhausted = count < wanted
            batch: list[Row] = []
            for offset in range(count):
                row: Row = {name: values[offset] for name, values in columns.items()}
                self._leave_to_defaults(row, plain)
                placed = False
                for attempt in range(RETRIES):
                    problem = self._refer(row, attempted + offset, references, parents)
                    if problem:
                        # a NOT NULL reference with nothing to refer to: no row can be made
                        if batch:
                            yield batch
                        return problem
                    clash = self._clashing_key(row, taken)
                    if clash is None:
                        placed = True
                        break
                    self._redraw(row, clash, attempt)
                if not placed:
                    left_out += 1
                    continue
                for key in self.key_sets:
                    taken[key].add(self._key(row, key))
                parents.add(table.name, row)
                batch.append(row)
            attempted += count
            made += len(batch)
            if batch:
                yield batch
        if made < asked:
            reason = (
                "their keys could not be made distinct"
                if left_out
                else ("the key's type has no more distinct values")
            )
            return f"{asked - made} rows fewer: {reason}"
        return ""

    def _source(self, column: ColumnShape, counting: bool) -> Callable[[int], list[Any]]:
        if not counting:
            return self.maker.repeating(column, self.rng)
        own = {comparison_key(row.get(column.name)) for row in self.existing}
        start = 1
        if column.kind == "integer":
            numbers = [row.get(column.name) for row in self.existing]
            start = max([0, *(v for v in numbers if isinstance(v, int))]) + 1
        return self.maker.distinct(column, self.rng, own, start)

    def _leave_to_defaults(self, row: Row, plain: Sequence[ColumnShape]) -> None:
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

    # --- which columns count up -------------------------------------------------------------

    def _counting_columns(self) -> set[str]:
        """One column per key set whose values will be distinct by construction."""
        counting: set[str] = set()
        for key in self.key_sets:
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

    def _refer(
        self,
        row: Row,
        index: int,
        references: list[tuple[int, ForeignKeyShape]],
        parents: ParentKeys,
    ) -> str:
        """Fill the row's references; a reason when a NOT NULL one has nothing to refer to."""
        for _, fk in references:
            keys = parents.of(fk.referred_table, fk.referred_columns)
            own: tuple[Any, ...] | None = None
            if fk.referred_table == self.table.name:  # the row itself: its own root
                values = tuple(row.get(c) for c in fk.referred_columns)
                own = values if all(value is not None for value in values) else None
            count = len(keys) + (own is not None)
            nullable = self.nullable_references[fk]
            # the second row's is NULL: every nullable reference has one
            draw = self.rng.random()
            if nullable and (not count or index == 1 or draw < NULL_REFERENCE_SHARE):
                for name in fk.columns:
                    row[name] = None
                continue
            if not count:
                return f"no rows in {fk.referred_table} to refer to"
            chosen: tuple[Any, ...]
            if own is not None and self.rng.random() < SELF_SHARE:
                chosen = own
            else:
                # skewed towards the first parents: some have many children, some none
                position = int(count * self.rng.random() ** 2)
                # past the parents there is only the row itself (`own`, counted in `count`)
                chosen = keys[position] if position < len(keys) else own or ()
            for name, value in zip(fk.columns, chosen):
                row[name] = value
        return ""

    def refer_later(self, rows: list[Row], fk: ForeignKeyShape, parents: ParentKeys) -> None:
        """Fill a reference into a table filled after this one (a cycle), now that it has rows,
        keeping the key sets it is part of distinct."""
        keys = parents.of(fk.referred_table, fk.referred_columns)
        nullable = self.nullable_references[fk]
        key_sets = [key for key in self.key_sets if set(key) & set(fk.columns)]
        taken: dict[tuple[str, ...], set[tuple[Any, ...]]] = {key: set() for key in key_sets}
        for row in rows:
            for _ in range(RETRIES):
                if not keys or (nullable and self.rng.random() < NULL_REFERENCE_SHARE):
                    chosen: tuple[Any, ...] = (None,) * len(fk.columns)
                else:
                    chosen = keys[int(len(keys) * self.rng.random() ** 2)]
                for name, value in zip(fk.columns, chosen):
                    row[name] = value
                if self._clashing_key(row, taken, key_sets) is None:
                    break
            else:
                if nullable:  # NULL never clashes in a unique index
                    for name in fk.columns:
                        row[name] = None
            for key in key_sets:
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
        for key in self.key_sets if keys is None else keys:
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
