"""The rollout plan (issue 22): `stats` reads sizes with SELECTs only, `plan` times every change.

One MariaDB schema per module holds the "production" tables, filled once to 10^5 rows with
INSERT ... SELECT from MariaDB's sequence engine; the project is our own mini history of
revision files (never imported: the plan reads them as the lint does).
"""

from __future__ import annotations

import json
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import SETTINGS_ENV_VARS
from sqlalchemy.engine import make_url

from alembic_sentinel import cli
from alembic_sentinel.lint.revision_reader import read_revision_module
from alembic_sentinel.plan.advice import tool_commands
from alembic_sentinel.plan.alter_sql import alter_clause
from alembic_sentinel.plan.cost_model import Sample, fit_cost
from alembic_sentinel.plan.operations import PlannedChange

INVOICE_ROWS = 100_000
MEMBER_ROWS = 1_000
BASE_REV, TYPE_REV, INDEX_REV = "aa01base0001", "bb02type0002", "cc03index003"

REVISION = '''\
"""{message}

Revision ID: {revision}
Revises: {down}
"""
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = {down_value}


def upgrade():
{upgrade}


def downgrade():
    pass
'''
REVISIONS = {
    BASE_REV: (
        "member and invoice",
        None,
        'op.create_table("member", sa.Column("id", sa.Integer(), primary_key=True))',
    ),
    TYPE_REV: (
        "bigger totals, a paid flag",
        BASE_REV,
        'op.alter_column("invoice", "total", type_=sa.BigInteger(), existing_type=sa.Integer(),'
        " existing_nullable=False)\n"
        'op.add_column("invoice", sa.Column("paid", sa.Boolean(), nullable=True))',
    ),
    INDEX_REV: (
        "index notes, link members",
        TYPE_REV,
        'op.create_index("ix_invoice_note", "invoice", ["note"])\n'
        'op.create_foreign_key("fk_invoice_member", "invoice", "member", ["member_id"], ["id"])\n'
        'op.create_table("audit", sa.Column("id", sa.Integer(), primary_key=True))\n'
        'op.add_column("audit", sa.Column("at", sa.DateTime(), nullable=False))',
    ),
}


def write_revision(
    versions: Path, revision: str, message: str, down: str | None, body: str
) -> None:
    (versions / f"{revision}.py").write_text(
        REVISION.format(
            message=message,
            revision=revision,
            down=down or "",
            down_value=repr(down),
            upgrade=textwrap.indent(body, "    "),
        )
    )


