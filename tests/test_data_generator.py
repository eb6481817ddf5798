"""The row generator, by property: for random schemas the rows insert on MariaDB and SQLite, and
the same seed gives the same rows.

Hypothesis draws schemas as SQLAlchemy tables (every kind the generator knows, keys, unique sets,
CHECK lists, foreign keys to other tables, to the table itself, and in cycles); each is created on
the real server, reflected back, filled, and dropped again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import ScratchDatabases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alembic_sentinel.data.capture import capture
from alembic_sentinel.data.fill import insert_generated, read_rows
from alembic_sentinel.data.reflection import reflect_schema
from alembic_sentinel.data.rows import fill_order, generate_rows
from alembic_sentinel.data.values import comparison_key
from alembic_sentinel.engine.database import commit

ROWS = 20
COLUMN_TYPES: list[tuple[str, Any]] = [
    ("integer", lambda draw: sa.Integer()),
    ("bigint", lambda draw: sa.BigInteger()),
    ("smallint", lambda draw: sa.SmallInteger()),
    ("boolean", lambda draw: sa.Boolean()),
    ("string", lambda draw: sa.String(draw(st.integers(1, 100)))),
    ("char", lambda draw: sa.CHAR(draw(st.integers(1, 10)))),
    ("unicode", lambda draw: sa.Unicode(draw(st.integers(3, 60)))),
    ("text", lambda draw: sa.Text()),
    ("numeric", lambda draw: _numeric(draw)),
    ("float", lambda draw: sa.Float()),
    ("date", lambda draw: sa.Date()),
    ("datetime", lambda draw: sa.DateTime()),
    ("time", lambda draw: sa.Time()),
    ("enum", lambda draw: sa.Enum("red", "green", "blue", name=f"e{uuid.uuid4().hex[:6]}")),
    ("binary", lambda draw: sa.LargeBinary()),
    ("json", lambda draw: sa.JSON()),
]
# MySQL cannot index these without a prefix length
NOT_INDEXABLE = ("text", "binary", "json")


def _numeric(draw: Any) -> sa.Numeric:
    precision = draw(st.integers(1, 20))
    return sa.Numeric(precision, draw(st.integers(0, min(precision, 6))))


@st.composite
def schemas(draw: Any) -> sa.MetaData:
    metadata = sa.MetaData()
    count = draw(st.integers(1, 4))
    for index in range(count):
        columns: list[Any] = [sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)]
        constraints: list[Any] = []
        for number in range(draw(st.integers(0, 6))):
            kind, make = draw(st.sampled_from(COLUMN_TYPES))
            name = f"c{number}"
            nullable = draw(st.booleans())
            unique = kind not in NOT_INDEXABLE and draw(st.integers(0, 4)) == 0
            default = None
            if kind == "integer" and draw(st.booleans()):
                default = sa.text("7")
            elif kind == "string" and draw(st.booleans()):
                default = sa.text("'x'")
            columns.append(
                sa.Column(
                    name, make(draw), nullable=nullable, unique=unique, server_default=default
                )
            )
            if kind == "string" and draw(st.integers(0, 3)) == 0:
                constraints.append(
                    sa.CheckConstraint(f"{name} IN ('x', 'yé', 'z''q')", name=f"ck_t{index}_{name}")
                )
        # references: to the table itself, to earlier tables, and (a cycle) to later ones
        for target in range(count):
            if draw(st.integers(0, 2)) != 0:
                continue
            nullable = draw(st.booleans()) if target <= index else True
            cyclic = target > index
            columns.append(
                sa.Column(
                    f"ref{target}",
                    sa.Integer,
                    sa.ForeignKey(f"t{target}.id", use_alter=cyclic, name=f"fk_t{index}_{target}"),
                    nullable=nullable,
                )
            )
        if draw(st.integers(0, 3)) == 0 and len(columns) > 2:
            first, second = columns[1].name, columns[-1].name
            indexable = all(
                not isinstance(c.type, (sa.Text, sa.LargeBinary, sa.JSON))
                for c in columns
                if c.name in (first, second)
            )
            if indexable and first != second:
                constraints.append(sa.UniqueConstraint(first, second, name=f"uq_t{index}_pair"))
        sa.Table(f"t{index}", metadata, *columns, *constraints, mysql_charset="utf8mb4")
    return metadata


@pytest.fixture(scope="module")
def mariadb_url(mysql_server_url: str) -> Iterator[str]:
    databases = ScratchDatabases(mysql_server_url)
    yield databases.create()
    databases.drop_all()


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('generator') / 'schema.db'}"


def ddl(metadata: sa.MetaData) -> str:
    """The schema as MySQL DDL: what a failing example shows."""
    from sqlalchemy.dialects import mysql
    from sqlalchemy.schema import CreateTable

    return "".join(
        str(CreateTable(t).compile(dialect=mysql.dialect())) for t in metadata.tables.values()
    )


def fill_and_check(url: str, metadata: sa.MetaData) -> None:
    engine = sa.create_engine(url)
    try:
        metadata.create_all(engine)
        with engine.connect() as connection:
            shapes = reflect_schema(connection)
            existing = read_rows(connection, shapes, 100)
            first = generate_rows(shapes, ROWS, 3, existing)
            again = generate_rows(shapes, ROWS, 3, existing)
            assert first == again  # the same seed, the same rows

            filled = insert_generated(connection, first)
            commit(connection)

            assert [t.refused for t in filled] == [0] * len(filled), (filled, ddl(metadata))
            state = capture(connection, [shape.name for shape in shapes])
            for table in first.tables:
                assert len(state[table.table].rows) == len(table.rows), table
                assert table.rows or table.note, table
    finally:
        metadata.drop_all(engine)
        engine.dispose()


SLOW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@SLOW
@given(schemas())
def test_generated_rows_insert_on_mariadb(mariadb_url: str, metadata: sa.MetaData) -> None:
    fill_and_check(mariadb_url, metadata)


@SLOW
@given(schemas())
def test_generated_rows_insert_on_sqlite(sqlite_url: str, metadata: sa.MetaData) -> None:
    Path(sqlite_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    fill_and_check(sqlite_url, metadata)


# --- the pure generator: many more schemas, no database ------------------------------------------


@settings(max_examples=150, deadline=None)
@given(schemas(), st.integers(0, 2**31))
def test_keys_stay_distinct_and_references_point_at_rows(metadata: sa.MetaData, seed: int) -> None:
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.connect() as connection:
        shapes = reflect_schema(connection)
    engine.dispose()

    generated = generate_rows(shapes, ROWS, seed)

    assert generated == generate_rows(shapes, ROWS, seed)
    rows = {table.table: table.rows for table in generated.tables}
    order, deferred = fill_order(shapes)
    assert [t.table for t in generated.tables] == order
    for shape in shapes:
        for key in shape.key_sets:
            values = [tuple(comparison_key(row.get(c)) for c in key) for row in rows[shape.name]]
            if key != shape.primary_key:
                values = [v for v in values if None not in v]
            assert len(values) == len(set(values)), (shape.name, key)
        for fk in shape.foreign_keys:
            parents = {
                tuple(row.get(c) for c in fk.referred_columns) for row in rows[fk.referred_table]
            }
            for row in rows[shape.name]:
                value = tuple(row.get(c) for c in fk.columns)
                assert None in value or value in parents, (shape.name, fk, value)
        for column in shape.columns:
            if not column.nullable and not column.has_default:
                assert all(row.get(column.name) is not None for row in rows[shape.name])
    assert generated.needs_deferred_checks == bool(deferred)


def test_another_seed_gives_other_rows_and_adding_a_table_keeps_the_others() -> None:
    metadata = sa.MetaData()
    sa.Table(
        "party",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50)),
    )
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.connect() as connection:
        [party] = reflect_schema(connection)
    sa.Table(
        "zone",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(5)),
    )
    metadata.create_all(engine)
    with engine.connect() as connection:
        both = reflect_schema(connection)
    engine.dispose()

    alone = generate_rows([party], 10, 1).tables[0].rows
    assert generate_rows([party], 10, 2).tables[0].rows != alone
    assert generate_rows(both, 10, 1).tables[0].rows == alone
