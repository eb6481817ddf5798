"""The data run at volume: rows per table, batches, the server's refusals, progress, timings.

The fill is driven on real schemas (MariaDB and SQLite) with more rows than one batch and more
bytes than one statement; the references and keys of streamed rows are checked by property;
`ci` runs the reference app with per-table rows and reports each new revision's statements.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import ScratchDatabases, commit_all
from hypothesis import given, settings
from hypothesis import strategies as st
from test_data_ci import NEW, write_revision
from test_data_generator import schemas

from alembic_sentinel.ci.run import CiOptions, run_ci
from alembic_sentinel.data.capture import CAPTURE_LIMIT, FINGERPRINT_FROM, capture, step_changes
from alembic_sentinel.data.fill import fill_schema
from alembic_sentinel.data.load import PROGRESS_ROWS
from alembic_sentinel.data.reflection import reflect_schema
from alembic_sentinel.data.rows import BATCH_ROWS, PerTable, generate_rows, stream_rows
from alembic_sentinel.data.schema import ColumnShape, TableShape
from alembic_sentinel.data.timings import statement_kind
from alembic_sentinel.data.values import comparison_key
from alembic_sentinel.errors import ConfigError
from alembic_sentinel.report.model import Report
from alembic_sentinel.report.render import render_json
from alembic_sentinel.settings import Overrides, resolve_settings

pytestmark = pytest.mark.usefixtures("git_isolated", "fresh_orm_imports")
MORE_THAN_A_BATCH = BATCH_ROWS * 2 + 500


@pytest.fixture(params=["mariadb", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.engine.Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'volume.db'}"
    else:
        url = request.getfixturevalue("scratch_mysql").create()
    engine = sa.create_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def mariadb(scratch_mysql: ScratchDatabases) -> Iterator[sa.engine.Engine]:
    engine = sa.create_engine(scratch_mysql.create())
    yield engine
    engine.dispose()


def create(engine: sa.engine.Engine, *statements: str) -> None:
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


def shapes_of(engine: sa.engine.Engine) -> list[TableShape]:
    with engine.connect() as connection:
        return reflect_schema(connection)


def count(engine: sa.engine.Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql(sql).scalar() or 0)


# --- references and keys, whatever the number of batches ------------------------------------------


def check_rows(shapes: list[TableShape], rows: dict[str, list[dict[str, Any]]]) -> None:
    """Keys distinct as the server compares them; every reference at a row that is there."""
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


@settings(max_examples=60, deadline=None)
@given(schemas(), st.integers(0, 2**31), st.integers(1, 9))
def test_rows_made_in_many_batches_keep_keys_distinct_and_references_real(
    metadata: sa.MetaData, seed: int, batch_rows: int
) -> None:
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)
    shapes = shapes_of(engine)
    engine.dispose()

    rows: dict[str, list[dict[str, Any]]] = {}
    for table in stream_rows(shapes, 40, seed, batch_rows=batch_rows):
        batches = list(table.batches())
        assert all(len(batch) <= batch_rows for batch in batches)
        rows[table.table] = [row for batch in batches for row in batch]
        assert table.note or len(rows[table.table]) == 40

    check_rows(shapes, rows)
    again = {
        t.table: [r for b in t.batches() for r in b]
        for t in stream_rows(shapes, 40, seed, batch_rows=batch_rows)
    }
    assert again == rows  # the same seed, the same rows, batch by batch


def test_the_reference_app_at_several_batches_a_table_refers_only_to_rows_that_are_there(
    project: Path,
) -> None:
    sys.path.insert(0, str(project))  # the test's own copy (fresh_orm_imports)
    import orm

    engine = sa.create_engine("sqlite://")
    orm.Base.metadata.create_all(engine)
    shapes = shapes_of(engine)
    engine.dispose()

    generated = generate_rows(shapes, MORE_THAN_A_BATCH, 5)

    rows = {table.table: table.rows for table in generated.tables}
    assert {name: len(found) for name, found in rows.items()} == dict.fromkeys(
        ["area", "candidate", "election", "party"], MORE_THAN_A_BATCH
    )
    check_rows(shapes, rows)
    # the self-references point at earlier rows or the row itself, never at a later one
    position = {row["electionId"]: index for index, row in enumerate(rows["election"])}
    for index, row in enumerate(rows["election"]):
        for column in ("parentElectionId", "rootElectionId"):
            assert row[column] is None or position[row[column]] <= index


def test_up_to_one_batch_the_rows_are_the_ones_a_single_batch_gives() -> None:
    shape = TableShape(
        "t",
        columns=(
            ColumnShape("id", "integer", False, True, minimum=-(2**31), maximum=2**31 - 1),
            ColumnShape("name", "string", True, length=30),
        ),
        primary_key=("id",),
    )
    [whole] = [[r for b in t.batches() for r in b] for t in stream_rows([shape], 300, 1)]
    [small] = [[r for b in t.batches() for r in b] for t in stream_rows([shape], 300, 1, {}, 64)]

    assert whole == generate_rows([shape], 300, 1).tables[0].rows
    # a long run's first batch is a run of that many rows; later batches draw on
    assert small[:64] == generate_rows([shape], 64, 1).tables[0].rows
    assert len({row["id"] for row in small}) == 300


# --- loading -------------------------------------------------------------------------------------


def test_more_rows_than_a_batch_and_bytes_than_a_statement_all_go_in(
    engine: sa.engine.Engine,
) -> None:
    create(
        engine,
        "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL, author VARCHAR(40))",
    )
    inserts: list[str] = []
    with engine.connect() as connection:

        @sa.event.listens_for(connection, "before_cursor_execute")
        def count_inserts(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if statement.startswith("INSERT INTO"):
                inserts.append(statement)

        fill = fill_schema(connection, [], MORE_THAN_A_BATCH, seed=2)

    [note] = fill.tables
    assert (note.rows, note.refused, note.note, note.asked) == (
        MORE_THAN_A_BATCH,
        0,
        "",
        MORE_THAN_A_BATCH,
    )
    assert count(engine, "SELECT COUNT(*) FROM note") == MORE_THAN_A_BATCH
    assert count(engine, "SELECT COUNT(DISTINCT id) FROM note") == MORE_THAN_A_BATCH
    # each statement holds many rows, and a batch of 1,000-character texts takes several
    assert len(inserts) < MORE_THAN_A_BATCH / 50
    if engine.dialect.name == "mysql":
        assert len(inserts) > MORE_THAN_A_BATCH / BATCH_ROWS + 1


def check_refusing_rows(engine: sa.engine.Engine) -> tuple[int, list[dict[str, Any]]]:
    """The generated rows of `scored`, and how many its CHECK refuses."""
    rows = generate_rows(shapes_of(engine), MORE_THAN_A_BATCH, 4).tables[0].rows
    refused = sum(1 for row in rows if row.get("score") is not None and row["score"] >= 1000)
    assert 0 < refused < len(rows)
    return refused, rows


def test_a_batch_the_server_refuses_goes_in_row_by_row_leaving_out_only_the_refused(
    engine: sa.engine.Engine,
) -> None:
    # a CHECK the generator cannot read: the largest INT of its pool breaks it
    create(
        engine,
        "CREATE TABLE scored (id INTEGER PRIMARY KEY, label VARCHAR(20), "
        "score INTEGER NULL, CONSTRAINT ck_scored_score CHECK (score < 1000))",
    )
    refused, _ = check_refusing_rows(engine)
    said: list[str] = []

    with engine.connect() as connection:
        fill = fill_schema(connection, [], MORE_THAN_A_BATCH, 4, say=said.append)

    [scored] = fill.tables
    assert (scored.rows, scored.refused) == (MORE_THAN_A_BATCH - refused, refused)
    assert scored.note.startswith(f"{refused} rows refused by the server: ")
    assert "ck_scored_score" in scored.note or "CHECK constraint failed" in scored.note
    assert count(engine, "SELECT COUNT(*) FROM scored") == MORE_THAN_A_BATCH - refused
    assert count(engine, "SELECT COUNT(*) FROM scored WHERE score >= 1000") == 0


def test_a_self_referencing_table_with_refusals_loses_the_children_of_refused_rows_too(
    mariadb: sa.engine.Engine,
) -> None:
    """With foreign key checks off, a child of a refused row would stay behind, pointing at
    nothing: the table is loaded again, in order, with the checks on, as before it was fast."""
    create(
        mariadb,
        # a server default: a third of the rows leave `label` out, so the rows of a batch go
        # in as two statements, not in their order
        "CREATE TABLE scored (id INTEGER PRIMARY KEY, parent INTEGER NULL, "
        "label VARCHAR(10) NOT NULL DEFAULT 'x', "
        "score INTEGER NULL, CONSTRAINT ck_scored_score CHECK (score < 1000), "
        "CONSTRAINT fk_scored_parent FOREIGN KEY (parent) REFERENCES scored (id))",
    )
    _, rows = check_refusing_rows(mariadb)
    gone: set[int] = set()
    for row in rows:  # in their order: a row is refused, or refers to one that was
        if (row["score"] is not None and row["score"] >= 1000) or row["parent"] in gone:
            gone.add(row["id"])
    assert any(row["parent"] in gone for row in rows)  # the case this test is about

    with mariadb.connect() as connection:
        fill = fill_schema(connection, [], MORE_THAN_A_BATCH, 4)
        checks = connection.exec_driver_sql("SELECT @@foreign_key_checks").scalar()

    [scored] = fill.tables
    assert (scored.rows, scored.refused) == (MORE_THAN_A_BATCH - len(gone), len(gone))
    orphans = "SELECT COUNT(*) FROM scored c LEFT JOIN scored p ON c.parent = p.id"
    assert count(mariadb, f"{orphans} WHERE c.parent IS NOT NULL AND p.id IS NULL") == 0
    assert checks == 1  # the session has its checks back


def test_a_long_table_gets_a_progress_line_and_a_short_one_none(
    engine: sa.engine.Engine,
) -> None:
    create(
        engine,
        "CREATE TABLE big (id INTEGER PRIMARY KEY, name VARCHAR(10))",
        "CREATE TABLE small (id INTEGER PRIMARY KEY, name VARCHAR(10))",
    )
    said: list[str] = []

    with engine.connect() as connection:
        fill = fill_schema(connection, [], PerTable(5, {"big": PROGRESS_ROWS}), say=said.append)

    assert {t.table: (t.rows, t.asked) for t in fill.tables} == {
        "big": (PROGRESS_ROWS, PROGRESS_ROWS),
        "small": (5, 5),
    }
    [line] = said
    assert line.startswith(f"[data] big: {PROGRESS_ROWS} rows in ")
    assert line.endswith(" rows/s)")


# --- per-table rows and timings in `ci` ----------------------------------------------------------


def ci(project: Path, server: str | None, rows: int) -> tuple[Report, str]:
    settings = resolve_settings(Overrides(), environ={}, root=project)
    progress = io.StringIO()
    options = CiOptions(server, "main", 5.0, "error", True, rows)
    return run_ci(settings, options, progress), progress.getvalue()


@pytest.fixture(params=["mariadb", "sqlite"])
def server(request: pytest.FixtureRequest) -> str | None:
    if request.param == "sqlite":
        return None
    return str(request.getfixturevalue("mysql_server_url"))


def test_data_rows_per_table_and_the_new_revisions_statements_timed_over_them(
    repo: Path, server: str | None
) -> None:
    with (repo / "pyproject.toml").open("a") as pyproject:
        pyproject.write('data-rows = {"candidate" = 120, "ballot" = 9}\n')
    write_revision(
        repo,
        NEW,
        "party colour",
        'op.add_column("party", sa.Column("partyColour", sa.String(20), nullable=True))\n'
        "op.execute(\"UPDATE party SET partyColour = 'blue' WHERE partySymbol IS NULL\")",
        'op.drop_column("party", "partyColour")',
    )
    commit_all(repo, "party colour")

    report, progress = ci(repo, server, 30)

    data = report.facts["data"]
    assert {t["table"]: (t["rows"], t["asked"]) for t in data["tables"]} == {
        "area": (30, 30),
        "candidate": (120, 120),
        "election": (30, 30),
        "party": (30, 30),
    }
    assert data["rows_by_table"] == {"candidate": 120, "ballot": 9}
    assert "[data] data-rows names 1 table not in the schema at the base head" in progress
    assert "(30 a table, 2 tables set in data-rows asked, seed 0)" in progress
    [revision] = data["timings"]["revisions"]
    statements = data["timings"]["statements"]
    assert revision["revision"] == NEW and revision["statements"] == len(statements)
    assert revision["seconds"] == pytest.approx(sum(s["seconds"] for s in statements), abs=1e-5)
    kinds = [(s["sql_kind"], s["table"], s["rows"]) for s in statements]
    assert ("UPDATE", "party", 30) in kinds
    assert ("ALTER TABLE", "party", 30) in kinds or server is None  # SQLite: ADD COLUMN too
    assert all(s["revision"] == NEW and s["seconds"] >= 0 for s in statements)
    assert not [s for s in statements if s["table"] == "alembic_version"]
    # what the data run itself read after the step (its captures) is not the revision's
    # (the dialect's own look at information_schema, on SQLAlchemy 1.4, is the step's)
    assert not [s for s in statements if s["sql_kind"] == "SELECT" and s["table"] is not None], [
        s["table"] for s in statements
    ]
    assert json.loads(render_json(report))["data"]["timings"] == data["timings"]


def test_no_timings_without_rows(repo: Path) -> None:
    write_revision(repo, NEW, "nothing", 'op.execute("SELECT 1")', "pass")
    commit_all(repo, "nothing")
    settings = resolve_settings(Overrides(), environ={}, root=repo)

    report = run_ci(settings, CiOptions(None, "main", 5.0, "error", False), io.StringIO())

    assert report.facts["data"]["timings"] == {"revisions": [], "statements": []}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('{"candidate" = 0}', "data-rows: candidate = 0: expected a number of rows from 1"),
        ('{"candidate" = "many"}', "data-rows: candidate = 'many': expected a number"),
        ('{"candidate" = true}', "data-rows: candidate = True: expected a number"),
        ("5", "data-rows must be a table"),
    ],
)
def test_data_rows_that_are_not_a_table_of_row_counts_are_named(
    tmp_path: Path, value: str, message: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.alembic-sentinel]\ndata-rows = {value}\n")

    with pytest.raises(ConfigError, match=message):
        resolve_settings(environ={}, root=tmp_path, database=False)


@pytest.mark.parametrize(
    ("sql", "kind", "table"),
    [
        ("ALTER TABLE `party` ADD COLUMN `x` INTEGER", "ALTER TABLE", "party"),
        ("CREATE UNIQUE INDEX ix_a ON `db`.`area` (`areaName`)", "CREATE INDEX", "area"),
        ("DROP INDEX ix_a ON area", "DROP INDEX", "area"),
        ('UPDATE "election" SET "isListed" = 1', "UPDATE", "election"),
        (
            "INSERT INTO _alembic_tmp_party (id) SELECT id FROM party",
            "INSERT",
            "_alembic_tmp_party",
        ),
        ("/* why */ DELETE FROM candidate WHERE 1", "DELETE", "candidate"),
        ("CREATE TABLE ballot (id INTEGER)", "CREATE TABLE", "ballot"),
        ('PRAGMA main.table_info("party")', "PRAGMA", None),
        ("SELECT * FROM information_schema.tables WHERE x = 1", "SELECT", None),
    ],
)
def test_a_statement_is_told_by_its_kind_and_table(sql: str, kind: str, table: str | None) -> None:
    assert statement_kind(sql) == (kind, table)


# --- captures at volume ---------------------------------------------------------------------------


def test_a_big_table_is_read_again_only_when_its_rows_changed(mariadb: sa.engine.Engine) -> None:
    create(mariadb, "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(20))")
    with mariadb.connect() as connection:
        fill_schema(connection, [], FINGERPRINT_FROM, seed=1)
        first = capture(connection, ["t"])
        same = capture(connection, ["t"], first)
        connection.exec_driver_sql("UPDATE t SET name = 'changed' WHERE id = 7")
        updated = capture(connection, ["t"], same)
        connection.exec_driver_sql("ALTER TABLE t ADD COLUMN extra INTEGER NULL")
        widened = capture(connection, ["t"], updated)

    assert first["t"].fingerprint is not None and len(first["t"].rows) == FINGERPRINT_FROM
    assert same["t"] is first["t"]  # not read again
    assert updated["t"] is not same["t"] and ("changed" in updated["t"].values("name"))
    assert widened["t"].columns == ("id", "name", "extra")
    assert [change.added_columns for change in step_changes(updated, widened)] == [["extra"]]


def test_a_small_table_has_no_fingerprint_and_is_read_each_time(
    engine: sa.engine.Engine,
) -> None:
    create(engine, "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(20))")
    with engine.connect() as connection:
        fill_schema(connection, [], 20, seed=1)
        first = capture(connection, ["t"])
        again = capture(connection, ["t"], first)

    assert first["t"].fingerprint is None
    assert again["t"] == first["t"] and again["t"] is not first["t"]


def test_a_column_added_to_a_table_too_big_to_compare_is_still_profiled_and_flagged(
    repo: Path, mysql_server_url: str
) -> None:
    with (repo / "pyproject.toml").open("a") as pyproject:
        pyproject.write(f'data-rows = {{"party" = {CAPTURE_LIMIT + 1}}}\n')
    # MariaDB fills '' into every row of a NOT NULL column added without a default
    write_revision(
        repo,
        NEW,
        "party code",
        'op.add_column("party", sa.Column("code", sa.String(10), nullable=False))',
        'op.drop_column("party", "code")',
    )
    commit_all(repo, "party code")

    report, progress = ci(repo, mysql_server_url, 5)

    [entry] = report.facts["data"]["revisions"]
    [profile] = entry["profiles"]
    assert (profile["table"], profile["column"], profile["change"]) == ("party", "code", "added")
    assert profile["rows"] == CAPTURE_LIMIT + 1 and profile["common"] == [["''", CAPTURE_LIMIT + 1]]
    assert [f.code for f in report.findings if f.code.startswith("C5")] == ["C508"]
    assert f"[data] party: {CAPTURE_LIMIT + 1} rows in " in progress  # its progress line
    [alter] = [s for s in report.facts["data"]["timings"]["statements"] if s["table"] == "party"]
    assert (alter["sql_kind"], alter["rows"]) == ("ALTER TABLE", CAPTURE_LIMIT + 1)