@pytest.fixture(scope="module")
def production(mysql_server_url: str) -> Iterator[str]:
    """A schema standing for production: invoice (10^5 rows), member, alembic_version."""
    name = f"sentinel_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(mysql_server_url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        connection.exec_driver_sql(f"USE `{name}`")
        connection.exec_driver_sql(
            "CREATE TABLE invoice (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, member_id INT NOT "
            "NULL, total INT NOT NULL, note VARCHAR(40) NOT NULL, KEY ix_member (member_id))"
        )
        connection.exec_driver_sql(
            "INSERT INTO invoice (member_id, total, note) SELECT seq MOD 1000 + 1, seq, "
            f"CONCAT('note ', seq) FROM seq_1_to_{INVOICE_ROWS}"
        )
        connection.exec_driver_sql(
            "CREATE TABLE member (id INT NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL)"
        )
        connection.exec_driver_sql(
            f"INSERT INTO member SELECT seq, CONCAT('m', seq) FROM seq_1_to_{MEMBER_ROWS}"
        )
        connection.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        connection.exec_driver_sql(f"INSERT INTO alembic_version VALUES ('{BASE_REV}')")
        connection.exec_driver_sql("ANALYZE TABLE invoice, member").fetchall()
    yield make_url(mysql_server_url).set(database=name).render_as_string(hide_password=False)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
    engine.dispose()


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project: three revisions, the first of them already applied in production."""
    root = tmp_path_factory.mktemp("plan_project")
    (root / "pyproject.toml").write_text('[tool.alembic-sentinel]\nmigrations = "migrations"\n')
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    for revision, (message, down, body) in REVISIONS.items():
        write_revision(versions, revision, message, down, body)
    return root


@pytest.fixture(scope="module")
def stats_file(production: str, history: Path) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        for name in SETTINGS_ENV_VARS:  # as the autouse fixture does for each test
            patch.delenv(name, raising=False)
        patch.chdir(history)
        assert cli.main(["stats", "--url", production, "-o", "stats.json"]) == 0
    return history / "stats.json"


def run(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, *argv: str) -> tuple[int, str]:
    monkeypatch.chdir(root)
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def plan_json(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, *argv: str) -> Any:
    code, out = run(root, monkeypatch, capsys, "plan", "--format", "json", *argv)
    assert code in (0, 1), out
    return json.loads(out)


# --- stats ---------------------------------------------------------------------------------------


def test_stats_sends_only_selects_on_information_schema_version_and_the_version_table(
    production: str, history: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(" ".join(statement.split()))

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        code, out = run(history, monkeypatch, capsys, "stats", "--url", production)
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
    assert code == 0, out
    database = make_url(production).database
    version_table = f"SELECT version_num FROM `{database}`.`alembic_version`"
    assert sent and all(
        s == "SELECT VERSION()"
        or (s.startswith("SELECT ") and "information_schema." in s)
        or s == version_table
        for s in sent
    ), sent
    assert version_table in sent


def test_stats_record_the_sizes_information_schema_gives(stats_file: Path) -> None:
    document = json.loads(stats_file.read_text())
    assert document["format"] == 1 and "MariaDB" in document["server_version"]
    assert document["revisions"] == [BASE_REV]
    assert set(document["tables"]) == {"invoice", "member"}  # not the version table
    invoice = document["tables"]["invoice"]
    # InnoDB's TABLE_ROWS is an estimate from sampled pages, even after ANALYZE TABLE
    assert INVOICE_ROWS * 0.5 <= invoice["rows"] <= INVOICE_ROWS * 1.5
    assert invoice["data_bytes"] > INVOICE_ROWS * 20 and invoice["index_bytes"] > 0
    assert invoice["engine"] == "InnoDB" and invoice["row_format"] == "Dynamic"
    assert invoice["charset"] == "utf8mb4" and invoice["collation"].startswith("utf8mb4")
    assert "password" not in stats_file.read_text() and "root" not in stats_file.read_text()


def test_stats_from_an_unreachable_server_leave_the_old_file_whole(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    target = tmp_path / "stats.json"
    target.write_text("the previous statistics")
    code, out = run(
        history,
        monkeypatch,
        capsys,
        "stats",
        "--url",
        "mysql+pymysql://u:pw@127.0.0.1:1/x",
        "-o",
        str(target),
    )
    assert code == 3 and "pw" not in out
    assert target.read_text() == "the previous statistics"
    assert [p.name for p in tmp_path.iterdir()] == ["stats.json"]


def test_a_broken_statistics_file_is_one_line_naming_it(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    broken = tmp_path / "stats.json"
    broken.write_text('{"format": 1, "tables": {"t": {"rows": -1}}}')
    code, out = run(history, monkeypatch, capsys, "plan", "--table-stats", str(broken))
    assert code == 2
    assert out.count("\n") == 1 and "stats.json" in out and "tables.t.rows" in out


# --- plan ----------------------------------------------------------------------------------------


def test_the_plan_starts_at_the_statistics_revision_and_has_the_documented_shape(
    history: Path, stats_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    plan = plan_json(history, monkeypatch, capsys, "--table-stats", "stats.json")
    assert set(plan) == {
        "server",
        "operations",
        "total_estimated_seconds",
        "write_blocking_seconds",
    }
    assert plan["server"].startswith("mariadb-10.")
    keys = {
        "revision",
        "file",
        "line",
        "operation",
        "table",
        "algorithm",
        "lock",
        "rows",
        "bytes",
        "estimated_seconds",
        "blocks_writes",
        "advice",
    }
    assert all(set(operation) == keys for operation in plan["operations"])
    # the base revision is applied already: not planned
    assert [o["revision"] for o in plan["operations"]] == [TYPE_REV] * 2 + [INDEX_REV] * 4
    by_operation = {o["operation"]: o for o in plan["operations"]}
    stats = json.loads(stats_file.read_text())["tables"]["invoice"]
    total = by_operation["change_type invoice.total"]
    assert total["file"] == f"migrations/versions/{TYPE_REV}.py" and total["line"] == 14
    assert total["rows"] == stats["rows"]
    assert total["bytes"] == stats["data_bytes"] + stats["index_bytes"]
    assert total["algorithm"] == "COPY" and total["lock"] == "SHARED" and total["blocks_writes"]
    # a table created on the way is empty: adding to it costs nothing
    assert by_operation["add_column audit.at"]["rows"] == 0
    blocking = sum(o["estimated_seconds"] for o in plan["operations"] if o["blocks_writes"])
    assert plan["write_blocking_seconds"] == pytest.approx(blocking, abs=0.01)
    assert plan["total_estimated_seconds"] >= plan["write_blocking_seconds"] > 0


@pytest.mark.parametrize(
    ("server_version", "add_column", "foreign_key", "type_change"),
    [
        ("10.11.6-MariaDB", "INSTANT", "COPY", "COPY"),
        ("10.3.39-MariaDB", "INSTANT", "COPY", "COPY"),
        ("10.2.44-MariaDB", "INPLACE", "COPY", "COPY"),
        ("8.0.36", "INSTANT", "COPY", "COPY"),
        ("8.0.11", "INPLACE", "COPY", "COPY"),
        ("5.7.44-log", "INPLACE", "COPY", "COPY"),
    ],
)
def test_the_algorithm_of_each_operation_follows_the_server_release_of_the_statistics(
    history: Path,
    stats_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    server_version: str,
    add_column: str,
    foreign_key: str,
    type_change: str,
) -> None:
    document = json.loads(stats_file.read_text())
    document["server_version"] = server_version
    other = tmp_path / "stats.json"
    other.write_text(json.dumps(document))
    plan = plan_json(history, monkeypatch, capsys, "--table-stats", str(other))
    algorithms = {o["operation"]: o["algorithm"] for o in plan["operations"]}
    assert algorithms["add_column invoice.paid"] == add_column
    assert algorithms["add_foreign_key invoice.fk_invoice_member"] == foreign_key
    assert algorithms["change_type invoice.total"] == type_change
    assert algorithms["create_index invoice.ix_invoice_note"] == "INPLACE"
    assert algorithms["create_table audit"] == "N/A"


def test_advice_is_given_exactly_for_the_operations_over_the_threshold(
    history: Path, stats_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    low = plan_json(
        history,
        monkeypatch,
        capsys,
        "--table-stats",
        "stats.json",
        "--max-blocking-seconds",
        "0.01",
    )
    for operation in low["operations"]:
        assert bool(operation["advice"]) is operation["blocks_writes"], operation
    total = next(o for o in low["operations"] if o["operation"] == "change_type invoice.total")
    database = json.loads(stats_file.read_text())["database"]
    ghost = next(line for line in total["advice"] if line.startswith("gh-ost"))
    assert f"--database={database}" in ghost and "--table=invoice" in ghost
    assert "'--alter=MODIFY COLUMN `total` BIGINT NOT NULL'" in ghost
    pt_osc = next(line for line in total["advice"] if line.startswith("pt-online"))
    assert f"D={database},t=invoice" in pt_osc and "--dry-run" in pt_osc
    assert any(line.startswith("expand/contract") for line in total["advice"])
    # the estimate of the slowest blocking operation: just above it, advice; at it, none
    longest = max(o["estimated_seconds"] for o in low["operations"] if o["blocks_writes"])
    above = plan_json(
        history,
        monkeypatch,
        capsys,
        "--table-stats",
        "stats.json",
        "--max-blocking-seconds",
        str(longest),
    )
    assert all(not o["advice"] for o in above["operations"])


def test_a_revision_blocking_writes_too_long_is_r601_and_the_plan_exits_1(
    history: Path, stats_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    code, out = run(
        history,
        monkeypatch,
        capsys,
        "plan",
        "--table-stats",
        "stats.json",
        "--max-blocking-seconds",
        "0.01",
    )
    assert code == 1
    assert f"{TYPE_REV}.py:14: error: R601 revision {TYPE_REV} blocks writes for about" in out
    code, out = run(
        history,
        monkeypatch,
        capsys,
        "plan",
        "--table-stats",
        "stats.json",
        "--max-blocking-seconds",
        "100000",
    )
    assert code == 0 and "R601" not in out


def test_from_and_to_choose_the_revisions(
    history: Path, stats_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    plan = plan_json(
        history,
        monkeypatch,
        capsys,
        "--table-stats",
        "stats.json",
        "--from",
        "base",
        "--to",
        "bb02",
    )
    assert {o["revision"] for o in plan["operations"]} == {BASE_REV, TYPE_REV}
    code, out = run(history, monkeypatch, capsys, "plan", "--from", "zz99")
    assert code == 2 and "--from zz99: no such revision" in out


def test_markdown_and_text_show_every_operation(
    history: Path, stats_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    code, out = run(
        history,
        monkeypatch,
        capsys,
        "plan",
        "--table-stats",
        "stats.json",
        "--format",
        "markdown",
        "--max-blocking-seconds",
        "0.01",
    )
    assert "## Rollout plan" in out and "| Where | Operation |" in out
    assert "```sh\ngh-ost" in out
    code, out = run(history, monkeypatch, capsys, "plan", "--table-stats", "stats.json")
    assert code == 0
    assert (
        f"migrations/versions/{TYPE_REV}.py:14: {TYPE_REV} change_type invoice.total: COPY" in out
    )


# --- calibration ---------------------------------------------------------------------------------


def test_calibration_refuses_the_production_database(
    history: Path, production: str, stats_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    same = production.replace("127.0.0.1", "localhost")
    code, out = run(
        history, monkeypatch, capsys, "plan", "--table-stats", "stats.json", "--calibrate-url", same
    )
    assert code == 2 and "never on production" in out


def test_calibration_measures_on_its_own_scratch_schema_and_drops_it(
    history: Path,
    mysql_server_url: str,
    stats_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    created: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("CREATE DATABASE"):
            created.append(statement.split("`")[1])

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        code, out = run(
            history,
            monkeypatch,
            capsys,
            "plan",
            "--table-stats",
            "stats.json",
            "--calibrate-url",
            mysql_server_url,
            "--max-blocking-seconds",
            "100000",
        )
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
    assert code == 0, out
    assert "cost model: calibrated on 10." in out
    [schema] = created
    assert schema.startswith("sentinel_plan_")
    engine = sa.create_engine(mysql_server_url)
    with engine.connect() as connection:
        left = connection.exec_driver_sql(
            "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %(s)s", {"s": schema}
        ).first()
    engine.dispose()
    assert left is None


def test_the_fit_recovers_known_costs_and_never_goes_negative() -> None:
    samples = [
        Sample("copy", 0, 16384, 0.05),
        Sample("copy", 1000, 100_000, 0.05 + 1000 * 1e-5 + 100_000 * 1e-7),
        Sample("copy", 1000, 400_000, 0.05 + 1000 * 1e-5 + 400_000 * 1e-7),
    ]
    cost = fit_cost(samples)
    assert cost is not None
    assert cost.fixed_seconds == 0.05
    assert cost.per_row_seconds == pytest.approx(1e-5) and cost.per_byte_seconds == pytest.approx(
        1e-7
    )
    # the wider table was faster (noise): no negative per-byte cost
    noisy = fit_cost([Sample("copy", 1000, 100_000, 0.5), Sample("copy", 1000, 400_000, 0.4)])
    assert noisy is not None and noisy.per_byte_seconds >= 0 and noisy.per_row_seconds >= 0


# --- advice, statically --------------------------------------------------------------------------


def planned(body: str, table: str) -> tuple[PlannedChange, Any]:
    source = REVISION.format(
        message="m",
        revision="r1",
        down="",
        down_value="None",
        upgrade=textwrap.indent(body, "    "),
    )
    module = read_revision_module(source, "r1.py")
    assert module.upgrade is not None
    op = module.upgrade.operations[0]
    from alembic_sentinel.lint.ddl import ddl_changes

    change, label = ddl_changes(op, module)[0]
    return PlannedChange("r1", "r1.py", op, change, label, table), module


@pytest.mark.parametrize(
    ("body", "clause"),
    [
        (
            'op.create_foreign_key("fk`x", "order", "user", ["user_id"], ["id"])',
            "ADD CONSTRAINT `fk``x` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`)",
        ),
        (
            'op.alter_column("order", "state", type_=sa.Enum("new", "paid", "it\'s"),'
            " existing_nullable=False)",
            "MODIFY COLUMN `state` ENUM('new', 'paid', 'it''s') NOT NULL",
        ),
        (
            'op.alter_column("order", "note", type_=sa.String(300), existing_type=sa.String(100),'
            ' nullable=True, new_column_name="remark")',
            "CHANGE COLUMN `note` `remark` VARCHAR(300) NULL",
        ),
        ('op.drop_constraint("pk", "order", type_="primary")', "DROP PRIMARY KEY"),
        ('op.execute("ALTER TABLE `order` ENGINE=InnoDB;")', "ENGINE=InnoDB"),
        ('op.alter_column("order", "total", type_=SOME_TYPE)', None),
        # MODIFY restates the column: without its nullability it would change it
        ('op.alter_column("order", "total", type_=sa.BigInteger())', None),
    ],
)
def test_the_alter_clause_quotes_identifiers_and_gives_up_on_what_it_cannot_read(
    body: str, clause: str | None
) -> None:
    change, module = planned(body, "order")
    assert alter_clause(change.op, module) == clause


def test_tool_lines_are_shell_quoted_and_hold_no_credentials() -> None:
    change, module = planned(
        'op.create_foreign_key("fk_o_u", "order items", "user", ["user_id"], ["id"])',
        "order items",
    )
    lines = tool_commands(change, module, "shop's db", "db.internal", 3307)
    ghost, pt_osc = lines
    assert "'--database=shop'\"'\"'s db'" in ghost and "'--table=order items'" in ghost
    assert "--port=3307" in ghost and '--conf="$HOME/.my.cnf"' in ghost
    assert "'h=db.internal,P=3307,D=shop'\"'\"'s db,t=order items'" in pt_osc
    assert "password" not in ghost + pt_osc and "--user" not in ghost + pt_osc


# --- where the plan starts, suppressions, long comments ----------------------------------------


def test_without_statistics_the_plan_starts_at_the_configured_database(
    history: Path, production: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    plan = plan_json(history, monkeypatch, capsys, "--url", production)
    assert [o["revision"] for o in plan["operations"]] == [TYPE_REV] * 2 + [INDEX_REV] * 4
    assert plan["server"] == "mysql-8.0"  # the target-server default: no statistics to say
    assert {o["rows"] for o in plan["operations"] if o["table"] == "invoice"} == {None}


def test_statistics_at_a_revision_the_branch_lacks_are_refused(
    history: Path, stats_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    document = json.loads(stats_file.read_text())
    document["revisions"] = ["ffff0000ffff"]
    other = tmp_path / "stats.json"
    other.write_text(json.dumps(document))
    code, out = run(history, monkeypatch, capsys, "plan", "--table-stats", str(other))
    assert code == 2 and "at ffff0000ffff, which this branch does not have" in out


def test_a_docstring_suppression_with_a_reason_covers_the_revision(
    tmp_path: Path, stats_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    root = tmp_path / "suppressed"
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.alembic-sentinel]\nmigrations = "migrations"\n')
    for revision, (message, down, body) in REVISIONS.items():
        if revision == TYPE_REV:
            message += "\n\nsentinel: ignore[R601] -- invoice is rebuilt in the Sunday window"
        write_revision(versions, revision, message, down, body)
    code, out = run(
        root,
        monkeypatch,
        capsys,
        "plan",
        "--table-stats",
        str(stats_file),
        "--max-blocking-seconds",
        "0.01",
    )
    assert code == 1  # the other revision still blocks
    assert f"R601 revision {INDEX_REV}" in out and f"R601 revision {TYPE_REV}" not in out
    assert f"{TYPE_REV}.py:16: R601 suppressed: invoice is rebuilt in the Sunday window" in out


def test_a_long_rollout_section_loses_its_command_lines_before_its_table() -> None:
    from alembic_sentinel.report.markdown_document import fit
    from alembic_sentinel.report.markdown_rollout import rollout_blocks

    operation = {
        "revision": "r1",
        "file": "r1.py",
        "line": 3,
        "operation": "change_type t.c",
        "table": "t",
        "algorithm": "COPY",
        "lock": "SHARED",
        "rows": 10**7,
        "bytes": 10**10,
        "estimated_seconds": 600.0,
        "blocks_writes": True,
        "advice": [
            "expand/contract: ...",
            "gh-ost " + "x" * 300,
            "pt-online-schema-change " + "y" * 300,
        ],
    }
    plan = {
        "server": "mysql-8.0",
        "operations": [operation] * 40,
        "total_estimated_seconds": 24000.0,
        "write_blocking_seconds": 24000.0,
    }
    text = fit(rollout_blocks(plan), 12_000, ("sql", "tables"))
    assert len(text) <= 12_000
    assert text.count("| <code>r1.py:3</code> |") == 40  # every operation still listed
    assert text.count("x" * 300) < 40 and "truncated" in text  # command lines went first


def test_samples_come_only_from_one_timed_statement_for_one_measurable_change(
    project: Path,
) -> None:
    """A revision's ALTER that matches one copy/rebuild/index change of its table is a sample;
    two changes of one table, a small table or a metadata-only change are not."""
    from alembic_sentinel.graph.revision_check import working_tree_revisions
    from alembic_sentinel.lint.online_ddl import parse_server_version
    from alembic_sentinel.plan.measured import samples_from_timings
    from alembic_sentinel.plan.operations import read_changes
    from alembic_sentinel.settings import resolve_settings as resolve

    new = "5a5a5a5a5a5a"
    (project / "migrations" / "versions" / f"{new}_changes.py").write_text(
        f'revision = "{new}"\ndown_revision = "e5a9c3f7d812"\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n\ndef upgrade():\n"
        '    op.alter_column("party", "partySymbol", type_=sa.Text(), '
        "existing_type=sa.String(100))\n"
        '    op.create_index("ix_area_name", "area", ["areaName"])\n'
        '    op.add_column("area", sa.Column("note", sa.Text(), nullable=True))\n'
        '    op.create_index("ix_election_name", "election", ["electionName"])\n'
        "\n\ndef downgrade():\n    pass\n"
    )
    settings = resolve(environ={}, root=project, database=False)
    graph = working_tree_revisions(settings).graph
    changes, _ = read_changes(graph, [new], settings.root)

    def timed(table: str, kind: str, rows: int) -> dict[str, object]:
        return {"revision": new, "sql_kind": kind, "table": table, "rows": rows, "seconds": 2.0}

    samples = samples_from_timings(
        changes,
        [
            timed("party", "ALTER TABLE", 10_000),  # a type change: COPY
            timed("area", "CREATE INDEX", 10_000),  # the same table has an INSTANT column too
            timed("area", "ALTER TABLE", 10_000),
            timed("election", "CREATE INDEX", 100),  # too few rows to say anything
        ],
        parse_server_version("mariadb-10.11"),
    )

    assert [(s.work, s.rows, s.seconds) for s in samples] == [("copy", 10_000, 2.0)]
