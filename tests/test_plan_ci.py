"""`ci` with table statistics: the Rollout section, the `rollout` key and R601 (issue 22).

"Production" is a MariaDB schema this module makes once: the reference app's `party` table with
3x10^5 rows (INSERT ... SELECT from the sequence engine) at the reference app's head; its
statistics come from `alembic-sentinel stats`. The pull request changes a column's type (a
table COPY on MariaDB), which blocks writes on those rows longer than `max-blocking-seconds`.
"""

from __future__ import annotations

import io
import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import HEAD, SETTINGS_ENV_VARS, commit_all
from sqlalchemy.engine import make_url

from alembic_sentinel import cli
from alembic_sentinel.ci.run import CiOptions, run_ci
from alembic_sentinel.report.markdown import render_markdown
from alembic_sentinel.report.model import Report
from alembic_sentinel.report.render import render_json
from alembic_sentinel.settings import Overrides, resolve_settings

PARTY_ROWS = 300_000
NEW = "c0ffee0000aa"
pytestmark = pytest.mark.usefixtures("git_isolated", "fresh_orm_imports")
REVISION = f'''\
"""party symbols as text

Revision ID: {NEW}
Revises: {HEAD}
"""
import sqlalchemy as sa
from alembic import op

TEXT_BEFORE = sa.String(100)
revision = "{NEW}"
down_revision = "{HEAD}"


def upgrade():
{{comment}}    op.alter_column("party", "partySymbol", type_=sa.Text(), existing_type=TEXT_BEFORE)


def downgrade():
    op.alter_column("party", "partySymbol", type_=sa.String(100), existing_type=sa.Text())
'''


@pytest.fixture(scope="module")
def production_stats(
    mysql_server_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    name = f"sentinel_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(mysql_server_url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        connection.exec_driver_sql(f"USE `{name}`")
        connection.exec_driver_sql(
            "CREATE TABLE party (partyId INT NOT NULL AUTO_INCREMENT PRIMARY KEY, partyName "
            "VARCHAR(100) NOT NULL UNIQUE, partySymbol VARCHAR(100) NULL)"
        )
        connection.exec_driver_sql(
            "INSERT INTO party (partyName, partySymbol) SELECT CONCAT('party ', seq), "
            f"CONCAT('symbol ', seq MOD 50) FROM seq_1_to_{PARTY_ROWS}"
        )
        connection.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        connection.exec_driver_sql(f"INSERT INTO alembic_version VALUES ('{HEAD}')")
        connection.exec_driver_sql("ANALYZE TABLE party").fetchall()
    url = make_url(mysql_server_url).set(database=name).render_as_string(hide_password=False)
    path = tmp_path_factory.mktemp("production") / "table-stats.json"
    with pytest.MonkeyPatch.context() as patch:
        for variable in SETTINGS_ENV_VARS:  # as the autouse fixture does for each test
            patch.delenv(variable, raising=False)
        assert cli.main(["stats", "--url", url, "-o", str(path)]) == 0
    yield path
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
    engine.dispose()


def pull_request(repo: Path, stats: Path, comment: str = "") -> None:
    shutil.copy(stats, repo / "table-stats.json")
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "max-blocking-seconds = 1\n")
    (repo / "migrations" / "versions" / f"{NEW}_party_symbols_as_text.py").write_text(
        REVISION.format(comment=comment)
    )
    commit_all(repo, "party symbols as text")


def run(repo: Path, server_url: str) -> Report:
    settings = resolve_settings(Overrides(), environ={}, root=repo)
    options = CiOptions(server_url, "main", 5.0, table_stats="table-stats.json", data=False)
    return run_ci(settings, options, io.StringIO())


def test_ci_with_table_stats_reports_the_rollout_and_a_long_write_block(
    repo: Path, mysql_server_url: str, production_stats: Path
) -> None:
    pull_request(repo, production_stats)

    report = run(repo, mysql_server_url)

    rollout = report.facts["rollout"]
    assert set(rollout) == {
        "server",
        "operations",
        "total_estimated_seconds",
        "write_blocking_seconds",
    }
    [operation] = rollout["operations"]  # production is at the base head: only the new one
    assert operation["operation"] == "change_type party.partySymbol"
    assert operation["algorithm"] == "COPY" and operation["blocks_writes"] is True
    assert PARTY_ROWS * 0.5 <= operation["rows"] <= PARTY_ROWS * 1.5
    assert operation["advice"] and rollout["write_blocking_seconds"] > 1
    [r601] = [f for f in report.findings if f.code == "R601"]
    assert r601.severity == "error" and r601.path is not None
    assert r601.path.endswith(f"{NEW}_party_symbols_as_text.py") and r601.line == 15
    assert report.facts["status"] == "failed"
    assert json.loads(render_json(report))["rollout"] == rollout
    markdown = render_markdown(report)
    assert (
        "### Rollout" in markdown
        and "| Rollout on the production tables | \N{CROSS MARK}" in markdown
    )
    assert "gh-ost" in markdown


def test_a_reasoned_suppression_in_the_revision_silences_r601(
    repo: Path, mysql_server_url: str, production_stats: Path
) -> None:
    pull_request(
        repo,
        production_stats,
        "    # sentinel: ignore[R601] -- runs in the Sunday maintenance window\n",
    )

    report = run(repo, mysql_server_url)

    assert "R601" not in [f.code for f in report.findings]
    assert [(s.finding.code, s.reason) for s in report.suppressed or []] == [
        ("R601", "runs in the Sunday maintenance window")
    ]
    assert report.facts["rollout"]["operations"][0]["blocks_writes"] is True


def test_without_table_stats_there_is_no_rollout(repo: Path) -> None:
    settings = resolve_settings(Overrides(), environ={}, root=repo)
    report = run_ci(settings, CiOptions(None, "main", 5.0, data=False), io.StringIO())
    assert report.facts["rollout"] is None
    assert "### Rollout" not in render_markdown(report)


def test_the_data_run_at_volume_calibrates_the_estimates(
    repo: Path, mysql_server_url: str, production_stats: Path
) -> None:
    """What ci timed on its scratch (the ALTER over 6,000 generated rows) is the cost model's
    sample for that kind of work, scaled to production's rows."""
    pull_request(repo, production_stats)
    settings = resolve_settings(Overrides(), environ={}, root=repo)
    progress = io.StringIO()
    options = CiOptions(
        mysql_server_url, "main", 5.0, table_stats="table-stats.json", data=True, data_rows=6000
    )

    report = run_ci(settings, options, progress)

    [timed] = [
        s for s in report.facts["data"]["timings"]["statements"] if s["sql_kind"] == "ALTER TABLE"
    ]
    assert timed["table"] == "party" and timed["rows"] >= 6000
    assert "copy fitted to ci's data run on" in progress.getvalue(), progress.getvalue()
    [operation] = report.facts["rollout"]["operations"]
    # per row as measured here, times production's rows (no fixed or per-byte part is fitted)
    expected = timed["seconds"] / timed["rows"] * operation["rows"]
    assert operation["estimated_seconds"] == pytest.approx(expected, rel=0.01, abs=0.002)


def test_a_data_run_too_small_to_measure_keeps_the_defaults(
    repo: Path, mysql_server_url: str, production_stats: Path
) -> None:
    pull_request(repo, production_stats)
    settings = resolve_settings(Overrides(), environ={}, root=repo)
    progress = io.StringIO()
    options = CiOptions(mysql_server_url, "main", 5.0, table_stats="table-stats.json", data=True)

    run_ci(settings, options, progress)

    assert "cost model: defaults" in progress.getvalue(), progress.getvalue()
